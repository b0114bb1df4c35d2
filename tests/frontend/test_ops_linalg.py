"""matmul and dot, compiled and run, against NumPy."""
import numpy as np
import pytest
from conftest import FLOATS, assert_close, rand, requires_native

import tensorc as tc

pytestmark = requires_native

# (rank of a, rank of b): shapes to try, each a pair
CASES = {
    (2, 2): [((3, 4), (4, 5)), ((1, 4), (4, 1)), ((3, 0), (0, 2)), ((0, 4), (4, 3))],
    (1, 2): [((4,), (4, 3)), ((1,), (1, 3))],
    (2, 1): [((3, 4), (4,)), ((3, 1), (1,))],
    (1, 1): [((5,), (5,)), ((0,), (0,))],
    (3, 3): [((2, 3, 4), (2, 4, 5)), ((1, 3, 4), (2, 4, 5)), ((2, 3, 4), (1, 4, 2))],
    (3, 2): [((2, 3, 4), (4, 5))],
    (2, 3): [((3, 4), (2, 4, 5))],
    (3, 1): [((2, 3, 4), (4,))],
    (1, 3): [((4,), (2, 4, 5))],
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("ranks", sorted(CASES))
def test_matmul(ranks, dtype):
    a, b = tc.tensor(dtype, ranks[0], "a"), tc.tensor(dtype, ranks[1], "b")
    f = tc.function([a, b], a @ b)
    for sa, sb in CASES[ranks]:
        x, y = rand(sa, dtype, seed=1), rand(sb, dtype, seed=2)
        assert_close(f(x, y), x @ y)


def test_matmul_larger_and_integer():
    a, b = tc.matrix("a", "float32"), tc.matrix("b", "float32")
    i, j = tc.matrix("i", "int32"), tc.matrix("j", "int64")
    f = tc.function([a, b, i, j], [a @ b, i @ j, i @ b, tc.matmul(a, b.T.T), tc.dot(a, b)])
    x, y = rand((64, 70), np.float32), rand((70, 64), np.float32)
    p, q = rand((64, 70), np.int32), rand((70, 64), np.int64)
    expected = [x @ y, p @ q, p @ y, x @ y, np.dot(x, y)]
    for got, want in zip(f(x, y, p, q), expected):
        assert_close(got, want, loose=True)


def test_dot():
    a, v, s = tc.matrix("a", "float64"), tc.vector("v", "float64"), tc.scalar("s", "float64")
    t = tc.tensor3("t", "float64")
    f = tc.function([a, v, s, t], [tc.dot(a, v), tc.dot(v, v), tc.dot(s, a), a.dot(a.T), np.dot(t, v), np.dot(v, a)])
    x, y, z = rand((3, 3)), rand(3), 2.5
    w = rand((2, 4, 3))
    expected = [np.dot(x, y), np.dot(y, y), np.dot(z, x), x.dot(x.T), np.dot(w, y), np.dot(y, x)]
    for got, want in zip(f(x, y, z, w), expected):
        assert_close(got, want)


def test_contraction_mismatch_at_run_time_is_a_value_error():
    a, b = tc.matrix("a"), tc.matrix("b")
    f = tc.function([a, b], a @ b)
    with pytest.raises(ValueError):
        f(np.ones((2, 3), np.float32), np.ones((4, 2), np.float32))
