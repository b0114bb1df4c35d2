// tensorc-materialize-if-yields: copy scf.if yields of unknown buffer layout (Passes.td has why).
#include "tensorc/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"

namespace tensorc {
#define GEN_PASS_DEF_MATERIALIZEIFYIELDS
#include "tensorc/Transforms/Passes.h.inc"
} // namespace tensorc

using namespace mlir;

namespace {
/// Whether one-shot-bufferize may fail to type the if's result for yielded `v`: `v` is a view
/// (slice, reshape) of a buffer allocated inside the if, followed through the destinations that
/// ops in destination style write into, `scf.for` inits, casts and nested ifs; or `v` comes from
/// anything else (an `scf.while` result of tensorc-fuse-rows' reduction trees). Yields of new
/// buffers, and views of buffers from outside the if (arguments), bufferize fine.
bool needsCopy(Value v, scf::IfOp ifOp, bool viewed = false, int depth = 0) {
  if (depth > 64)
    return true;
  auto inside = [&](Operation *op) { return ifOp->isProperAncestor(op); };
  if (auto arg = dyn_cast<BlockArgument>(v))
    return viewed && inside(arg.getOwner()->getParentOp());
  Operation *def = v.getDefiningOp();
  if (!inside(def))
    return false;
  if (isa<tensor::EmptyOp>(def))
    return viewed;
  if (isa<tensor::ExtractSliceOp, tensor::CollapseShapeOp, tensor::ExpandShapeOp>(def))
    return needsCopy(def->getOperand(0), ifOp, true, depth + 1);
  if (auto cast = dyn_cast<tensor::CastOp>(def))
    return needsCopy(cast.getSource(), ifOp, viewed, depth + 1);
  if (auto dps = dyn_cast<DestinationStyleOpInterface>(def))
    return needsCopy(dps.getTiedOpOperand(cast<OpResult>(v))->get(), ifOp, viewed, depth + 1);
  if (auto loop = dyn_cast<scf::ForOp>(def))
    return needsCopy(loop.getInits()[cast<OpResult>(v).getResultNumber()], ifOp, viewed, depth + 1);
  if (auto nested = dyn_cast<scf::IfOp>(def)) {
    unsigned i = cast<OpResult>(v).getResultNumber();
    return !nested.elseBlock() || needsCopy(nested.thenYield().getOperand(i), ifOp, viewed, depth + 1) ||
           needsCopy(nested.elseYield().getOperand(i), ifOp, viewed, depth + 1);
  }
  return true;
}

struct MaterializeIfYieldsPass : tensorc::impl::MaterializeIfYieldsBase<MaterializeIfYieldsPass> {
  void runOnOperation() override {
    getOperation()->walk([](scf::IfOp ifOp) {
      if (!ifOp.elseBlock())
        return;
      for (scf::YieldOp yield : {ifOp.thenYield(), ifOp.elseYield()})
        for (OpOperand &operand : yield->getOpOperands()) {
          Value v = operand.get();
          auto type = dyn_cast<RankedTensorType>(v.getType());
          if (!type || !needsCopy(v, ifOp))
            continue;
          OpBuilder b(yield);
          Location loc = yield.getLoc();
          Value init = b.create<tensor::EmptyOp>(loc, tensor::getMixedSizes(b, loc, v), type.getElementType());
          if (init.getType() != type)
            init = b.create<tensor::CastOp>(loc, type, init);
          operand.set(b.create<linalg::CopyOp>(loc, v, init).getResult(0));
        }
    });
  }
};
} // namespace
