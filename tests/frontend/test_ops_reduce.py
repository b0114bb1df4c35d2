"""Reductions and the softmax family, compiled and run, against NumPy."""
import numpy as np
import pytest
from conftest import FLOATS, assert_close, rand, requires_native

import tensorc as tc

pytestmark = requires_native

AXES = [None, 0, 1, -1, (0, 1), (0, 2)]
REDUCTIONS = ["sum", "mean", "max", "min", "prod", "var", "std"]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reductions(name, dtype, cache):
    x = tc.tensor3("x", dtype)
    # One function per (reduction, dtype): every axis/keepdims variant is one of its outputs.
    variants = [(axis, keepdims) for axis in AXES for keepdims in (False, True)]
    f = cache.get((name, dtype), lambda: tc.function(
        [x], [getattr(x, name)(axis=axis, keepdims=keepdims) for axis, keepdims in variants]))
    for shape in [(3, 4, 5), (2, 1, 3), (1, 1, 1)]:
        data = rand(shape, dtype, 0.5, 1.5, seed=sum(shape))
        for got, (axis, keepdims) in zip(f(data), variants):
            want = getattr(data, name)(axis=axis, keepdims=keepdims)
            assert_close(got, want, loose=name in ("prod", "var", "std"))


@pytest.mark.parametrize("dtype", FLOATS + [np.int32])
def test_arg_reductions(dtype):
    x = tc.matrix("x", dtype)
    variants = [(None, False), (0, False), (1, False), (-1, True), (None, True)]
    f = tc.function([x], [tc.argmax(x, axis=a, keepdims=k) for a, k in variants] +
                    [tc.argmin(x, axis=a, keepdims=k) for a, k in variants])
    data = rand((6, 7), dtype, -3, 3)
    data[2, :] = data[2, 0]  # ties: the first occurrence wins, as in NumPy
    got = f(data)
    for i, (a, k) in enumerate(variants):
        assert_close(got[i], np.argmax(data, axis=a, keepdims=k))
        assert_close(got[len(variants) + i], np.argmin(data, axis=a, keepdims=k))


def test_integer_and_bool_reductions_promote_like_numpy():
    i = tc.matrix("i", "int32")
    b = tc.matrix("b", "bool")
    f = tc.function([i, b], [i.sum(), i.sum(axis=0), i.prod(1), i.mean(), i.max(0), i.min(),
                             b.sum(1), b.any(0), b.all(1), b.max(), tc.any(i > 0), i.sum(dtype="float32"),
                             i.var(), i.std(0)])
    iv = rand((4, 5), np.int32, -3, 3)
    bv = rand((4, 5), np.bool_)
    expected = [iv.sum(), iv.sum(0), iv.prod(1), iv.mean(), iv.max(0), iv.min(), bv.sum(1), bv.any(0),
                bv.all(1), bv.max(), np.any(iv > 0), iv.sum(dtype=np.float32), iv.var(), iv.std(0)]
    for got, want in zip(f(iv, bv), expected):
        assert_close(got, want)


def test_reductions_over_empty_axes():
    x = tc.matrix("x", "float64")
    f = tc.function([x], [x.sum(0), x.mean(1), x.prod(0), tc.any(x > 0, axis=0), tc.all(x > 0, axis=0)])
    data = np.zeros((0, 3))
    got = f(data)
    assert_close(got[0], data.sum(0))
    assert_close(got[2], data.prod(0))
    assert_close(got[3], np.any(data > 0, axis=0))
    assert_close(got[4], np.all(data > 0, axis=0))
    g = tc.function([x], x.max(axis=0))
    with pytest.raises(ValueError):  # NumPy: "zero-size array to reduction operation maximum"
        g(data)


def test_var_std_ddof():
    x = tc.matrix("x", "float64")
    f = tc.function([x], [x.var(ddof=1), x.std(axis=0, ddof=1), tc.var(x, axis=1, ddof=2, keepdims=True)])
    data = rand((5, 4))
    expected = [data.var(ddof=1), data.std(axis=0, ddof=1), data.var(axis=1, ddof=2, keepdims=True)]
    for got, want in zip(f(data), expected):
        assert_close(got, want)


def _softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _logsumexp(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


@pytest.mark.parametrize("dtype", FLOATS)
def test_softmax_family(dtype):
    x = tc.matrix("x", dtype)
    f = tc.function([x], [tc.softmax(x), tc.softmax(x, axis=0), tc.log_softmax(x), tc.log_softmax(x, axis=0),
                          tc.logsumexp(x), tc.logsumexp(x, axis=1), tc.logsumexp(x, axis=0, keepdims=True)])
    for scale in (1.0, 1000.0):  # x1000 overflows exp in a naive evaluation
        data = rand((4, 6), dtype) * dtype(scale)
        expected = [_softmax(data, -1), _softmax(data, 0), data - _logsumexp(data, -1, keepdims=True),
                    data - _logsumexp(data, 0, keepdims=True), _logsumexp(data), _logsumexp(data, 1),
                    _logsumexp(data, 0, keepdims=True)]
        for got, want in zip(f(data), expected):
            assert np.isfinite(got).all()
            assert_close(got, want, loose=True)


def test_reductions_through_compile():
    @tc.compile
    def f(a):
        return a.sum(axis=0) / a.shape[0], np.max(a, axis=1), a.mean(keepdims=True)

    for shape in [(3, 2), (5, 1)]:
        data = rand(shape, np.float32)
        got = f(data)
        assert isinstance(got, tuple)
        assert_close(got[0], data.sum(axis=0) / data.shape[0])
        assert_close(got[1], np.max(data, axis=1))
        assert_close(got[2], data.mean(keepdims=True))
    assert f.trace_count == 1
