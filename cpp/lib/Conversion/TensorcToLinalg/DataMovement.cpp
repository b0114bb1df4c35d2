// The data-movement family: transpose, reshape, expand_dims, squeeze, concatenate, slice, gather,
// broadcast_to, and dim (a size as a 0-d tensor).
#include "PopulatePatterns.h"

#include "llvm/Support/FormatVariadic.h"

#include <limits>

using namespace mlir;
using namespace tensorc;
using namespace tensorc::lowering;

namespace {
const char *const kIndexShapeMismatch =
    "shape mismatch: indexing arrays could not be broadcast together ({0} vs {1})";

Value lowerTranspose(Lowering &L, Adapted<TransposeOp> op) {
  Location loc = op.getLoc();
  SmallVector<Value> in = L.dims(loc, op.getX()), sizes;
  for (int64_t p : op.getPermutation())
    sizes.push_back(in[p]);
  Value init = L.empty(loc, op.getType(), sizes);
  return L.b.create<linalg::TransposeOp>(loc, op.getX(), init, op.getPermutation()).getResult()[0];
}

Value product(Lowering &L, Location loc, ArrayRef<Value> sizes) {
  Value n = L.idx(loc, 1);
  for (Value s : sizes)
    n = L.b.create<arith::MulIOp>(loc, n, s);
  return n;
}

Value lowerReshape(Lowering &L, Adapted<ReshapeOp> op) {
  OpBuilder &b = L.b;
  Location loc = op.getLoc();
  auto rt = op.getType();
  SmallVector<Value> sizes;
  auto dyn = op.getDynamicDims().begin();
  for (int64_t d = 0; d < rt.getRank(); ++d)
    sizes.push_back(rt.isDynamicDim(d) ? L.shapeScalar(loc, *dyn++) : L.idx(loc, rt.getDimSize(d)));
  Value have = product(L, loc, L.dims(loc, op.getX()));
  Value want = product(L, loc, sizes);
  // A negative size is its own error (the product check would hide it when another size is 0). The
  // frontend resolves a -1 to -1 again when the other sizes multiply to 0, where NumPy raises too.
  Value nonNegative = b.create<arith::ConstantIntOp>(loc, b.getI1Type(), 1);
  for (Value s : sizes)
    nonNegative = b.create<arith::AndIOp>(loc, nonNegative,
                                          b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sge, s, L.idx(loc, 0)));
  L.checks.require(b, loc, op, nonNegative,
                   "cannot reshape an array of {0} elements into a shape with a negative size (a -1 "
                   "cannot be resolved when the other sizes multiply to 0)",
                   have);
  Value ok = b.create<arith::AndIOp>(loc, nonNegative,
                                     b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, have, want));
  L.checks.require(b, loc, op, ok, "cannot reshape an array of {0} elements into a shape of {1} elements", have,
                   want);
  // On failure every dynamic size becomes 0, so the reshaped view never claims more than it holds. A
  // fully static result cannot shrink: there the reshape runs only when the check passed.
  SmallVector<Value> safe;
  for (auto [d, s] : llvm::enumerate(sizes))
    safe.push_back(rt.isDynamicDim(d) ? Value(b.create<arith::SelectOp>(loc, ok, s, L.idx(loc, 0))) : s);
  auto shapeType = RankedTensorType::get({rt.getRank()}, b.getIndexType());
  auto buildReshape = [&](OpBuilder &nb, Location l) -> Value {
    Value shape = nb.create<tensor::FromElementsOp>(l, shapeType, safe);
    return nb.create<tensor::ReshapeOp>(l, rt, op.getX(), shape);
  };
  if (!rt.hasStaticShape())
    return buildReshape(b, loc);
  return L.ifChecked(loc, ok, rt, safe, [&] { return buildReshape(b, loc); });
}

Value lowerSqueeze(Lowering &L, Adapted<SqueezeOp> op) {
  OpBuilder &b = L.b;
  Location loc = op.getLoc();
  auto xt = rankedOf(op.getX());
  for (int64_t a : op.getAxes())
    if (xt.isDynamicDim(a)) {
      Value s = b.create<tensor::DimOp>(loc, op.getX(), a);
      Value ok = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, s, L.idx(loc, 1));
      L.checks.require(b, loc, op, ok,
                       llvm::formatv("cannot select an axis to squeeze out which has size not equal to one (axis {0} "
                                     "has size {{0})",
                                     a)
                           .str(),
                       s);
    }
  return L.collapseUnitDims(loc, op.getX(), op.getType(), op.getAxes());
}

