"""The graph as it is built: types (dtype promotion, static shapes), NumPy semantics checked against
NumPy itself, and what is refused while tracing. Pure Python: nothing is compiled here."""
import itertools

import numpy as np
import pytest

import tensorc as tc
from tensorc.frontend.graph import toposort

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


def test_static_shapes_propagate_and_broadcast():
    a = tc.constant(np.ones((3, 1), np.float32))
    b = tc.constant(np.ones((1, 4), np.float32))
    assert (a + b).static_shape == (3, 4)
    x = tc.matrix("x")
    assert (x + b).static_shape == (None, 4)
    assert (x[:, :1] + 1).static_shape == (None, None)
    assert tc.vector("v").shape[0].ndim == 0
    assert a.shape == (3, 1)
    assert x.sum(axis=1, keepdims=True).static_shape == (None, 1)
    assert tc.zeros((2, x.shape[0])).static_shape == (2, None)
    assert tc.arange(5).static_shape == (5,)
    assert x.reshape(-1, 6).static_shape == (None, 6)
    assert tc.constant(np.ones((4, 6))).reshape(3, -1).static_shape == (3, 8)
    assert (x @ tc.vector("v")).static_shape == (None,)
    assert tc.concatenate([a, a], axis=0).static_shape == (6, 1)
    assert x[None, ..., 2].static_shape == (1, None)


def test_rank_alignment_inserts_expand_dims_on_the_left():
    x, v = tc.matrix("x"), tc.vector("v")
    out = x + v
    ops = [n.op.name for n in toposort([out])]
    assert ops == ["expand_dims", "add"]
    assert toposort([out])[0].attrs["axes"] == (0,)


def test_logical_ops_act_on_truth_values():
    i, j = tc.vector("i", "int32"), tc.vector("j", "int32")
    nodes = toposort([tc.logical_and(i, j), tc.logical_not(i)])
    assert [n.op.name for n in nodes] == ["cast", "cast", "and", "cast", "not"]  # not a bitwise and of ints
    assert all(n.out.dtype == np.bool_ for n in nodes)


def test_constants_are_cast_and_reshaped_directly():
    x = tc.matrix("x", "float32")
    out = x + np.arange(3.0)  # float64 array: NumPy promotes to float64
    assert out.dtype == np.float64
    ops = [n.op.name for n in toposort([out])]
    assert ops.count("constant") == 1 and "cast" in ops  # x is cast; the constant stays float64
    out = x * 2
    const = [n for n in toposort([out]) if n.op.name == "constant"][0]
    assert const.attrs["value"].dtype == np.float32 and const.attrs["value"].shape == (1, 1)


def test_shape_clash_at_trace_time_names_op_and_line():
    a = tc.constant(np.ones(3))
    b = tc.constant(np.ones(4))
    with pytest.raises(ValueError, match=r"tensorc\.add: shapes \(3,\) and \(4,\) cannot be broadcast "
                                         r"\(at \S*frontend/test_graph\.py:\d+\)"):
        a + b
    with pytest.raises(ValueError, match=r"tensorc\.matmul: .*not aligned"):
        tc.constant(np.ones((2, 3))) @ tc.constant(np.ones((4, 2)))
    with pytest.raises(ValueError, match="cannot reshape array of size 6"):
        tc.constant(np.ones((2, 3))).reshape(4, -1)
    with pytest.raises(ValueError, match="tensorc.squeeze"):
        tc.squeeze(tc.constant(np.ones((2, 3))), 0)
    with pytest.raises(ValueError, match="tensorc.concatenate"):
        tc.concatenate([tc.constant(np.ones((2, 3))), tc.constant(np.ones((2, 4)))], axis=0)


