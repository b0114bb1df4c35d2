// tensorc-matmul-to-blas: bufferized float matmuls become calls of the runtime's gemm (Passes.td).
#include "tensorc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"

namespace tensorc {
#define GEN_PASS_DEF_MATMULTOBLAS
#include "tensorc/Transforms/Passes.h.inc"
} // namespace tensorc

using namespace mlir;

namespace {
/// One operand as the gemm call sees it: pointer, offset, and its element stride along each loop.
struct StridedOperand {
  Value pointer, offset;
  SmallVector<Value> loopStrides; // per loop of the generic; 0 where the operand does not move
};

StridedOperand describe(OpBuilder &b, Location loc, Value memref, AffineMap map, int64_t numLoops) {
  auto meta = b.create<memref::ExtractStridedMetadataOp>(loc, memref);
  Value zero = b.create<arith::ConstantIndexOp>(loc, 0);
  StridedOperand out{b.create<memref::ExtractAlignedPointerAsIndexOp>(loc, memref), meta.getOffset(),
                     SmallVector<Value>(numLoops, zero)};
  for (auto [p, e] : llvm::enumerate(map.getResults()))
    if (auto d = dyn_cast<AffineDimExpr>(e)) // constants (0: a broadcast batch dim) do not move
      out.loopStrides[d.getPosition()] = meta.getStrides()[p];
  return out;
}

/// The gemm callback of the element type, declared in the module on first use.
func::FuncOp gemmDecl(ModuleOp module, Type elt) {
  std::string name = elt.isF32() ? "tensorc_gemm_f32" : "tensorc_gemm_f64";
  if (auto f = module.lookupSymbol<func::FuncOp>(name))
    return f;
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  auto i64 = b.getI64Type();
  auto f = b.create<func::FuncOp>(module.getLoc(), name, b.getFunctionType(SmallVector<Type>(15, i64), {}));
  f.setPrivate();
  return f;
}

} // namespace

bool tensorc::isBlasGemm(linalg::GenericOp g) {
  if (!g->hasAttr(kGemmAttr) || g.getNumDpsInits() != 1 || g.getNumDpsInputs() < 1 || g.getNumDpsInputs() > 2)
    return false;
  // The body must still be acc + a * b of the block arguments: fusion may have folded an operand in
  // (a zero fill becomes a constant in the body: dot(zeros_like(a), a), fuzz seed 595), and then
  // the op is no longer a product of its operands.
  Block &body = g.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getNumOperands() == 1 ? yield.getOperand(0).getDefiningOp<arith::AddFOp>() : arith::AddFOp();
  if (!add || body.getOperations().size() != 3)
    return false;
  BlockArgument acc = body.getArgument(g.getNumDpsInputs());
  Value other = add.getLhs() == acc ? add.getRhs() : add.getRhs() == acc ? add.getLhs() : Value();
  auto mul = other ? other.getDefiningOp<arith::MulFOp>() : arith::MulFOp();
  if (!mul)
    return false;
  BlockArgument a = body.getArgument(0), b = body.getArgument(g.getNumDpsInputs() - 1);
  return (mul.getLhs() == a && mul.getRhs() == b) || (mul.getLhs() == b && mul.getRhs() == a);
}

