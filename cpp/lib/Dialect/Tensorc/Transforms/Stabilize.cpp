// tensorc-stabilize: numerically unstable expressions -> stable equivalents (see include/tensorc/Dialect/Tensorc/Transforms/Passes.td).
// Each rewrite is a named pattern; new ops take the location of the op they replace.
//
// Every pattern matches float element types only and never changes a result type: the ops it
// looks through must keep their operand's type (unary ops), a binary op with a constant must have
// the other operand's type (so the constant broadcasts nothing), and the new ops get the types of
// the values they replace. Types are compared for equality (not just compatibility), so that the
// new ops always verify.
#include "PatternUtils.h"
#include "tensorc/Dialect/Tensorc/Transforms/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tensorc {
#define GEN_PASS_DEF_STABILIZE
#include "tensorc/Dialect/Tensorc/Transforms/Passes.h.inc"
} // namespace tensorc

using namespace mlir;
using namespace tensorc;
using namespace tensorc::patterns;

namespace {
//===----------------------------------------------------------------------===//
// Matching helpers
//===----------------------------------------------------------------------===//
bool isFloat(Value v) { return isa<FloatType>(rankedOf(v).getElementType()); }

/// The op of type `U` that defines `v`, if it is a unary op whose result has its operand's type.
template <typename U>
U unaryOf(Value v) {
  auto op = v ? v.getDefiningOp<U>() : U();
  if (!op || op.getX().getType() != op.getType())
    return U();
  return op;
}

/// `w` when v = 1 + w or w + 1 (a splat 1) and the sum has w's type (the 1 broadcasts nothing).
Value onePlus(Value v) {
  auto add = v.getDefiningOp<AddOp>();
  if (!add)
    return {};
  if (isSplat(add.getLhs(), 1.0) && add.getRhs().getType() == add.getType())
    return add.getRhs();
  if (isSplat(add.getRhs(), 1.0) && add.getLhs().getType() == add.getType())
    return add.getLhs();
  return {};
}

/// `w` when v = 1 - w (a splat 1) and the difference has w's type.
Value oneMinus(Value v) {
  auto sub = v.getDefiningOp<SubOp>();
  if (!sub || !isSplat(sub.getLhs(), 1.0) || sub.getRhs().getType() != sub.getType())
    return {};
  return sub.getRhs();
}

/// -x, or y itself when x = -y already (so that sigmoid(-(-y)) is never built).
Value negated(PatternRewriter &rw, Location loc, Value x) {
  if (auto n = unaryOf<NegOp>(x))
    return n.getX();
  return rw.create<NegOp>(loc, x.getType(), x);
}


/// A 0-d i64 shape scalar as the frontend computes the length of `arange(n)`: `dim(v, axis)` or a
/// constant, seen through the arithmetic of arange's length formula `max(-((0 - n) // 1), 0)`
/// (neg, `0 - a`, `a - 0`, `a + 0`, `a * 1`, `a // 1`, and `max(a, 0)` of a value known >= 0).
struct ShapeTerm {
  DimOp dim;            // the size, when it is a dim op
  bool negated = false; // then it is -dim
  int64_t constant = 0; // the size, when it is a constant (dim is null)
};

std::optional<ShapeTerm> shapeTerm(Value v, int depth = 0) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  if (!t || t.getRank() != 0 || !isa<IntegerType>(t.getElementType()) || depth > 16)
    return std::nullopt;
  if (auto c = splatValue(v))
    return ShapeTerm{DimOp(), false, (int64_t)*c};
  if (auto d = v.getDefiningOp<DimOp>())
    return ShapeTerm{d, false, 0};
  auto flip = [](std::optional<ShapeTerm> s) {
    if (s) {
      s->negated = !s->negated;
      s->constant = -s->constant;
    }
    return s;
  };
  Operation *def = v.getDefiningOp();
  if (!def)
    return std::nullopt;
  if (auto n = dyn_cast<NegOp>(def))
    return flip(shapeTerm(n.getX(), depth + 1));
  if (auto s = dyn_cast<SubOp>(def)) {
    if (isSplat(s.getRhs(), 0))
      return shapeTerm(s.getLhs(), depth + 1);
    if (isSplat(s.getLhs(), 0))
      return flip(shapeTerm(s.getRhs(), depth + 1));
    return std::nullopt;
  }
  // Binary ops with an identity constant on one side (the frontend or canonicalize may put it on either).
  auto other = [&](Value lhs, Value rhs, double identity, bool eitherSide) -> Value {
    if (isSplat(rhs, identity))
      return lhs;
    if (eitherSide && isSplat(lhs, identity))
      return rhs;
    return {};
  };
  Value inner;
  if (auto a = dyn_cast<AddOp>(def))
    inner = other(a.getLhs(), a.getRhs(), 0, true);
  else if (auto m = dyn_cast<MulOp>(def))
    inner = other(m.getLhs(), m.getRhs(), 1, true);
  else if (auto f = dyn_cast<FloorDivOp>(def))
    inner = other(f.getLhs(), f.getRhs(), 1, false);
  if (inner)
    return shapeTerm(inner, depth + 1);
  if (auto mx = dyn_cast<MaxOp>(def)) {
    Value a = other(mx.getLhs(), mx.getRhs(), 0, true);
    if (!a)
      return std::nullopt;
    auto s = shapeTerm(a, depth + 1);
    if (!s)
      return std::nullopt;
    if (s->dim)
      return s->negated ? std::nullopt : s; // a size is >= 0, so max(size, 0) = size
    s->constant = std::max<int64_t>(s->constant, 0);
    return s;
  }
  return std::nullopt;
}

