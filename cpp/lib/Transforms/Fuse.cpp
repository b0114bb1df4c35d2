// tensorc-fuse: elementwise producers fused into consumers (reductions included) on linalg, and
// transposes folded into the maps of the generics that read them.
#include "tensorc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tensorc {
#define GEN_PASS_DEF_FUSE
#include "tensorc/Transforms/Passes.h.inc"
} // namespace tensorc

using namespace mlir;

namespace {
/// A transpose read by a generic is folded into the generic's indexing map for it: the consumer
/// reads the transpose's input in permuted order instead of a transposed copy. This costs no
/// arithmetic, so unlike elementwise producers it is folded into consumers with reduction loops
/// too: `a.T @ b` (as the backward pass writes it) becomes one matmul reading `a` by columns, which
/// tensorc-matmul-to-blas hands to BLAS as a transposed operand.
struct FoldTransposeIntoGeneric : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::GenericOp g, PatternRewriter &rewriter) const override {
    for (OpOperand *in : g.getDpsInputOperands()) {
      auto t = in->get().getDefiningOp<linalg::TransposeOp>();
      if (!t || !t.hasPureTensorSemantics())
        continue;
      // result[i] = input[perm[i]] (dim i of the result is dim perm[i] of the input): reading the
      // result at m(loops) is reading the input at the index whose dim perm[i] is m's result i.
      ArrayRef<int64_t> perm = t.getPermutation();
      AffineMap m = g.getMatchingIndexingMap(in);
      SmallVector<AffineExpr> exprs(perm.size());
      for (auto [i, p] : llvm::enumerate(perm))
        exprs[p] = m.getResult(i);
      SmallVector<AffineMap> maps = g.getIndexingMapsArray();
      maps[in->getOperandNumber()] = AffineMap::get(m.getNumDims(), m.getNumSymbols(), exprs, g.getContext());
      rewriter.modifyOpInPlace(g, [&] {
        in->set(t.getInput());
        g.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
      });
      return success();
    }
    return failure();
  }
};

/// Whether the body of `g` computes a function that costs a polynomial or a libm call per element
/// (math.exp, log, sin, tanh, erf, powf, ...), as opposed to a few instructions (abs, sqrt, fma,
/// rounding).
bool isTranscendental(linalg::GenericOp g) {
  return g.getBody()
      ->walk([](Operation *op) {
        if (op->getDialect() && op->getDialect()->getNamespace() == "math" &&
            !isa<math::AbsFOp, math::AbsIOp, math::FmaOp, math::CopySignOp, math::SqrtOp, math::RsqrtOp, math::FloorOp,
                 math::CeilOp, math::RoundOp, math::RoundEvenOp, math::TruncOp>(op))
          return WalkResult::interrupt();
        return WalkResult::advance();
      })
      .wasInterrupted();
}

/// Whether the body of `g` costs more per element than storing and re-reading its result: a
/// transcendental, a square root or a division (vsqrtps and vdivps take 10-20 cycles per vector, a
/// store and a load from cache about one).
bool isCostly(linalg::GenericOp g) {
  if (isTranscendental(g))
    return true;
  return g.getBody()
      ->walk([](Operation *op) {
        if (isa<math::SqrtOp, math::RsqrtOp, arith::DivFOp, arith::RemFOp, arith::DivSIOp, arith::DivUIOp,
                arith::RemSIOp, arith::RemUIOp, arith::FloorDivSIOp, arith::CeilDivSIOp, arith::CeilDivUIOp>(op))
          return WalkResult::interrupt();
        return WalkResult::advance();
      })
      .wasInterrupted();
}

/// Whether `v` is read by a linalg op with reduction loops and by some other op.
bool readByReductionAndOther(Value v) {
  bool reduction = false;
  llvm::SmallPtrSet<Operation *, 4> users;
  for (Operation *user : v.getUsers()) {
    users.insert(user);
    if (auto l = dyn_cast<linalg::LinalgOp>(user))
      reduction |= l.getNumReductionLoops() != 0;
  }
  return reduction && users.size() > 1;
}

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
    // which costs less than storing and re-reading it, unless the producer is costly (isCostly):
    // layernorm's 1 / sqrt(var + eps) is one value per row, not one per element.
    //
    // Not recomputed: a transcendental producer (exp, log, tanh, ...) read by a reduction and by
    // another op, as softmax's e = exp(x - m) is by its sum and by e / sum. There the second exp
    // would be most of the cost, while tensorc-fuse-rows puts the producer, the sum and the other
    // reader in one row block, where e is stored once and re-read from cache (its two fused copies
    // are one after CSE).
    linalg::populateElementwiseOpsFusionPatterns(p, [](OpOperand *fused) {
      auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
      auto producer = fused->get().getDefiningOp<linalg::GenericOp>();
      if (consumer && !consumer.getMatchingIndexingMap(fused).isPermutation() &&
          (consumer.getNumReductionLoops() != 0 || (producer && isCostly(producer))))
        return false;
      return !producer || !isTranscendental(producer) || !readByReductionAndOther(fused->get());
    });
    p.add<FoldTransposeIntoGeneric>(ctx);
    // Only fusion here: canonicalization runs after this pass in the pipeline (mixing the two let the
    // driver ping-pong on static-size casts of empty tensors).
    if (failed(applyPatternsGreedily(getOperation(), std::move(p))))
      signalPassFailure();
  }
};
} // namespace