def test_python_control_flow_on_traced_values_is_refused():
    x = tc.vector("x")
    with pytest.raises(TypeError, match="Python control flow"):
        if x.sum() > 0:
            pass
    with pytest.raises(TypeError, match="Python control flow"):
        int(x.shape[0])
    with pytest.raises(TypeError, match="dynamic"):
        len(x)
    with pytest.raises(TypeError, match="cannot be converted to a NumPy array"):
        np.asarray(x)
    with pytest.raises(TypeError, match="immutable"):
        x[0] = 1.0
    assert len(tc.constant(np.ones((3, 2)))) == 3


def test_axis_arguments():
    x = tc.tensor("float32", 3, "x")
    assert x.sum(axis=-1).ndim == 2
    assert x.sum(axis=(0, -1)).ndim == 1
    assert x.sum(axis=(0, 2), keepdims=True).static_shape == (1, None, 1)
    assert x.max().ndim == 0
    assert x.argmax().ndim == 0
    assert x.argmax(axis=1, keepdims=True).static_shape == (None, 1, None)
    s = tc.scalar("s")
    assert s.sum(axis=0).ndim == 0 and s.argmax(axis=-1).ndim == 0  # NumPy allows 0 and -1 on 0-d values
    with pytest.raises(np.exceptions.AxisError):
        s.sum(axis=(0,))
    with pytest.raises(np.exceptions.AxisError):
        x.sum(axis=3)
    with pytest.raises(ValueError, match="repeated axis"):
        x.sum(axis=(1, -2))


def test_inputs_and_dtypes():
    assert tc.matrix().dtype == np.float32  # floatX
    assert tc.scalar("s", dtype="int32").ndim == 0
    assert tc.tensor4("t", "bool").static_shape == (None,) * 4
    assert tc.tensor(dtype="int64", ndim=3, name="t").name == "t"
    assert tc.vector(dtype=np.float64).dtype == np.float64
    with pytest.raises(TypeError, match="does not support float16"):
        tc.vector("x", "float16")
    with pytest.raises(TypeError, match="ndim"):
        tc.tensor("float32")
    with pytest.raises(TypeError, match="does not support constants of dtype uint8"):
        tc.matrix() + np.ones(3, np.uint8)


def test_unsupported_indexing_and_numpy_functions_say_what():
    x = tc.vector("x")
    with pytest.raises(NotImplementedError, match="boolean mask"):
        x[x > 0]
    with pytest.raises(NotImplementedError, match="numpy.cumsum"):
        np.cumsum(x)
    with pytest.raises(NotImplementedError, match="numpy.arctan2"):
        np.arctan2(x, x)
    with pytest.raises(IndexError, match="too many indices"):
        x[0, 0]
    with pytest.raises(IndexError, match="out of bounds"):
        tc.constant(np.ones(3))[3]
    with pytest.raises(IndexError, match="out of bounds"):
        tc.constant(np.ones(3))[np.array([0, -4])]
    with pytest.raises(TypeError, match="out= is not supported"):
        np.add(x, x, out=np.ones(3))


def test_source_location_is_the_callers_line():
    x = tc.vector("x")
    y = np.exp(x) + 1; line = __import__("inspect").currentframe().f_lineno  # noqa: E702
    assert y.loc.line == line and y.loc.file == __file__
    assert y.owner.inputs[0].loc.line == line  # np.exp went through __array_ufunc__


def test_debugprint_prints_a_tree_and_returns_it(capsys):
    x = tc.matrix("x")
    y = (x * 2).sum(axis=0)
    y.name = "total"
    text = tc.debugprint([y, x])
    assert capsys.readouterr().out == text
    lines = text.splitlines()
    assert lines[0].startswith("reduce_sum{axes=(0,), keepdims=False} [id A] 'total' float32 (?,)")
    assert lines[1].startswith(" |mul [id B] float32 (?, ?)")
    assert lines[2] == " | |x [id C] float32 (?, ?)"
    assert lines[3].startswith(" | |TensorConstant{2.0} [id D] float32 (1, 1)")
    assert lines[4] == "x [id C]"  # seen before: name and id only
