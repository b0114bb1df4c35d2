"""A corpus of bad and unusual inputs: each gets the right answer (NumPy 2's) or a clear exception.

"Clear" means TypeError / ValueError / IndexError / OverflowError (MemoryError for sizes that do not
fit in memory) whose message names the argument or the op; never a crash, never a silently wrong
value, and no input is ever written to. The corpus covers: wrong Python types for an array argument
(None, str, dict, object, lists), wrong and unsupported dtypes (uint8, int8, float16, complex, object,
datetime, str, byte-swapped), wrong ranks, shapes that do not broadcast or multiply (small and large,
which matters: a check that comes after the loop writes out of bounds), gathers out of range,
empty reductions, huge and overflowing sizes (`tc.zeros((n, n))` with n = 2**33 or 2**62, reshape
and broadcast_to to huge shapes, negative sizes), INT_MIN // -1 and % -1, division by zero,
integer powers with negative exponents, Python ints that do not fit, special float values through
every elementwise function and reduction, aliased inputs (the same array twice, overlapping views),
and odd layouts (Fortran order, negative strides, strided, 0-strided broadcast_to views, read-only,
unaligned, byte-swapped).

Cases marked `isolated` run in a subprocess (`python tests/soundness/test_bad_inputs.py CASE`), so that a crash
fails that case with its signal instead of killing pytest.
"""
from __future__ import annotations

import math
import os
import re
import signal
import subprocess
import sys
import traceback
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve()
TESTS = HERE.parents[1]  # tests/, where conftest.py is (a subprocess runs this file as a script)
sys.path.insert(0, str(TESTS))

import pytest  # noqa: E402
from conftest import requires_native  # noqa: E402

import tensorc as tc  # noqa: E402

CLEAR = (TypeError, ValueError, IndexError, OverflowError)
SIZE_ERRORS = (ValueError, OverflowError, MemoryError)

CASES: dict[str, tuple] = {}  # name -> (function, isolated)


def case(isolated=False):
    def register(fn):
        CASES[fn.__name__] = (fn, isolated)
        return fn
    return register


# ---- helpers -----------------------------------------------------------------------------------------

def snapshot(args):
    out = []
    for a in args:
        if isinstance(a, np.ndarray):
            base = a.base if isinstance(a.base, np.ndarray) else None
            out.append((a, a.copy(order="K"), None if base is None else base.copy()))
    return out


def assert_unchanged(snaps):
    for a, copy, base in snaps:
        assert a.tobytes() == copy.tobytes(), "an input was written to"
        if base is not None:
            assert a.base.tobytes() == base.tobytes(), "the buffer under an input view was written to"


def numpy_value(fn, *args):
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args)


def assert_matches(got, want, rtol=None, atol=None):
    """NumPy's dtype and shape; values equal (floats: within a tolerance, NaN == NaN, same infs)."""
    want = np.asarray(want)
    assert isinstance(got, np.ndarray), f"returned {type(got).__name__}, not an ndarray"
    assert got.dtype == want.dtype, f"dtype {got.dtype}, NumPy gives {want.dtype}"
    assert got.shape == want.shape, f"shape {got.shape}, NumPy gives {want.shape}"
    if want.dtype.kind == "f":
        if rtol is None:
            rtol, atol = (1e-4, 1e-6) if want.dtype == np.float32 else (1e-11, 1e-13)
        same_class = (np.isnan(got) == np.isnan(want)) & (np.isposinf(got) == np.isposinf(want)) & \
            (np.isneginf(got) == np.isneginf(want))
        finite = np.isfinite(want) & np.isfinite(got)
        with np.errstate(all="ignore"):
            close = np.abs(got.astype(np.float64) - want.astype(np.float64)) <= atol + rtol * np.abs(
                want.astype(np.float64))
        bad = ~same_class | (finite & ~close)
        if bad.any():
            idx = tuple(np.argwhere(bad)[0])
            raise AssertionError(f"{int(bad.sum())} of {want.size} values differ; first at {idx}: tensorc "
                                 f"{got[idx]!r}, NumPy {want[idx]!r}\n  tensorc {got!r}\n  NumPy   {want!r}")
    else:
        assert np.array_equal(got, want), f"tensorc {got!r}\nNumPy   {want!r}"


def assert_owns(outputs, inputs):
    outputs = outputs if isinstance(outputs, list) else [outputs]
    for i, o in enumerate(outputs):
        for a in inputs:
            if isinstance(a, np.ndarray) and o.size and a.size:
                assert not np.shares_memory(o, a), f"output {i} shares memory with an input"
        for j in range(i + 1, len(outputs)):
            if o.size and outputs[j].size:
                assert not np.shares_memory(o, outputs[j]), f"outputs {i} and {j} share memory"


