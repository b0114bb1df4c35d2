// The helpers the op families share (Lowering.h): bool storage, loop nests, NumPy broadcasting,
// reductions, unit-dim reshapes.
#include "Lowering.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "llvm/Support/FormatVariadic.h"

#include <limits>

using namespace mlir;
using namespace tensorc;
using namespace tensorc::lowering;

//===----------------------------------------------------------------------===//
// Bool storage
//===----------------------------------------------------------------------===//
Type tensorc::lowering::storageType(Type t) { return boolStorageType(t); }

TypedAttr tensorc::lowering::storageAttr(TypedAttr attr) {
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (dense && dense.getElementType().isInteger(1))
    return dense.mapValues(IntegerType::get(attr.getContext(), 8),
                           [](const llvm::APInt &v) { return v.zext(8); });
  if (auto i = dyn_cast<IntegerAttr>(attr); i && i.getType().isInteger(1))
    return IntegerAttr::get(IntegerType::get(attr.getContext(), 8), i.getValue().getZExtValue());
  return attr;
}

Value tensorc::lowering::fromStorage(OpBuilder &b, Location loc, Value scalar) {
  if (scalar.getType().isInteger(8))
    return b.create<arith::TruncIOp>(loc, b.getI1Type(), scalar);
  return scalar;
}

Value tensorc::lowering::toStorage(OpBuilder &b, Location loc, Value scalar, Type storageElt) {
  if (scalar.getType().isInteger(1) && storageElt.isInteger(8))
    return b.create<arith::ExtUIOp>(loc, storageElt, scalar);
  return scalar;
}

//===----------------------------------------------------------------------===//
// Lowering helpers
//===----------------------------------------------------------------------===//
Value Lowering::idx(Location loc, int64_t v) { return b.create<arith::ConstantIndexOp>(loc, v); }

SmallVector<Value> Lowering::dims(Location loc, Value tensor) {
  SmallVector<Value> out;
  auto t = rankedOf(tensor);
  for (int64_t d = 0; d < t.getRank(); ++d)
    out.push_back(t.isDynamicDim(d) ? Value(b.create<tensor::DimOp>(loc, tensor, d))
                                    : idx(loc, t.getDimSize(d)));
  return out;
}

Value Lowering::empty(Location loc, RankedTensorType type, ArrayRef<Value> sizes) {
  SmallVector<Value> dyn;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dyn.push_back(sizes[d]);
  return b.create<tensor::EmptyOp>(loc, type, dyn);
}

Value Lowering::shapeScalar(Location loc, Value scalarTensor) {
  Value v = b.create<tensor::ExtractOp>(loc, scalarTensor, ValueRange{});
  return b.create<arith::IndexCastOp>(loc, b.getIndexType(), v);
}

Value Lowering::toI64(Location loc, Value index) {
  return b.create<arith::IndexCastOp>(loc, b.getI64Type(), index);
}

Value Lowering::zeroOf(Location loc, Type elt) { return constantOf(loc, elt, 0.0); }

Value Lowering::constantOf(Location loc, Type elt, double value) {
  if (auto ft = dyn_cast<FloatType>(elt))
    return b.create<arith::ConstantOp>(loc, FloatAttr::get(ft, value));
  return b.create<arith::ConstantOp>(loc, IntegerAttr::get(elt, (int64_t)value));
}

Value Lowering::filled(Location loc, RankedTensorType type, ArrayRef<Value> sizes, Value value) {
  Value e = empty(loc, type, sizes);
  return b.create<linalg::FillOp>(loc, value, e).getResult(0);
}

ValueRange Lowering::generic(Location loc, ValueRange inputs, ValueRange inits, ArrayRef<AffineMap> maps,
                             StringRef iterators, const BodyFn &body) {
  SmallVector<utils::IteratorType> its;
  for (char c : iterators)
    its.push_back(c == 'r' ? utils::IteratorType::reduction : utils::IteratorType::parallel);
  auto g = b.create<linalg::GenericOp>(
      loc, TypeRange(inits), inputs, inits, maps, its,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        nb.create<linalg::YieldOp>(nl, body(nb, nl, args));
      });
  return g.getResults();
}

Value Lowering::countOutOfRange(Location loc, Value indices, Value n) {
  int64_t rank = rankedOf(indices).getRank();
  Value n64 = toI64(loc, n);
  auto cntType = RankedTensorType::get({}, b.getI64Type());
  Value init = filled(loc, cntType, {}, b.create<arith::ConstantIntOp>(loc, b.getI64Type(), 0));
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank), AffineMap::get(rank, 0, {}, b.getContext())};
  Value bad = generic(loc, indices, init, maps, std::string(rank, 'r'), [n64](OpBuilder &nb, Location l, ValueRange a) {
                Value v = a[0];
                if (v.getType() != nb.getI64Type())
                  v = nb.create<arith::ExtSIOp>(l, nb.getI64Type(), v);
                Value zero = nb.create<arith::ConstantIntOp>(l, nb.getI64Type(), 0);
                Value low = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, v, nb.create<arith::SubIOp>(l, zero, n64));
                Value high = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::sge, v, n64);
                Value out = nb.create<arith::ExtUIOp>(l, nb.getI64Type(), nb.create<arith::OrIOp>(l, low, high));
                return SmallVector<Value>{nb.create<arith::AddIOp>(l, a[1], out)};
              })[0];
  return b.create<tensor::ExtractOp>(loc, bad, ValueRange{});
}

