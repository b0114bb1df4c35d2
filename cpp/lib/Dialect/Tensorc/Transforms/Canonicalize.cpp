// tensorc-canonicalize: algebraic simplifications + every op's folders and canonicalization patterns.
#include "PatternUtils.h"
#include "tensorc/Dialect/Tensorc/Transforms/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace tensorc {
#define GEN_PASS_DEF_CANONICALIZE
#include "tensorc/Dialect/Tensorc/Transforms/Passes.h.inc"
} // namespace tensorc

using namespace mlir;
using namespace tensorc;
using namespace tensorc::patterns;

namespace {
/// x op c -> x when c is the identity of op and the result keeps x's type (no broadcast happens).
template <typename OpT>
struct DropIdentityOperand : NamedPattern<OpT> {
  DropIdentityOperand(MLIRContext *ctx, StringRef name, double identity, bool eitherSide)
      : NamedPattern<OpT>(ctx, name), identity(identity), eitherSide(eitherSide) {}
  LogicalResult matchAndRewrite(OpT op, PatternRewriter &rw) const override {
    Value lhs = op.getLhs(), rhs = op.getRhs();
    if (isSplat(rhs, identity) && lhs.getType() == op.getType()) {
      rw.replaceOp(op, lhs);
      return success();
    }
    if (eitherSide && isSplat(lhs, identity) && rhs.getType() == op.getType()) {
      rw.replaceOp(op, rhs);
      return success();
    }
    return failure();
  }
  double identity;
  bool eitherSide;
};

/// f(f(x)) -> x for involutions / inverse pairs: -(-x), log(exp(x)).
template <typename OuterOp, typename InnerOp>
struct CancelInverse : NamedPattern<OuterOp> {
  using NamedPattern<OuterOp>::NamedPattern;
  LogicalResult matchAndRewrite(OuterOp op, PatternRewriter &rw) const override {
    auto inner = op.getX().template getDefiningOp<InnerOp>();
    if (!inner || inner.getX().getType() != op.getType())
      return failure();
    rw.replaceOp(op, inner.getX());
    return success();
  }
};

/// Ops whose results are never negative, so exp(log(x)) == x holds for them (log(0) = -inf, exp(-inf) = 0).
bool knownNonNegative(Value v) {
  Operation *def = v.getDefiningOp();
  if (!def)
    return false;
  if (isa<ExpOp, SigmoidOp, SoftmaxOp, SqrtOp, AbsOp, SoftplusOp>(def))
    return true;
  auto s = splatValue(v);
  return s && *s >= 0;
}

struct ExpOfLog : NamedPattern<ExpOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(ExpOp op, PatternRewriter &rw) const override {
    auto log = op.getX().getDefiningOp<LogOp>();
    if (!log || !knownNonNegative(log.getX()) || log.getX().getType() != op.getType())
      return failure();
    rw.replaceOp(op, log.getX());
    return success();
  }
};

/// Commutative ops list their operands in one canonical order (constants last, then by definition order),
/// so that `a*b` and `b*a` become the same op and tensorc-merge keeps one.
bool comesBefore(Value a, Value b) {
  bool ca = matchPattern(a, m_Constant()), cb = matchPattern(b, m_Constant());
  if (ca != cb)
    return cb; // non-constants first
  auto aa = dyn_cast<BlockArgument>(a), ba = dyn_cast<BlockArgument>(b);
  if (aa && ba)
    return aa.getArgNumber() < ba.getArgNumber();
  if (aa || ba)
    return (bool)aa; // arguments before op results
  Operation *da = a.getDefiningOp(), *db = b.getDefiningOp();
  if (da == db)
    return cast<OpResult>(a).getResultNumber() < cast<OpResult>(b).getResultNumber();
  if (da->getBlock() != db->getBlock())
    return false;
  return da->isBeforeInBlock(db);
}

struct SortCommutativeOperands : RewritePattern {
  SortCommutativeOperands(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {
    setDebugName("commutative-order");
  }
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rw) const override {
    if (!isa<TensorcDialect>(op->getDialect()) || !op->hasTrait<OpTrait::IsCommutative>() ||
        op->getNumOperands() != 2)
      return failure();
    Value a = op->getOperand(0), b = op->getOperand(1);
    if (a == b || !comesBefore(b, a))
      return failure();
    rw.modifyOpInPlace(op, [&] {
      op->setOperand(0, b);
      op->setOperand(1, a);
    });
    return success();
  }
};

