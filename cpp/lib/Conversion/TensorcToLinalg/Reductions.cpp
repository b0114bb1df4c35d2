// Lowering of reductions (sum, prod, mean, max, min, argmax, argmin) and of softmax, log_softmax and
// logsumexp, which are built from max-shifted reductions.
//
// Accurate sums. A float sum written as one loop (vectorized, LLVM keeps VF x interleave lanes) has
// an error that grows linearly with its length; in float32 a lane stops growing at 2**24, so a sum of
// 2**31 ones came out as 2**29. NumPy sums pairwise (error growth like log n). tensorc:
//  - reduce_sum and reduce_mean of float32 (so var and std, which are means) accumulate in float64
//    and round once (here; the mean divides the rounded sum, as NumPy's float32 mean does). n float64 additions lose at most
//    about n * 2**-53 of the sum of magnitudes: below float32's own rounding for n < 2**29, and below
//    NumPy's float32 pairwise bound (log2(n) * 2**-24) for any n that fits in memory; typically the
//    result is the correctly rounded sum. [1e8] + [1.0] * n, where a float32 loop loses every 1.0
//    and NumPy the first block's, is exact. The conversion costs little: a sum of 4M float32 stays
//    about twice as fast as np.sum.
//  - Every other float sum is blocked after fusion (tensorc-fuse-rows, FuseRows.cpp): blocks of at
//    most 1024 elements, their partial sums (in float64) summed in a pairwise tree. That makes
//    float64 sums (and means) accurate (error growth like log n), and the sums of exp inside
//    softmax, log_softmax, logsumexp and softmax_cross_entropy, which stay in the element type inside
//    a block so that exp runs at full vector width (terms in (0, 1], sum >= 1: a block of float32
//    terms is accurate to about 32 roundings, as NumPy's float32 sums of 128-element blocks).
// float prod, max and min keep the element type (NumPy's prod is sequential too; max/min are exact).
#include "PopulatePatterns.h"

#include <limits>

using namespace mlir;
using namespace tensorc;
using namespace tensorc::lowering;

namespace tensorc::lowering {
}