AffineMap Lowering::dropDimsMap(int64_t rank, ArrayRef<int64_t> axes) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(axes, d))
      exprs.push_back(b.getAffineDimExpr(d));
  return AffineMap::get(rank, 0, exprs, b.getContext());
}

Value Lowering::elementwise(Operation *op, ValueRange operands, RankedTensorType resultType,
                            const std::function<Value(OpBuilder &, Location, ValueRange)> &scalar) {
  Location loc = op->getLoc();
  int64_t rank = resultType.getRank();
  if (rank == 0) {
    // 0-d (shape arithmetic such as n * 2): scalar code that canonicalization folds into the index
    // computations using it, so the shape checks that depend on it can still be hoisted.
    SmallVector<Value> scalars;
    for (Value v : operands)
      scalars.push_back(fromStorage(b, loc, b.create<tensor::ExtractOp>(loc, v, ValueRange{})));
    Value r = toStorage(b, loc, scalar(b, loc, scalars), resultType.getElementType());
    return b.create<tensor::FromElementsOp>(loc, resultType, ValueRange{r});
  }
  // The loop nest over `sizes`; static size-1 dims of an operand broadcast through a 0 in its map.
  Type outElt = resultType.getElementType();
  auto build = [&](ValueRange ins, ArrayRef<Value> sizes) {
    Value init = empty(loc, resultType, sizes);
    SmallVector<AffineMap> maps;
    for (Value v : ins) {
      SmallVector<AffineExpr> exprs;
      for (int64_t d = 0; d < rank; ++d)
        exprs.push_back(rankedOf(v).getDimSize(d) == 1 ? b.getAffineConstantExpr(0) : b.getAffineDimExpr(d));
      maps.push_back(AffineMap::get(rank, 0, exprs, b.getContext()));
    }
    maps.push_back(b.getMultiDimIdentityMap(rank));
    return generic(loc, ins, init, maps, std::string(rank, 'p'), [&](OpBuilder &nb, Location nl, ValueRange args) {
      SmallVector<Value> logical;
      for (Value a : args.drop_back())
        logical.push_back(fromStorage(nb, nl, a));
      return SmallVector<Value>{toStorage(nb, nl, scalar(nb, nl, logical), outElt)};
    })[0];
  };
  const std::string mismatch = "operand sizes along axis {0} differ ({{0} vs {{1}) and cannot be broadcast";

  if (dynamicBroadcast && operands.size() > 1 &&
      llvm::any_of(operands, [](Value v) { return !rankedOf(v).hasStaticShape(); })) {
    // General variant: operands with a dynamic size are stretched to the result (reading index 0
    // where their size is 1); the fusion pass folds those reads into the loop nest.
    SmallVector<SmallVector<Value>> operandSizes;
    for (Value v : operands)
      operandSizes.push_back(dims(loc, v));
    auto [sizes, ok] = broadcastSizes(op, operandSizes, resultType.getShape(),
                                      [&](size_t d) { return llvm::formatv(mismatch.c_str(), d).str(); });
    return ifChecked(loc, ok, resultType, sizes, [&, &sizes = sizes] {
      SmallVector<Value> ins;
      for (Value v : operands)
        ins.push_back(rankedOf(v).hasStaticShape()
                          ? v
                          : broadcastRead(loc, v, RankedTensorType::get(resultType.getShape(), elementOf(v)), sizes));
      return build(ins, sizes);
    });
  }

  // Default variant: a dynamic size never broadcasts. Sizes that disagree fail a Broadcast check (the
  // runtime then retries with the general variant) and are clamped to the smaller one so that, until
  // the runtime raises, no operand is read out of bounds.
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < rank; ++d) {
    if (!resultType.isDynamicDim(d)) {
      sizes.push_back(idx(loc, resultType.getDimSize(d)));
      for (Value v : operands)
        if (rankedOf(v).isDynamicDim(d)) {
          Value got = b.create<tensor::DimOp>(loc, v, d);
          Value want = idx(loc, resultType.getDimSize(d));
          Value ok = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, got, want);
          checks.require(b, loc, op, ok,
                         llvm::formatv("operand size along axis {0} is {{0}, expected {{1}", d).str(), got,
                         want, broadcastKind());
        }
      continue;
    }
    Value size;
    for (Value v : operands) {
      if (rankedOf(v).getDimSize(d) == 1)
        continue; // static 1: broadcast
      Value s = rankedOf(v).isDynamicDim(d) ? Value(b.create<tensor::DimOp>(loc, v, d))
                                            : idx(loc, rankedOf(v).getDimSize(d));
      if (!size) {
        size = s;
        continue;
      }
      Value ok = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, size, s);
      checks.require(b, loc, op, ok, llvm::formatv(mismatch.c_str(), d).str(), size, s, broadcastKind());
      size = b.create<arith::MinSIOp>(loc, size, s);
    }
    sizes.push_back(size ? size : idx(loc, 1));
  }
  return build(operands, sizes);
}

