"""Elementwise ops, compiled and run, against NumPy: every op for float32 and float64 (and integer
and bool dtypes where NumPy defines it), broadcasting, promotion, dynamic and size-0/size-1 shapes."""
import math

import numpy as np
import pytest
from conftest import FLOATS, INTS, assert_close, rand, requires_native

import tensorc as tc

pytestmark = requires_native

_erf = np.vectorize(math.erf, otypes=[np.float64])

# name: (tensorc function, NumPy reference, input range, transcendental: looser float32 tolerance)
UNARY = {
    "exp": (tc.exp, np.exp, (-5, 5), True),
    "log": (tc.log, np.log, (0.01, 10), True),
    "log1p": (tc.log1p, np.log1p, (-0.9, 10), True),
    "expm1": (tc.expm1, np.expm1, (-3, 3), True),
    "sqrt": (tc.sqrt, np.sqrt, (0, 10), False),
    "tanh": (tc.tanh, np.tanh, (-5, 5), True),
    "sigmoid": (tc.sigmoid, lambda x: 1 / (1 + np.exp(-x)), (-8, 8), True),
    "softplus": (tc.softplus, lambda x: np.logaddexp(x.dtype.type(0), x), (-8, 8), True),
    "sin": (tc.sin, np.sin, (-6, 6), True),
    "cos": (tc.cos, np.cos, (-6, 6), True),
    "erf": (tc.erf, lambda x: _erf(x).astype(x.dtype), (-3, 3), True),
    "floor": (tc.floor, np.floor, (-5, 5), False),
    "ceil": (tc.ceil, np.ceil, (-5, 5), False),
    "negative": (tc.negative, np.negative, (-5, 5), False),
    "abs": (tc.abs, np.abs, (-5, 5), False),
    "sign": (tc.sign, np.sign, (-2, 2), False),
    "square": (tc.square, np.square, (-5, 5), False),
    "reciprocal": (tc.reciprocal, np.reciprocal, (0.5, 5), False),
}


def test_reciprocal_special_values_and_ints():
    x = tc.vector("x", np.float32)
    f = tc.function([x], np.reciprocal(x))
    data = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-40, 3.0], np.float32)
    with np.errstate(divide="ignore", over="ignore"):
        np.testing.assert_array_equal(f(data), np.reciprocal(data))
    with pytest.raises(TypeError, match="reciprocal: only float"):
        tc.reciprocal(tc.vector("i", "int32"))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_float(name, dtype):
    fn, ref, (low, high), loose = UNARY[name]
    x = tc.vector("x", dtype)
    f = tc.function([x], fn(x))
    for n in (37, 0, 1000):  # one compiled function, several lengths
        data = rand(n, dtype, low, high, seed=n)
        if name == "sign":
            data[:3] = 0
        assert_close(f(data), ref(data), loose)


@pytest.mark.parametrize("dtype", INTS)
def test_unary_int(dtype):
    x = tc.vector("x", dtype)
    f = tc.function([x], [-x, abs(x), tc.sign(x), tc.square(x), ~x, tc.floor(x), tc.sqrt(x * x)])
    data = rand(25, dtype, -9, 9)
    expected = [-data, np.abs(data), np.sign(data), np.square(data), ~data, np.floor(data), np.sqrt(data * data)]
    for got, want in zip(f(data), expected):
        assert_close(got, want)


def test_unary_bool():
    b = tc.vector("b", "bool")
    f = tc.function([b], [~b, tc.logical_not(b), abs(b), tc.exp(b)])
    data = rand(9, np.bool_)
    got = f(data)
    assert_close(got[0], ~data)
    assert_close(got[1], np.logical_not(data))
    assert_close(got[2], np.abs(data))
    assert_close(got[3], np.exp(data.astype(np.float32)))  # NumPy's float16 result is float32 here


# name: (tensorc function, NumPy reference, input ranges)
BINARY = {
    "add": (tc.add, np.add), "subtract": (tc.subtract, np.subtract), "multiply": (tc.multiply, np.multiply),
    "true_divide": (tc.true_divide, np.true_divide), "floor_divide": (tc.floor_divide, np.floor_divide),
    "mod": (tc.mod, np.mod), "power": (tc.power, np.power), "maximum": (tc.maximum, np.maximum),
    "minimum": (tc.minimum, np.minimum),
}


