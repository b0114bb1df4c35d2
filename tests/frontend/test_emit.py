"""Emission: the generic-form MLIR text of a graph for a specialization mask, checked as text and,
where tensorc-opt is built, against the dialect's verifiers."""
import re

import numpy as np
import pytest
from conftest import verify_ir

import tensorc as tc
from tensorc.frontend.emit import emit, format_dense


def ops_of(text):
    return re.findall(r'"(tensorc\.\w+)"', text)


def test_function_signature_and_generic_form():
    x = tc.matrix("x")
    y = tc.vector("y")
    text = emit([x, y], [(x + y).sum(axis=1)], 0)
    assert ("func.func @main(%arg0: tensor<?x?xf32> {bufferization.writable = false}, "
            "%arg1: tensor<?xf32> {bufferization.writable = false}) -> (tensor<?xf32>) "
            "attributes {llvm.emit_c_interface}") in text
    assert '"tensorc.expand_dims"(%arg1) {axes = array<i64: 0>} : (tensor<?xf32>) -> tensor<1x?xf32>' in text
    assert '"tensorc.add"(%arg0, %0) : (tensor<?x?xf32>, tensor<1x?xf32>) -> tensor<?x?xf32>' in text
    assert ('"tensorc.reduce_sum"(%1) {axes = array<i64: 1>, keepdims = false} : '
            "(tensor<?x?xf32>) -> tensor<?xf32>") in text
    assert "return %2 : tensor<?xf32>" in text
    verify_ir(text)


def test_every_op_carries_the_callers_file_and_line():
    x = tc.matrix("x")
    y = tc.exp(x) * 2  # the line quoted below
    line = y.loc.line
    text = emit([x], [y.mean()], 0)
    locs = re.findall(r'loc\("(\w+)"\("([^"]+)":(\d+):\d+\)\)', text)  # loc("op"("file":line:col))
    assert [f"tensorc.{op}" for op, _, _ in locs] == ops_of(text) and locs
    files = {f for _, f, _ in locs}
    assert files == {__file__}
    assert {int(n) for _, _, n in locs} == {line, line + 2}


def test_mask_makes_dims_static_ones_and_they_propagate():
    x, y = tc.matrix("x"), tc.matrix("y")
    z = x + y
    n = tc.zeros((x.shape[0], 2))
    text = emit([x, y], [z, n], 0b0110)  # x: (?, 1), y: (1, ?)
    assert "%arg0: tensor<?x1xf32>" in text and "%arg1: tensor<1x?xf32>" in text
    assert "(tensor<?x1xf32>, tensor<1x?xf32>) -> tensor<?x?xf32>" in text
    assert '"tensorc.dim"(%arg0) {axis = 0 : i64}' in text
    text = emit([x, y], [n], 0b0001)  # x.shape[0] == 1: the size folds, fill becomes static
    assert '"tensorc.fill"() {value = 0.0 : f32} : () -> tensor<1x2xf32>' in text
    assert "tensorc.dim" not in text and "tensorc.constant" not in text  # no dead constants left
    verify_ir(text)


def test_certain_clash_in_a_specialization_is_a_value_error():
    x = tc.matrix("x")
    y = x.reshape(-1, 2)  # fine for dynamic sizes
    with pytest.raises(ValueError, match=r"tensorc\.reshape: cannot reshape array of size 1 into shape "
                                         r"\(0, 2\) \(at \S*frontend/test_emit\.py:\d+\)"):
        emit([x], [y], 0b11)


def test_only_needed_nodes_are_emitted_and_inputs_can_be_outputs():
    x, y = tc.vector("x"), tc.vector("y")
    unused = tc.exp(y)  # noqa: F841  (built, not an output)
    text = emit([x, y], [x, x * 3], 0)
    assert ops_of(text) == ["tensorc.constant", "tensorc.mul"]
    assert "return %arg0, %1 : tensor<?xf32>, tensor<?xf32>" in text
    verify_ir(text)