namespace {
/// The loops of a marked matmul, which tensorc-lower-to-linalg orders (batch..., m?, k, n?): k is the
/// one reduction; m exists when the lhs has two dims or more (its map ends in m, k).
struct GemmLoops {
  int64_t k, numLoops;
  std::optional<int64_t> m, n;
};
GemmLoops gemmLoops(linalg::GenericOp g) {
  SmallVector<utils::IteratorType> its = g.getIteratorTypesArray();
  GemmLoops loops{0, (int64_t)its.size(), std::nullopt, std::nullopt};
  loops.k = llvm::find(its, utils::IteratorType::reduction) - its.begin();
  if (g.getMatchingIndexingMap(g.getDpsInputOperand(0)).getNumResults() >= 2)
    loops.m = loops.k - 1;
  if (loops.k + 1 < loops.numLoops)
    loops.n = loops.k + 1;
  return loops;
}

Value toI64(OpBuilder &b, Location loc, Value v) { return b.create<arith::IndexCastOp>(loc, b.getI64Type(), v); }

/// Replaces `g` (isBlasGemm, on memrefs) by its gemm calls.
void lower(linalg::GenericOp g, ModuleOp module) {
  Location loc = g.getLoc();
  Operation *before = g->getPrevNode();
  GemmLoops loops = gemmLoops(g);
  // One input: canonicalization merged the operands of a product of a vector with itself (same
  // value, same map), v @ v (isBlasGemm has checked that the body multiplies it by itself).
  OpOperand *lhs = g.getDpsInputOperand(0), *rhs = g.getDpsInputOperand(g.getNumDpsInputs() - 1);
  Value a = lhs->get(), bOp = rhs->get(), c = g.getDpsInitOperand(0)->get();
  Type elt = cast<MemRefType>(c.getType()).getElementType();
  OpBuilder b(g);
  StridedOperand sa = describe(b, loc, a, g.getMatchingIndexingMap(lhs), loops.numLoops);
  StridedOperand sb = describe(b, loc, bOp, g.getMatchingIndexingMap(rhs), loops.numLoops);
  StridedOperand sc = describe(b, loc, c, g.getMatchingIndexingMap(g.getDpsInitOperand(0)), loops.numLoops);
  // Loop ranges: batch, m and n from the result (its map lists every parallel loop in order), k
  // from the lhs dim that k indexes (its last one, unless tensorc-fuse folded a transpose into the
  // map); the lowering checked the two contraction sizes equal.
  SmallVector<Value> ranges(loops.numLoops);
  int64_t p = 0;
  for (int64_t d = 0; d < loops.numLoops; ++d)
    if (d != loops.k)
      ranges[d] = b.create<memref::DimOp>(loc, c, p++);
  AffineMap lhsMap = g.getMatchingIndexingMap(lhs);
  int64_t kDim = lhsMap.getNumResults() - 1;
  for (auto [p, e] : llvm::enumerate(lhsMap.getResults()))
    if (auto d = dyn_cast<AffineDimExpr>(e); d && d.getPosition() == loops.k)
      kDim = p;
  ranges[loops.k] = b.create<memref::DimOp>(loc, a, kDim);
  Value one = b.create<arith::ConstantIndexOp>(loc, 1), zero = b.create<arith::ConstantIndexOp>(loc, 0);
  auto rangeOf = [&](std::optional<int64_t> d) { return d ? ranges[*d] : one; };
  auto strideOf = [&](const StridedOperand &o, std::optional<int64_t> d) { return d ? o.loopStrides[*d] : zero; };
  int64_t numBatch = loops.m ? *loops.m : loops.k;
  // One gemm per batch element, the offsets advanced by each operand's batch strides.
  SmallVector<Value> offsets{sa.offset, sb.offset, sc.offset};
  for (int64_t d = 0; d < numBatch; ++d) {
    auto loop = b.create<scf::ForOp>(loc, zero, ranges[d], one);
    b.setInsertionPointToStart(loop.getBody());
    Value iv = loop.getInductionVar();
    for (auto [off, o] : llvm::zip(offsets, std::array<StridedOperand *, 3>{&sa, &sb, &sc}))
      off = b.create<arith::AddIOp>(loc, off, b.create<arith::MulIOp>(loc, iv, o->loopStrides[d]));
  }
  SmallVector<Value> args{rangeOf(loops.m), rangeOf(loops.n), ranges[loops.k],
                          sa.pointer, offsets[0], strideOf(sa, loops.m), strideOf(sa, loops.k),
                          sb.pointer, offsets[1], strideOf(sb, loops.k), strideOf(sb, loops.n),
                          sc.pointer, offsets[2], strideOf(sc, loops.m), strideOf(sc, loops.n)};
  for (Value &v : args)
    v = toI64(b, loc, v);
  b.create<func::CallOp>(loc, gemmDecl(module, elt), args);
  // gemm writes every element of the result: a zero fill of it just before is dead.
  if (auto fill = dyn_cast_or_null<linalg::FillOp>(before);
      fill && fill.hasPureBufferSemantics() && fill.getDpsInitOperand(0)->get() == c)
    fill.erase();
  g.erase();
}

struct MatmulToBlasPass : tensorc::impl::MatmulToBlasBase<MatmulToBlasPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> gemms;
    getOperation()->walk([&](linalg::GenericOp g) {
      if (g.hasPureBufferSemantics() && tensorc::isBlasGemm(g))
        gemms.push_back(g);
    });
    for (linalg::GenericOp g : gemms)
      lower(g, getOperation());
  }
};
} // namespace