/// Whether `g` = gather(log_softmax(x, axis=1), [arange(n), labels], axis=0) for a 2-D float x and
/// 1-D labels, with n the number of labels (n = len(labels), or n = rows of x: the gather then
/// requires len(labels) == rows), i.e. g = log_softmax(x)[arange(len(y)), y].
bool matchGatheredLogSoftmax(Value g, Value &x, Value &labels) {
  auto gather = g.getDefiningOp<GatherOp>();
  if (!gather || gather.getAxis() != 0 || gather.getIndices().size() != 2)
    return false;
  auto ls = gather.getX().getDefiningOp<LogSoftmaxOp>();
  if (!ls || ls.getAxis() != 1)
    return false;
  x = ls.getX();
  labels = gather.getIndices()[1];
  auto xt = rankedOf(x), lt = rankedOf(labels), gt = rankedOf(g);
  if (xt.getRank() != 2 || !isa<FloatType>(xt.getElementType()) || lt.getRank() != 1)
    return false;
  // The cross-entropy's result: 1-D of the labels' length, in the logits' element type.
  if (gt.getRank() != 1 || gt.getElementType() != xt.getElementType() ||
      !dimsCompatible(gt.getDimSize(0), lt.getDimSize(0)))
    return false;
  auto ar = gather.getIndices()[0].getDefiningOp<ArangeOp>();
  if (!ar)
    return false;
  auto n = shapeTerm(ar.getN());
  if (!n)
    return false;
  if (n->dim) {
    if (n->negated || n->dim.getAxis() != 0)
      return false;
    Value of = n->dim.getX();
    auto labelsCast = labels.getDefiningOp<CastOp>(); // int32 labels are cast to the index type
    if (of == labels || (labelsCast && of == labelsCast.getX()))
      return true;
    // The rows of x, or of something computed from x elementwise or row by row (p.shape[0] for
    // p = log(softmax(x))): all have x's number of rows.
    while (of != x) {
      Operation *d = of.getDefiningOp();
      if (!d || !isa<SoftmaxOp, LogSoftmaxOp, LogOp, ExpOp, NegOp>(d))
        return false;
      of = d->getOperand(0);
    }
    return true;
  }
  return n->constant == lt.getDimSize(0) || n->constant == xt.getDimSize(0);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//
/// log(softmax(x, a)) -> log_softmax(x, a), also through single-use data movement between the two:
/// log(gather(transpose(softmax(x)))) -> gather(transpose(log_softmax(x))), each movement op kept
/// with its attributes, extra operands, result type and location.
struct LogOfSoftmax : NamedPattern<LogOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(LogOp op, PatternRewriter &rw) const override {
    if (!isFloat(op) || op.getType() != op.getX().getType())
      return failure();
    SmallVector<Operation *> chain; // from the log down to the softmax
    Value v = op.getX();
    SoftmaxOp sm;
    while (!(sm = v.getDefiningOp<SoftmaxOp>())) {
      Operation *d = v.getDefiningOp();
      if (!d || !isa<GatherOp, TransposeOp, SliceOp, ExpandDimsOp, SqueezeOp, ReshapeOp>(d) || !v.hasOneUse() ||
          chain.size() > 32)
        return failure();
      chain.push_back(d);
      v = d->getOperand(0);
    }
    Value cur = rw.create<LogSoftmaxOp>(op.getLoc(), sm.getType(), sm.getX(), sm.getAxisAttr());
    for (Operation *d : llvm::reverse(chain)) {
      IRMapping map;
      map.map(d->getOperand(0), cur);
      cur = rw.clone(*d, map)->getResult(0);
    }
    rw.replaceOp(op, cur);
    return success();
  }
};

