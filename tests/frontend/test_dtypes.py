"""Dtypes as the graph infers them (frontend/dtypes.py): NumPy 2 promotion for every pair of dtypes,
weak Python scalars, and the result dtypes of unary ops and reductions, checked against NumPy itself.
Pure Python: nothing is compiled here."""
import itertools

import numpy as np
import pytest

import tensorc as tc

DTYPES = ["float32", "float64", "int32", "int64", "bool"]

BINARY = {
    "add": (tc.add, np.add), "subtract": (tc.subtract, np.subtract), "multiply": (tc.multiply, np.multiply),
    "true_divide": (tc.true_divide, np.true_divide), "floor_divide": (tc.floor_divide, np.floor_divide),
    "mod": (tc.mod, np.mod), "power": (tc.power, np.power), "maximum": (tc.maximum, np.maximum),
    "minimum": (tc.minimum, np.minimum), "equal": (tc.equal, np.equal), "less": (tc.less, np.less),
    "logical_and": (tc.logical_and, np.logical_and), "bitwise_or": (tc.bitwise_or, np.bitwise_or),
}

SUPPORTED_RESULT = {np.dtype(d) for d in DTYPES}


def _numpy_dtype(fn, *args):
    try:
        with np.errstate(all="ignore"):
            return fn(*args).dtype
    except TypeError:
        return None


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_dtype_promotion_matches_numpy(name):
    """Every pair of dtypes, and arrays with weak Python scalars: the traced dtype is NumPy's."""
    tc_fn, np_fn = BINARY[name]
    for a, b in itertools.product(DTYPES, DTYPES):
        expected = _numpy_dtype(np_fn, np.ones(2, a), np.ones(2, b))
        x, y = tc.vector("x", a), tc.vector("y", b)
        if expected is None:
            with pytest.raises(TypeError):
                tc_fn(x, y)
            continue
        if expected not in SUPPORTED_RESULT:
            continue  # int8 for bool ** bool and the like: widened (see dtypes.py)
        assert tc_fn(x, y).dtype == expected, (name, a, b)
    for a, scalar in itertools.product(DTYPES, [True, 3, 2.5]):
        expected = _numpy_dtype(np_fn, np.ones(2, a), scalar)
        if expected is None or expected not in SUPPORTED_RESULT:
            continue
        assert tc_fn(tc.vector("x", a), scalar).dtype == expected, (name, a, scalar)
        assert tc_fn(scalar, tc.vector("x", a)).dtype == _numpy_dtype(np_fn, scalar, np.ones(2, a))


@pytest.mark.parametrize("dtype", DTYPES)
def test_unary_and_reduction_dtypes_match_numpy(dtype):
    x = tc.vector("x", dtype)
    data = np.ones(3, dtype)
    cases = {
        "exp": (tc.exp, np.exp), "sqrt": (tc.sqrt, np.sqrt), "floor": (tc.floor, np.floor),
        "abs": (tc.abs, np.abs), "sum": (tc.sum, np.sum), "prod": (tc.prod, np.prod), "mean": (tc.mean, np.mean),
        "max": (tc.max, np.max), "argmax": (tc.argmax, np.argmax), "var": (tc.var, np.var),
        "square": (tc.square, np.square), "logical_not": (tc.logical_not, np.logical_not),
    }
    for name, (tc_fn, np_fn) in cases.items():
        expected = _numpy_dtype(np_fn, data)
        if expected is None:
            with pytest.raises(TypeError):
                tc_fn(x)
        elif expected == np.float16:
            assert tc_fn(x).dtype == np.float32, name  # widened
        elif expected == np.int8:
            assert tc_fn(x).dtype == np.int32, name
        else:
            assert tc_fn(x).dtype == expected, name


def test_weak_scalars_and_shape_values_promote_like_python_numbers():
    x = tc.vector("x", "float32")
    i = tc.vector("i", "int32")
    assert (x * 0.5).dtype == np.float32
    assert (i + 1).dtype == np.int32
    assert (i / 2).dtype == np.float64  # true division of ints
    assert (i * 1.5).dtype == np.float64
    n = x.shape[0]
    assert n.dtype == np.int64 and n.ndim == 0
    assert (x.sum() / n).dtype == np.float32  # len() is a Python int in NumPy, so stays weak here
    assert (n * 2 + 1).aval.weak
    assert (tc.scalar("s", "float64") + x).dtype == np.float64  # a 0-d input is strongly typed
    with pytest.raises(OverflowError):
        i + 2**40  # NumPy 2 refuses Python ints that do not fit