namespace {
/// Reassociation lets LLVM vectorize float reductions (NumPy's pairwise sums reorder too).
arith::FastMathFlagsAttr reassoc(OpBuilder &b) {
  return arith::FastMathFlagsAttr::get(b.getContext(),
                                       arith::FastMathFlags::reassoc | arith::FastMathFlags::contract);
}

/// The identity of max (the lowest value of `t`: -inf, INT_MIN, false) when `isMax`, else of min (the
/// highest: +inf, INT_MAX, true).
Value maxMinIdentity(OpBuilder &b, Location l, Type t, bool isMax) {
  bool lowest = isMax;
  if (auto ft = dyn_cast<FloatType>(t))
    return b.create<arith::ConstantOp>(l, FloatAttr::get(ft, lowest ? -std::numeric_limits<double>::infinity()
                                                                      : std::numeric_limits<double>::infinity()));
  if (t.isInteger(1))
    return b.create<arith::ConstantOp>(l, IntegerAttr::get(t, lowest ? 0 : 1));
  unsigned w = t.getIntOrFloatBitWidth();
  return b.create<arith::ConstantOp>(
      l, IntegerAttr::get(t, lowest ? llvm::APInt::getSignedMinValue(w) : llvm::APInt::getSignedMaxValue(w)));
}

/// The type a sum of `t` values accumulates in: float64 for float32 (see the top of the file).
Type accumulatorOf(Type t) {
  if (t.isF32())
    return Float64Type::get(t.getContext());
  return t;
}

/// `v` (a tensor of accumulators) as a tensor of `elt`, through a per-element conversion generic;
/// `v` itself when the types agree. `extra`, when given, maps each accumulator first (in its type).
Value fromAccumulator(Lowering &L, Location loc, Value v, Type elt,
                      const std::function<Value(OpBuilder &, Location, Value)> &extra = nullptr) {
  auto vt = rankedOf(v);
  if (vt.getElementType() == elt && !extra)
    return v;
  int64_t rank = vt.getRank();
  auto outType = RankedTensorType::get(vt.getShape(), elt);
  return L.generic(loc, v, L.empty(loc, outType, L.dims(loc, v)),
                   {L.b.getMultiDimIdentityMap(rank), L.b.getMultiDimIdentityMap(rank)}, std::string(rank, 'p'),
                   [&](OpBuilder &nb, Location l, ValueRange a) {
                     Value x = extra ? extra(nb, l, a[0]) : a[0];
                     return SmallVector<Value>{convertElement(nb, l, x, elt)};
                   })[0];
}

/// Product of the sizes of `axes` (index).
Value countOf(Lowering &L, Location loc, Value x, ArrayRef<int64_t> axes) {
  SmallVector<Value> ds = L.dims(loc, x);
  Value n = L.idx(loc, 1);
  for (int64_t a : axes)
    n = L.b.create<arith::MulIOp>(loc, n, ds[a]);
  return n;
}

/// Reduced value -> result type, re-inserting the reduced axes as size-1 dims for keepdims.
///
/// A generic that reads the reduced tensor through a map without those axes, not a
/// tensor.expand_shape: its readers (x - x.mean(-1, keepdims=True), ...) then reach the reduction
/// through linalg ops only, which is what tensorc-fuse fuses and what tensorc-fuse-rows follows to
/// put the reduction and its readers in one row block. The copy itself is fused into its producer
/// (a mean's division) or its readers, so it costs nothing once fused.
Value finishKeepdims(Lowering &L, Location loc, Value reduced, RankedTensorType resultType, ArrayRef<int64_t> axes,
                     bool keepdims) {
  if (!keepdims)
    return reduced;
  int64_t rank = resultType.getRank();
  SmallVector<Value> reducedDims = L.dims(loc, reduced), sizes;
  for (int64_t d = 0, s = 0; d < rank; ++d)
    sizes.push_back(llvm::is_contained(axes, d) ? L.idx(loc, 1) : reducedDims[s++]);
  return L.generic(loc, ValueRange{reduced}, L.empty(loc, resultType, sizes),
                   {L.dropDimsMap(rank, axes), L.b.getMultiDimIdentityMap(rank)}, std::string(rank, 'p'),
                   [](OpBuilder &, Location, ValueRange a) { return SmallVector<Value>{a[0]}; })[0];
}

Value combineAdd(OpBuilder &b, Location l, Value e, Value acc) {
  if (isFloat(acc.getType()))
    return b.create<arith::AddFOp>(l, e, acc, reassoc(b));
  if (acc.getType().isInteger(1))
    return b.create<arith::OrIOp>(l, e, acc);
  return b.create<arith::AddIOp>(l, e, acc);
}
Value combineMax(OpBuilder &b, Location l, Value e, Value acc, bool isMax) {
  Type t = acc.getType();
  if (isFloat(t))
    return isMax ? Value(b.create<arith::MaximumFOp>(l, e, acc, reassoc(b)))
                 : Value(b.create<arith::MinimumFOp>(l, e, acc, reassoc(b)));
  if (t.isInteger(1))
    return isMax ? Value(b.create<arith::OrIOp>(l, e, acc)) : Value(b.create<arith::AndIOp>(l, e, acc));
  return isMax ? Value(b.create<arith::MaxSIOp>(l, e, acc)) : Value(b.create<arith::MinSIOp>(l, e, acc));
}

/// max over axes, then replaced by 0 where it is not finite so that x - m never forms inf - inf.
Value shiftedMax(Lowering &L, Location loc, Value x, ArrayRef<int64_t> axes) {
  OpBuilder &b = L.b;
  Type elt = elementOf(x);
  SmallVector<Value> sizes;
  auto rt = L.reducedType(x, axes, elt, sizes, loc);
  Value init = L.filled(loc, rt, sizes, maxMinIdentity(b, loc, elt, /*isMax=*/true));
  Value m = L.reduce(loc, x, axes, init, [](OpBuilder &nb, Location l, Value e, Value acc) {
    return combineMax(nb, l, e, acc, true);
  });
  int64_t rank = rt.getRank();
  return L.generic(loc, m, L.empty(loc, rt, sizes), {b.getMultiDimIdentityMap(rank), b.getMultiDimIdentityMap(rank)},
                   std::string(rank, 'p'), [](OpBuilder &nb, Location l, ValueRange a) {
                     Value absV = nb.create<math::AbsFOp>(l, a[0]);
                     Value inf = nb.create<arith::ConstantOp>(
                         l, nb.getFloatAttr(a[0].getType(), std::numeric_limits<double>::infinity()));
                     Value finite = nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::OLT, absV, inf);
                     Value zero = nb.create<arith::ConstantOp>(l, nb.getFloatAttr(a[0].getType(), 0.0));
                     return SmallVector<Value>{nb.create<arith::SelectOp>(l, finite, a[0], zero)};
                   })[0];
}