/// Whether `reshape` only inserts a size-1 dim at `axis` ((n,) -> (n, 1) for `s.reshape(-1, 1)`):
/// the result's shape is the input's with a static 1 at `axis`. With two dynamic dims the sizes could
/// be refactored ((2, 3) -> (3, 1, 2) has the same types), so at most one may be dynamic.
bool insertsUnitDim(ReshapeOp reshape, int64_t axis) {
  auto in = rankedOf(reshape.getX()), out = rankedOf(reshape.getResult());
  if (out.getRank() != in.getRank() + 1 || axis < 0 || axis >= out.getRank() || out.getDimSize(axis) != 1 ||
      in.getNumDynamicDims() > 1)
    return false;
  for (int64_t d = 0, i = 0; d < out.getRank(); ++d)
    if (d != axis && out.getDimSize(d) != in.getDimSize(i++))
      return false;
  return true;
}

/// The reduction over one axis whose result broadcasts back along it that `v` is:
/// `R(x, [a], keepdims=true)`, or `expand_dims(R(x, [a], keepdims=false), [a])` (the frontend's
/// rank alignment of `e / e.sum(0)`, `e / e.sum()` of a vector included, and `s[:, None]`), or a
/// reshape that puts axis a back (`s.reshape(-1, 1)`). Null otherwise.
template <typename R>
R keptReduction(Value v) {
  if (auto r = v.getDefiningOp<R>())
    return r.getAxes().size() == 1 && r.getKeepdims() ? r : R();
  if (auto reshape = v.getDefiningOp<ReshapeOp>()) {
    auto r = reshape.getX().template getDefiningOp<R>();
    if (r && r.getAxes().size() == 1 && !r.getKeepdims() && insertsUnitDim(reshape, r.getAxes()[0]))
      return r;
    return R();
  }
  auto ed = v.getDefiningOp<ExpandDimsOp>();
  if (!ed || ed.getAxes().size() != 1)
    return R();
  auto r = ed.getX().template getDefiningOp<R>();
  if (!r || r.getAxes().size() != 1 || r.getKeepdims() || r.getAxes()[0] != ed.getAxes()[0])
    return R();
  return r;
}

/// x - logsumexp(x, axes=[a], keepdims=true) -> log_softmax(x, a); also with keepdims=false and an
/// expand_dims that puts axis a back.
struct SubLogSumExp : NamedPattern<SubOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(SubOp op, PatternRewriter &rw) const override {
    Value x = op.getLhs();
    if (!isFloat(x) || op.getType() != x.getType())
      return failure();
    auto lse = keptReduction<LogSumExpOp>(op.getRhs());
    if (!lse || lse.getX() != x)
      return failure();
    rw.replaceOpWithNewOp<LogSoftmaxOp>(op, op.getType(), x, (uint64_t)lse.getAxes()[0]);
    return success();
  }
};