std::pair<SmallVector<Value>, Value> Lowering::broadcastSizes(Operation *op,
                                                             ArrayRef<SmallVector<Value>> operandSizes,
                                                             ArrayRef<int64_t> staticSizes,
                                                             llvm::function_ref<std::string(size_t)> message,
                                                             StringRef errorKind) {
  Location loc = op->getLoc();
  Value one = idx(loc, 1);
  Value allOk = b.create<arith::ConstantIntOp>(loc, b.getI1Type(), 1);
  SmallVector<Value> result;
  for (size_t d = 0; d < staticSizes.size(); ++d) {
    Value r;
    if (staticSizes[d] != ShapedType::kDynamic) {
      r = idx(loc, staticSizes[d]);
    } else {
      // NumPy: the size of the first operand that is not 1 (1 when all are).
      for (const SmallVector<Value> &s : operandSizes)
        if (d < s.size() && s[d])
          r = r ? Value(b.create<arith::SelectOp>(
                      loc, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, r, one), s[d], r))
                : s[d];
      if (!r)
        r = one;
    }
    for (const SmallVector<Value> &s : operandSizes) {
      if (d >= s.size() || !s[d])
        continue;
      Value ok = b.create<arith::OrIOp>(loc, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, s[d], r),
                                        b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, s[d], one));
      checks.require(b, loc, op, ok, message(d), r, s[d],
                     dynamicBroadcast ? errorKind : broadcastKind());
      allOk = b.create<arith::AndIOp>(loc, allOk, ok);
    }
    result.push_back(r);
  }
  return {result, allOk};
}

Value Lowering::broadcastRead(Location loc, Value x, RankedTensorType type, ArrayRef<Value> sizes) {
  auto xt = rankedOf(x);
  int64_t rank = type.getRank();
  SmallVector<Value> have = dims(loc, x);
  Value init = empty(loc, type, sizes);
  return generic(loc, {}, init, {b.getMultiDimIdentityMap(rank)}, std::string(rank, 'p'),
                 [&](OpBuilder &nb, Location l, ValueRange) {
                   SmallVector<Value> at;
                   for (int64_t d = 0; d < rank; ++d) {
                     if (xt.getDimSize(d) == 1) {
                       at.push_back(nb.create<arith::ConstantIndexOp>(l, 0));
                       continue;
                     }
                     Value i = nb.create<linalg::IndexOp>(l, d);
                     if (!xt.isDynamicDim(d)) {
                       at.push_back(i);
                       continue;
                     }
                     Value isOne = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, have[d],
                                                            nb.create<arith::ConstantIndexOp>(l, 1));
                     at.push_back(nb.create<arith::SelectOp>(l, isOne, nb.create<arith::ConstantIndexOp>(l, 0), i));
                   }
                   return SmallVector<Value>{nb.create<tensor::ExtractOp>(l, x, at)};
                 })[0];
}

void Lowering::checkByteSize(Operation *op, RankedTensorType type, ArrayRef<Value> sizes) {
  Location loc = op->getLoc();
  const int64_t itemBytes = std::max<int64_t>(1, type.getElementType().getIntOrFloatBitWidth() / 8);
  Value limit = idx(loc, std::numeric_limits<int64_t>::max() / itemBytes);
  Value one = idx(loc, 1);
  // count * s fits when count <= limit / s; the running count stays <= limit, so nothing overflows.
  // Like NumPy, a 0 size counts as 1 here: (2**40, 2**40, 0) is too big too.
  Value count = one, fits = b.create<arith::ConstantIntOp>(loc, b.getI1Type(), 1);
  for (Value s : sizes) {
    Value positive = b.create<arith::MaxSIOp>(loc, s, one);
    Value ok = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sle, count,
                                       b.create<arith::DivSIOp>(loc, limit, positive));
    fits = b.create<arith::AndIOp>(loc, fits, ok);
    count = b.create<arith::SelectOp>(loc, ok, b.create<arith::MulIOp>(loc, count, positive), limit);
  }
  checks.require(b, loc, op, fits,
                 "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size");
}