def _assert_result(got, want, args):
    """got (one array, or a list for several outputs) matches NumPy's `want` and owns its memory."""
    if isinstance(want, (list, tuple)):
        assert isinstance(got, list) and len(got) == len(want)
        for g, w in zip(got, want):
            assert_matches(g, w)
    else:
        assert_matches(got, want)
    assert_owns(got, args)


def expect_value(f, args, reference):
    """f(*args) equals NumPy's reference(*args); the inputs are unchanged; the output owns its memory."""
    snaps = snapshot(args)
    want = numpy_value(reference, *args)
    got = f(*args)
    assert_unchanged(snaps)
    _assert_result(got, want, args)
    return got


def _assert_message(error, match):
    """The error's message matches every regex in `match` (a string or a sequence of them)."""
    message = str(error)
    for pattern in ([match] if isinstance(match, str) else match):
        assert re.search(pattern, message), f"message {message!r} does not match {pattern!r}"


def _call(f, args, errors, match):
    """(result, None), or (None, the error) when f(*args) raised one of `errors` with a message
    matching `match`; either way the inputs are unchanged."""
    snaps = snapshot(args)
    try:
        got = f(*args)
    except errors as e:
        _assert_message(e, match)
        assert_unchanged(snaps)
        return None, e
    assert_unchanged(snaps)
    return got, None


def expect_error(f, args, errors=CLEAR, match=()):
    """f(*args) raises one of `errors`, whose message matches every regex in `match`; inputs unchanged."""
    errors = errors if isinstance(errors, tuple) else (errors,)
    try:
        got, error = _call(f, args, errors, match)
    except AssertionError:
        raise
    except Exception as e:  # noqa: BLE001
        raise AssertionError(f"raised {type(e).__name__} ({e}), expected one of "
                             f"{[t.__name__ for t in errors]}") from None
    if error is None:
        raise AssertionError(f"returned {got!r:.300} instead of raising {[t.__name__ for t in errors]}")
    return error


def expect_value_or_error(f, args, reference, errors=(TypeError,), match=()):
    """Either the right answer or a clear error (for inputs tensorc may take or refuse)."""
    errors = errors if isinstance(errors, tuple) else (errors,)
    got, error = _call(f, args, errors, match)
    if error is not None:
        return
    want = numpy_value(reference, *args)
    _assert_result(got, want, args)


def matrix_fn(dtype="float32"):
    x = tc.matrix("x", dtype=dtype)
    return tc.function([x], x * 2 + 1)


# ---- wrong Python types ------------------------------------------------------------------------------

@case()
def none_for_a_matrix():
    expect_error(matrix_fn(), [None], TypeError, [r"'x'", r"\bNone(Type)?\b"])


@case()
def str_for_a_matrix():
    expect_error(matrix_fn(), ["abc"], TypeError, [r"'x'", r"\bstr\b"])


@case()
def dict_for_a_matrix():
    expect_error(matrix_fn(), [{"a": 1}], TypeError, [r"'x'", r"\bdict\b"])


@case()
def object_for_a_matrix():
    expect_error(matrix_fn(), [object()], TypeError, [r"'x'", r"\bobject\b"])


@case()
def list_of_python_floats_for_a_float32_matrix():
    # np.asarray makes a list of Python floats float64; the message must say so and how to pass float32
    e = expect_error(matrix_fn("float32"), [[[1.0, 2.0], [3.0, 4.0]]], TypeError, [r"'x'", r"float64", r"\blist\b"])
    assert re.search(r"(np\.asarray|np\.array)\(.*dtype=(np\.)?float32|\.astype\((np\.)?float32\)", str(e)), \
        f"the message does not say how to pass float32 data: {e}"


@case()
def list_of_python_floats_for_a_float64_matrix():
    expect_value_or_error(matrix_fn("float64"), [[[1.0, 2.0], [3.0, 4.0]]], lambda a: np.asarray(a) * 2 + 1,
                          TypeError, [r"'x'", r"\blist\b"])


@case()
def list_of_python_ints_for_an_int64_matrix():
    expect_value_or_error(matrix_fn("int64"), [[[1, 2], [3, 4]]], lambda a: np.asarray(a) * 2 + 1,
                          TypeError, [r"'x'", r"\blist\b"])