/// max over axes, as it is (NaN if a NaN is there, +-inf if the largest value is infinite).
Value plainMax(Lowering &L, Location loc, Value x, ArrayRef<int64_t> axes) {
  Type elt = elementOf(x);
  SmallVector<Value> sizes;
  auto rt = L.reducedType(x, axes, elt, sizes, loc);
  Value init = L.filled(loc, rt, sizes, maxMinIdentity(L.b, loc, elt, true));
  return L.reduce(loc, x, axes, init, [](OpBuilder &nb, Location l, Value e, Value acc) {
    return combineMax(nb, l, e, acc, true);
  });
}

/// sum(exp(x - m)) over axes, m broadcast from the reduced shape, in the element type (blocked by
/// tensorc-fuse-rows, with float64 partial sums; see the top of the file).
Value sumExpShifted(Lowering &L, Location loc, Value x, Value m, ArrayRef<int64_t> axes) {
  OpBuilder &b = L.b;
  Type elt = elementOf(x);
  Type acc = elt;
  int64_t rank = rankedOf(x).getRank();
  SmallVector<Value> sizes;
  auto rt = L.reducedType(x, axes, acc, sizes, loc);
  Value init = L.filled(loc, rt, sizes, L.zeroOf(loc, acc));
  std::string its;
  for (int64_t d = 0; d < rank; ++d)
    its.push_back(llvm::is_contained(axes, d) ? 'r' : 'p');
  AffineMap red = L.dropDimsMap(rank, axes);
  return L.generic(loc, ValueRange{x, m}, init, {b.getMultiDimIdentityMap(rank), red, red}, its,
                   [](OpBuilder &nb, Location l, ValueRange a) {
                     Value e = nb.create<math::ExpOp>(l, nb.create<arith::SubFOp>(l, a[0], a[1]));
                     return SmallVector<Value>{combineAdd(nb, l, e, a[2])};
                   })[0];
}