Value lowerConcatenate(Lowering &L, Adapted<ConcatenateOp> op) {
  OpBuilder &b = L.b;
  Location loc = op.getLoc();
  int64_t axis = op.getAxis();
  auto rt = op.getType();
  int64_t rank = rt.getRank();
  // Common sizes off the axis: checked equal, clamped to the smallest so no slice reads out of bounds.
  SmallVector<Value> common = L.dims(loc, op.getXs()[0]);
  Value total = common[axis];
  for (Value x : op.getXs().drop_front()) {
    SmallVector<Value> ds = L.dims(loc, x);
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis)
        continue;
      Value ok = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, common[d], ds[d]);
      L.checks.require(b, loc, op, ok,
                       llvm::formatv("all the input array dimensions except for the concatenation axis must match "
                                     "exactly, but along dimension {0} the sizes are {{0} and {{1}",
                                     d)
                           .str(),
                       common[d], ds[d]);
      common[d] = b.create<arith::MinSIOp>(loc, common[d], ds[d]);
    }
    total = b.create<arith::AddIOp>(loc, total, ds[axis]);
  }
  SmallVector<Value> sizes(common);
  sizes[axis] = total;
  Value result = L.empty(loc, rt, sizes);
  // A statically empty result needs no copies; a statically empty part adds nothing (and a slice at
  // offset 0 of a static 0 dim does not verify).
  auto staticallyEmpty = [](Value v) { return llvm::is_contained(rankedOf(v).getShape(), 0); };
  if (staticallyEmpty(result))
    return result;
  Value offset = L.idx(loc, 0);
  SmallVector<OpFoldResult> zeros(rank, b.getIndexAttr(0)), ones(rank, b.getIndexAttr(1));
  for (Value x : op.getXs()) {
    if (staticallyEmpty(x))
      continue;
    SmallVector<OpFoldResult> sz;
    Value along = b.create<tensor::DimOp>(loc, x, axis);
    for (int64_t d = 0; d < rank; ++d)
      sz.push_back(d == axis ? OpFoldResult(along) : OpFoldResult(common[d]));
    Value part = b.create<tensor::ExtractSliceOp>(loc, x, zeros, sz, ones);
    SmallVector<OpFoldResult> offs(zeros);
    offs[axis] = offset;
    result = b.create<tensor::InsertSliceOp>(loc, part, result, offs, sz, ones);
    offset = b.create<arith::AddIOp>(loc, offset, along);
  }
  return result;
}

/// Python's slice.indices(n) for one dimension: (start, length) with clamping.
std::pair<Value, Value> sliceBounds(Lowering &L, Location loc, Value n, int64_t start, int64_t stop, int64_t step) {
  OpBuilder &b = L.b;
  auto c = [&](int64_t v) { return L.idx(loc, v); };
  auto clampIdx = [&](int64_t v, int64_t lowClamp, bool upIsNMinus1) -> Value {
    // v < 0: max(v + n, lowClamp); else min(v, upper) with upper = n or n - 1.
    Value upper = upIsNMinus1 ? Value(b.create<arith::SubIOp>(loc, n, c(1))) : n;
    if (v < 0) {
      // v + n cannot overflow: v >= INT64_MIN and n >= 0.
      Value plus = b.create<arith::AddIOp>(loc, c(v), n);
      return b.create<arith::MaxSIOp>(loc, plus, c(lowClamp));
    }
    return b.create<arith::MinSIOp>(loc, c(v), upper);
  };
  if (step > 0) {
    Value s = clampIdx(start, 0, false), e = clampIdx(stop, 0, false);
    // length = max(0, ceil((e - s) / step))
    Value diff = b.create<arith::SubIOp>(loc, e, s);
    Value len = b.create<arith::DivSIOp>(loc, b.create<arith::AddIOp>(loc, diff, c(step - 1)), c(step));
    return {s, b.create<arith::MaxSIOp>(loc, len, c(0))};
  }
  Value s = clampIdx(start, -1, true), e = clampIdx(stop, -1, true);
  Value diff = b.create<arith::SubIOp>(loc, s, e);
  Value len = b.create<arith::DivSIOp>(loc, b.create<arith::AddIOp>(loc, diff, c(-step - 1)), c(-step));
  return {s, b.create<arith::MaxSIOp>(loc, len, c(0))};
}