/// x when `v = x - m` and m is max(x) over `axis`, kept for broadcasting (keepdims, expand_dims or a
/// reshape of the keepdims=false max: keptReduction): the shift NumPy code subtracts before exp.
Value maxShifted(Value v, int64_t axis) {
  auto sub = v ? v.getDefiningOp<SubOp>() : SubOp();
  if (!sub || sub.getLhs().getType() != sub.getType())
    return {};
  auto mx = keptReduction<ReduceMaxOp>(sub.getRhs());
  if (!mx || mx.getX() != sub.getLhs() || mx.getAxes()[0] != axis)
    return {};
  return sub.getLhs();
}

/// softmax as NumPy code spells it: exp(x) / sum(exp(x), axis=a, keepdims=True), and the max-shifted
/// e = exp(x - max(x, axis=a, keepdims=True)); e / sum(e, axis=a, keepdims=True) -> softmax(x, a).
/// The naive spelling overflows to inf/inf = nan from x ~ 89 (float32) on; the shifted one is
/// stable but takes three passes over memory. On a row holding +inf the result is softmax's (nan
/// for the row, as SciPy), where the naive formula gives nan beside zeros.
struct SpelledSoftmax : NamedPattern<DivOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(DivOp op, PatternRewriter &rw) const override {
    auto exp = unaryOf<ExpOp>(op.getLhs());
    if (!isFloat(op) || !exp || op.getType() != exp.getType())
      return failure();
    auto sum = keptReduction<ReduceSumOp>(op.getRhs());
    if (!sum || sum.getX() != exp.getResult())
      return failure();
    int64_t axis = sum.getAxes()[0];
    Value x = exp.getX();
    // exp(x - max(x)): softmax does not depend on a shift along its axis.
    if (Value unshifted = maxShifted(x, axis))
      x = unshifted;
    rw.replaceOpWithNewOp<SoftmaxOp>(op, op.getType(), x, (uint64_t)axis);
    return success();
  }
};

/// softmax(x - max(x, a, keepdims), a) -> softmax(x, a): softmax does not depend on a shift along its
/// axis and shifts internally. The results agree with NumPy's evaluation of the shifted form on special
/// values too (a row holding +inf, or only -inf, is nan either way). The same is not done for
/// log_softmax: on a row holding +inf, log_softmax(x) is -inf beside the nan (SciPy), while the shifted
/// spelling NumPy evaluates, (x - m) - log(sum(exp(x - m))), is nan everywhere, and so is
/// log_softmax(x - m): the spelled log_softmax keeps its shift (one fused subtraction). Likewise
/// `log(sum(exp(x - m))) + m` stays logsumexp(x - m) + m (NumPy's nan for rows of -inf or holding
/// +inf, where logsumexp(x) would give -inf / +inf).
struct DropSoftmaxShift : NamedPattern<SoftmaxOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(SoftmaxOp op, PatternRewriter &rw) const override {
    Value x = maxShifted(op.getX(), (int64_t)op.getAxis());
    if (!x || x.getType() != op.getType())
      return failure();
    rw.replaceOpWithNewOp<SoftmaxOp>(op, op.getType(), x, op.getAxisAttr());
    return success();
  }
};

/// log(reduce_sum(exp(x), axes, keepdims)) -> logsumexp(x, axes, keepdims) (max-shifted).
struct LogSumExpOfExp : NamedPattern<LogOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(LogOp op, PatternRewriter &rw) const override {
    auto sum = op.getX().getDefiningOp<ReduceSumOp>();
    if (!isFloat(op) || !sum || sum.getType() != op.getType() || sum.getAxes().empty())
      return failure();
    auto exp = unaryOf<ExpOp>(sum.getX());
    if (!exp)
      return failure();
    rw.replaceOpWithNewOp<LogSumExpOp>(op, op.getType(), exp.getX(), sum.getAxes(), sum.getKeepdims());
    return success();
  }
};

/// log(1 + x), log(x + 1) -> log1p(x)
struct LogOnePlus : NamedPattern<LogOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(LogOp op, PatternRewriter &rw) const override {
    if (!isFloat(op) || op.getX().getType() != op.getType())
      return failure();
    Value x = onePlus(op.getX());
    if (!x)
      return failure();
    rw.replaceOpWithNewOp<Log1pOp>(op, op.getType(), x);
    return success();
  }
};

