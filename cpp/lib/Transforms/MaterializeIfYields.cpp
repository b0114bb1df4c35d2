// tensorc-materialize-if-yields: copy scf.if yields of unknown buffer layout (Passes.td has why).
#include "tensorc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
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
/// Whether one-shot-bufferize types the buffer of `v` from an allocation or a function argument,
/// followed through views (slices, reshapes, casts), the destinations that ops in destination style
/// write into, `scf.for` inits and both branches of an `scf.if`. Anything else (an `scf.while`
/// result of tensorc-fuse-rows' reduction trees) is unknown while the if is bufferized.
bool hasKnownLayout(Value v, int depth = 0) {
  if (depth > 64)
    return false;
  if (auto arg = dyn_cast<BlockArgument>(v))
    return isa<func::FuncOp>(arg.getOwner()->getParentOp());
  Operation *def = v.getDefiningOp();
  if (isa<tensor::EmptyOp>(def))
    return true;
  if (isa<tensor::CastOp, tensor::ExtractSliceOp, tensor::CollapseShapeOp, tensor::ExpandShapeOp>(def))
    return hasKnownLayout(def->getOperand(0), depth + 1);
  if (auto dps = dyn_cast<DestinationStyleOpInterface>(def))
    return hasKnownLayout(dps.getTiedOpOperand(cast<OpResult>(v))->get(), depth + 1);
  if (auto loop = dyn_cast<scf::ForOp>(def))
    return hasKnownLayout(loop.getInits()[cast<OpResult>(v).getResultNumber()], depth + 1);
  if (auto ifOp = dyn_cast<scf::IfOp>(def)) {
    unsigned i = cast<OpResult>(v).getResultNumber();
    return ifOp.elseBlock() && hasKnownLayout(ifOp.thenYield().getOperand(i), depth + 1) &&
           hasKnownLayout(ifOp.elseYield().getOperand(i), depth + 1);
  }
  return false;
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
          if (!type || hasKnownLayout(v))
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
