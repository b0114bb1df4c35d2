"""@tc.compile's native call path (cpp/python/Dispatcher.h): every Python signature form is planned on
its first call and later calls go straight to the traced Function, with the same results and errors
as the Python path. Speed is the benchmark's business (bench W6); these tests check the plans."""
import gc
import weakref

import numpy as np
import pytest

import tensorc as tc

a32 = np.arange(4, dtype=np.float32)
b32 = np.full(4, 2.0, np.float32)


def calls_twice(fn, *args, **kwargs):
    """Call twice (the second through the plan) and check both agree; returns the result."""
    first = fn(*args, **kwargs)
    plans, traces = fn._plans, fn.trace_count
    second = fn(*args, **kwargs)
    assert fn._plans == plans and fn.trace_count == traces
    if isinstance(first, tuple):
        assert isinstance(second, tuple)
        for x, y in zip(first, second):
            np.testing.assert_array_equal(x, y)
    else:
        np.testing.assert_array_equal(first, second)
    return second


def test_positional_varargs_keywords_and_defaults_are_planned():
    @tc.compile
    def f(a, scale=2.0, *rest, shift=None, **extra):
        r = a * scale
        for x in rest:
            r = r + x
        for k in sorted(extra):  # by name: the plan must hand them over in the traced order
            r = r * extra[k] if k == "m" else r - extra[k]
        return r if shift is None else r + shift

    np.testing.assert_array_equal(calls_twice(f, a32), a32 * 2)
    np.testing.assert_array_equal(calls_twice(f, a32, 3.0), a32 * 3)
    np.testing.assert_array_equal(calls_twice(f, a32, 1.0, b32, b32), a32 + 4)
    np.testing.assert_array_equal(calls_twice(f, a32, 1.0, m=b32, s=a32), a32 * 2 - a32)
    # The same keywords in the other order: another plan, same meaning.
    np.testing.assert_array_equal(calls_twice(f, a32, 1.0, s=a32, m=b32), a32 * 2 - a32)
    np.testing.assert_array_equal(calls_twice(f, a=a32, scale=1.0, shift=b32), a32 + 2)
    assert f._plans == 6
    # Other values in a planned signature flow through the plan.
    np.testing.assert_array_equal(f(b32, 5.0), b32 * 5)
    np.testing.assert_array_equal(f(b32, 1.0, s=b32, m=a32), b32 * a32 - b32)


def test_array_default_is_an_input_of_the_plan():
    w = np.array([1.0, -1.0, 0.5, 2.0], np.float32)

    @tc.compile
    def f(x, w=w):
        return x * w

    np.testing.assert_array_equal(calls_twice(f, a32), a32 * w)
    np.testing.assert_array_equal(calls_twice(f, a32, w=b32), a32 * b32)


def test_scalar_defaults_are_converted_once_and_keep_their_meaning():
    # A Python scalar default is stored in the plan as the array its input takes (converted once, not
    # on every call); a value that does not convert exactly stays as it is, with the Python path's result.
    @tc.compile
    def f(x, *, one=1.0, n=3, flag=True, tenth=0.1):
        return x * n + one + flag + tenth

    expected = a32 * 3 + 1.0 + True + 0.1
    np.testing.assert_allclose(calls_twice(f, a32), expected, rtol=1e-6)
    np.testing.assert_allclose(calls_twice(f, a32, one=2.0), expected + 1.0, rtol=1e-6)
    np.testing.assert_allclose(f(b32), b32 * 3 + 1.0 + True + 0.1, rtol=1e-6)

    from tensorc.frontend.compile import _as_input

    class Var:
        def __init__(self, dtype):
            self.dtype = np.dtype(dtype)

    one = _as_input(1.0, Var("float64"))
    assert isinstance(one, np.ndarray) and one.dtype == np.float64 and one.shape == () and one == 1.0
    assert _as_input(2**70, Var("int64")) == 2**70 and type(_as_input(2**70, Var("int64"))) is int
    assert type(_as_input(0.1, Var("float32"))) is float  # not exact in float32: converted per call
    w = np.ones(3)
    assert _as_input(w, Var("float64")) is w