/// exp(x) - 1 -> expm1(x)
struct ExpMinusOne : NamedPattern<SubOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(SubOp op, PatternRewriter &rw) const override {
    auto exp = unaryOf<ExpOp>(op.getLhs());
    if (!isFloat(op) || !exp || exp.getType() != op.getType() || !isSplat(op.getRhs(), 1.0))
      return failure();
    rw.replaceOpWithNewOp<Expm1Op>(op, op.getType(), exp.getX());
    return success();
  }
};

/// exp(x) + (-1), (-1) + exp(x) -> expm1(x) (the same rewrite as ExpMinusOne, written as an addition)
struct ExpPlusMinusOne : NamedPattern<AddOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(AddOp op, PatternRewriter &rw) const override {
    if (!isFloat(op))
      return failure();
    for (auto [e, c] : {std::pair(op.getLhs(), op.getRhs()), std::pair(op.getRhs(), op.getLhs())}) {
      auto exp = unaryOf<ExpOp>(e);
      if (exp && exp.getType() == op.getType() && isSplat(c, -1.0)) {
        rw.replaceOpWithNewOp<Expm1Op>(op, op.getType(), exp.getX());
        return success();
      }
    }
    return failure();
  }
};

/// log(sigmoid(x)) -> -softplus(-x)
struct LogSigmoid : NamedPattern<LogOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(LogOp op, PatternRewriter &rw) const override {
    auto sig = unaryOf<SigmoidOp>(op.getX());
    if (!isFloat(op) || !sig || sig.getType() != op.getType())
      return failure();
    Location loc = op.getLoc();
    Value sp = rw.create<SoftplusOp>(loc, op.getType(), negated(rw, loc, sig.getX()));
    rw.replaceOpWithNewOp<NegOp>(op, op.getType(), sp);
    return success();
  }
};

/// log(1 - sigmoid(x)) -> -softplus(x)
struct LogOneMinusSigmoid : NamedPattern<LogOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(LogOp op, PatternRewriter &rw) const override {
    if (!isFloat(op) || op.getX().getType() != op.getType())
      return failure();
    auto sig = unaryOf<SigmoidOp>(oneMinus(op.getX()));
    if (!sig)
      return failure();
    Value sp = rw.create<SoftplusOp>(op.getLoc(), op.getType(), sig.getX());
    rw.replaceOpWithNewOp<NegOp>(op, op.getType(), sp);
    return success();
  }
};

/// 1 - sigmoid(x) -> sigmoid(-x)
struct OneMinusSigmoid : NamedPattern<SubOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(SubOp op, PatternRewriter &rw) const override {
    if (!isFloat(op))
      return failure();
    auto sig = unaryOf<SigmoidOp>(oneMinus(op.getResult()));
    if (!sig)
      return failure();
    rw.replaceOpWithNewOp<SigmoidOp>(op, op.getType(), negated(rw, op.getLoc(), sig.getX()));
    return success();
  }
};

/// exp(x) / (1 + exp(x)) -> sigmoid(x) (one exp value, or two exp ops of the same x)
struct ExpRatioSigmoid : NamedPattern<DivOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(DivOp op, PatternRewriter &rw) const override {
    auto num = unaryOf<ExpOp>(op.getLhs());
    if (!isFloat(op) || !num || num.getType() != op.getType() || op.getRhs().getType() != op.getType())
      return failure();
    auto den = unaryOf<ExpOp>(onePlus(op.getRhs()));
    if (!den || (den != num && den.getX() != num.getX()))
      return failure();
    rw.replaceOpWithNewOp<SigmoidOp>(op, op.getType(), num.getX());
    return success();
  }
};

/// x when `v` = 1 + exp(-x) (either order) of v's type.
Value onePlusExpNeg(Value v) {
  auto exp = unaryOf<ExpOp>(onePlus(v));
  auto neg = exp ? unaryOf<NegOp>(exp.getX()) : NegOp();
  return neg ? neg.getX() : Value();
}

