"""@tc.compile (tracing, signatures, retracing) and tc.function (outputs, IR access)."""
import io

import numpy as np
import pytest
from conftest import assert_close, rand, requires_native

import tensorc as tc

pytestmark = requires_native


def test_second_call_with_the_same_signature_does_not_retrace():
    @tc.compile
    def f(a, b):
        return np.tanh(a @ b).sum(axis=0)

    a, b = np.ones((3, 4), np.float32), np.ones((4, 5), np.float32)
    assert_close(f(a, b), np.tanh(a @ b).sum(axis=0), loose=True)
    assert f.trace_count == 1
    a2, b2 = rand((7, 2), np.float32), rand((2, 3), np.float32)  # other shapes: same signature
    assert_close(f(a2, b2), np.tanh(a2 @ b2).sum(axis=0), loose=True)
    assert f(b=b2, a=a2).shape == (3,)  # keywords bind to the same signature
    assert f.trace_count == 1
    f(a.astype(np.float64), b.astype(np.float64))  # another dtype: a new trace
    assert f.trace_count == 2
    f(a, b)
    assert f.trace_count == 2


def test_python_scalars_are_weak_and_reuse_zero_d_traces():
    @tc.compile
    def scale(x, s):
        return x * s

    x = rand(4, np.float32)
    out = scale(x, 0.5)
    assert out.dtype == np.float32  # like NumPy: float32 array * Python float
    assert_close(out, x * 0.5)
    assert scale(x, 2.0).dtype == np.float32 and scale.trace_count == 1
    assert scale(x, np.float32(3)).dtype == np.float32
    assert scale.trace_count == 2  # a float32 scalar is a strongly typed 0-d array
    assert scale(x, 3).dtype == np.float32 and scale.trace_count == 2  # an int reuses a 0-d float trace
    i = rand(4, np.int32)
    assert scale(i, 2).dtype == np.int32 and scale(i, 2.5).dtype == np.float64
    assert scale.trace_count == 4

    @tc.compile
    def shift(x, s):
        return x + s

    assert_close(shift(x, np.float32(0.25)), x + np.float32(0.25))
    assert_close(shift(x, 0.5), x + np.float32(0.5))  # a Python float reuses the float32 trace
    assert shift.trace_count == 1


def test_tuple_list_and_constant_outputs():
    @tc.compile
    def f(a):
        return a + 1, a.sum()

    @tc.compile
    def g(a):
        return [a * 2, np.float32(3), a]

    a = rand((2, 3), np.float32)
    got = f(a)
    assert isinstance(got, tuple) and len(got) == 2
    assert_close(got[0], a + 1)
    got = g(a)
    assert isinstance(got, list)
    assert_close(got[0], a * 2)
    assert_close(got[1], np.float32(3))
    assert_close(got[2], a)  # an input passed through


def test_defaults_varargs_static_and_none_arguments():
    @tc.compile(static_argnames=("axis",))
    def f(x, *rest, axis=0, bias=None, **named):
        out = x.sum(axis=axis)
        for r in rest:
            out = out + r.sum(axis=axis)
        if bias is not None:
            out = out + bias
        for key in sorted(named):
            out = out * named[key]
        return out

    x = rand((3, 4))
    assert_close(f(x), x.sum(0))
    assert_close(f(x, axis=1), x.sum(1))
    assert_close(f(x, x, x, axis=1), 3 * x.sum(1))
    assert_close(f(x, bias=np.ones(4)), x.sum(0) + 1)
    assert_close(f(x, k=2.0), x.sum(0) * 2.0)
    traces = f.trace_count
    assert_close(f(x * 2, axis=1), 2 * x.sum(1))
    assert f.trace_count == traces


def test_ir_access():
    @tc.compile
    def f(a):
        return np.exp(a) * 2

    with pytest.raises(RuntimeError, match="call the function first"):
        f.ir()
    from tensorc.passes.pipelines import STAGES  # needs the native module

    f(np.ones(3, np.float32))
    frontend = f.ir("frontend")
    assert '"tensorc.exp"' in frontend and "loc(" in frontend
    for stage in STAGES:
        assert "func" in f.ir(stage), stage
    assert "llvm.func" in f.ir(STAGES[-1])
    compiled = f.lower(np.ones((2, 2)))
    assert "tensor<?x?xf64>" in compiled.ir("frontend")
    assert f.trace_count == 2


def test_function_outputs_and_ir():
    x, y = tc.vector("x"), tc.vector("y")
    unused = tc.vector("unused")
    f = tc.function([x, unused, y], x * y)
    g = tc.function([x], [x + 1])
    a = np.arange(3, dtype=np.float32)
    assert_close(f(a, a, a), a * a)
    got = g(a)
    assert isinstance(got, list) and len(got) == 1
    assert_close(got[0], a + 1)
    assert "tensorc.mul" in f.ir("frontend")
    assert tc.debugprint(f, file=io.StringIO()).startswith("mul [id A] float32 (?,)")
    h = tc.function([x], x * 3)
    assert h.ir("optimized") and h.program.latest == (0, False)  # compiles the all-dynamic specialization on demand
    h(np.ones(1, np.float32))
    assert "tensor<1xf32>" in h.ir("frontend")  # the latest specialization


def test_ir_carries_the_callers_file_and_line():
    x = tc.vector("x")
    y = x * 2  # this line
    f = tc.function([x], y)
    f(np.ones(2, np.float32))
    assert f'loc("mul"("{__file__}":{y.loc.line}:{y.loc.column}))' in f.ir("frontend")