def test_static_arguments_and_none_are_keyed_by_value():
    @tc.compile(static_argnames="n")
    def f(x, n, bias=None):
        y = x * n
        return y if bias is None else y + bias

    np.testing.assert_array_equal(calls_twice(f, a32, 2), a32 * 2)
    np.testing.assert_array_equal(calls_twice(f, a32, 3), a32 * 3)
    assert f.trace_count == 2
    np.testing.assert_array_equal(f(a32, 2), a32 * 2)  # the plan for n=2, not n=3's
    np.testing.assert_array_equal(calls_twice(f, a32, n=2), a32 * 2)
    np.testing.assert_array_equal(calls_twice(f, a32, 2, b32), a32 * 2 + 2)
    np.testing.assert_array_equal(f(a32, 2, None), a32 * 2)
    # 2.0 == 2: the same trace, as static arguments are in jax.jit (hash and ==); its own plan.
    np.testing.assert_array_equal(calls_twice(f, a32, 2.0), a32 * 2)
    assert f.trace_count == 3


def test_dtype_rank_and_scalar_kind_pick_the_plan():
    @tc.compile
    def f(x, s):
        return x + s

    assert calls_twice(f, a32, 1).dtype == np.float32
    assert calls_twice(f, a32.astype(np.float64), 1).dtype == np.float64
    assert calls_twice(f, a32[None], 1).shape == (1, 4)
    assert calls_twice(f, a32, np.float64(1)).dtype == np.float64
    np.testing.assert_array_equal(calls_twice(f, a32, 1.5), a32 + 1.5)
    np.testing.assert_array_equal(calls_twice(f, a32, True), a32 + 1)
    # int64 given where the plan was traced for int: NumPy-scalar keys are per dtype.
    assert f(np.arange(3), np.int32(2)).dtype == np.int64


def test_calls_that_cannot_be_planned_still_work():
    @tc.compile
    def f(x, y):
        return x * y

    np.testing.assert_array_equal(f([1.0, 2.0], a32[:2]), np.array([1.0, 2.0]) * a32[:2])
    np.testing.assert_array_equal(f([1.0, 2.0], a32[:2]), np.array([1.0, 2.0]) * a32[:2])
    assert f._plans == 0 and f.trace_count == 1
    with pytest.raises(TypeError, match="dtype >f4"):  # not planned: the Python path's error
        f(a32.astype(">f4"), a32)


def test_errors_after_a_plan_are_the_python_paths():
    @tc.compile
    def f(x, *, k):
        return x + k

    f(a32, k=b32)
    with pytest.raises(TypeError, match="missing a required argument|unexpected keyword"):
        f(a32, j=b32)
    with pytest.raises(TypeError, match="missing"):
        f(a32)
    with pytest.raises(ValueError):
        f(a32, k=np.ones(3, np.float32))  # planned signature, shapes that do not broadcast
    with pytest.raises(TypeError, match="unsupported type"):
        f(a32, k="text")


def test_tuple_outputs_and_ir_follow_the_latest_call():
    @tc.compile
    def f(x, *ys):
        return tuple(x * y for y in ys)

    out = calls_twice(f, a32, b32, a32)
    assert isinstance(out, tuple) and len(out) == 2
    f(a32.astype(np.float64), b32)
    assert "f64" in f.ir("frontend")
    f(a32, b32, a32)
    assert "f64" not in f.ir("frontend")


def test_a_compiled_function_is_collected():
    @tc.compile
    def f(x, *ys):
        return x + sum(ys)

    f(a32, b32)
    f(a32, b32)
    ref = weakref.ref(f)
    del f
    gc.collect()
    assert ref() is None