@case()
def ragged_list_for_a_matrix():
    expect_error(matrix_fn("float64"), [[[1.0], [2.0, 3.0]]], (TypeError, ValueError), r"'x'")


@case()
def tuple_and_nested_arrays_for_a_matrix():
    expect_error(matrix_fn(), [(np.ones(2, np.float32), np.ones(3, np.float32))], (TypeError, ValueError), r"'x'")


@case()
def symbolic_value_for_a_matrix():
    expect_error(matrix_fn(), [tc.matrix("y")], TypeError, r"'x'")


@case()
def python_scalars_for_a_0d_input():
    n = tc.scalar("n", dtype="int32")
    f = tc.function([n], n * 3)
    assert_matches(f(7), np.int32(21))
    expect_error(f, [2.5], TypeError, [r"'n'", r"float"])
    expect_error(f, [2**40], (OverflowError, TypeError, ValueError), r"'n'")
    expect_error(f, [None], TypeError, [r"'n'", r"\bNone(Type)?\b"])
    expect_error(f, ["7"], TypeError, [r"'n'", r"\bstr\b"])


@case()
def wrong_python_types_for_a_traced_function():
    @tc.compile
    def g(a):
        return np.exp(a) * 2

    for bad, name in (("abc", "str"), ({"a": 1}, "dict"), (object(), "object"), (b"xy", "bytes")):
        expect_error(g, [bad], TypeError, [r"'a'", name])
    # a list of floats is an ordinary float64 array here (nothing to downcast)
    expect_value(g, [[1.0, 2.0]], lambda a: np.exp(np.asarray(a)) * 2)


# ---- dtypes -------------------------------------------------------------------------------------------

LOSSLESS_TO_FLOAT32 = ["uint8", "int8", "int16", "uint16", "float16"]
NEVER = ["complex64", "complex128", "datetime64[ns]", "timedelta64[s]", "<U3", "|S3"]


def _array(dtype, shape=(2, 3)):
    dt = np.dtype(dtype)
    if dt.kind in "US":
        return np.full(shape, "ab", dtype=dt)
    if dt.kind in "mM":
        return np.zeros(shape, dtype=dt)
    return np.arange(int(np.prod(shape))).reshape(shape).astype(dt)


@case()
def small_int_and_float16_arrays_for_a_float32_matrix():
    f = matrix_fn("float32")
    for dt in LOSSLESS_TO_FLOAT32:
        a = _array(dt)
        expect_value_or_error(f, [a], lambda v: v.astype(np.float32) * 2 + 1, TypeError, [r"'x'", re.escape(str(a.dtype))])


@case()
def unrepresentable_dtypes_are_refused():
    for target in ("float32", "float64", "int64"):
        f = matrix_fn(target)
        for dt in NEVER:
            a = _array(dt)
            expect_error(f, [a], TypeError, r"'x'")


@case()
def object_arrays_are_refused_or_converted():
    f = matrix_fn("float64")
    a = np.array([[1.0, 2.0], [3.0, None]], dtype=object)
    expect_error(f, [a], (TypeError, ValueError), r"'x'")
    b = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=object)
    expect_value_or_error(f, [b], lambda v: v.astype(np.float64) * 2 + 1, TypeError, r"'x'")


@case()
def downcasts_are_refused():
    expect_error(matrix_fn("float32"), [np.ones((2, 2))], TypeError, [r"'x'", r"float64"])
    expect_error(matrix_fn("int32"), [np.ones((2, 2), np.int64)], TypeError, [r"'x'", r"int64"])
    expect_error(matrix_fn("int64"), [np.ones((2, 2), np.float64)], TypeError, [r"'x'", r"float64"])
    expect_error(matrix_fn("bool"), [np.ones((2, 2), np.int32)], TypeError, [r"'x'", r"int32"])


@case()
def upcasts_are_right_or_refused():
    expect_value_or_error(matrix_fn("int64"), [np.arange(4, dtype=np.int32).reshape(2, 2)],
                          lambda v: v.astype(np.int64) * 2 + 1, TypeError, r"'x'")
    expect_value_or_error(matrix_fn("float64"), [np.ones((2, 2), np.float32)],
                          lambda v: v.astype(np.float64) * 2 + 1, TypeError, r"'x'")


@case()
def unsupported_dtypes_for_a_traced_function():
    @tc.compile
    def g(a):
        return a + 1

    for dt in LOSSLESS_TO_FLOAT32 + ["uint32", "uint64"] + NEVER + ["object"]:
        expect_error(g, [_array(dt)], TypeError, [r"'a'"])