Value lowerSlice(Lowering &L, Adapted<SliceOp> op) {
  OpBuilder &b = L.b;
  Location loc = op.getLoc();
  Value x = op.getX();
  auto rt = op.getType();
  int64_t rank = rt.getRank();
  SmallVector<Value> ns = L.dims(loc, x), starts, lens;
  bool anyNegative = false;
  for (int64_t d = 0; d < rank; ++d) {
    auto [s, len] = sliceBounds(L, loc, ns[d], op.getStarts()[d], op.getStops()[d], op.getSteps()[d]);
    starts.push_back(s);
    lens.push_back(len);
    anyNegative |= op.getSteps()[d] < 0;
  }
  if (!anyNegative) {
    SmallVector<OpFoldResult> offs, sizes, strides;
    for (int64_t d = 0; d < rank; ++d) {
      offs.push_back(starts[d]);
      sizes.push_back(lens[d]);
      strides.push_back(b.getIndexAttr(op.getSteps()[d]));
    }
    return b.create<tensor::ExtractSliceOp>(loc, x, offs, sizes, strides);
  }
  // Negative steps: each output element reads x[start + i * step] (a gather with affine indices).
  Value init = L.empty(loc, rt, lens);
  SmallVector<int64_t> steps(op.getSteps());
  return L.generic(loc, {}, init, {b.getMultiDimIdentityMap(rank)}, std::string(rank, 'p'),
                   [&](OpBuilder &nb, Location l, ValueRange) {
                     SmallVector<Value> at;
                     for (int64_t d = 0; d < rank; ++d) {
                       Value i = nb.create<linalg::IndexOp>(l, d);
                       Value scaled = nb.create<arith::MulIOp>(l, i, nb.create<arith::ConstantIndexOp>(l, steps[d]));
                       at.push_back(nb.create<arith::AddIOp>(l, starts[d], scaled));
                     }
                     return SmallVector<Value>{nb.create<tensor::ExtractOp>(l, x, at)};
                   })[0];
}