Value lowerSoftmaxLike(Lowering &L, Operation *op, Value x, int64_t axis, bool logVersion) {
  OpBuilder &b = L.b;
  Location loc = op->getLoc();
  auto xt = rankedOf(x);
  int64_t rank = xt.getRank();
  SmallVector<int64_t> axes{axis};
  // Special values follow scipy.special. softmax subtracts the plain max, as scipy does: a row holding
  // +inf gives inf - inf = NaN, and with it a NaN sum, so the whole row is NaN (not [NaN, 0, 0]); a row
  // of -inf only is NaN too (-inf - -inf), and a NaN anywhere makes the row NaN. log_softmax subtracts
  // the max replaced by 0 where it is not finite, as scipy does: [inf, 1, 2] -> [NaN, -inf, -inf],
  // all -inf -> NaN, and any -inf entry of an otherwise finite row is -inf. An empty row has nothing to
  // compute and gives an empty result (scipy raises there, through np.amax of an empty axis; tensorc
  // rewrites x - logsumexp(x) into log_softmax, which must keep NumPy's empty result).
  Value m = logVersion ? shiftedMax(L, loc, x, axes) : plainMax(L, loc, x, axes);
  AffineMap red = L.dropDimsMap(rank, axes);
  AffineMap id = b.getMultiDimIdentityMap(rank);
  // softmax computes e = exp(x - m) once: the sum reads e and the result scales it, where computing
  // exp in both (as log_softmax's sum does, its result needs no exp) would double the dominant cost.
  // Row-blocked by tensorc-fuse-rows, e is a tile of a few rows that stays in cache between the
  // three loops (the two fused copies of its producer are one after CSE).
  Value e;
  Value s;
  if (logVersion) {
    s = sumExpShifted(L, loc, x, m, axes);
  } else {
    e = L.generic(loc, ValueRange{x, m}, L.empty(loc, xt, L.dims(loc, x)), {id, red, id}, std::string(rank, 'p'),
                  [](OpBuilder &nb, Location l, ValueRange a) {
                    return SmallVector<Value>{nb.create<math::ExpOp>(l, nb.create<arith::SubFOp>(l, a[0], a[1]))};
                  })[0];
    SmallVector<Value> sizes;
    auto rt = L.reducedType(x, axes, xt.getElementType(), sizes, loc);
    s = L.reduce(loc, e, axes, L.filled(loc, rt, sizes, L.zeroOf(loc, xt.getElementType())), combineAdd);
  }
  // Per-row constants first (a division or a log per row, not per element):
  //   softmax:  e * (1 / s)       log_softmax:  (x - m) - log(s)
  // (x - m) is formed first in log_softmax: with a large common offset, x - (m + log s) would round
  // m + log s.
  Value perRow = fromAccumulator(L, loc, s, xt.getElementType(), [logVersion](OpBuilder &nb, Location l, Value v) {
    if (logVersion)
      return Value(nb.create<math::LogOp>(l, v));
    Value one = nb.create<arith::ConstantOp>(l, nb.getFloatAttr(v.getType(), 1.0));
    return Value(nb.create<arith::DivFOp>(l, one, v));
  });
  Value init = L.empty(loc, xt, L.dims(loc, x));
  if (!logVersion)
    return L.generic(loc, ValueRange{e, perRow}, init, {id, red, id}, std::string(rank, 'p'),
                     [](OpBuilder &nb, Location l, ValueRange a) {
                       return SmallVector<Value>{nb.create<arith::MulFOp>(l, a[0], a[1])};
                     })[0];
  return L.generic(loc, ValueRange{x, m, perRow}, init, {id, red, red, id}, std::string(rank, 'p'),
                   [](OpBuilder &nb, Location l, ValueRange a) {
                     Value shifted = nb.create<arith::SubFOp>(l, a[0], a[1]);
                     return SmallVector<Value>{nb.create<arith::SubFOp>(l, shifted, a[2])};
                   })[0];
}

