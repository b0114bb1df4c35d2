"""NumPy functions and operators applied to traced values (NEP 13/18), compiled through @tc.compile
and tc.function, against NumPy itself."""
import numpy as np
import pytest
from conftest import assert_close, rand, requires_native

import tensorc as tc

pytestmark = requires_native

CONST = np.array([[1.0, -2.0, 3.0]], np.float32)


def numpy_code(a, b):
    """Plain NumPy code: run on arrays it is the reference, traced it is the graph."""
    return [
        np.exp(a), np.add(CONST, a), CONST + a, a - CONST, np.maximum(a, 0.0), np.negative(a), a > CONST,
        np.less_equal(CONST, a), np.sum(a), np.sum(a, axis=0), np.mean(a, axis=1, keepdims=True), np.max(a),
        np.min(a, axis=-1), np.dot(a, b), np.matmul(a, b), a @ b, np.where(a > 0, a, 0), np.concatenate([a, a]),
        np.stack([a, a], axis=1), np.reshape(a, (-1,)), np.reshape(a, (3, -1)), np.transpose(a),
        np.tanh(a @ b).sum(0), np.square(a), np.sqrt(np.abs(a)), np.clip(a, -1, 1), np.prod(a, axis=1),
        np.argmax(a, axis=0), np.var(a), np.std(a, axis=0), np.expand_dims(a, 0), np.squeeze(a[:, :1], 1),
        np.ravel(a), np.add.reduce(a, axis=1), np.maximum.reduce(a), np.logaddexp(a, CONST),
        np.float32(2) * a, np.log1p(np.abs(a)), np.floor(a), np.zeros_like(a), np.ones_like(b),
        np.full_like(a, 3), np.broadcast_to(a, (2, *a.shape)), np.any(a > 1, axis=0), np.all(a > -5),
        np.amax(a, axis=0), np.sign(a), np.cos(a) ** 2 + np.sin(a) ** 2, a.T, np.swapaxes(a, 0, 1),
    ]


def test_numpy_code_traced_by_compile():
    f = tc.compile(numpy_code)
    for rows in (2, 5, 1):
        a, b = rand((rows, 3), np.float32, seed=1), rand((3, 4), np.float32, seed=2)
        got, expected = f(a, b), numpy_code(a, b)
        assert len(got) == len(expected)
        for k, (g, want) in enumerate(zip(got, expected)):
            assert_close(g, want, loose=True)  # k: the failing entry of numpy_code
    assert f.trace_count == 1


def test_numpy_code_on_symbolic_inputs():
    a, b = tc.matrix("a"), tc.matrix("b")
    f = tc.function([a, b], numpy_code(a, b))
    x, y = rand((4, 3), np.float32, seed=3), rand((3, 4), np.float32, seed=4)
    for g, want in zip(f(x, y), numpy_code(x, y)):
        assert_close(g, want, loose=True)


def test_ndarray_on_the_left_and_numpy_scalars():
    x = tc.vector("x", "float64")
    ones = np.ones(3)
    f = tc.function([x], [ones + x, ones * x, ones - x, ones / x, ones ** x, ones > x, np.float64(2) - x,
                          np.int32(3) * x, ones @ x])
    v = rand(3) + 3
    expected = [ones + v, ones * v, ones - v, ones / v, ones ** v, ones > v, np.float64(2) - v, np.int32(3) * v,
                ones @ v]
    for got, want in zip(f(v), expected):
        assert_close(got, want)


def test_unsupported_numpy_functions_name_themselves():
    x = tc.vector("x")
    with pytest.raises(NotImplementedError, match="numpy.sort"):
        np.sort(x)
    with pytest.raises(NotImplementedError, match="numpy.arctan"):
        np.arctan(x)
    with pytest.raises(TypeError, match="numpy.sum"):
        np.sum(x, initial=1.0)