/// The gather of `x` at `indices` (the op's index tensors, or their broadcast copies).
Value lowerGatherOn(Lowering &L, Adapted<GatherOp> op, ValueRange indices) {
  OpBuilder &b = L.b;
  Location loc = op.getLoc();
  Value x = op.getX();
  int64_t axis = op.getAxis();
  int64_t k = indices.size();
  auto rt = op.getType();
  int64_t rank = rt.getRank();
  auto idxType = rankedOf(indices[0]);
  int64_t idxRank = idxType.getRank();
  SmallVector<Value> xs = L.dims(loc, x);

  // The index tensors must agree in shape (the frontend broadcasts them); the loops follow the first.
  for (Value other : indices.drop_front()) {
    SmallVector<Value> a = L.dims(loc, indices[0]), o = L.dims(loc, other);
    for (int64_t d = 0; d < idxRank; ++d) {
      Value same = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, a[d], o[d]);
      L.checks.require(b, loc, op, same, kIndexShapeMismatch, a[d], o[d],
                       L.dynamicBroadcast ? StringRef(checks::kIndexErrorKind) : L.broadcastKind());
    }
  }
  // Bounds: count the out-of-range indices of every index tensor in one reduction each.
  Value ok = b.create<arith::ConstantIntOp>(loc, b.getI1Type(), 1);
  for (int64_t j = 0; j < k; ++j) {
    Value n = xs[axis + j];
    Value cnt = L.countOutOfRange(loc, indices[j], n);
    Value thisOk = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, cnt, b.create<arith::ConstantIntOp>(loc, b.getI64Type(), 0));
    L.checks.require(b, loc, op, thisOk,
                     llvm::formatv("{{0} index value(s) out of bounds for axis {0} with size {{1}", axis + j).str(), cnt,
                     n, StringRef(checks::kIndexErrorKind));
    ok = b.create<arith::AndIOp>(loc, ok, thisOk);
  }

  SmallVector<Value> sizes;
  for (int64_t d = 0; d < axis; ++d)
    sizes.push_back(xs[d]);
  llvm::append_range(sizes, L.dims(loc, indices[0]));
  for (int64_t d = axis + k; d < (int64_t)xs.size(); ++d)
    sizes.push_back(xs[d]);

  // Only read x when every index is in range; otherwise the (discarded) result stays uninitialized.
  return L.ifChecked(loc, ok, rt, sizes, [&] {
        Location l = loc;
        Value init = L.empty(l, rt, sizes);
        SmallVector<AffineMap> maps;
        SmallVector<AffineExpr> idxExprs;
        for (int64_t d = 0; d < idxRank; ++d)
          idxExprs.push_back(L.b.getAffineDimExpr(axis + d));
        for (int64_t j = 0; j < k; ++j)
          maps.push_back(AffineMap::get(rank, 0, idxExprs, L.b.getContext()));
        maps.push_back(L.b.getMultiDimIdentityMap(rank));
        Value r = L.generic(l, indices, init, maps, std::string(rank, 'p'),
                            [&](OpBuilder &ib, Location il, ValueRange a) {
                              SmallVector<Value> at;
                              for (int64_t d = 0; d < axis; ++d)
                                at.push_back(ib.create<linalg::IndexOp>(il, d));
                              for (int64_t j = 0; j < k; ++j) {
                                Value v = ib.create<arith::IndexCastOp>(il, ib.getIndexType(), a[j]);
                                Value n = xs[axis + j];
                                Value neg = ib.create<arith::CmpIOp>(il, arith::CmpIPredicate::slt, v,
                                                                     ib.create<arith::ConstantIndexOp>(il, 0));
                                at.push_back(ib.create<arith::SelectOp>(il, neg, ib.create<arith::AddIOp>(il, v, n), v));
                              }
                              for (int64_t d = axis + k; d < (int64_t)xs.size(); ++d)
                                at.push_back(ib.create<linalg::IndexOp>(il, d - k + idxRank));
                              return SmallVector<Value>{ib.create<tensor::ExtractOp>(il, x, at)};
                            })[0];
        return r;
      });
}
Value lowerGather(Lowering &L, Adapted<GatherOp> op) {
  auto indices = op.getIndices();
  if (!L.dynamicBroadcast || indices.size() < 2 ||
      llvm::all_of(indices, [](Value v) { return rankedOf(v).hasStaticShape(); }))
    return lowerGatherOn(L, op, indices);
  // General variant: index tensors broadcast by NumPy's rule on their run-time sizes.
  Location loc = op.getLoc();
  auto idxType = rankedOf(indices[0]);
  SmallVector<int64_t> shape(idxType.getShape());
  for (Value v : indices.drop_front())
    for (auto [d, s] : llvm::enumerate(rankedOf(v).getShape()))
      if (shape[d] == 1 || ShapedType::isDynamic(shape[d]))
        shape[d] = s == 1 ? shape[d] : s;
  SmallVector<SmallVector<Value>> sizes;
  for (Value v : indices)
    sizes.push_back(L.dims(loc, v));
  auto [target, ok] = L.broadcastSizes(op, sizes, shape, [](size_t) { return std::string(kIndexShapeMismatch); },
                                       StringRef(checks::kIndexErrorKind));
  int64_t axis = op.getAxis(), k = indices.size();
  SmallVector<Value> xs = L.dims(loc, op.getX()), resultSizes(xs.begin(), xs.begin() + axis);
  llvm::append_range(resultSizes, target);
  resultSizes.append(xs.begin() + axis + k, xs.end());
  return L.ifChecked(loc, ok, op.getType(), resultSizes, [&, &target = target] {
    SmallVector<Value> stretched;
    for (Value v : indices)
      stretched.push_back(L.broadcastRead(loc, v, RankedTensorType::get(shape, elementOf(v)), target));
    return lowerGatherOn(L, op, stretched);
  });
}
Value lowerExpandDims(Lowering &L, Adapted<ExpandDimsOp> e) {
  return L.expandUnitDims(e.getLoc(), e.getX(), e.getType(), e.getAxes());
}

