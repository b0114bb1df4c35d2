"""The Python op builders generated from TensorcOps.td build verifiable IR that the compiler runs."""

import numpy as np
import pytest
from mlir import ir
from mlir.dialects import func

from tensorc import dialect as tcd
from tensorc.runtime.compiler import compile_module


def _build_softmax_plus_bias():
    ctx = tcd.new_context()
    with ctx, ir.Location.file("builders.py", 7, 0):
        f32 = ir.F32Type.get()
        dyn = ir.ShapedType.get_dynamic_size()
        mat = ir.RankedTensorType.get([dyn, dyn], f32)
        row = ir.RankedTensorType.get([1, dyn], f32)
        vec = ir.RankedTensorType.get([dyn], f32)
        module = ir.Module.create()
        with ir.InsertionPoint(module.body):
            fn = func.FuncOp("main", ir.FunctionType.get([mat, vec], [mat]))
            fn.attributes["llvm.emit_c_interface"] = ir.UnitAttr.get()
            with ir.InsertionPoint(fn.add_entry_block()):
                x, b = fn.arguments
                b2 = tcd.expand_dims(row, b, ir.DenseI64ArrayAttr.get([0]))
                s = tcd.add(mat, x, b2)
                sm = tcd.softmax(mat, s, 1)
                func.ReturnOp([sm])
        assert module.operation.verify()
        return module.operation.get_asm(enable_debug_info=True)


def test_generated_ops_are_typed_opviews():
    ctx = tcd.new_context()
    with ctx, ir.Location.unknown():
        t = ir.RankedTensorType.get([4], ir.F32Type.get())
        module = ir.Module.create()
        with ir.InsertionPoint(module.body):
            fn = func.FuncOp("f", ir.FunctionType.get([t], [t]))
            with ir.InsertionPoint(fn.add_entry_block()):
                op = tcd.ExpOp(t, fn.arguments[0])
                func.ReturnOp([op.result])
        assert isinstance(op, tcd.ExpOp)
        assert op.x == fn.arguments[0]
        assert "tensorc.exp" in str(module)


def test_generated_builders_compile_and_run():
    text = _build_softmax_plus_bias()
    assert 'loc("builders.py":7:0)' in text
    compiled = compile_module(text, in_specs=[(np.float32, 2), (np.float32, 1)], out_specs=[(np.float32, 2)])
    x = np.random.default_rng(0).standard_normal((3, 5)).astype(np.float32)
    b = np.arange(5, dtype=np.float32)
    (got,) = compiled.kernel.call(x, b)
    z = x + b
    e = np.exp(z - z.max(axis=1, keepdims=True))
    np.testing.assert_allclose(got, e / e.sum(axis=1, keepdims=True), rtol=1e-5, atol=1e-6)


def test_verifier_rejects_builder_misuse():
    ctx = tcd.new_context()
    with ctx, ir.Location.unknown():
        f32 = ir.F32Type.get()
        a = ir.RankedTensorType.get([3], f32)
        c = ir.RankedTensorType.get([4], f32)
        module = ir.Module.create()
        with ir.InsertionPoint(module.body):
            fn = func.FuncOp("f", ir.FunctionType.get([a, c], [a]))
            with ir.InsertionPoint(fn.add_entry_block()):
                r = tcd.add(a, *fn.arguments)
                func.ReturnOp([r])
        with pytest.raises(ir.MLIRError, match="cannot be broadcast"):
            module.operation.verify()
