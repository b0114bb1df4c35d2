// Lowering of tensorc.matmul (NumPy matmul semantics) to one linalg.generic, marked `tensorc.gemm`
// for float32/float64 (tensorc/Transforms/Passes.td: tensorc-matmul-to-blas).
//
// The iteration space is ordered (batch..., m, k, n): linalg's loop lowering keeps that order, so the
// innermost loop walks rows of the rhs and of the result contiguously and LLVM vectorizes it as
// broadcast(a[m, k]) * b[k, n:n+8] + c[m, n:n+8].
#include "PopulatePatterns.h"

#include "tensorc/Transforms/Passes.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace tensorc;
using namespace tensorc::lowering;

namespace {
const char *const kBatchMismatch = "batch dimension {0} differs ({{0} vs {{1}) and cannot be broadcast";

/// The matmul of `lhs` and `rhs` (the op's operands, or their batch-broadcast copies).
Value lowerMatmulOn(Adapted<MatmulOp> op, Lowering &L, Value lhs, Value rhs) {
  OpBuilder &b = L.b;
  Location loc = op.getLoc();
  auto at = rankedOf(lhs), bt = rankedOf(rhs);
  auto rt = op.getType();
  Type elt = rt.getElementType();
  int64_t ra = at.getRank(), rb = bt.getRank();
  int64_t ba = std::max<int64_t>(ra - 2, 0), bb = std::max<int64_t>(rb - 2, 0), nb = std::max(ba, bb);
  bool hasM = ra >= 2, hasN = rb >= 2;
  // Loop dims: [0, nb) batch, then m (if any), k, n (if any).
  int64_t dM = nb, dK = nb + (hasM ? 1 : 0), dN = dK + 1;
  int64_t nLoops = dK + 1 + (hasN ? 1 : 0);
  SmallVector<Value> as = L.dims(loc, lhs), bs = L.dims(loc, rhs);

  // Contraction size: checked equal (the guard keeps the loops from running when it is not).
  Value ka = as[ra - 1], kb = rb == 1 ? bs[0] : bs[rb - 2];
  Value okK = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, ka, kb);
  L.checks.require(b, loc, op, okK,
                   "matmul: Input operand 1 has a mismatch in its core dimension 0 (size {1} is different from {0})",
                   ka, kb);