/// Elementwise ops whose operands are all splat constants fold to a splat constant (static result type).
struct FoldSplatElementwise : RewritePattern {
  FoldSplatElementwise(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {
    setDebugName("fold-constants");
  }
  static std::optional<double> apply(Operation *op, ArrayRef<double> v, bool isInt) {
    auto intOr = [&](double r) -> std::optional<double> { return isInt ? std::trunc(r) : r; };
    if (isa<AddOp>(op)) return v[0] + v[1];
    if (isa<SubOp>(op)) return v[0] - v[1];
    if (isa<MulOp>(op)) return v[0] * v[1];
    // NumPy's maximum/minimum: NaN propagates; of equal values (signed zeros) the second, as the
    // compiled code does (Conversion/TensorcToLinalg/Elementwise.cpp).
    if (isa<MaxOp>(op)) return std::isnan(v[0]) || std::isnan(v[1]) ? NAN : v[0] > v[1] ? v[0] : v[1];
    if (isa<MinOp>(op)) return std::isnan(v[0]) || std::isnan(v[1]) ? NAN : v[0] < v[1] ? v[0] : v[1];
    if (isa<NegOp>(op)) return -v[0];
    if (isa<AbsOp>(op)) return std::fabs(v[0]);
    if (isInt)
      return std::nullopt; // integer division, powers, ... keep their run-time semantics
    if (isa<DivOp>(op)) return intOr(v[0] / v[1]);
    if (isa<PowOp>(op)) return std::pow(v[0], v[1]);
    if (isa<ExpOp>(op)) return std::exp(v[0]);
    if (isa<LogOp>(op)) return std::log(v[0]);
    if (isa<Log1pOp>(op)) return std::log1p(v[0]);
    if (isa<Expm1Op>(op)) return std::expm1(v[0]);
    if (isa<SqrtOp>(op)) return std::sqrt(v[0]);
    if (isa<TanhOp>(op)) return std::tanh(v[0]);
    if (isa<SinOp>(op)) return std::sin(v[0]);
    if (isa<CosOp>(op)) return std::cos(v[0]);
    return std::nullopt;
  }
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rw) const override {
    if (!isa<TensorcDialect>(op->getDialect()) || op->getNumResults() != 1 || op->getNumOperands() == 0 ||
        op->getNumOperands() > 2)
      return failure();
    auto rt = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!rt || !rt.hasStaticShape() || rt.getElementType().isInteger(1))
      return failure();
    SmallVector<double> vals;
    for (Value v : op->getOperands()) {
      auto s = splatValue(v);
      if (!s || rankedOf(v).getElementType() != rt.getElementType())
        return failure();
      vals.push_back(*s);
    }
    bool isInt = isa<IntegerType>(rt.getElementType());
    auto r = apply(op, vals, isInt);
    if (!r)
      return failure();
    if (isInt) {
      // Folded in double: only when exact and in range; wrapping and large int64s keep their
      // run-time semantics.
      unsigned width = rt.getElementType().getIntOrFloatBitWidth();
      double limit = std::ldexp(1.0, std::min(width - 1, 53u));
      for (double x : vals)
        if (!(std::fabs(x) < limit))
          return failure();
      if (!(*r >= -limit && *r < limit))
        return failure();
    }
    // Round through the element type exactly as the compiled code would.
    double value = *r;
    if (rt.getElementType().isF32())
      value = (double)(float)value;
    rw.replaceOp(op, splatConstant(rw, op->getLoc(), rt, value));
    return success();
  }
};

void populateTensorcCanonicalizations(RewritePatternSet &p) {
  MLIRContext *ctx = p.getContext();
  p.add<DropIdentityOperand<AddOp>>(ctx, "add-zero", 0.0, true);
  p.add<DropIdentityOperand<SubOp>>(ctx, "sub-zero", 0.0, false);
  p.add<DropIdentityOperand<MulOp>>(ctx, "mul-one", 1.0, true);
  p.add<DropIdentityOperand<DivOp>>(ctx, "div-one", 1.0, false);
  p.add<CancelInverse<NegOp, NegOp>>(ctx, "double-negation");
  p.add<CancelInverse<LogOp, ExpOp>>(ctx, "log-exp");
  p.add<CancelInverse<NotOp, NotOp>>(ctx, "double-not");
  p.add<ExpOfLog>(ctx, "exp-log");
  p.add<SortCommutativeOperands>(ctx);
  p.add<FoldSplatElementwise>(ctx);
}

struct CanonicalizePass : PatternPass<tensorc::impl::CanonicalizeBase, CanonicalizePass> {
  using PatternPass::PatternPass;
  /// tensorc's simplifications together with every loaded dialect's and op's canonicalizations.
  void populate(RewritePatternSet &p) const {
    MLIRContext *ctx = p.getContext();
    populateTensorcCanonicalizations(p);
    for (Dialect *d : ctx->getLoadedDialects())
      d->getCanonicalizationPatterns(p);
    for (RegisteredOperationName op : ctx->getRegisteredOperations())
      op.getCanonicalizationPatterns(p, ctx);
  }
};
} // namespace

std::vector<std::string> tensorc::canonicalizeRewriteNames() {
  return patternNames(populateTensorcCanonicalizations);
}