Value lowerArg(Lowering &L, Operation *op, RankedTensorType resultType, Value x, int64_t axis, bool keepdims,
               bool isMax) {
  OpBuilder &b = L.b;
  Location loc = op->getLoc();
  Type elt = elementOf(x);
  SmallVector<int64_t> axes{axis};
  Value n = L.dims(loc, x)[axis];
  Value ok = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sgt, n, L.idx(loc, 0));
  L.checks.require(b, loc, op, ok, isMax ? "attempt to get argmax of an empty sequence"
                                         : "attempt to get argmin of an empty sequence");
  SmallVector<Value> sizes;
  auto vt = L.reducedType(x, axes, elt, sizes, loc);
  auto it = RankedTensorType::get(vt.getShape(), b.getI64Type());
  Value vInit = L.filled(loc, vt, sizes, maxMinIdentity(b, loc, elt, isMax));
  Value iInit = L.filled(loc, it, sizes, b.create<arith::ConstantIntOp>(loc, b.getI64Type(), 0));
  int64_t rank = rankedOf(x).getRank();
  std::string its;
  for (int64_t d = 0; d < rank; ++d)
    its.push_back(d == axis ? 'r' : 'p');
  AffineMap red = L.dropDimsMap(rank, axes);
  ValueRange rs = L.generic(
      loc, x, ValueRange{vInit, iInit}, {b.getMultiDimIdentityMap(rank), red, red}, its,
      [axis, isMax](OpBuilder &nb, Location l, ValueRange a) {
        Value e = a[0], best = a[1], bestIdx = a[2];
        Value i = nb.create<arith::IndexCastOp>(l, nb.getI64Type(), nb.create<linalg::IndexOp>(l, axis));
        Value better;
        if (isFloat(e.getType())) {
          // Strictly better, or the first NaN (NumPy returns the first NaN's index).
          better = nb.create<arith::CmpFOp>(l, isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, e, best);
          Value eNan = nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::UNO, e, e);
          Value bestNotNan = nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::ORD, best, best);
          better = nb.create<arith::OrIOp>(l, better, nb.create<arith::AndIOp>(l, eNan, bestNotNan));
        } else {
          auto p = e.getType().isInteger(1) ? (isMax ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::ult)
                                            : (isMax ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::slt);
          better = nb.create<arith::CmpIOp>(l, p, e, best);
        }
        return SmallVector<Value>{nb.create<arith::SelectOp>(l, better, e, best),
                                  nb.create<arith::SelectOp>(l, better, i, bestIdx)};
      });
  return finishKeepdims(L, loc, rs[1], resultType, axes, keepdims);
}
/// -log_softmax(x)[i, y[i]] as logsumexp(x[i]) - x[i, y[i]]: the shifted sum is >= 1, never log(0).
Value lowerSoftmaxCrossEntropy(Lowering &L, Adapted<SoftmaxCrossEntropyOp> op) {
  OpBuilder &b = L.b;
  Location loc = op.getLoc();
  Value x = op.getLogits(), y = op.getLabels();
  auto rt = op.getType();
  SmallVector<Value> xd = L.dims(loc, x);
  Value rows = xd[0], cols = xd[1], n = L.dims(loc, y)[0];
  Value fits = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sle, n, rows);
  L.checks.require(b, loc, op, fits, "index {1} is out of bounds for axis 0 with size {1} ({0} labels)", n, rows,
                   StringRef(checks::kIndexErrorKind));
  Value rowsUsed = b.create<arith::MinSIOp>(loc, n, rows);
  SmallVector<OpFoldResult> zero2(2, b.getIndexAttr(0)), one2(2, b.getIndexAttr(1));
  Value xs = b.create<tensor::ExtractSliceOp>(loc, x, zero2, SmallVector<OpFoldResult>{rowsUsed, cols}, one2);
  Value ys = b.create<tensor::ExtractSliceOp>(loc, y, SmallVector<OpFoldResult>{b.getIndexAttr(0)},
                                              SmallVector<OpFoldResult>{rowsUsed},
                                              SmallVector<OpFoldResult>{b.getIndexAttr(1)});
  SmallVector<int64_t> axes{1};
  Value m = shiftedMax(L, loc, xs, axes);
  Value sum = sumExpShifted(L, loc, xs, m, axes);

  // Labels must lie in [-cols, cols): count the others in one pass.
  Value zero64 = b.create<arith::ConstantIntOp>(loc, b.getI64Type(), 0);
  Value badCount = L.countOutOfRange(loc, ys, cols);
  Value labelsOk = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, badCount, zero64);
  L.checks.require(b, loc, op, labelsOk, "{0} label(s) out of bounds for axis 1 with size {1}", badCount, cols,
                   StringRef(checks::kIndexErrorKind));
  auto outType = RankedTensorType::get({ShapedType::kDynamic}, rt.getElementType());
  return L.ifChecked(loc, labelsOk, outType, {rowsUsed}, [&] {
        Location l = loc;
        Value init = L.empty(l, outType, {rowsUsed});
        SmallVector<AffineMap> maps(4, L.b.getMultiDimIdentityMap(1));
        Value r = L.generic(l, ValueRange{m, sum, ys}, init, maps, "p", [&](OpBuilder &ib, Location il, ValueRange a) {
                    Value lab = ib.create<arith::IndexCastOp>(il, ib.getIndexType(), a[2]);
                    Value neg = ib.create<arith::CmpIOp>(il, arith::CmpIPredicate::slt, lab,
                                                         ib.create<arith::ConstantIndexOp>(il, 0));
                    lab = ib.create<arith::SelectOp>(il, neg, ib.create<arith::AddIOp>(il, lab, cols), lab);
                    Value i = ib.create<linalg::IndexOp>(il, 0);
                    Value picked = ib.create<tensor::ExtractOp>(il, xs, ValueRange{i, lab});
                    // (m - x[i, y]) + log(s): the difference first, exact when m and x share an offset.
                    Value gap = ib.create<arith::SubFOp>(il, a[0], picked);
                    return SmallVector<Value>{ib.create<arith::AddFOp>(il, gap, ib.create<math::LogOp>(il, a[1]))};
                  })[0];
        return r;
      });
}
/// The reductions that share a shape (a tensor without the reduced axes, kept as 1 with keepdims).
Value lowerReduction(Operation *op, ValueRange operands, RankedTensorType resultType, Lowering &L) {
  OpBuilder &b = L.b;
  Location loc = op->getLoc();
  Type outElt = resultType.getElementType();

  auto simple = [&](Value x, ArrayRef<int64_t> axes, bool keepdims, Value identity,
                    std::function<Value(OpBuilder &, Location, Value, Value)> combine) {
    SmallVector<Value> sizes;
    auto rt = L.reducedType(x, axes, identity.getType(), sizes, loc);
    Value init = L.filled(loc, rt, sizes, identity);
    Value r = L.reduce(loc, x, axes, init, [&](OpBuilder &nb, Location l, Value e, Value acc) {
      return combine(nb, l, convertElement(nb, l, e, acc.getType()), acc);
    });
    return r;
  };

  if (auto s = adapt<ReduceSumOp>(op, operands, resultType)) {
    Type acc = accumulatorOf(outElt);
    Value sum = simple(s->getX(), s->getAxes(), s->getKeepdims(), L.zeroOf(loc, acc), combineAdd);
    return finishKeepdims(L, loc, fromAccumulator(L, loc, sum, outElt), resultType, s->getAxes(), s->getKeepdims());
  }
  if (auto p = adapt<ReduceProdOp>(op, operands, resultType))
    return finishKeepdims(L, loc,
                          simple(p->getX(), p->getAxes(), p->getKeepdims(), L.constantOf(loc, outElt, 1),
                                 [](OpBuilder &nb, Location l, Value e, Value acc) -> Value {
                                   if (isFloat(acc.getType()))
                                     return nb.create<arith::MulFOp>(l, e, acc, reassoc(nb));
                                   if (acc.getType().isInteger(1))
                                     return nb.create<arith::AndIOp>(l, e, acc);
                                   return nb.create<arith::MulIOp>(l, e, acc);
                                 }),
                          resultType, p->getAxes(), p->getKeepdims());
  if (auto m = adapt<ReduceMeanOp>(op, operands, resultType)) {
    if (!isFloat(outElt)) {
      op->emitOpError("mean needs a float result type");
      return {};
    }
    Type acc = accumulatorOf(outElt);
    Value sum = simple(m->getX(), m->getAxes(), m->getKeepdims(), L.zeroOf(loc, acc), combineAdd);
    Value n = b.create<arith::IndexCastOp>(loc, b.getI64Type(), countOf(L, loc, m->getX(), m->getAxes()));
    Value nf = b.create<arith::SIToFPOp>(loc, outElt, n);
    // The sum rounded to the element type, then divided by n, as NumPy's float32 mean does (it sums in
    // float32): a sum beyond float32's range is inf there too. Always a generic (a new tensor).
    Value mean = fromAccumulator(L, loc, sum, outElt, [nf, outElt](OpBuilder &nb, Location l, Value v) {
      return Value(nb.create<arith::DivFOp>(l, convertElement(nb, l, v, outElt), nf));
    });
    return finishKeepdims(L, loc, mean, resultType, m->getAxes(), m->getKeepdims());
  }
  auto maxMin = [&](Value x, ArrayRef<int64_t> axes, bool keepdims, bool isMax) {
    Value n = countOf(L, loc, x, axes);
    Value ok = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sgt, n, L.idx(loc, 0));
    L.checks.require(b, loc, op, ok,
                     std::string("zero-size array to reduction operation ") + (isMax ? "maximum" : "minimum") +
                         " which has no identity");
    Value r = simple(x, axes, keepdims, maxMinIdentity(b, loc, outElt, isMax),
                     [isMax](OpBuilder &nb, Location l, Value e, Value acc) { return combineMax(nb, l, e, acc, isMax); });
    return finishKeepdims(L, loc, r, resultType, axes, keepdims);
  };
  if (auto m = adapt<ReduceMaxOp>(op, operands, resultType))
    return maxMin(m->getX(), m->getAxes(), m->getKeepdims(), true);
  if (auto m = adapt<ReduceMinOp>(op, operands, resultType))
    return maxMin(m->getX(), m->getAxes(), m->getKeepdims(), false);
  if (auto a = adapt<ArgMaxOp>(op, operands, resultType))
    return lowerArg(L, op, resultType, a->getX(), a->getAxis(), a->getKeepdims(), true);
  if (auto a = adapt<ArgMinOp>(op, operands, resultType))
    return lowerArg(L, op, resultType, a->getX(), a->getAxis(), a->getKeepdims(), false);
  if (auto s = adapt<SoftmaxOp>(op, operands, resultType))
    return lowerSoftmaxLike(L, op, s->getX(), s->getAxis(), false);
  if (auto s = adapt<LogSoftmaxOp>(op, operands, resultType))
    return lowerSoftmaxLike(L, op, s->getX(), s->getAxis(), true);
    if (auto s = adapt<LogSumExpOp>(op, operands, resultType)) {
    // Special values as scipy.special.logsumexp: the max replaced by 0 where it is not finite, so a
    // row with +inf gives +inf, a row of -inf only (or an empty one) gives -inf, a NaN gives NaN.
    Value x = s->getX();
    Value m = shiftedMax(L, loc, x, s->getAxes());
    Value sum = sumExpShifted(L, loc, x, m, s->getAxes());
    auto mt = rankedOf(m);
    int64_t rank = mt.getRank();
    Value r = L.generic(loc, ValueRange{m, sum}, L.empty(loc, mt, L.dims(loc, m)),
                        {b.getMultiDimIdentityMap(rank), b.getMultiDimIdentityMap(rank), b.getMultiDimIdentityMap(rank)},
                        std::string(rank, 'p'), [](OpBuilder &nb, Location l, ValueRange a) {
                          return SmallVector<Value>{nb.create<arith::AddFOp>(l, a[0], nb.create<math::LogOp>(l, a[1]))};
                        })[0];
    return finishKeepdims(L, loc, r, resultType, s->getAxes(), s->getKeepdims());
  }
  op->emitOpError("is not a reduction");
  return {};
}
} // namespace

void tensorc::lowering::populateReductionPatterns(const TypeConverter &tc, RewritePatternSet &patterns,
                                                  ConversionTarget &target, ConversionState &state) {
  addFamily<ReduceSumOp, ReduceProdOp, ReduceMeanOp, ReduceMaxOp, ReduceMinOp, LogSumExpOp, ArgMaxOp, ArgMinOp,
            SoftmaxOp, LogSoftmaxOp>(patterns, target, tc, state, lowerReduction);
  target.addIllegalOp<SoftmaxCrossEntropyOp>();
  patterns.add<LowerOp<SoftmaxCrossEntropyOp, lowerSoftmaxCrossEntropy>>(tc, patterns.getContext(), state);
}
