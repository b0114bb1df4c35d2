"""Shape functions and array creation, compiled and run, against NumPy."""
import numpy as np
import pytest
from conftest import FLOATS, assert_close, rand, requires_native

import tensorc as tc

pytestmark = requires_native


@pytest.mark.parametrize("dtype", FLOATS)
def test_reshape(dtype):
    x = tc.matrix("x", dtype)
    n = x.shape[0]
    f = tc.function([x], [x.reshape(-1), x.reshape(2, -1), x.reshape((-1, 3)), x.reshape(n, -1, 1),
                          x.flatten(), tc.reshape(x, (x.shape[1], n)), x.ravel().reshape(n * x.shape[1])])
    for shape in [(4, 3), (2, 6), (6, 1)]:  # (0, 3) would be ambiguous for NumPy: reshape(0, -1, 1)
        data = rand(shape, dtype)
        a, b = data.shape
        expected = [data.reshape(-1), data.reshape(2, -1), data.reshape(-1, 3), data.reshape(a, -1, 1),
                    data.flatten(), data.reshape(b, a), data.reshape(a * b)]
        for got, want in zip(f(data), expected):
            assert_close(got, want)


def test_reshape_of_empty_arrays():
    x = tc.matrix("x")
    f = tc.function([x], [x.reshape(-1), x.reshape(2, -1), x.reshape(x.shape[1], 0)])
    data = np.ones((0, 4), np.float32)
    for got, want in zip(f(data), [data.reshape(-1), data.reshape(2, -1), data.reshape(4, 0)]):
        assert_close(got, want)


def test_reshape_element_count_is_checked_at_run_time():
    x = tc.matrix("x")
    f = tc.function([x], x.reshape(5, -1))
    assert_close(f(np.ones((5, 2), np.float32)), np.ones((5, 2), np.float32))
    with pytest.raises(ValueError):
        f(np.ones((3, 3), np.float32))


def test_transpose_expand_squeeze():
    x = tc.tensor3("x", "float64")
    f = tc.function([x], [x.T, x.transpose(1, 0, 2), tc.transpose(x, (2, 0, 1)), np.swapaxes(x, 0, 2),
                          np.moveaxis(x, 0, -1), tc.expand_dims(x, 1), tc.expand_dims(x, (0, -1)),
                          tc.squeeze(tc.expand_dims(x, 2), 2), tc.squeeze(x[:, :1, :], axis=1)])
    for shape in [(2, 3, 4), (1, 3, 1)]:
        data = rand(shape)
        expected = [data.T, data.transpose(1, 0, 2), np.transpose(data, (2, 0, 1)), np.swapaxes(data, 0, 2),
                    np.moveaxis(data, 0, -1), np.expand_dims(data, 1), np.expand_dims(data, (0, -1)),
                    data, np.squeeze(data[:, :1, :], axis=1)]
        for got, want in zip(f(data), expected):
            assert_close(got, want)


def test_squeeze_of_a_dynamic_dimension_is_checked():
    x = tc.matrix("x")
    f = tc.function([x], tc.squeeze(x, 0))
    assert_close(f(np.ones((1, 3), np.float32)), np.ones(3, np.float32))
    g = tc.function([x], tc.squeeze(x[1:3], 0))  # a slice: its size is known only at run time
    assert_close(g(np.ones((2, 3), np.float32)), np.ones(3, np.float32))
    with pytest.raises(ValueError):
        g(np.ones((4, 3), np.float32))


def test_concatenate_and_stack():
    x, y = tc.matrix("x", "float32"), tc.matrix("y", "float64")
    v = tc.vector("v", "int32")
    f = tc.function([x, y, v], [tc.concatenate([x, y]), tc.concatenate([x, x, x], axis=1),
                                tc.concatenate([x, y], axis=None), tc.concatenate([v, v * 2]),
                                tc.stack([x, x]), tc.stack([v, v, v], axis=1), tc.stack([x, y], axis=-1),
                                np.concatenate([x, np.ones((1, 3), np.float32)])])
    for rows in (2, 1, 0):
        a, b = rand((rows, 3), np.float32, seed=1), rand((rows, 3), np.float64, seed=2)
        c = rand(4, np.int32)
        expected = [np.concatenate([a, b]), np.concatenate([a, a, a], axis=1), np.concatenate([a, b], axis=None),
                    np.concatenate([c, c * 2]), np.stack([a, a]), np.stack([c, c, c], axis=1),
                    np.stack([a, b], axis=-1), np.concatenate([a, np.ones((1, 3), np.float32)])]
        for got, want in zip(f(a, b, c), expected):
            assert_close(got, want)