/// 1 / (1 + exp(-x)) -> sigmoid(x) (the NumPy spelling; the same value, one transcendental, and
/// fused like the op)
struct SpelledSigmoid : NamedPattern<DivOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(DivOp op, PatternRewriter &rw) const override {
    if (!isFloat(op) || !isSplat(op.getLhs(), 1.0) || op.getRhs().getType() != op.getType())
      return failure();
    Value x = onePlusExpNeg(op.getRhs());
    if (!x)
      return failure();
    rw.replaceOpWithNewOp<SigmoidOp>(op, op.getType(), x);
    return success();
  }
};

/// (1 + exp(-x)) ** -1 -> sigmoid(x) (tensorc-specialize, which would make the power a division, runs
/// after this pass)
struct SpelledSigmoidPow : NamedPattern<PowOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(PowOp op, PatternRewriter &rw) const override {
    if (!isFloat(op) || !isSplat(op.getRhs(), -1.0) || op.getLhs().getType() != op.getType())
      return failure();
    Value x = onePlusExpNeg(op.getLhs());
    if (!x)
      return failure();
    rw.replaceOpWithNewOp<SigmoidOp>(op, op.getType(), x);
    return success();
  }
};

/// log(exp(a) + exp(b)) -> logaddexp(a, b) as tc.logaddexp computes it (NumPy's npy_logaddexp):
/// where(a == b, a + log(2), max(a, b) + log1p(exp(-|a - b|))). The spelled form overflows to inf
/// from a ~ 89 (float32) on and underflows to -inf below ~ -104; only operands of the result's type
/// (no broadcasting between them).
struct SpelledLogAddExp : NamedPattern<LogOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(LogOp op, PatternRewriter &rw) const override {
    auto add = op.getX().getDefiningOp<AddOp>();
    if (!isFloat(op) || !add || add.getType() != op.getType())
      return failure();
    auto ea = unaryOf<ExpOp>(add.getLhs()), eb = unaryOf<ExpOp>(add.getRhs());
    if (!ea || !eb || ea.getType() != op.getType() || eb.getType() != op.getType())
      return failure();
    Value a = ea.getX(), b = eb.getX();
    Location loc = op.getLoc();
    Type t = op.getType();
    auto tt = cast<RankedTensorType>(t);
    Value gap = rw.create<NegOp>(loc, t, rw.create<AbsOp>(loc, t, rw.create<SubOp>(loc, t, a, b)));
    Value general = rw.create<AddOp>(loc, t, rw.create<MaxOp>(loc, t, a, b),
                                     rw.create<Log1pOp>(loc, t, rw.create<ExpOp>(loc, t, gap)));
    Value equal = rw.create<EqOp>(loc, RankedTensorType::get(tt.getShape(), rw.getI1Type()), a, b);
    Value twice = rw.create<AddOp>(loc, t, a, unitSplat(rw, loc, a, 0.6931471805599453));
    rw.replaceOpWithNewOp<SelectOp>(op, t, equal, twice, general);
    return success();
  }
};

/// log1p(exp(x)) -> softplus(x)
struct Log1pExp : NamedPattern<Log1pOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(Log1pOp op, PatternRewriter &rw) const override {
    auto exp = unaryOf<ExpOp>(op.getX());
    if (!isFloat(op) || !exp || exp.getType() != op.getType())
      return failure();
    rw.replaceOpWithNewOp<SoftplusOp>(op, op.getType(), exp.getX());
    return success();
  }
};

/// log(1 - exp(x)) -> log1mexp(x), log(-expm1(x)) -> log1mexp(x)
struct LogOneMinusExp : NamedPattern<LogOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(LogOp op, PatternRewriter &rw) const override {
    if (!isFloat(op) || op.getX().getType() != op.getType())
      return failure();
    Value x;
    if (auto exp = unaryOf<ExpOp>(oneMinus(op.getX())))
      x = exp.getX();
    else if (auto neg = unaryOf<NegOp>(op.getX()))
      if (auto em1 = unaryOf<Expm1Op>(neg.getX()))
        x = em1.getX();
    if (!x)
      return failure();
    rw.replaceOpWithNewOp<Log1mexpOp>(op, op.getType(), x);
    return success();
  }
};

