"""The graph as it is built: static shapes, rank alignment, constants, axis arguments, inputs, NumPy
semantics checked against NumPy itself, and what is refused while tracing. Pure Python: nothing is
compiled here. Dtype promotion is in test_dtypes.py, debugprint in test_debugprint.py."""
import numpy as np
import pytest

import tensorc as tc
from tensorc.frontend.graph import toposort


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
