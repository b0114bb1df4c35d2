// tensorc-specialize: cheaper special cases of general ops.
#include "PatternUtils.h"
#include "tensorc/Dialect/Tensorc/Transforms/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace tensorc {
#define GEN_PASS_DEF_SPECIALIZE
#include "tensorc/Dialect/Tensorc/Transforms/Passes.h.inc"
} // namespace tensorc

using namespace mlir;
using namespace tensorc;
using namespace tensorc::patterns;

namespace {
/// x ** c for c in {2, 0.5, 1, -1}; the result must keep x's type (no broadcasting by the exponent).
struct PowByConstant : NamedPattern<PowOp> {
  PowByConstant(MLIRContext *ctx, StringRef name, double exponent) : NamedPattern(ctx, name), exponent(exponent) {}
  LogicalResult matchAndRewrite(PowOp op, PatternRewriter &rw) const override {
    Value x = op.getLhs();
    if (!isSplat(op.getRhs(), exponent) || x.getType() != op.getType())
      return failure();
    bool isFloatElt = isa<FloatType>(op.getType().getElementType());
    Location loc = op.getLoc();
    if (exponent == 2)
      rw.replaceOpWithNewOp<MulOp>(op, op.getType(), x, x);
    else if (exponent == 1)
      rw.replaceOp(op, x);
    else if (exponent == 0.5 && isFloatElt)
      rw.replaceOpWithNewOp<SqrtOp>(op, op.getType(), x);
    else if (exponent == -1 && isFloatElt)
      rw.replaceOpWithNewOp<DivOp>(op, op.getType(), unitSplat(rw, loc, x, 1.0), x);
    else
      return failure();
    return success();
  }
  double exponent;
};

/// x / c -> x * (1/c) when 1/c is exact (c a power of two), so the rewrite changes no bits.
struct DivByPowerOfTwo : NamedPattern<DivOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(DivOp op, PatternRewriter &rw) const override {
    auto c = splatValue(op.getRhs());
    if (!c || *c == 0 || !std::isfinite(*c))
      return failure();
    int exp;
    double mant = std::frexp(*c, &exp);
    if (std::fabs(mant) != 0.5)
      return failure();
    auto ct = rankedOf(op.getRhs());
    Value inv = splatConstant(rw, op.getLoc(), ct, 1.0 / *c);
    rw.replaceOpWithNewOp<MulOp>(op, op.getType(), op.getLhs(), inv);
    return success();
  }
};

void populateSpecializations(RewritePatternSet &p) {
  MLIRContext *ctx = p.getContext();
  p.add<PowByConstant>(ctx, "pow-square", 2.0);
  p.add<PowByConstant>(ctx, "pow-sqrt", 0.5);
  p.add<PowByConstant>(ctx, "pow-one", 1.0);
  p.add<PowByConstant>(ctx, "pow-reciprocal", -1.0);
  p.add<DivByPowerOfTwo>(ctx, "div-by-power-of-two");
}

struct SpecializePass : PatternPass<tensorc::impl::SpecializeBase, SpecializePass> {
  using PatternPass::PatternPass;
  void populate(RewritePatternSet &p) const { populateSpecializations(p); }
};
} // namespace

std::vector<std::string> tensorc::specializeRewriteNames() { return patternNames(populateSpecializations); }