@case()
def unsupported_dtypes_for_symbolic_inputs_and_constants():
    for dt in ("float16", "uint8", "complex64", "object", "int8"):
        with pytest.raises(TypeError, match=r"does not support|not a dtype"):
            tc.matrix("x", dtype=dt)
        with pytest.raises(TypeError, match=r"does not support"):
            tc.constant(_array(dt if dt != "object" else "complex128"))


# ---- ranks --------------------------------------------------------------------------------------------

@case()
def wrong_ranks_name_the_argument():
    f = matrix_fn("float64")
    for shape in ((), (3,), (2, 2, 2), (1, 1, 1, 1)):
        expect_error(f, [np.ones(shape)], TypeError, [r"'x'", r"2-d", rf"{len(shape)}-d"])
    expect_error(f, [np.float64(1.0)], TypeError, r"'x'")


# ---- shapes that do not fit (compiled checks must come before any memory access) ------------------

def _binary(op, xs_ndim, ys_ndim, dtype="float64"):
    x = tc.tensor(dtype=dtype, ndim=xs_ndim, name="x")
    y = tc.tensor(dtype=dtype, ndim=ys_ndim, name="y")
    return tc.function([x, y], op(x, y))


MISMATCHES = [((2, 4), (3,)), ((4, 4), (3,)), ((2, 4, 4), (2, 4)), ((1000, 1000), (3,)), ((3, 1000), (999,)),
              ((64, 64, 8), (63, 8)), ((5, 0), (3,))]


@case(isolated=True)
def elementwise_mismatch_raises_value_error():
    for op, name in ((lambda a, b: a * b, "mul"), (lambda a, b: a + b, "add"),
                     (lambda a, b: tc.maximum(a, b), "max")):
        for xs, ys in MISMATCHES:
            f = _binary(op, len(xs), len(ys))
            expect_error(f, [np.ones(xs), np.ones(ys)], ValueError, rf"tensorc\.{name}")
    # and the function still works afterwards
    f = _binary(lambda a, b: a * b, 2, 1)
    expect_value(f, [np.ones((1000, 3)), np.full(3, 2.0)], lambda a, b: a * b)


@case(isolated=True)
def elementwise_mismatch_of_computed_values_raises():
    x = tc.tensor(dtype="float64", ndim=3, name="x")
    for y, what in ((x[:, 0], "slice"), (x.sum(axis=1), "sum"), (tc.exp(x[:, 0]), "exp")):
        f = tc.function([x], [x * y])
        expect_error(f, [np.ones((2, 4, 4))], ValueError, r"tensorc\.mul")
        expect_error(f, [np.ones((3, 5, 5))], ValueError, r"tensorc\.mul")


@case(isolated=True)
def matmul_mismatch_raises_value_error():
    for xs, ys in (((3, 4), (5, 6)), ((2, 3, 4), (3, 4, 5)), ((4,), (5,)), ((300, 400), (500,)),
                   ((2, 3, 4), (2, 5, 6))):
        f = _binary(lambda a, b: a @ b, len(xs), len(ys))
        expect_error(f, [np.ones(xs), np.ones(ys)], ValueError, r"tensorc\.matmul")


@case(isolated=True)
def concatenate_reshape_broadcast_squeeze_mismatches():
    x = tc.matrix("x", dtype="float64")
    y = tc.matrix("y", dtype="float64")
    f = tc.function([x, y], tc.concatenate([x, y], axis=0))
    expect_error(f, [np.ones((2, 3)), np.ones((2, 4))], ValueError, r"concatenate")
    expect_error(f, [np.ones((200, 300)), np.ones((2, 400))], ValueError, r"concatenate")
    g = tc.function([x], x.reshape((x.shape[0], 5)))
    expect_error(g, [np.ones((2, 3))], ValueError, r"reshape")
    h = tc.function([x, y], tc.broadcast_to(x, (y.shape[0], 3)))
    expect_error(h, [np.ones((2, 4)), np.ones((5, 1))], ValueError, r"broadcast")
    s = tc.function([x], x.squeeze(0))
    expect_error(s, [np.ones((3, 2))], ValueError, r"squeeze")
    w = tc.function([x, y], tc.where(x > 0, x, y))
    expect_error(w, [np.ones((3, 2)), np.ones((4, 2))], ValueError, r"select|where")