/// log1p(-exp(x)) -> log1mexp(x)
struct Log1pNegExp : NamedPattern<Log1pOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(Log1pOp op, PatternRewriter &rw) const override {
    auto neg = unaryOf<NegOp>(op.getX());
    auto exp = neg ? unaryOf<ExpOp>(neg.getX()) : ExpOp();
    if (!isFloat(op) || !exp || exp.getType() != op.getType())
      return failure();
    rw.replaceOpWithNewOp<Log1mexpOp>(op, op.getType(), exp.getX());
    return success();
  }
};

/// -(log_softmax(x, axis=1)[arange(n), y]) -> softmax_cross_entropy(x, y), and the same under a mean
/// or sum of the gathered vector: -(reduce_mean(...)) -> reduce_mean(softmax_cross_entropy(x, y)).
/// The gather (and the reduction) must have no other use, or the rewrite would compute them twice.
struct SoftmaxCrossEntropy : NamedPattern<NegOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(NegOp op, PatternRewriter &rw) const override {
    if (!isFloat(op) || op.getX().getType() != op.getType())
      return failure();
    Value x, labels, g = op.getX();
    if (g.hasOneUse() && matchGatheredLogSoftmax(g, x, labels)) {
      rw.replaceOpWithNewOp<SoftmaxCrossEntropyOp>(op, op.getType(), x, labels);
      return success();
    }
    Operation *red = g.getDefiningOp();
    if (!red || !isa<ReduceMeanOp, ReduceSumOp>(red) || !g.hasOneUse())
      return failure();
    g = red->getOperand(0);
    if (!g.hasOneUse() || !matchGatheredLogSoftmax(g, x, labels))
      return failure();
    Location loc = op.getLoc();
    Value ce = rw.create<SoftmaxCrossEntropyOp>(loc, g.getType(), x, labels);
    if (auto mean = dyn_cast<ReduceMeanOp>(red))
      rw.replaceOpWithNewOp<ReduceMeanOp>(op, op.getType(), ce, mean.getAxes(), mean.getKeepdims());
    else {
      auto sum = cast<ReduceSumOp>(red);
      rw.replaceOpWithNewOp<ReduceSumOp>(op, op.getType(), ce, sum.getAxes(), sum.getKeepdims());
    }
    return success();
  }
};

void populateStabilizations(RewritePatternSet &p) {
  MLIRContext *ctx = p.getContext();
  // Benefits: where a larger pattern and one of its sub-patterns match the same root, the larger wins.
  p.add<LogOfSoftmax>(ctx, "log-softmax");
  p.add<SubLogSumExp>(ctx, "sub-logsumexp");
  p.add<LogSumExpOfExp>(ctx, "logsumexp");
  p.add<SpelledSoftmax>(ctx, "spelled-softmax");
  p.add<DropSoftmaxShift>(ctx, "softmax-shift");
  p.add<SpelledSigmoid, SpelledSigmoidPow>(ctx, "spelled-sigmoid");
  p.add<SpelledLogAddExp>(ctx, "spelled-logaddexp");
  p.add<LogOnePlus>(ctx, "log1p");
  p.add<ExpMinusOne, ExpPlusMinusOne>(ctx, "expm1");
  p.add<LogSigmoid>(ctx, "log-sigmoid");
  p.add<LogOneMinusSigmoid>(ctx, "log-one-minus-sigmoid", /*benefit=*/2);
  p.add<OneMinusSigmoid>(ctx, "one-minus-sigmoid");
  p.add<ExpRatioSigmoid>(ctx, "exp-ratio-sigmoid");
  p.add<Log1pExp>(ctx, "softplus");
  p.add<LogOneMinusExp, Log1pNegExp>(ctx, "log1mexp", /*benefit=*/3);
  p.add<SoftmaxCrossEntropy>(ctx, "softmax-cross-entropy", /*benefit=*/3);
}

struct StabilizePass : PatternPass<tensorc::impl::StabilizeBase, StabilizePass> {
  using PatternPass::PatternPass;
  void populate(RewritePatternSet &p) const { populateStabilizations(p); }
};
} // namespace

std::vector<std::string> tensorc::stabilizeRewriteNames() { return patternNames(populateStabilizations); }
