// Lowering of tensorc.matmul (NumPy matmul semantics) to one linalg.generic.
//
// The iteration space is ordered (batch..., m, k, n): linalg's loop lowering keeps that order, so the
// innermost loop walks rows of the rhs and of the result contiguously and LLVM vectorizes it as
// broadcast(a[m, k]) * b[k, n:n+8] + c[m, n:n+8].
#include "Lowering.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace tensorc;
using namespace tensorc::lowering;

Value tensorc::lowering::lowerMatmul(MatmulOp op, Lowering &L) {
  OpBuilder &b = L.b;
  Location loc = op.getLoc();
  Value lhs = op.getLhs(), rhs = op.getRhs();
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

  // Contraction size: checked equal, clamped to the smaller.
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
        L.checks.require(b, loc, op, ok,
                         llvm::formatv("batch dimension {0} differs ({{0} vs {{1}) and cannot be broadcast", i).str(),
                         size, bs[ib]);
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
  // linalg bounds the k loop by the lhs: when the contraction sizes may differ, both operands are cut to
  // the smaller one (views, no copies), so a mismatch is reported without reading out of bounds.
  if (at.isDynamicDim(ra - 1) || (rb == 1 ? bt.isDynamicDim(0) : bt.isDynamicDim(rb - 2))) {
    Value k = b.create<arith::MinSIOp>(loc, ka, kb);
    auto cut = [&](Value v, int64_t kAxis) -> Value {
      auto t = rankedOf(v);
      SmallVector<OpFoldResult> offs(t.getRank(), b.getIndexAttr(0)), strides(t.getRank(), b.getIndexAttr(1)), sz;
      SmallVector<Value> ds = L.dims(loc, v);
      for (int64_t d = 0; d < t.getRank(); ++d)
        sz.push_back(d == kAxis ? OpFoldResult(k) : OpFoldResult(ds[d]));
      return b.create<tensor::ExtractSliceOp>(loc, v, offs, sz, strides);
    };
    lhs = cut(lhs, ra - 1);
    rhs = cut(rhs, rb == 1 ? 0 : rb - 2);
  }
  Value init = L.filled(loc, rt, sizes, L.zeroOf(loc, elt));
  SmallVector<AffineMap> maps{AffineMap::get(nLoops, 0, aExprs, b.getContext()),
                              AffineMap::get(nLoops, 0, bExprs, b.getContext()),
                              AffineMap::get(nLoops, 0, cExprs, b.getContext())};
  std::string its(nLoops, 'p');
  its[dK] = 'r';
  auto fm = arith::FastMathFlagsAttr::get(b.getContext(), arith::FastMathFlags::contract | arith::FastMathFlags::reassoc);
  return L.generic(loc, ValueRange{lhs, rhs}, init, maps, its, [fm](OpBuilder &nb2, Location l, ValueRange a) {
    Value r;
    if (isFloat(a[0].getType()))
      r = nb2.create<arith::AddFOp>(l, a[2], nb2.create<arith::MulFOp>(l, a[0], a[1], fm), fm);
    else
      r = nb2.create<arith::AddIOp>(l, a[2], nb2.create<arith::MulIOp>(l, a[0], a[1]));
    return SmallVector<Value>{r};
  })[0];
}