@case(isolated=True)
def gathers_out_of_range_raise_index_error():
    p = tc.matrix("p", dtype="float64")
    i = tc.vector("i", dtype="int64")
    f = tc.function([p, i], p[i])
    for bad in ([3], [-4], [2**62], [-2**63], [0, 1, 100000]):
        expect_error(f, [np.ones((3, 2)), np.array(bad, np.int64)], IndexError, r"tensorc\.gather|index")
    g = tc.function([p, i], p[tc.arange(p.shape[0]), i])
    expect_error(g, [np.ones((2, 3)), np.array([0, 3])], IndexError)
    expect_error(g, [np.ones((2, 3)), np.array([0, 1, 2])], (IndexError, ValueError))
    h = tc.function([p], p[5])
    expect_error(h, [np.ones((2, 3))], IndexError)
    expect_error(h, [np.ones((0, 3))], IndexError)


@case(isolated=True)
def empty_reductions():
    x = tc.matrix("x", dtype="float64")
    for fn, axis in ((tc.max, 0), (tc.max, 1), (tc.min, None), (tc.argmax, 0), (tc.argmax, 1), (tc.argmin, None)):
        f = tc.function([x], fn(x, axis=axis))
        for shape in ((0, 3), (1, 0), (0, 1), (0, 0)):  # size-1 dimensions are specialized
            ref = (lambda a, fn=fn, axis=axis: getattr(np, fn.__name__)(a, axis=axis))
            try:
                want = numpy_value(ref, np.ones(shape))
            except ValueError:
                expect_error(f, [np.ones(shape)], ValueError)
            else:
                expect_value(f, [np.ones(shape)], ref)
                assert want is not None
    for fn in (tc.sum, tc.prod, tc.mean, tc.any, tc.all):
        f = tc.function([x], fn(x, axis=0))
        for shape in ((0, 3), (3, 0), (1, 0), (0, 1)):
            expect_value(f, [np.ones(shape)], lambda a, fn=fn: getattr(np, fn.__name__)(a, axis=0))


# ---- huge and overflowing sizes -----------------------------------------------------------------------

@case(isolated=True)
def zeros_of_huge_sizes():
    n = tc.scalar("n", dtype="int64")
    f = tc.function([n], tc.zeros((n, n), dtype="float32"))
    expect_error(f, [-1], ValueError, r"negative")
    for size in (2**33, 2**32 + 1):  # 2**66 and 2**64 + ... bytes: no allocator gives that
        expect_error(f, [size], SIZE_ERRORS)
    assert_matches(f(3), np.zeros((3, 3), np.float32))


@case(isolated=True)
def zeros_of_overflowing_sizes():
    n = tc.scalar("n", dtype="int64")
    f = tc.function([n], tc.zeros((n, n), dtype="float32"))
    for size in (2**62, 2**32):  # n * n wraps around to 0 in 64 bits
        expect_error(f, [size], SIZE_ERRORS)


@case(isolated=True)
def static_huge_sizes():
    x = tc.vector("x", dtype="float32")
    for shape in ((2**33, 2**33), (2**62, 4), (2**40,)):
        try:
            f = tc.function([x], tc.zeros(shape, dtype="float32") + x[:1])
        except SIZE_ERRORS:
            continue
        expect_error(f, [np.ones(3, np.float32)], SIZE_ERRORS)


@case(isolated=True)
def reshape_broadcast_arange_to_huge_sizes():
    x = tc.vector("x", dtype="float64")
    n = tc.scalar("n", dtype="int64")
    f = tc.function([x, n], x.reshape((n, -1)))
    for size in (2**40, 2**62, -2):
        expect_error(f, [np.ones(6), size], SIZE_ERRORS)
    g = tc.function([x, n], tc.broadcast_to(x, (n, n, x.shape[0])))
    for size in (2**33, 2**62):
        expect_error(g, [np.ones(2), size], SIZE_ERRORS)
    h = tc.function([n], tc.arange(n))
    expect_error(h, [2**62], SIZE_ERRORS)
    assert_matches(h(-3), np.arange(-3))
    k = tc.function([x], x.reshape((2**40, -1)))
    expect_error(k, [np.ones(6)], ValueError, r"reshape")


@case(isolated=True)
def reshape_with_minus_one_of_empty_is_ambiguous():
    x = tc.vector("x", dtype="float64")
    for shape in ((-1, 0), (0, -1)):
        # The other sizes are known to multiply to 0, so every array fails: at trace time, as in NumPy.
        with pytest.raises(ValueError, match="reshape"):
            x.reshape(shape)
    n = tc.scalar("n", dtype="int64")
    f = tc.function([x, n], x.reshape((-1, n)))  # known only at run time
    expect_error(f, [np.ones(0), np.int64(0)], ValueError, r"reshape")
    expect_value(f, [np.ones(6), np.int64(3)], lambda a, k: a.reshape((-1, k)))


