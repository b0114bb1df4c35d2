"""x[key], compiled and run, against NumPy: ints, slices, None, Ellipsis, integer index arrays."""
import numpy as np
import pytest
from conftest import FLOATS, assert_close, rand, requires_native

import tensorc as tc

pytestmark = requires_native

BASIC_KEYS = [
    0, -1, 2, (1, 2), (-1, -2), slice(1, 3), slice(None, None, -1), slice(None, None, 2),
    slice(-2, None), slice(3, 0, -1), slice(10, -10, -3), (slice(None), 1), (Ellipsis, 0), (None, 1),
    (slice(None), None, slice(1, None)), (Ellipsis, None), (1, Ellipsis, None), (slice(0, 0),),
    (slice(5, 100),), (slice(-100, 2), slice(None, None, -2)), slice(10, None, -1), slice(None, -10, -1),
    slice(2, -10, -1), slice(-2, 10, 2),
]


@pytest.mark.parametrize("dtype", FLOATS)
def test_basic_indexing(dtype):
    x = tc.matrix("x", dtype)
    f = tc.function([x], [x[k] for k in BASIC_KEYS])
    for shape in [(4, 5), (3, 3), (5, 3)]:
        data = rand(shape, dtype)
        for got, key in zip(f(data), BASIC_KEYS):
            assert_close(got, data[key])


def test_empty_slices():
    x = tc.matrix("x", "float64")
    keys = [(slice(1, 1, -1),), (slice(-4, -4, -1),), (slice(0, 5, -1),), ([-1], slice(None, 0, 2))]
    f = tc.function([x], [x[k] for k in keys])
    data = rand((6, 4))
    for got, key in zip(f(data), keys):
        assert_close(got, data[key])


def test_static_index_on_constant_and_dynamic_index_out_of_range():
    x = tc.vector("x")
    f = tc.function([x], x[3])
    assert_close(f(np.arange(5, dtype=np.float32)), np.float32(3))
    with pytest.raises(IndexError):
        f(np.arange(2, dtype=np.float32))
    g = tc.function([x], x[-4])
    with pytest.raises(IndexError):
        g(np.arange(3, dtype=np.float32))


def test_gather_with_symbolic_indices():
    p = tc.matrix("p", "float64")
    y = tc.vector("y", "int64")
    i = tc.vector("i", "int32")
    n = y.shape[0]
    f = tc.function([p, y, i], [p[tc.arange(n), y], p[y], p[:, y], p[y, 1], p[i, -1], p[y, y],
                                p[y[:, None], i[None, :]], p[1:, i]])
    for rows, length in [(5, 5), (5, 1), (1, 1), (4, 0)]:
        pv = rand((rows, 4), seed=rows)
        yv = np.random.default_rng(length).integers(-min(rows, 4), min(rows, 4), size=length)
        iv = (yv % min(rows, 4)).astype(np.int32)
        if rows == 5 and length == 5:
            iv = iv[:3]
        expected = [pv[np.arange(length), yv], pv[yv], pv[:, yv], pv[yv, 1], pv[iv, -1], pv[yv, yv],
                    pv[yv[:, None], iv[None, :]], pv[1:, iv]]
        for got, want in zip(f(pv, yv, iv), expected):
            assert_close(got, want)


def test_gather_with_numpy_index_arrays_and_non_adjacent_indices():
    x = tc.tensor3("x", "float64")
    idx = np.array([[0, 1], [1, 0]])
    keys = [(idx,), ([0, -1],), (slice(None), [1, 0, 1]), (0, slice(None), [1, 0]), ([1, 0], slice(None), [0, 1]),
            (slice(None), idx, idx), (Ellipsis, np.array([0]))]
    f = tc.function([x], [x[k] for k in keys])
    data = rand((3, 2, 4))
    for got, key in zip(f(data), keys):
        assert_close(got, data[key])


def test_gather_index_out_of_range_is_an_index_error():
    p = tc.matrix("p")
    y = tc.vector("y", "int64")
    f = tc.function([p, y], p[tc.arange(y.shape[0]), y])
    pv = np.ones((3, 4), np.float32)
    assert_close(f(pv, np.array([0, 3, -4])), np.ones(3, np.float32))
    with pytest.raises(IndexError):
        f(pv, np.array([0, 4, 1]))
    with pytest.raises(IndexError):
        f(pv, np.array([0, -5, 1]))


def test_indexing_through_compile():
    @tc.compile
    def nll(logits, labels):
        p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        return -np.log(p[tc.arange(logits.shape[0]), labels]).mean()

    logits = rand((6, 3), np.float32)
    labels = np.array([0, 2, 1, 1, 0, 2])
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert_close(nll(logits, labels), -np.log(p[np.arange(6), labels]).mean(), loose=True)