def test_concatenate_checks_other_dimensions_at_run_time():
    x, y = tc.matrix("x"), tc.matrix("y")
    f = tc.function([x, y], tc.concatenate([x, y], axis=0))
    with pytest.raises(ValueError):
        f(np.ones((2, 3), np.float32), np.ones((2, 4), np.float32))


def test_broadcast_to_and_creation():
    x = tc.matrix("x", "float64")
    v = tc.vector("v", "int64")
    n, m = x.shape
    f = tc.function([x, v], [
        tc.broadcast_to(v, (n, v.shape[0])), tc.broadcast_to(x[:, None, 0], (n, 5)), tc.broadcast_to(3.0, (2, m)),
        tc.zeros((n, 2)), tc.ones(m, dtype="int32"), tc.full((2, n), 7), tc.full((n,), True),
        tc.zeros_like(x), tc.ones_like(v), tc.full_like(x, 0.5), tc.full((2, 2), 1.5, dtype="float64"),
        np.zeros_like(x), np.ones_like(v, dtype=np.float32), tc.zeros(()), tc.full((n, m), x.sum())])
    for shape in [(3, 4), (1, 2), (0, 3)]:
        a = rand(shape)
        c = rand(4, np.int64)
        r, k = shape
        expected = [
            np.broadcast_to(c, (r, 4)), np.broadcast_to(a[:, None, 0], (r, 5)), np.broadcast_to(3.0, (2, k)),
            np.zeros((r, 2), np.float32), np.ones(k, np.int32), np.full((2, r), 7), np.full((r,), True),
            np.zeros_like(a), np.ones_like(c), np.full_like(a, 0.5), np.full((2, 2), 1.5),
            np.zeros_like(a), np.ones_like(c, dtype=np.float32), np.zeros((), np.float32),
            np.full((r, k), a.sum())]
        for got, want in zip(f(a, c), expected):
            assert_close(got, want)


def test_broadcast_to_of_a_dynamic_size_that_is_one():
    x = tc.matrix("x", "float64")
    f = tc.function([x], tc.broadcast_to(x[:, :1], (x.shape[0], 5)))  # x[:, :1]: size known only at run time
    a = rand((3, 2))
    assert_close(f(a), np.broadcast_to(a[:, :1], (3, 5)))


def test_arange():
    v = tc.vector("v", "float32")
    n = v.shape[0]
    f = tc.function([v], [tc.arange(n), tc.arange(5), tc.arange(2, n), tc.arange(1, 10, 3),
                          tc.arange(n, dtype="float32"), tc.arange(10, 0, -2), tc.arange(0.0, 1.0, 0.25),
                          tc.arange(n - 1, -1, -1), v + tc.arange(n)])
    for length in (6, 1, 0):
        data = rand(length, np.float32)
        expected = [np.arange(length), np.arange(5), np.arange(2, length), np.arange(1, 10, 3),
                    np.arange(length, dtype=np.float32), np.arange(10, 0, -2),
                    np.arange(0.0, 1.0, 0.25, dtype=np.float32), np.arange(length - 1, -1, -1),
                    data + np.arange(length)]
        for got, want in zip(f(data), expected):
            assert_close(got, want)


def test_shape_values_are_results_too():
    x = tc.tensor3("x")
    f = tc.function([x], [x.shape[0], x.shape[2] * 2, x.size, tc.constant(np.int64(4)) + x.shape[1]])
    got = f(np.ones((2, 3, 5), np.float32))
    assert [int(g) for g in got] == [2, 10, 30, 7]
    assert all(g.dtype == np.int64 and g.shape == () for g in got)


def test_dynamic_shapes_through_compile():
    @tc.compile
    def f(a, b):
        return a.reshape(a.shape[0], -1) @ b

    for shape in [(2, 3, 4), (5, 1, 2), (3, 2, 1)]:
        a = rand(shape, np.float32, seed=1)
        b = rand((shape[1] * shape[2], 2), np.float32, seed=2)
        assert_close(f(a, b), a.reshape(shape[0], -1) @ b)
    assert f.trace_count == 1