def test_casts_and_comparisons():
    i = tc.vector("i", "int32")
    f = tc.vector("f", "float32")
    text = emit([i, f], [i < f, i / 2], 0)
    assert '"tensorc.cast"(%arg0) : (tensor<?xi32>) -> tensor<?xf64>' in text
    assert "-> tensor<?xi1>" in text
    assert '"tensorc.div"' in text
    verify_ir(text)


@pytest.mark.parametrize("value", [
    np.arange(6, dtype=np.float32).reshape(2, 3),
    np.array([1.5, -0.0, np.inf, -np.inf, np.nan], np.float64),
    np.array([[1, -2], [3, 2**40]], np.int64),
    np.array([7, -7, 0], np.int32),
    np.array([True, False, True, True, False, False, True, False, True]).reshape(3, 3),
    np.array(0.1, np.float32), np.array(1e300), np.array(-5, np.int32), np.array(True),
    np.full((2, 2), -0.0), np.zeros((0, 3), np.float32), np.full(4, np.nan, np.float32),
])
def test_dense_constants_round_trip_exactly(value):
    from mlir import ir
    with ir.Context():
        attr = ir.DenseElementsAttr(ir.Attribute.parse(format_dense(value)))
        if value.size and value.dtype != np.bool_:
            back = np.array(attr)
            assert back.dtype == value.dtype and back.shape == value.shape
            assert back.tobytes() == value.tobytes()
        else:
            assert str(attr.type) == str(ir.Type.parse(format_dense(value).split(" : ")[1]))
    if value.dtype == np.bool_ and value.size > 1:
        assert "true" not in format_dense(value)  # hex, packed bits
        with ir.Context():
            parsed = str(ir.Attribute.parse(format_dense(value)))
        assert parsed.count("true") == int(value.sum())


def test_many_ops_verify_in_several_specializations():
    x = tc.matrix("x")
    y = tc.vector("y", dtype="int64")
    s = tc.scalar("s", dtype="float64")
    outs = [
        tc.softmax(x @ x.T + 1.5), tc.log_softmax(x, 0), tc.logsumexp(x, 1),
        x[1:, ::-1] * 2, x[0], x[-1, 1:3], x[:, y], x[tc.arange(x.shape[0]), y], x[[0, 1], 1],
        x[None, ..., 1:3], tc.where(x > 0, x, s), x.reshape(-1, 2).sum(1),
        tc.concatenate([x, x * 2], axis=1), tc.stack([y, y]), tc.zeros_like(x) + tc.ones((3, 1)),
        x.mean(0, keepdims=True) / y, np.exp(x) + np.array([1.0, 2.0, np.inf], np.float32),
        x.argmax(1), x.max(), x.min(0), x.prod(1), (x > 1) & (x < 2), ~(x > 1), y // 3, y % 3, -y,
        abs(y), x ** 2, y / 2, tc.broadcast_to(y, (x.shape[0], y.shape[0])), tc.var(x, 0, ddof=1),
        x.std(), tc.squeeze(tc.expand_dims(x, 0), 0), x.astype("int32"), tc.arange(5),
        tc.arange(1, 10, 2, dtype="float32"), tc.full((y.shape[0],), 7, dtype="int32"),
        tc.sigmoid(x) + tc.softplus(x) + tc.erf(x) + tc.sin(x) * tc.cos(x) - tc.floor(x) + tc.ceil(x),
        tc.sign(x) + tc.sqrt(abs(x)) + tc.log1p(abs(x)) + tc.expm1(x) + tc.tanh(x) + tc.log(abs(x) + 1),
        tc.maximum(x, 0) - tc.minimum(x, y), tc.any(x > 0, axis=1), tc.all(y > 0),
        tc.transpose(tc.expand_dims(x, 0), (1, 2, 0)) @ x, y.sum(), (y == 3) | (y != 2),
    ]
    for mask in (0, 0b001, 0b010, 0b100, 0b111):
        try:
            text = emit([x, y, s], outs, mask)
        except ValueError as e:  # x of shape (1, 1) cannot be reshaped to (-1, 2): certain, so reported
            assert mask == 0b111 and "tensorc.reshape" in str(e), e
            continue
        verify_ir(text)