# ---- integer edge cases -------------------------------------------------------------------------------

@case(isolated=True)
def int_min_floor_divide_and_mod_by_minus_one():
    for dt in (np.int32, np.int64):
        lo = np.iinfo(dt).min
        x = tc.vector("x", dtype=np.dtype(dt).name)
        y = tc.vector("y", dtype=np.dtype(dt).name)
        data = np.array([lo, lo + 1, -1, 0, 7, np.iinfo(dt).max], dt)
        expect_value(tc.function([x], x // -1), [data], lambda a: a // -1)
        expect_value(tc.function([x], x % -1), [data], lambda a: a % -1)
        expect_value(tc.function([x, y], [x // y, x % y]), [data, np.full(6, -1, dt)], lambda a, b: [a // b, a % b])


@case(isolated=True)
def integer_division_by_zero_follows_numpy():
    for dt in (np.int32, np.int64):
        x = tc.vector("x", dtype=np.dtype(dt).name)
        y = tc.vector("y", dtype=np.dtype(dt).name)
        data = np.array([np.iinfo(dt).min, -5, 0, 5, np.iinfo(dt).max], dt)
        f = tc.function([x, y], [x // y, x % y])
        expect_value(f, [data, np.zeros(5, dt)], lambda a, b: [a // b, a % b])
        expect_value(tc.function([x], [x // 0, x % 0]), [data], lambda a: [a // 0, a % 0])


@case(isolated=True)
def int_min_negation_and_abs_wrap():
    for dt in (np.int32, np.int64):
        x = tc.vector("x", dtype=np.dtype(dt).name)
        data = np.array([np.iinfo(dt).min, -1, 0, np.iinfo(dt).max], dt)
        expect_value(tc.function([x], [-x, abs(x), x * -1, tc.sign(x)]), [data],
                     lambda a: [-a, np.abs(a), a * -1, np.sign(a)])


@case(isolated=True)
def integer_power_with_negative_exponent_raises():
    x = tc.vector("x", dtype="int64")
    y = tc.vector("y", dtype="int64")
    with pytest.raises(ValueError, match="negative"):  # a constant exponent: at trace time
        x ** -1
    expect_error(tc.function([x, y], x ** y), [np.array([1, 2, 3]), np.array([2, -1, 0])], ValueError, r"negative")
    expect_value(tc.function([x, y], x ** y), [np.array([2, 3, -2]), np.array([62, 0, 63])], lambda a, b: a ** b)


@case()
def python_ints_that_do_not_fit_the_array_dtype():
    x = tc.vector("x", dtype="int32")
    with pytest.raises(OverflowError):
        x + 2**31
    with pytest.raises(OverflowError):
        x + (-2**31 - 1)
    f = tc.function([x], x + (2**31 - 1))
    expect_value(f, [np.array([0, 1], np.int32)], lambda a: a + (2**31 - 1))


@case()
def huge_python_ints_with_float_arrays():
    # NumPy 2 turns a Python int into the float array's dtype, whatever its size
    x = tc.vector("x", dtype="float32")
    big = 2**64
    f = tc.function([x], [x > big, x + 2**63, x * -2**70])
    expect_value(f, [np.array([1.0, 3e38, np.inf], np.float32)], lambda a: [a > big, a + 2**63, a * -2**70])


# ---- special float values ----------------------------------------------------------------------------

SPECIAL = {
    np.float32: [np.inf, -np.inf, np.nan, -0.0, 0.0, 1e-45, -1e-45, 1e-40, 1.1754944e-38, 3.4028235e38,
                 -3.4028235e38, 1e30, -1e30, 1e10, 88.7, 89.0, -103.9, -104.0, 0.5, -0.5, 1.0, -1.0, 2.5],
    np.float64: [np.inf, -np.inf, np.nan, -0.0, 0.0, 5e-324, -5e-324, 1e-310, 2.2250738585072014e-308,
                 1.7976931348623157e308, -1.7976931348623157e308, 1e300, -1e300, 1e22, 709.7, 710.0, -745.1, -746.0,
                 0.5, -0.5, 1.0, -1.0, 2.5],
}

UNARY = ["exp", "log", "log1p", "expm1", "sqrt", "tanh", "sin", "cos", "floor", "ceil", "sign", "abs", "negative",
         "square"]
BINARY = ["add", "subtract", "multiply", "true_divide", "floor_divide", "remainder", "power", "maximum", "minimum",
          "logaddexp", "greater", "equal"]


def _special_failures(dt):
    values = np.array(SPECIAL[dt], dt)
    x = tc.vector("x", dtype=np.dtype(dt).name)
    y = tc.vector("y", dtype=np.dtype(dt).name)
    a, b = np.repeat(values, len(values)), np.tile(values, len(values))
    failures = []

    def check(name, f, args, ref):
        try:
            expect_value(f, args, ref)
        except AssertionError as e:
            failures.append(f"{name}: {str(e).splitlines()[0]}")
        except Exception as e:  # noqa: BLE001
            failures.append(f"{name}: raised {type(e).__name__}: {e}")

    for name in UNARY:
        fn = getattr(tc, "mod" if name == "remainder" else name)
        check(name, tc.function([x], fn(x)), [values], getattr(np, name))
    for name in BINARY:
        fn = getattr(tc, "mod" if name == "remainder" else name)
        check(name, tc.function([x, y], fn(x, y)), [a, b], getattr(np, name))
    m = tc.matrix("m", dtype=np.dtype(dt).name)
    rows = np.array([[np.inf, 1, 2], [-np.inf, 1, 2], [np.nan, 1, 2], [np.inf, -np.inf, 0], [-np.inf, -np.inf, -np.inf],
                     [np.inf, np.inf, 1], [1e30, -1e30, 0], [3.4e38, 3.4e38, 0], [-0.0, 0.0, -0.0]], dt)
    npref = _npref()
    for name, ref in (("softmax", npref.softmax), ("log_softmax", npref.log_softmax),
                      ("logsumexp", lambda v, axis: npref.logsumexp(v, axis=axis))):
        check(name, tc.function([m], getattr(tc, name)(m, axis=1)), [rows], lambda v, ref=ref: ref(v, axis=1))
    for name in ("sum", "prod", "mean", "max", "min", "argmax", "argmin", "var", "std"):
        check(name, tc.function([m], getattr(tc, name)(m, axis=1)), [rows], lambda v, name=name: getattr(np, name)(v, axis=1))
    return failures


def _npref():
    # tests/fuzz/npref.py: NumPy versions of softmax & co (loaded by path: tests/ is not a package)
    import importlib.util
    spec = importlib.util.spec_from_file_location("tests_fuzz_npref", TESTS / "fuzz" / "npref.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules["tests_fuzz_npref"] = module
    return module


@case(isolated=True)
def special_values_float32():
    _npref()
    failures = _special_failures(np.float32)
    assert not failures, "\n".join(failures)


@case(isolated=True)
def special_values_float64():
    _npref()
    failures = _special_failures(np.float64)
    assert not failures, "\n".join(failures)


# ---- aliased inputs -----------------------------------------------------------------------------------

@case()
def the_same_array_passed_twice():
    x = tc.matrix("x", dtype="float64")
    y = tc.matrix("y", dtype="float64")
    a = np.arange(9.0).reshape(3, 3)
    expect_value(tc.function([x, y], [x + y, x @ y, x - y.T]), [a, a], lambda p, q: [p + q, p @ q, p - q.T])


@case()
def overlapping_views_as_inputs():
    x = tc.matrix("x", dtype="float64")
    y = tc.matrix("y", dtype="float64")
    base = np.arange(20.0).reshape(4, 5)
    expect_value(tc.function([x, y], x * y + 1), [base[:, :3], base[:, 1:4]], lambda p, q: p * q + 1)


@case()
def an_input_returned_as_an_output_is_a_copy():
    x = tc.matrix("x", dtype="float32")
    f = tc.function([x], [x, x.reshape(-1), x.T, x[::-1]])
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    got = expect_value(f, [a], lambda p: [p, p.reshape(-1), p.T, p[::-1]])
    for g in got:
        g[...] = 99
    assert np.array_equal(a, np.arange(6, dtype=np.float32).reshape(2, 3)), "writing an output changed the input"


@case()
def duplicated_outputs_are_separate_arrays():
    x = tc.vector("x", dtype="float64")
    y = x * 2
    f = tc.function([x], [y, y, x * 2])
    got = expect_value(f, [np.arange(3.0)], lambda a: [a * 2, a * 2, a * 2])
    got[0][...] = -1
    assert np.array_equal(got[1], [0, 2, 4]) and np.array_equal(got[2], [0, 2, 4]), \
        "writing one output changed another"


# ---- layouts ------------------------------------------------------------------------------------------

def _layouts(a):
    big = np.zeros((a.shape[0] * 2, a.shape[1] * 3), a.dtype)
    big[::2, ::3] = a
    buf = np.zeros(a.nbytes + 1, np.uint8)
    unaligned = np.frombuffer(buf.data, dtype=a.dtype, count=a.size, offset=1).reshape(a.shape)
    unaligned[...] = a
    readonly = a.copy()
    readonly.flags.writeable = False
    swapped = a.astype(a.dtype.newbyteorder(">"))
    return {
        "fortran": np.asfortranarray(a), "negative strides": np.ascontiguousarray(a[::-1, ::-1])[::-1, ::-1],
        "strided view": big[::2, ::3], "transposed view": np.ascontiguousarray(a.T).T, "read-only": readonly,
        "unaligned": unaligned, "byte-swapped": swapped,
        "0-strided broadcast_to": np.broadcast_to(a[:1], a.shape), "row broadcast": np.broadcast_to(a[:, :1], a.shape),
    }


def _native(v):
    return v.astype(v.dtype.newbyteorder("="))


def _reference(v):
    return [v * 2 + 1, v.sum(axis=0), v.T @ v, v[::-1, 1:]]


@case()
def odd_layouts_give_the_right_answer():
    for dt in ("float32", "float64", "int32", "int64"):
        x = tc.matrix("x", dtype=dt)
        f = tc.function([x], [x * 2 + 1, x.sum(axis=0), x.T @ x, x[::-1, 1:]])
        a = (np.arange(12).reshape(3, 4) - 5).astype(dt)
        for name, arr in _layouts(a).items():
            try:
                expect_value_or_error(f, [arr], lambda v: _reference(_native(v)), TypeError, r"'x'")
            except AssertionError as e:
                raise AssertionError(f"{dt} {name}: {e}") from None


@case()
def odd_layouts_through_a_traced_function():
    @tc.compile
    def g(a, b):
        return np.tanh(a @ b).sum(axis=0)

    a = np.linspace(-1, 1, 12).reshape(3, 4)
    b = np.linspace(0, 2, 20).reshape(4, 5)
    for name, arr in _layouts(a).items():
        for bname, barr in (("C", b), ("fortran", np.asfortranarray(b)),
                            ("negative strides", np.ascontiguousarray(b[::-1])[::-1])):
            try:
                expect_value_or_error(g, [arr, barr], lambda p, q: np.tanh(_native(p) @ q).sum(axis=0), TypeError,
                                      r"'a'")
            except AssertionError as e:
                raise AssertionError(f"{name} / {bname}: {e}") from None


@case()
def zero_size_and_0d_views():
    x = tc.tensor(dtype="float64", ndim=0, name="x")
    y = tc.matrix("y", dtype="float64")
    f = tc.function([x, y], [x + y, y.sum()])
    base = np.arange(6.0).reshape(2, 3)
    expect_value(f, [base[1, 2, ...], base[:, :0]], lambda p, q: [p + q, q.sum()])
    expect_value(f, [np.float64(3.0), base[::-1, ::2]], lambda p, q: [p + q, q.sum()])


# ---- running the cases --------------------------------------------------------------------------------

def _run_isolated(name, timeout=60):
    env = dict(os.environ)
    try:
        proc = subprocess.run([sys.executable, str(HERE), name], capture_output=True, text=True, timeout=timeout,
                              env=env, cwd=str(TESTS.parent))
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        raise AssertionError(f"case {name} hung: no result after {timeout} s\n{out[-2000:]}") from None
    if proc.returncode == 0 and "CASE PASSED" in proc.stdout:
        return
    if proc.returncode < 0:
        sig = signal.Signals(-proc.returncode).name
        when = "after its checks passed, at interpreter exit" if "CASE PASSED" in proc.stdout else "while running"
        raise AssertionError(f"case {name} crashed the process ({sig}) {when}; stdout:\n{proc.stdout[-2000:]}\n"
                             f"stderr ends with:\n{proc.stderr[-3000:]}")
    raise AssertionError(f"case {name} failed (rc {proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-3000:]}")


@requires_native
@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(name):
    fn, isolated = CASES[name]
    if isolated:
        _run_isolated(name)
    else:
        fn()


def _main(name):
    fn, _ = CASES[name]
    try:
        fn()
    except AssertionError:
        traceback.print_exc(file=sys.stdout)
        sys.stdout.flush()
        sys.exit(1)
    print("CASE PASSED", flush=True)
    # a normal exit: memory corrupted by the case (an out-of-bounds write before a size check) often
    # aborts only in free() at interpreter exit, and that must fail the case too


if __name__ == "__main__":
    _main(sys.argv[1])