def _binary_data(name, dtype, n, seed):
    a = rand(n, dtype, -9, 9, seed=seed)
    b = rand(n, dtype, -9, 9, seed=seed + 1)
    if name in ("floor_divide", "mod", "true_divide"):
        b[b == 0] = 3  # NumPy warns on division by zero; the dialect defines integer x // 0 as 0
    if name == "power":
        a = rand(n, dtype, 0.5, 3, seed=seed) if np.dtype(dtype).kind == "f" else np.abs(a) % 4
        b = np.abs(b) % 5
    return a, b


@pytest.mark.parametrize("dtype", FLOATS + INTS)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary(name, dtype):
    fn, ref = BINARY[name]
    x, y = tc.vector("x", dtype), tc.vector("y", dtype)
    f = tc.function([x, y], fn(x, y))
    for n in (33, 0):
        a, b = _binary_data(name, dtype, n, seed=n)
        assert_close(f(a, b), ref(a, b), loose=name == "power")


def test_floor_divide_and_mod_take_the_divisors_sign():
    x, y = tc.vector("x", "int64"), tc.vector("y", "int64")
    fx, fy = tc.vector("fx", "float64"), tc.vector("fy", "float64")
    f = tc.function([x, y, fx, fy], [x // y, x % y, fx // fy, fx % fy])
    a = np.array([7, -7, 7, -7, 0, 5])
    b = np.array([2, 2, -2, -2, 3, 5])
    got = f(a, b, a.astype(float) + 0.5, b.astype(float))
    assert_close(got[0], a // b)
    assert_close(got[1], a % b)
    assert_close(got[2], (a + 0.5) // b)
    assert_close(got[3], (a + 0.5) % b)


@pytest.mark.parametrize("dtype", FLOATS + INTS + [np.bool_])
def test_comparisons(dtype):
    x, y = tc.vector("x", dtype), tc.vector("y", dtype)
    f = tc.function([x, y], [x == y, x != y, x < y, x <= y, x > y, x >= y])
    a = rand(40, dtype, -2, 2, seed=1)
    b = rand(40, dtype, -2, 2, seed=2)
    b[:10] = a[:10]
    for got, op in zip(f(a, b), (np.equal, np.not_equal, np.less, np.less_equal, np.greater, np.greater_equal)):
        assert_close(got, op(a, b))


def test_nan_handling():
    x, y = tc.vector("x", "float64"), tc.vector("y", "float64")
    f = tc.function([x, y], [tc.maximum(x, y), tc.minimum(x, y), x == y, x != y, x < y])
    a = np.array([np.nan, 1.0, np.nan, -np.inf])
    b = np.array([1.0, np.nan, np.nan, np.inf])
    for got, op in zip(f(a, b), (np.maximum, np.minimum, np.equal, np.not_equal, np.less)):
        assert_close(got, op(a, b))


def test_logical_and_bitwise():
    p, q = tc.vector("p", "bool"), tc.vector("q", "bool")
    i, j = tc.vector("i", "int32"), tc.vector("j", "int32")
    f = tc.function([p, q, i, j], [p & q, p | q, p ^ q, tc.logical_and(i, j), tc.logical_or(p, i),
                                   tc.logical_xor(i, q), i & j, i | j, i ^ j, p + q, p * q,
                                   tc.maximum(p, q), tc.minimum(p, q)])
    a, b = rand(30, np.bool_, seed=1), rand(30, np.bool_, seed=2)
    c, d = rand(30, np.int32, -3, 3, seed=3), rand(30, np.int32, -3, 3, seed=4)
    expected = [a & b, a | b, a ^ b, np.logical_and(c, d), np.logical_or(a, c), np.logical_xor(c, b),
                c & d, c | d, c ^ d, a + b, a * b, np.maximum(a, b), np.minimum(a, b)]
    for got, want in zip(f(a, b, c, d), expected):
        assert_close(got, want)


def test_mixed_dtypes_promote_like_numpy():
    i32, f32 = tc.vector("i", "int32"), tc.vector("f", "float32")
    i64, b = tc.vector("l", "int64"), tc.vector("b", "bool")
    f = tc.function([i32, f32, i64, b], [i32 + f32, i32 / 2, i32 * 2.5, f32 * 2, i32 + i64, b + i32,
                                         f32 ** 2, i32 // 2, 1 - f32, 2 ** i32])
    a = np.abs(rand(11, np.int32, 0, 5, seed=1))
    c = rand(11, np.float32, seed=2)
    d = rand(11, np.int64, seed=3)
    e = rand(11, np.bool_, seed=4)
    expected = [a + c, a / 2, a * 2.5, c * 2, a + d, e + a, c ** 2, a // 2, 1 - c, 2 ** a]
    for got, want in zip(f(a, c, d, e), expected):
        assert_close(got, want)


def test_broadcasting():
    x, y = tc.matrix("x", "float64"), tc.matrix("y", "float64")
    v = tc.vector("v", "float64")
    s = tc.scalar("s", "float64")
    f = tc.function([x, y], x * y + 1)
    g = tc.function([x, v, s], [x + v, v - x, x * s, s + v, x + 2.0])
    cases = [((3, 1), (1, 4)), ((3, 4), (3, 4)), ((1, 1), (3, 4)), ((3, 4), (1, 4)), ((0, 4), (1, 4)),
             ((1, 4), (5, 1)), ((2, 0), (2, 1)), ((1, 1), (1, 1))]
    for sa, sb in cases:  # one compiled function: each pattern of unit dimensions specializes it
        a, b = rand(sa, seed=1), rand(sb, seed=2)
        assert_close(f(a, b), a * b + 1)
    for sa, sv in [((3, 4), 4), ((3, 1), 4), ((3, 4), 1), ((0, 4), 4), ((1, 1), 1)]:
        a, c = rand(sa, seed=3), rand(sv, seed=4)
        for got, want in zip(g(a, c, 1.5), [a + c, c - a, a * 1.5, 1.5 + c, a + 2.0]):
            assert_close(got, want)
    assert f.specializations >= 5


def test_where_and_clip():
    c = tc.vector("c", "bool")
    x, y = tc.matrix("x"), tc.vector("y")
    i = tc.vector("i", "int32")
    f = tc.function([c, x, y, i], [tc.where(c, x, y), tc.where(x > 0, x, 0), tc.where(i, 1.5, i),
                                   tc.clip(x, -0.5, 0.5), tc.clip(i, 0, None), x.clip(max=0.1)])
    cv, xv, yv = rand(4, np.bool_), rand((3, 4), np.float32), rand(4, np.float32)
    iv = rand(4, np.int32, -2, 2)
    expected = [np.where(cv, xv, yv), np.where(xv > 0, xv, 0), np.where(iv, 1.5, iv),
                np.clip(xv, -0.5, 0.5), np.clip(iv, 0, None), xv.clip(max=0.1)]
    for got, want in zip(f(cv, xv, yv, iv), expected):
        assert_close(got, want)


def test_astype():
    x = tc.vector("x", "float64")
    f = tc.function([x], [x.astype("int32"), x.astype(np.float32), tc.cast(x, "bool"), x.astype("int64") * 2])
    data = np.array([-2.7, -0.5, 0.0, 0.4, 3.9, 100.0])
    expected = [data.astype(np.int32), data.astype(np.float32), data.astype(bool), data.astype(np.int64) * 2]
    for got, want in zip(f(data), expected):
        assert_close(got, want)


def test_logaddexp_is_stable():
    x, y = tc.vector("x", "float64"), tc.vector("y", "float64")
    f = tc.function([x, y], tc.logaddexp(x, y))
    a, b = np.array([1000.0, -1000.0, 0.0]), np.array([1000.0, -999.0, 1.0])
    assert_close(f(a, b), np.logaddexp(a, b))


def test_compile_path_matches_function_path():
    @tc.compile
    def f(a, b):
        return np.sqrt(a * a + b * b) - np.minimum(a, b) / 2

    for shape in [(4, 5), (1, 5), (0, 3)]:
        a, b = rand(shape, np.float32, seed=1), rand(shape, np.float32, seed=2)
        assert_close(f(a, b), np.sqrt(a * a + b * b) - np.minimum(a, b) / 2)
    assert f.trace_count == 1