Value lowerDim(Lowering &L, Adapted<DimOp> d) {
  OpBuilder &b = L.b;
  Location loc = d.getLoc();
  RankedTensorType resultType = d.getType();
  Operation *op = d;
  Value size = b.create<tensor::DimOp>(loc, d.getX(), d.getAxis());
  return b.create<tensor::FromElementsOp>(loc, resultType, ValueRange{L.toI64(loc, size)});
}

Value lowerBroadcastTo(Lowering &L, Adapted<BroadcastToOp> bt) {
  OpBuilder &b = L.b;
  Location loc = bt.getLoc();
  RankedTensorType resultType = bt.getType();
  Operation *op = bt;
  Value x = bt.getX();
  auto xt = rankedOf(x);
  int64_t rank = resultType.getRank();
  SmallVector<Value> sizes;
  auto dyn = bt.getDynamicDims().begin();
  bool dynamicSource = false;
  for (int64_t d = 0; d < rank; ++d) {
    Value target = resultType.isDynamicDim(d) ? L.shapeScalar(loc, *dyn++) : L.idx(loc, resultType.getDimSize(d));
    if (xt.getDimSize(d) == 1) {
      sizes.push_back(b.create<arith::MaxSIOp>(loc, target, L.idx(loc, 0)));
      continue;
    }
    Value have = xt.isDynamicDim(d) ? Value(b.create<tensor::DimOp>(loc, x, d)) : L.idx(loc, xt.getDimSize(d));
    dynamicSource |= xt.isDynamicDim(d);
    Value same = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, have, target);
    Value one = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, have, L.idx(loc, 1));
    Value ok = xt.isDynamicDim(d) ? Value(b.create<arith::OrIOp>(loc, same, one)) : same;
    L.checks.require(b, loc, op, ok, "cannot broadcast a dimension of size {0} to size {1}", have, target);
    // A size-1 source dim stretches to the target; otherwise the loop stays within the source.
    sizes.push_back(xt.isDynamicDim(d) ? Value(b.create<arith::SelectOp>(loc, one, target, have)) : have);
  }
  if (!resultType.hasStaticShape())
    L.checkByteSize(op, resultType, sizes);
  if (!dynamicSource) {
    Value init = L.empty(loc, resultType, sizes);
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d)
      exprs.push_back(xt.getDimSize(d) == 1 ? b.getAffineConstantExpr(0) : b.getAffineDimExpr(d));
    SmallVector<AffineMap> maps{AffineMap::get(rank, 0, exprs, b.getContext()), b.getMultiDimIdentityMap(rank)};
    return L.generic(loc, x, init, maps, std::string(rank, 'p'),
                     [](OpBuilder &, Location, ValueRange a) { return SmallVector<Value>{a[0]}; })[0];
  }
  // A dynamic source size may be 1 at run time: read x[i if size > 1 else 0] element by element.
  return L.broadcastRead(loc, x, resultType, sizes);
}
} // namespace

void tensorc::lowering::populateDataMovementPatterns(const TypeConverter &tc, RewritePatternSet &patterns,
                                                     ConversionTarget &target, ConversionState &state) {
  target.addIllegalOp<TransposeOp, ReshapeOp, ExpandDimsOp, SqueezeOp, ConcatenateOp, SliceOp, GatherOp,
                      BroadcastToOp, DimOp>();
  patterns.add<LowerOp<TransposeOp, lowerTranspose>, LowerOp<ReshapeOp, lowerReshape>,
               LowerOp<ExpandDimsOp, lowerExpandDims>, LowerOp<SqueezeOp, lowerSqueeze>,
               LowerOp<ConcatenateOp, lowerConcatenate>, LowerOp<SliceOp, lowerSlice>, LowerOp<GatherOp, lowerGather>,
               LowerOp<BroadcastToOp, lowerBroadcastTo>, LowerOp<DimOp, lowerDim>>(tc, patterns.getContext(), state);
}
