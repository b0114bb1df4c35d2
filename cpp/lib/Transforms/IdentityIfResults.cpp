// tensorc-identity-if-results: identity layouts for bufferized scf.if results, and no copy to return
// them (Passes.td has why).
#include "tensorc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace tensorc {
#define GEN_PASS_DEF_IDENTITYIFRESULTS
#include "tensorc/Transforms/Passes.h.inc"
} // namespace tensorc

using namespace mlir;

namespace {
Value throughCasts(Value v) {
  while (auto cast = v.getDefiningOp<memref::CastOp>())
    v = cast.getSource();
  return v;
}

bool hasIdentityLayout(Value v) {
  auto type = dyn_cast<MemRefType>(v.getType());
  return type && type.getLayout().isIdentity();
}

/// Retypes result `i` of `ifOp` to `identity` when every branch yields an identity-layout buffer.
bool retype(scf::IfOp ifOp, unsigned i) {
  auto type = dyn_cast<MemRefType>(ifOp.getResult(i).getType());
  if (!type || type.getLayout().isIdentity() || !ifOp.elseBlock())
    return false;
  auto identity = MemRefType::get(type.getShape(), type.getElementType(), MemRefLayoutAttrInterface(),
                                  type.getMemorySpace());
  for (scf::YieldOp yield : {ifOp.thenYield(), ifOp.elseYield()}) {
    Value v = throughCasts(yield.getOperand(i));
    if (!hasIdentityLayout(v) || !memref::CastOp::areCastCompatible(v.getType(), identity))
      return false;
  }
  for (scf::YieldOp yield : {ifOp.thenYield(), ifOp.elseYield()}) {
    OpBuilder b(yield);
    Value v = throughCasts(yield.getOperand(i));
    if (v.getType() != identity)
      v = b.create<memref::CastOp>(yield.getLoc(), identity, v);
    yield->setOperand(i, v);
  }
  Value result = ifOp.getResult(i);
  result.setType(identity);
  OpBuilder b(ifOp->getContext());
  b.setInsertionPointAfter(ifOp);
  auto back = b.create<memref::CastOp>(ifOp.getLoc(), type, result);
  result.replaceAllUsesExcept(back, back);
  return true;
}

/// `%a = memref.alloc; memref.copy %x, %a; return %a` -> `return %x` (see Passes.td).
void forwardReturnCopies(func::FuncOp fn) {
  fn.walk([](func::ReturnOp ret) {
    for (OpOperand &operand : ret->getOpOperands()) {
      auto alloc = operand.get().getDefiningOp<memref::AllocOp>();
      if (!alloc || alloc->getBlock() != ret->getBlock())
        continue;
      memref::CopyOp copy;
      bool otherUse = false;
      for (Operation *user : alloc->getUsers()) {
        if (auto c = dyn_cast<memref::CopyOp>(user); c && c.getTarget() == alloc && !copy)
          copy = c;
        else if (user != ret.getOperation())
          otherUse = true;
      }
      if (!copy || otherUse || copy->getBlock() != ret->getBlock())
        continue;
      Value source = throughCasts(copy.getSource());
      Operation *def = source.getDefiningOp();
      if (!def || !isa<scf::IfOp, memref::AllocOp>(def) || !hasIdentityLayout(source) ||
          !memref::CastOp::areCastCompatible(source.getType(), alloc.getType()))
        continue;
      // Nothing between the copy and the return may write the source: only sizes, casts and the
      // other results' allocations and copies into them are allowed there.
      bool onlyHarmless = true;
      for (Operation *op = copy->getNextNode(); op && op != ret.getOperation(); op = op->getNextNode()) {
        auto c = dyn_cast<memref::CopyOp>(op);
        onlyHarmless &= isa<memref::DimOp, memref::CastOp, memref::AllocOp>(op) ||
                        (c && c.getTarget().getDefiningOp<memref::AllocOp>());
      }
      if (!onlyHarmless)
        continue;
      OpBuilder b(ret);
      Value forwarded = source;
      if (forwarded.getType() != alloc.getType())
        forwarded = b.create<memref::CastOp>(ret.getLoc(), alloc.getType(), forwarded);
      operand.set(forwarded);
      copy.erase();
      alloc.erase();
    }
  });
}

struct IdentityIfResultsPass : tensorc::impl::IdentityIfResultsBase<IdentityIfResultsPass> {
  void runOnOperation() override {
    // Post-order: a nested if is retyped before the if that yields its result.
    getOperation().walk([](scf::IfOp ifOp) {
      for (unsigned i = 0; i < ifOp.getNumResults(); ++i)
        retype(ifOp, i);
    });
    forwardReturnCopies(getOperation());
  }
};
} // namespace
