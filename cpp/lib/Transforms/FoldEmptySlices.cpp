// tensorc-fold-empty-slices: slices with a static 0 in their shape become tensor.empty.
#include "tensorc/Transforms/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tensorc {
#define GEN_PASS_DEF_FOLDEMPTYSLICES
#include "tensorc/Transforms/Passes.h.inc"
} // namespace tensorc

using namespace mlir;

namespace {
struct EmptySliceToEmpty : OpRewritePattern<tensor::ExtractSliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tensor::ExtractSliceOp op, PatternRewriter &rw) const override {
    RankedTensorType type = op.getResultType();
    if (!llvm::is_contained(type.getShape(), 0))
      return rw.notifyMatchFailure(op, "the slice may hold elements");
    // The dynamic dims of the result are the dynamic sizes of the slice, in order (dims a
    // rank-reducing slice drops are static 1s).
    SmallVector<Value> dynamic;
    for (OpFoldResult size : op.getMixedSizes())
      if (auto v = dyn_cast<Value>(size))
        dynamic.push_back(v);
    if ((int64_t)dynamic.size() != type.getNumDynamicDims())
      return rw.notifyMatchFailure(op, "sizes do not map onto the result's dynamic dims");
    rw.replaceOpWithNewOp<tensor::EmptyOp>(op, type, dynamic);
    return success();
  }
};

struct FoldEmptySlicesPass : tensorc::impl::FoldEmptySlicesBase<FoldEmptySlicesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<EmptySliceToEmpty>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