  auto dimExpr = [&](int64_t d) { return b.getAffineDimExpr(d); };
  SmallVector<AffineExpr> aExprs, bExprs, cExprs;
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < nb; ++i) {
    int64_t ia = i - (nb - ba), ib = i - (nb - bb);
    int64_t sa = ia >= 0 ? at.getDimSize(ia) : 1, sb = ib >= 0 ? bt.getDimSize(ib) : 1;
    if (ia >= 0)
      aExprs.push_back(sa == 1 ? b.getAffineConstantExpr(0) : dimExpr(i));
    if (ib >= 0)
      bExprs.push_back(sb == 1 ? b.getAffineConstantExpr(0) : dimExpr(i));
    cExprs.push_back(dimExpr(i));
    Value size;
    if (sa != 1)
      size = as[ia];
    if (sb != 1) {
      if (size) {
        Value ok = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, size, bs[ib]);
        L.checks.require(b, loc, op, ok, llvm::formatv(kBatchMismatch, i).str(), size, bs[ib], L.broadcastKind());
        size = b.create<arith::MinSIOp>(loc, size, bs[ib]);
      } else {
        size = bs[ib];
      }
    }
    sizes.push_back(size ? size : L.idx(loc, 1));
  }
  if (hasM) {
    aExprs.push_back(dimExpr(dM));
    cExprs.push_back(dimExpr(dM));
    sizes.push_back(as[ra - 2]);
  }
  aExprs.push_back(dimExpr(dK));
  bExprs.push_back(dimExpr(dK));
  if (hasN) {
    bExprs.push_back(dimExpr(dN));
    cExprs.push_back(dimExpr(dN));
    sizes.push_back(bs[rb - 1]);
  }
  // linalg bounds the k loop by the lhs; when the contraction sizes differ, the check above fails and
  // tensorc-guard-shape-checks keeps the loops from running.
  Value init = L.filled(loc, rt, sizes, L.zeroOf(loc, elt));
  SmallVector<AffineMap> maps{AffineMap::get(nLoops, 0, aExprs, b.getContext()),
                              AffineMap::get(nLoops, 0, bExprs, b.getContext()),
                              AffineMap::get(nLoops, 0, cExprs, b.getContext())};
  std::string its(nLoops, 'p');
  its[dK] = 'r';
  auto fm = arith::FastMathFlagsAttr::get(b.getContext(), arith::FastMathFlags::contract | arith::FastMathFlags::reassoc);
  Value result = L.generic(loc, ValueRange{lhs, rhs}, init, maps, its, [fm](OpBuilder &nb2, Location l, ValueRange a) {
    Value r;
    if (isFloat(a[0].getType()))
      r = nb2.create<arith::AddFOp>(l, a[2], nb2.create<arith::MulFOp>(l, a[0], a[1], fm), fm);
    else
      r = nb2.create<arith::AddIOp>(l, a[2], nb2.create<arith::MulIOp>(l, a[0], a[1]));
    return SmallVector<Value>{r};
  })[0];
  // float32/float64 matmuls are marked for tensorc-matmul-to-blas (which calls BLAS for them when the
  // pipeline has one) and for tensorc-fuse-rows (which then leaves their k loop unblocked).
  if (elt.isF32() || elt.isF64())
    result.getDefiningOp()->setAttr(kGemmAttr, UnitAttr::get(b.getContext()));
  return result;
}
Value lowerMatmul(Lowering &L, Adapted<MatmulOp> op) {
  Value lhs = op.getLhs(), rhs = op.getRhs();
  auto at = rankedOf(lhs), bt = rankedOf(rhs);
  int64_t ra = at.getRank(), rb = bt.getRank();
  int64_t ba = std::max<int64_t>(ra - 2, 0), bb = std::max<int64_t>(rb - 2, 0), nb = std::max(ba, bb);
  auto dynamicBatch = [](RankedTensorType t, int64_t batch) {
    return llvm::any_of(t.getShape().take_front(batch), ShapedType::isDynamic);
  };
  if (!L.dynamicBroadcast || ba == 0 || bb == 0 || !(dynamicBatch(at, ba) || dynamicBatch(bt, bb)))
    return lowerMatmulOn(op, L, lhs, rhs);
  // General variant: batch sizes broadcast by NumPy's rule on their run-time values; an operand with a
  // dynamic batch size is stretched to the result's batch shape first.
  Location loc = op.getLoc();
  auto rt = op.getType();
  SmallVector<Value> as = L.dims(loc, lhs), bs = L.dims(loc, rhs);
  SmallVector<SmallVector<Value>> batchSizes(2, SmallVector<Value>(nb));
  for (int64_t i = 0; i < nb; ++i) {
    if (int64_t ia = i - (nb - ba); ia >= 0)
      batchSizes[0][i] = as[ia];
    if (int64_t ib = i - (nb - bb); ib >= 0)
      batchSizes[1][i] = bs[ib];
  }
  auto [batch, ok] = L.broadcastSizes(op, batchSizes, rt.getShape().take_front(nb),
                                      [](size_t i) { return llvm::formatv(kBatchMismatch, i).str(); });
  SmallVector<Value> resultSizes(batch);
  if (ra >= 2)
    resultSizes.push_back(as[ra - 2]);
  if (rb >= 2)
    resultSizes.push_back(bs[rb - 1]);
  auto stretch = [&, &batch = batch](Value v, int64_t batchRank) {
    auto t = rankedOf(v);
    if (!dynamicBatch(t, batchRank))
      return v;
    SmallVector<int64_t> shape(rt.getShape().slice(nb - batchRank, batchRank));
    llvm::append_range(shape, t.getShape().drop_front(batchRank));
    SmallVector<Value> sizes(ArrayRef<Value>(batch).drop_front(nb - batchRank));
    llvm::append_range(sizes, ArrayRef<Value>(L.dims(loc, v)).drop_front(batchRank));
    return L.broadcastRead(loc, v, RankedTensorType::get(shape, t.getElementType()), sizes);
  };
  return L.ifChecked(loc, ok, rt, resultSizes, [&] {
    Value a = stretch(lhs, ba);
    Value b = stretch(rhs, bb);
    return lowerMatmulOn(op, L, a, b);
  });
}
} // namespace

void tensorc::lowering::populateMatmulPatterns(const TypeConverter &tc, RewritePatternSet &patterns,
                                               ConversionTarget &target, ConversionState &state) {
  target.addIllegalOp<MatmulOp>();
  patterns.add<LowerOp<MatmulOp, lowerMatmul>>(tc, patterns.getContext(), state);
}
