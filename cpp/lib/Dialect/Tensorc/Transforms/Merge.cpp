// tensorc-merge: common subexpression elimination and dead-op removal.
#include "tensorc/Dialect/Tensorc/Transforms/Passes.h"

#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/CSE.h"

namespace tensorc {
#define GEN_PASS_DEF_MERGE
#include "tensorc/Dialect/Tensorc/Transforms/Passes.h.inc"
} // namespace tensorc

using namespace mlir;

namespace {
struct MergePass : tensorc::impl::MergeBase<MergePass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    DominanceInfo dom(getOperation());
    eliminateCommonSubExpressions(rewriter, dom, getOperation());
    // Dead code: results nobody reads (the frontend emits only what outputs need, rewrites leave more).
    // Walk in post-order (users after their operands' definitions) and erase back to front, so a dead
    // user goes first and its operands' definitions may become dead in the same sweep.
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (op != getOperation() && op->getNumRegions() == 0)
        ops.push_back(op);
    });
    for (Operation *op : llvm::reverse(ops))
      if (isOpTriviallyDead(op))
        op->erase();
  }
};
} // namespace
