// The constructor family: constant, fill, arange (tensors made from attributes and sizes).
#include "PopulatePatterns.h"

using namespace mlir;
using namespace tensorc;
using namespace tensorc::lowering;

namespace {
Value lowerConstant(Lowering &L, Adapted<ConstantOp> c) {
  // Bool constants take their i8 storage, as every bool tensor does.
  return L.b.create<arith::ConstantOp>(c.getLoc(), storageAttr(cast<TypedAttr>(c.getValue())));
}

Value lowerFill(Lowering &L, Adapted<FillOp> f) {
  OpBuilder &b = L.b;
  Location loc = f.getLoc();
  RankedTensorType resultType = f.getType();
  Operation *op = f;
  SmallVector<Value> sizes;
  auto dyn = f.getDynamicDims().begin();
  for (int64_t d = 0; d < resultType.getRank(); ++d) {
    if (!resultType.isDynamicDim(d)) {
      sizes.push_back(L.idx(loc, resultType.getDimSize(d)));
      continue;
    }
    Value n = L.shapeScalar(loc, *dyn++);
    Value ok = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sge, n, L.idx(loc, 0));
    L.checks.require(b, loc, op, ok, "negative dimensions are not allowed ({0})", n);
    sizes.push_back(b.create<arith::MaxSIOp>(loc, n, L.idx(loc, 0)));
  }
  if (!resultType.hasStaticShape())
    L.checkByteSize(op, resultType, sizes);
  Value v = b.create<arith::ConstantOp>(loc, storageAttr(cast<TypedAttr>(f.getValue())));
  return L.filled(loc, resultType, sizes, v);
}

Value lowerArange(Lowering &L, Adapted<ArangeOp> a) {
  OpBuilder &b = L.b;
  Location loc = a.getLoc();
  RankedTensorType resultType = a.getType();
  Operation *op = a;
  // np.arange(n) with n < 0 is empty.
  Value n = b.create<arith::MaxSIOp>(loc, L.shapeScalar(loc, a.getN()), L.idx(loc, 0));
  L.checkByteSize(op, resultType, {n});
  Value init = L.empty(loc, resultType, {n});
  Type elt = resultType.getElementType();
  return L.generic(loc, {}, init, {b.getMultiDimIdentityMap(1)}, "p",
                   [elt](OpBuilder &nb, Location l, ValueRange) {
                     Value i = nb.create<linalg::IndexOp>(l, 0);
                     Value i64 = nb.create<arith::IndexCastOp>(l, nb.getI64Type(), i);
                     return SmallVector<Value>{convertElement(nb, l, i64, elt)};
                   })[0];
}
} // namespace

void tensorc::lowering::populateConstructorPatterns(const TypeConverter &tc, RewritePatternSet &patterns,
                                                    ConversionTarget &target, ConversionState &state) {
  target.addIllegalOp<ConstantOp, FillOp, ArangeOp>();
  MLIRContext *ctx = patterns.getContext();
  patterns.add<LowerOp<ConstantOp, lowerConstant>, LowerOp<FillOp, lowerFill>, LowerOp<ArangeOp, lowerArange>>(
      tc, ctx, state);
}