Value Lowering::ifChecked(Location loc, Value ok, RankedTensorType type, ArrayRef<Value> sizes,
                          const std::function<Value()> &build) {
  auto ifOp = b.create<scf::IfOp>(loc, TypeRange{type}, ok, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&ifOp.getThenRegion().front());
  Value v = build();
  if (v.getType() != type)
    v = b.create<tensor::CastOp>(loc, type, v);
  b.create<scf::YieldOp>(loc, v);
  b.setInsertionPointToStart(&ifOp.getElseRegion().front());
  b.create<scf::YieldOp>(loc, empty(loc, type, sizes));
  return ifOp.getResult(0);
}

RankedTensorType Lowering::reducedType(Value x, ArrayRef<int64_t> axes, Type elt, SmallVectorImpl<Value> &sizes,
                                       Location loc) {
  auto t = rankedOf(x);
  SmallVector<int64_t> shape;
  SmallVector<Value> all = dims(loc, x);
  for (int64_t d = 0; d < t.getRank(); ++d)
    if (!llvm::is_contained(axes, d)) {
      shape.push_back(t.getDimSize(d));
      sizes.push_back(all[d]);
    }
  return RankedTensorType::get(shape, elt);
}

Value Lowering::reduce(Location loc, Value x, ArrayRef<int64_t> axes, Value init,
                       const std::function<Value(OpBuilder &, Location, Value, Value)> &combine) {
  int64_t rank = rankedOf(x).getRank();
  std::string its;
  for (int64_t d = 0; d < rank; ++d)
    its.push_back(llvm::is_contained(axes, d) ? 'r' : 'p');
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank), dropDimsMap(rank, axes)};
  return generic(loc, x, init, maps, its, [&](OpBuilder &nb, Location nl, ValueRange args) {
    return SmallVector<Value>{combine(nb, nl, args[0], args[1])};
  })[0];
}

/// Groups for expand/collapse between a rank-`big` shape and the shape without `unitAxes`: each unit
/// axis joins the group of the next kept axis (or the last group when none follows).
static SmallVector<ReassociationIndices> unitReassociation(int64_t big, ArrayRef<int64_t> unitAxes) {
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  for (int64_t d = 0; d < big; ++d) {
    pending.push_back(d);
    if (!llvm::is_contained(unitAxes, d)) {
      groups.push_back(pending);
      pending.clear();
    }
  }
  if (!pending.empty() && !groups.empty())
    llvm::append_range(groups.back(), pending);
  return groups; // empty when every axis is a unit axis (rank-0 small side)
}

Value Lowering::expandUnitDims(Location loc, Value src, RankedTensorType dstType, ArrayRef<int64_t> unitAxes) {
  SmallVector<OpFoldResult> outShape;
  SmallVector<Value> srcDims = dims(loc, src);
  for (int64_t d = 0, s = 0; d < dstType.getRank(); ++d) {
    if (llvm::is_contained(unitAxes, d))
      outShape.push_back(b.getIndexAttr(1));
    else if (!dstType.isDynamicDim(d))
      outShape.push_back(b.getIndexAttr(dstType.getDimSize(d))), ++s;
    else
      outShape.push_back(srcDims[s++]);
  }
  // The destination type must agree with the source on kept dims; refine it from the source.
  SmallVector<int64_t> shape;
  for (int64_t d = 0, s = 0; d < dstType.getRank(); ++d)
    shape.push_back(llvm::is_contained(unitAxes, d) ? 1 : rankedOf(src).getDimSize(s++));
  auto exact = RankedTensorType::get(shape, dstType.getElementType());
  Value r = b.create<tensor::ExpandShapeOp>(loc, exact, src, unitReassociation(dstType.getRank(), unitAxes),
                                            outShape);
  if (exact != dstType)
    r = b.create<tensor::CastOp>(loc, dstType, r);
  return r;
}

Value Lowering::collapseUnitDims(Location loc, Value src, RankedTensorType dstType, ArrayRef<int64_t> unitAxes) {
  auto st = rankedOf(src);
  SmallVector<int64_t> shape(st.getShape());
  for (int64_t a : unitAxes)
    shape[a] = 1;
  auto unitType = RankedTensorType::get(shape, st.getElementType());
  if (unitType != st)
    src = b.create<tensor::CastOp>(loc, unitType, src);
  SmallVector<int64_t> small;
  for (int64_t d = 0; d < st.getRank(); ++d)
    if (!llvm::is_contained(unitAxes, d))
      small.push_back(shape[d]);
  auto exact = RankedTensorType::get(small, st.getElementType());
  Value r = b.create<tensor::CollapseShapeOp>(loc, exact, src, unitReassociation(st.getRank(), unitAxes));
  if (exact != dstType)
    r = b.create<tensor::CastOp>(loc, dstType, r);
  return r;
}

