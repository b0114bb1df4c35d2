"""Regression tests of the soundness issue's runtime findings: run-time broadcasting (sizes that are 1
only when the program runs), writes after failed checks, outputs that own their memory, Python ints
range-checked like NumPy 2, sizes that overflow or cannot be allocated, and argument messages.

Cases that used to kill the interpreter run in a subprocess, so a regression fails one test instead of
the whole session."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tensorc as tc
from conftest import assert_close, requires_native

pytestmark = requires_native


def run_isolated(code: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=timeout)


# ---- sizes that are 1 only at run time broadcast as in NumPy --------------------------------------

def test_runtime_size_one_from_slicing_broadcasts():
    x = tc.matrix("x", dtype="float64")
    f = tc.function([x], x >= x[:, -2:2:3])
    for shape in [(4, 2), (1, 2), (0, 2), (4, 1), (3, 3)]:
        a = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
        np.testing.assert_array_equal(f(a), a >= a[:, -2:2:3])
    with pytest.raises(ValueError, match="cannot be broadcast"):
        f(np.ones((3, 5)))  # (3, 5) vs (3, 0): NumPy raises too


def test_runtime_broadcast_keeps_errors():
    x = tc.vector("x", dtype="float64")
    f = tc.function([x], x[1:] + x[:3])
    np.testing.assert_array_equal(f(np.arange(4.0)), np.arange(4.0)[1:] + np.arange(4.0)[:3])
    np.testing.assert_array_equal(f(np.arange(2.0)), np.arange(2.0)[1:] + np.arange(2.0)[:3])  # (1,) + (2,)
    with pytest.raises(ValueError, match="cannot be broadcast"):
        f(np.arange(6.0))  # (5,) vs (3,)
    with pytest.raises(ValueError, match="cannot be broadcast"):
        f(np.arange(6.0))  # the general variant raises the same error every time


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_runtime_broadcast_three_operands_and_where(dtype):
    x = tc.matrix("x", dtype=dtype)
    y = tc.matrix("y", dtype=dtype)
    f = tc.function([x, y], [tc.where(x[:1] > 0, y[:, :1], x * y[-1:]), (x[:, ::2] - y[:1]) * 2])
    rng = np.random.default_rng(0)
    for sx, sy in [((3, 2), (3, 2)), ((1, 1), (4, 1)), ((3, 1), (1, 1)), ((2, 3), (2, 2))]:
        a, b = rng.standard_normal(sx).astype(dtype), rng.standard_normal(sy).astype(dtype)
        try:
            expected = [np.where(a[:1] > 0, b[:, :1], a * b[-1:]), (a[:, ::2] - b[:1]) * 2]
        except ValueError:
            with pytest.raises(ValueError):
                f(a, b)
            continue
        for got, want in zip(f(a, b), expected):
            assert_close(got, want)


def test_runtime_broadcast_in_batched_matmul():
    a = tc.tensor3("a", dtype="float64")
    b = tc.tensor3("b", dtype="float64")
    f = tc.function([a, b], a[:1] @ b)
    rng = np.random.default_rng(1)
    for na, nb in [(3, 4), (1, 4), (2, 1)]:
        x, y = rng.standard_normal((na, 2, 3)), rng.standard_normal((nb, 3, 5))
        assert_close(f(x, y), x[:1] @ y)


def test_runtime_broadcast_of_gather_indices():
    x = tc.matrix("x", dtype="float64")
    i = tc.vector("i", dtype="int64")
    j = tc.vector("j", dtype="int64")
    f = tc.function([x, i, j], x[i, j[:1]])
    a = np.arange(12.0).reshape(3, 4)
    for ii, jj in [([0, 2, 1], [3, 1]), ([1], [2, 0]), ([0, 1], [1])]:
        ii, jj = np.array(ii), np.array(jj)
        np.testing.assert_array_equal(f(a, ii, jj), a[ii, jj[:1]])
    with pytest.raises(IndexError, match="could not be broadcast"):
        tc.function([x, i, j], x[i, j[1:]])(a, np.array([0, 1]), np.array([0, 1, 2, 3]))
    with pytest.raises(IndexError, match="out of bounds"):
        f(a, np.array([0, 1]), np.array([9]))


def test_more_than_64_input_dims_broadcast():
    # 65 input dims in all: the size-1 mask cannot describe them, so input dims of size 1 are dynamic
    # and the general variant broadcasts them (a rank-61 input that the outputs ignore keeps it cheap).
    a = tc.matrix("a", dtype="float64")
    b = tc.matrix("b", dtype="float64")
    c = tc.tensor("float64", 61, "c")
    f = tc.function([a, b, c], a + b)
    unused = np.ones((1,) * 61)
    x, y = np.ones((1, 3)), np.arange(2.0).reshape(2, 1)
    assert_close(f(x, y, unused), x + y)
    assert_close(f(y, y, unused), y + y)
    with pytest.raises(ValueError, match="cannot be broadcast"):
        f(np.ones((3, 1)), y, unused)


def test_traced_runtime_broadcast():
    @tc.compile
    def g(x):
        return np.logaddexp(x, x[None, :1:-2])

    a = np.random.default_rng(2).standard_normal((4, 4, 4)).astype(np.float32)
    assert_close(g(a), np.logaddexp(a, a[None, :1:-2]), loose=True)


# ---- no loop runs after a failed check (these used to corrupt the heap) ---------------------------

def test_failed_checks_never_corrupt_the_heap():
    result = run_isolated("""
        import numpy as np, tensorc as tc
        x = tc.tensor3("x", dtype="float32")
        f = tc.function([x], tc.logaddexp(x, x[None, :1:-2]))
        y = tc.tensor("int32", 4, "y")
        g = tc.function([y], y / y[None, ::3, -7:2:1])
        v = tc.vector("v", dtype="float64")
        h = tc.function([v], v[1:] * v[:3])
        for _ in range(30):
            f(np.ones((4, 4, 4), np.float32)); g(np.ones((2, 2, 2, 2), np.int32))
            try:
                h(np.ones(7))
            except ValueError:
                pass
        print("ok")
    """)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


# ---- every returned array owns its memory ---------------------------------------------------------

def test_outputs_never_share_memory():
    x = tc.vector("x", dtype="float64")
    y = x * 2
    for outs in ([x * 2, x * 2], [y, y], [x, x], [y, y[1:]], [x, x[::2]]):
        results = tc.function([x], outs)(np.arange(4.0))
        assert not np.shares_memory(results[0], results[1])
        expected1 = results[1].copy()
        results[0][...] = -1
        np.testing.assert_array_equal(results[1], expected1)


# ---- Python ints are weak and range-checked as in NumPy 2 ------------------------------------------

def test_python_int_out_of_range_for_the_traced_dtype():
    @tc.compile
    def g(a, s):
        return a + s

    np.testing.assert_array_equal(g(np.ones(3, np.int32), 1), np.full(3, 2, np.int32))
    with pytest.raises(OverflowError, match="out of bounds for int32"):
        g(np.ones(3, np.int32), 2**40)
    np.testing.assert_array_equal(g(np.ones(3, np.int32), -2**31), np.ones(3, np.int32) + np.int32(-2**31))
    np.testing.assert_array_equal(g(np.ones(3, np.int64), 2**40), np.ones(3, np.int64) + 2**40)


# ---- sizes that overflow or cannot be allocated ---------------------------------------------------

def test_sizes_that_overflow_or_do_not_fit_raise():
    n = tc.scalar("n", dtype="int64")
    square = tc.function([n], tc.zeros((n, n)))
    with pytest.raises(ValueError, match="array is too big"):
        square(np.int64(2**33))
    assert square(np.int64(3)).shape == (3, 3)
    with pytest.raises(ValueError, match="array is too big"):
        tc.function([n], tc.zeros((n, n, 0)))(np.int64(2**40))  # as NumPy: a 0 size counts as 1 here
    with pytest.raises(ValueError, match="array is too big"):
        tc.function([n], tc.arange(n))(np.int64(2**62))
    with pytest.raises(MemoryError):
        tc.function([n], tc.arange(n)[:3])(np.int64(2**42))  # fits a pointer, not the machine


# ---- statically empty parts -----------------------------------------------------------------------

def test_concatenate_of_statically_empty_slices():
    x = tc.vector("x", dtype="int64")
    f = tc.function([x], tc.concatenate([x[2:5:3]] * 3))
    for n in (0, 1, 3, 6):
        a = np.arange(n)
        np.testing.assert_array_equal(f(a), np.concatenate([a[2:5:3]] * 3))


# ---- argument messages ----------------------------------------------------------------------------

@pytest.mark.parametrize("value,name", [(None, "NoneType"), ("abc", "str"), ({}, "dict"), (object(), "object")])
def test_non_arrays_are_named_by_python_type(value, name):
    f = tc.function([x := tc.matrix("x", dtype="float32")], x + 1)
    with pytest.raises(TypeError, match=rf"argument 'x': expected a 2-d float32 array, got {name}"):
        f(value)


def test_list_of_floats_for_float32_says_how_to_pass_it():
    f = tc.function([x := tc.matrix("x", dtype="float32")], x + 1)
    with pytest.raises(TypeError, match=r"got float64: NumPy turns this list .*np\.asarray\(value, dtype=np\.float32\)"):
        f([[1.0, 2.0]])


# ---- fuzzer findings ------------------------------------------------------------------------------

def test_numpy_scalars_are_strongly_typed():
    # np.float64 subclasses Python float, but NumPy 2 promotes it as float64 (only Python scalars are weak)
    b = tc.matrix("b", dtype="float32")
    f = tc.function([b], [tc.minimum(b, np.float64(0.5)), b + 0.5, tc.full((2,), np.float64(1.0))])
    a = np.array([[-104.0, 3.0]], np.float32)
    for got, want in zip(f(a), [np.minimum(a, np.float64(0.5)), a + 0.5, np.full((2,), np.float64(1.0))]):
        assert_close(got, want)


def test_matmul_of_statically_empty_operands():
    b = tc.tensor3("b", dtype="float32")
    v = tc.minimum(b[-3:2:-2, 3:, ::3], -1.5)
    f = tc.function([b], tc.matmul(v, tc.swapaxes(v, -1, -2)))
    for shape in [(1, 6, 6), (5, 6, 6), (1, 1, 1)]:
        x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
        w = np.minimum(x[-3:2:-2, 3:, ::3], -1.5)
        assert_close(f(x), np.matmul(w, np.swapaxes(w, -1, -2)))


def test_python_ints_beyond_int64_are_weak():
    c = tc.matrix("c", dtype="float32")
    i = tc.vector("i", dtype="int32")
    a = np.array([[1e20, 1e18]], np.float32)
    got = tc.function([c], [c > 2**63, c - 2**64])(a)
    for g, w in zip(got, [a > 2**63, a - 2**64]):
        assert_close(g, w)
    with pytest.raises(OverflowError, match="out of bounds for int32"):
        tc.function([i], i + 2**64)


def test_comparisons_and_clip_with_python_ints_the_dtype_cannot_hold():
    x = tc.vector("x", dtype="int32")
    a = np.array([1, -5, 2**31 - 1], np.int32)
    got = tc.function([x], [tc.clip(x, 0, 2**31), x < 2**40, x == -2**63, x != 2**70, x >= -2**70,
                            2**40 > x, x > 5])(a)
    want = [np.clip(a, 0, 2**31), a < 2**40, a == -2**63, a != 2**70, a >= -2**70, 2**40 > a, a > 5]
    for g, w in zip(got, want):
        assert_close(g, w)
    with pytest.raises(OverflowError, match="out of bounds for int32"):
        tc.maximum(x, 2**40)


def test_mean_with_an_integer_dtype_and_axes_of_0d_values():
    x = tc.vector("x", dtype="int64")
    a = np.array([1, 2, 4])
    got = tc.function([x], [tc.mean(x, dtype=np.int64), x.mean(dtype=np.int32)])(a)
    assert_close(got[0], np.mean(a, dtype=np.int64))
    assert_close(got[1], np.mean(a, dtype=np.int32))
    s = tc.scalar("s", dtype="float64")
    for fn in (tc.mean, tc.var, tc.std):
        with pytest.raises(np.exceptions.AxisError):
            fn(s, axis=0)
    assert_close(tc.function([s], tc.sum(s, axis=0))(np.float64(2.0)), np.sum(np.float64(2.0), axis=0))


def test_clip_drops_only_bounds_beyond_the_dtype_on_their_own_side():
    # NumPy 2's _clip: a Python int bound at or beyond the dtype's limit on its side is dropped; any
    # other out-of-range int reaches the ufunc, which raises OverflowError (fuzzer seeds 1715, 1767).
    x = tc.vector("x", dtype="int32")
    y = tc.vector("y", dtype="int64")
    a = np.array([-5, 3, 7], np.int32)
    cases = [(-2**40, 5), (-2**63, 5), (-3, 2**40), (None, 2**40), (None, None), (2**31 - 1, None),
             (-2**31, -2**31)]
    got = tc.function([x], [tc.clip(x, lo, hi) for lo, hi in cases])(a)
    for g, (lo, hi) in zip(got, cases):
        assert_close(g, np.clip(a, lo, hi))
    with pytest.raises(OverflowError, match="out of bounds for int32"):
        x.clip(x, -2**63)
    with pytest.raises(OverflowError, match="out of bounds for int64"):
        tc.clip(y, 2**63, 2)
    assert_close(tc.function([y], tc.clip(y, -2**63 - 1, 2))(a.astype(np.int64)),
                 np.clip(a.astype(np.int64), -2**63 - 1, 2))


def test_where_casts_python_ints_as_numpy_does():
    # np.where reads a Python int as int64/uint64 and casts it to the result dtype without NumPy 2's
    # overflow check (fuzzer seeds 2068, 2160); ints beyond uint64 raise.
    b = tc.vector("b", dtype="bool")
    x = tc.vector("x", dtype="int32")
    bv, xv = np.array([True, False]), np.array([1, 2], np.int32)
    pairs = [(x, 2**40), (np.int32(1), 2**40), (False, 2**63), (2**63, 2**63), (1.5, 2**63),
             (np.float32(1), 2**63), (x, -2**40), (2, 3), (True, False)]
    got = tc.function([b, x], [tc.where(b, p, q) for p, q in pairs])(bv, xv)
    for g, (p, q) in zip(got, pairs):
        assert_close(g, np.where(bv, xv if p is x else p, q))
    with pytest.raises(OverflowError, match="too large"):
        tc.where(b, x, 2**64)
    # The result is an array (strong), whatever the operands: float32 - where(c, True, 0.1) is float64
    # (fuzzer seed 5520).
    f32 = tc.vector("f", dtype="float32")
    got = tc.function([b, f32], [f32 - tc.where(b, True, 0.1), f32 - tc.where(b, 1.5, 2**63)])(
        bv, np.ones(2, np.float32))
    want = [np.ones(2, np.float32) - np.where(bv, True, 0.1), np.ones(2, np.float32) - np.where(bv, 1.5, 2**63)]
    for g, w in zip(got, want):
        assert_close(g, w)


def test_bool_array_squared_is_np_square():
    # `arr ** 2` is np.square in NumPy (int8 for bool, which tensorc widens to int32); np.power is int64.
    x = tc.vector("x", dtype="float32")
    f = tc.function([x], [(x < 0) ** 2, tc.power(x < 0, 2), (x < 0) ** 3])
    a = np.array([-1, 2], np.float32)
    got = f(a)
    assert [g.dtype for g in got] == [np.int32, np.int64, np.int64]
    assert_close(got[0], (a < 0).astype(np.int32) ** 2)
    # A 0-d value computed in the graph is a NumPy scalar, and np.bool_ ** 2 is np.power's int64; a 0-d
    # input is an array and squares (fuzzer seed 2512).
    b = tc.scalar("b", dtype="bool")
    got = tc.function([x, b], [tc.any(x < 0) ** 2, (x < 0)[0] ** 2, b ** 2])(a, np.array(True))
    assert [g.dtype for g in got] == [np.int64, np.int64, np.int32]


def test_statically_empty_result_beside_a_guarded_one():
    # The guard's scf.if yielded a 0-element tensor; one-shot-bufferize then cast only one branch's
    # buffer and the IR did not verify (fuzzer seed 2001).
    a = tc.scalar("a", dtype="float64")
    b = tc.vector("b", dtype="int64")
    v = tc.broadcast_to(a, (2,) + b.shape)
    m = v @ v.T
    f = tc.function([a, b], [m, m[-7:-100, 1]])
    for n in (2, 1, 4):
        w = np.broadcast_to(np.float64(2), (2, n))
        got = f(np.float64(2), np.arange(n))
        assert_close(got[0], w @ w.T)
        assert_close(got[1], (w @ w.T)[-7:-100, 1])


def test_slice_of_a_slice_found_empty_after_lowering():
    # x[:, :-1:-3] has no columns whatever x's size; a slice of it with a start of 1 bufferized into a
    # subview that MLIR's verifier rejected (fuzzer seed 10190).
    a = tc.matrix("a")
    v = (a ** a)[:, :-1:-3]
    f = tc.function([a], [v[:, 1:2], a > 0.5])
    x = np.ones((2, 3), np.float32)
    got = f(x)
    assert_close(got[0], (x ** x)[:, :-1:-3][:, 1:2])
    assert_close(got[1], x > 0.5)


def test_slice_of_a_row_fused_reduction_tree_beside_a_size_check():
    # The slice of the reduction tree's scf.while result was yielded from the allocation-size check's
    # scf.if beside a tensor.empty placeholder; one-shot-bufferize left the placeholder's
    # memref<2xf64> uncast and the IR did not verify (fuzzer seed 15868).
    a = tc.matrix("a", dtype="float64")
    v1 = tc.reshape(tc.dot(a, a.T), (-1,))
    v3 = tc.broadcast_to(v1, (2,) + v1.shape)
    f = tc.function([a], (v3 @ tc.swapaxes(v3, -1, -2))[:, -1])
    for shape in [(2, 5), (1, 3), (40, 3), (0, 2)]:
        x = np.random.default_rng(0).standard_normal(shape)
        w = np.broadcast_to((x @ x.T).reshape(-1), (2, shape[0] ** 2))
        assert_close(f(x), (w @ w.T)[:, -1])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_clip_keeps_x_where_it_equals_a_bound(dtype):
    # With both bounds NumPy's clip loop keeps x where it equals a bound: clip(-0.0, 0.0, 1) is -0.0,
    # which maximum would make 0.0 (fuzzer seed 14259: `clip(b, 0.0, 2.5) ** -3` gave +inf, NumPy
    # -inf). NaN still wins, in x or in a bound; one bound alone is NumPy's maximum/minimum.
    x = tc.vector("x", dtype=dtype)
    specials = [-0.0, 0.0, np.nan, 1.0, -1.0, np.inf, -np.inf]
    data = np.array(specials, dtype)
    bounds = [(lo, hi) for lo in specials for hi in specials + [None]] + [(None, 0.0), (None, -0.0)]
    f = tc.function([x], [tc.clip(x, lo, hi) for lo, hi in bounds] + [tc.clip(x, 0.0, 2.5) ** -3])
    got = f(data)
    with np.errstate(all="ignore"):
        want = [np.clip(data, lo, hi) for lo, hi in bounds] + [np.clip(data, 0.0, 2.5) ** -3]
    for (lo, hi), g, w in zip(bounds + [("**", -3)], got, want):
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(g, w, err_msg=f"clip bounds {lo}, {hi}")
        if lo is not None and hi is not None:
            np.testing.assert_array_equal(np.signbit(g), np.signbit(w), err_msg=f"sign, bounds {lo}, {hi}")


def test_elementwise_producer_of_a_matmul_compiles_quickly():
    # softplus(log_softmax(b)) was fused into the matmul's inner loop (recomputed for every column),
    # and LLVM's loop vectorizer never finished on that loop (fuzzer seed 12135: a 90 s hang).
    result = run_isolated("""
        import numpy as np, tensorc as tc
        b = tc.tensor(dtype="float32", ndim=3, name="b")
        v2 = tc.softplus(tc.log_softmax(b, axis=-1))
        f = tc.function([b], v2 @ tc.swapaxes(tc.sum(v2, axis=0, keepdims=True), -1, -2))
        x = np.linspace(-3, 3, 18, dtype=np.float32).reshape(3, 2, 3)
        e = x - x.max(-1, keepdims=True)
        w2 = np.logaddexp(0, e - np.log(np.exp(e).sum(-1, keepdims=True)))
        want = w2 @ np.swapaxes(w2.sum(0, keepdims=True), -1, -2)
        assert np.allclose(f(x), want, rtol=1e-5), (f(x), want)
        print("ok")
    """, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]
