// tensorc-fuse: elementwise producers fused into consumers (reductions included) on linalg.
#include "tensorc/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tensorc {
#define GEN_PASS_DEF_FUSE
#include "tensorc/Transforms/Passes.h.inc"
} // namespace tensorc

using namespace mlir;

namespace {
struct FusePass : tensorc::impl::FuseBase<FusePass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet p(ctx);
    // Fuse whenever the producer is elementwise (upstream checks that the consumer's map for it is a
    // projected permutation); a producer with several consumers is recomputed in each of them, which
    // trades a little arithmetic for not storing and re-reading a tensor of the input's size.
    // Into a consumer with reduction loops only through a permutation: a matmul reads A[i, k] for
    // every j, so a fused producer of A would be recomputed N times (fuzz seed 12135: softplus of a
    // log_softmax inside the matmul's inner loop, a loop LLVM's loop vectorizer never finished on).
    // An elementwise consumer that broadcasts the producer recomputes it along the broadcast dims,
    // which costs less than storing and re-reading it.
    linalg::populateElementwiseOpsFusionPatterns(p, [](OpOperand *fused) {
      auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
      return !consumer || consumer.getNumReductionLoops() == 0 ||
             consumer.getMatchingIndexingMap(fused).isPermutation();
    });
    // Only fusion here: canonicalization runs after this pass in the pipeline (mixing the two let the
    // driver ping-pong on static-size casts of empty tensors).
    if (failed(applyPatternsGreedily(getOperation(), std::move(p))))
      signalPassFailure();
  }
};
} // namespace
