// tensorc-fuse-rows: tile row-parallel consumers of reductions and fuse their producers into the tiles.
#include "tensorc/Transforms/Passes.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

namespace tensorc {
#define GEN_PASS_DEF_FUSEROWS
#include "tensorc/Transforms/Passes.h.inc"
} // namespace tensorc

using namespace mlir;

namespace {
bool hasReduction(linalg::GenericOp g) {
  return llvm::any_of(g.getIteratorTypesArray(), [](utils::IteratorType t) { return t == utils::IteratorType::reduction; });
}

/// Whether some linalg producer of `g` (through any number of linalg generics) satisfies `is`.
bool fedBy(linalg::GenericOp g, llvm::function_ref<bool(linalg::GenericOp)> is, int depth = 0) {
  if (depth > 8)
    return false;
  for (Value v : g.getDpsInputs()) {
    auto p = v.getDefiningOp<linalg::GenericOp>();
    if (p && (is(p) || fedBy(p, is, depth + 1)))
      return true;
  }
  return false;
}

/// Whether some tensor operand or result of `op` has a dimension that is zero at compile time: static 0
/// in its type, or a dynamic size that value bounds prove to be 0 (tensor.empty(%c0), ...).
///
/// Such an op must be neither tiled nor fused into a tile. Upstream tiling hands the tile sizes of each
/// loop to linalg's slice computation, which reads a size of constant 0 as "this loop is not tiled" and
/// asserts (`computeAllSliceParameters`: "expected as many ivs as non-zero sizes") when the loop is
/// there all the same; with assertions on, that aborts the process. Statically empty dims are common:
/// the runtime specializes size-1 input dims to static 1, after which slices such as x[1:] fold to
/// static 0. Leaving the op alone is always correct: an empty loop nest costs nothing to run untiled.
/// (Static 1, and any positive size, is safe: the tile size is then min(rows, size) > 0.)
bool hasZeroDim(Operation *op) {
  auto zero = [](Value v) {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    if (!t)
      return false;
    for (int64_t d = 0; d < t.getRank(); ++d) {
      if (t.getDimSize(d) == 0)
        return true;
      if (t.isDynamicDim(d)) {
        FailureOr<int64_t> c = ValueBoundsConstraintSet::computeConstantBound(
            presburger::BoundType::EQ, ValueBoundsConstraintSet::Variable(v, d));
        if (succeeded(c) && *c == 0)
          return true;
      }
    }
    return false;
  };
  return llvm::any_of(op->getOperands(), zero) || llvm::any_of(op->getResults(), zero);
}

//===----------------------------------------------------------------------===//
// Blocked float sums
//===----------------------------------------------------------------------===//
//
// A float sum that is one loop (vectorized: LLVM keeps VF x interleave lanes, 16 to 64) adds each term
// into a partial sum that grows with the length, so its error grows linearly: n/lanes rounding steps
// on values as large as the sum. NumPy sums pairwise (blocks of 128 in 8 lanes, then a tree), with an
// error that grows like log(n). Here every float add-reduction (a linalg.generic whose body yields
// addf(v, acc), looked for after fusion, so with its fused producers in the body) becomes
//
//   partials[K, result shape] = for each block of at most kBlock reduced elements (scf.for over the
//       reduction dims, innermost first), the same generic on slices of its inputs, from 0, into
//       slot k of partials
//   while (K > 1) { h = K / 2; partials[0:h] += partials[K-h:K]; K -= h }     (a pairwise tree)
//   result = partials[0]                      (init + partials[0] when init is not a fill of 0)
//
// The error is then at most about kBlock/lanes + log2(lanes) rounding steps inside a block plus
// log2(n / kBlock) in the tree: it grows like log(n), as NumPy's. A block's loop is the original loop
// (vectorized as before); the tree touches n / kBlock values. A sum of at most kBlock elements is one
// block, the original loop over everything, and the tree does nothing; an empty sum is one empty
// block (slot 0 holds 0). Sums of at most kBlock elements known statically are left alone.
//
// The parallel loops outside the first reduction loop go one index at a time around the blocks when
// there are several blocks (all indices in one step otherwise), so that a sum along rows reads each
// row block after block, as the plain loop did: block k of every row, then block k+1 of every row,
// is many interleaved streams, 2-4x slower.
//
// The partial sums of a float32 sum (the sums of exp of the softmax family) are float64: a block of
// float32 terms loses at most about kBlock/lanes roundings, the tree adds none of float32's, and the
// result is rounded once. float32 reduce_sum and reduce_mean accumulate in float64 from the start
// (Conversion/TensorcToLinalg/Reductions.cpp) and are not blocked (see floatSumAdd). The cost is compile time: the block
// loop nest, the tree and their slices take LLVM about 1.5-2.5x as long as the plain sum did.
constexpr int64_t kBlock = 1024;

/// The addf of a float sum: `g` has one init and result of float elements, at least one reduction
/// loop, indexing maps made of dims and constants, a result map without reduction dims, and its body
/// yields addf(v, acc) where acc (the init's block argument) is used only there. Null otherwise.
arith::AddFOp floatSumAdd(linalg::GenericOp g) {
  if (g.getNumDpsInits() != 1 || g->getNumResults() != 1 || !g.hasPureTensorSemantics() ||
      g.getNumReductionLoops() == 0)
    return {};
  auto rt = dyn_cast<RankedTensorType>(g->getResult(0).getType());
  if (!rt || !isa<FloatType>(rt.getElementType()))
    return {};
  for (AffineMap m : g.getIndexingMapsArray())
    for (AffineExpr e : m.getResults())
      if (!isa<AffineDimExpr, AffineConstantExpr>(e))
        return {};
  SmallVector<utils::IteratorType> its = g.getIteratorTypesArray();
  for (AffineExpr e : g.getMatchingIndexingMap(g.getDpsInitOperand(0)).getResults())
    if (auto d = dyn_cast<AffineDimExpr>(e); d && linalg::isReductionIterator(its[d.getPosition()]))
      return {};
  Block &body = g.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  BlockArgument acc = body.getArgument(g.getNumDpsInputs());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add || add->getBlock() != &body || !acc.hasOneUse() || acc.getType() != rt.getElementType())
    return {};
  if ((add.getLhs() == acc) == (add.getRhs() == acc)) // acc exactly once
    return {};
  // Narrower values summed in a wider accumulator (float32 in float64, Conversion/TensorcToLinalg/Reductions.cpp) are
  // accurate without blocks: n additions lose at most about n * 2**-53 of the sum of magnitudes,
  // below float32's rounding (2**-24) for any n < 2**29, and below NumPy's float32 pairwise bound
  // (log2(n) * 2**-24) for any n that fits in memory. Blocking them would only cost code.
  Value term = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  if (auto ext = term.getDefiningOp<arith::ExtFOp>())
    if (ext.getIn().getType().getIntOrFloatBitWidth() < acc.getType().getIntOrFloatBitWidth())
      return {};
  return add;
}

Value indexOf(OpBuilder &b, Location loc, OpFoldResult v) { return getValueOrCreateConstantIndexOp(b, loc, v); }

/// A float scalar converted to the float type `to` (extf or truncf; itself when it has that type).
Value toFloat(OpBuilder &b, Location loc, Value v, Type to) {
  unsigned from = v.getType().getIntOrFloatBitWidth(), want = to.getIntOrFloatBitWidth();
  if (from < want)
    return b.create<arith::ExtFOp>(loc, to, v);
  if (from > want)
    return b.create<arith::TruncFOp>(loc, to, v);
  return v;
}

/// An elementwise linalg.generic into `init`: a[0] + a[1] in the type of ins[0], where a is the
/// inputs' elements followed by init's (so one input adds to init, two inputs overwrite it),
/// converted to init's element type. Without `ins[1]` and with `convertOnly`, just ins[0] converted.
Value addTensors(OpBuilder &b, Location loc, ValueRange ins, Value init, arith::FastMathFlagsAttr fmf,
                 bool convertOnly = false) {
  int64_t rank = cast<RankedTensorType>(init.getType()).getRank();
  SmallVector<AffineMap> maps(ins.size() + 1, b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> its(rank, utils::IteratorType::parallel);
  Type outElt = cast<RankedTensorType>(init.getType()).getElementType();
  auto g = b.create<linalg::GenericOp>(loc, TypeRange{init.getType()}, ins, ValueRange{init}, maps, its,
                                       [&](OpBuilder &nb, Location l, ValueRange a) {
                                         Type t = a[0].getType();
                                         Value r = convertOnly ? a[0]
                                                               : Value(nb.create<arith::AddFOp>(
                                                                     l, a[0], toFloat(nb, l, a[1], t), fmf));
                                         nb.create<linalg::YieldOp>(l, toFloat(nb, l, r, outElt));
                                       });
  return g->getResult(0);
}

/// Whether `v` is a linalg.fill of +0.0 or -0.0 (the identity of a sum).
bool isZeroFill(Value v) {
  auto fill = v.getDefiningOp<linalg::FillOp>();
  if (!fill)
    return false;
  auto cst = fill.getInputs()[0].getDefiningOp<arith::ConstantOp>();
  auto f = cst ? dyn_cast<FloatAttr>(cst.getValue()) : FloatAttr();
  return f && f.getValue().isZero();
}

/// The blocked form of the float sum `g` (see above), built in place of `g`.
void blockFloatSum(IRRewriter &rw, linalg::GenericOp g) {
  arith::AddFOp add = floatSumAdd(g);
  if (!add || hasZeroDim(g))
    return;
  Location loc = g.getLoc();
  SmallVector<utils::IteratorType> its = g.getIteratorTypesArray();
  SmallVector<int64_t> staticRanges = g.getStaticLoopRanges();
  SmallVector<unsigned> red;
  int64_t staticCount = 1;
  for (unsigned d = 0; d < its.size(); ++d)
    if (linalg::isReductionIterator(its[d])) {
      red.push_back(d);
      staticCount = (ShapedType::isDynamic(staticRanges[d]) || staticCount < 0) ? -1 : staticCount * staticRanges[d];
    }
  if (staticCount >= 0 && staticCount <= kBlock)
    return; // a short sum: accurate as it is

  rw.setInsertionPoint(g);
  SmallVector<Range> ranges = cast<linalg::LinalgOp>(g.getOperation()).createLoopRanges(rw, loc);
  auto c = [&](int64_t v) -> Value { return rw.create<arith::ConstantIndexOp>(loc, v); };
  Value block = c(kBlock), one = c(1), zero = c(0);
  Value init = g.getDpsInitOperand(0)->get();
  auto outType = cast<RankedTensorType>(init.getType());
  Type elt = outType.getElementType();
  arith::FastMathFlagsAttr fmf = add.getFastmathAttr();
  // Block sizes, innermost reduction dim first: each takes what the block has left, at least 1. A
  // sum of at most kBlock elements is one block. An empty one is one empty block too (the loops run
  // to max(size, 1)), which fills slot 0 with 0: partials[0] always exists and is the sum.
  size_t m = red.size();
  SmallVector<Value> sizes(m), bounds(m), steps(m), counts(m);
  Value budget = block, total = one;
  for (int i = m - 1; i >= 0; --i) {
    sizes[i] = indexOf(rw, loc, ranges[red[i]].size);
    bounds[i] = rw.create<arith::MaxUIOp>(loc, sizes[i], one);
    total = rw.create<arith::MulIOp>(loc, total, sizes[i]);
    Value s = rw.create<arith::MinUIOp>(loc, sizes[i], budget);
    steps[i] = rw.create<arith::MaxUIOp>(loc, s, one);
    budget = rw.create<arith::MaxUIOp>(loc, rw.create<arith::DivUIOp>(loc, budget, steps[i]), one);
    counts[i] = rw.create<arith::CeilDivUIOp>(loc, bounds[i], steps[i]);
  }
  Value isShort = rw.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ule, total, block);
  Value numBlocks = one;
  for (Value k : counts)
    numBlocks = rw.create<arith::MulIOp>(loc, numBlocks, k);
  // The parallel loops outside the first reduction loop: one index at a time when there are several
  // blocks, all at once (one step) when there is one, where the loop is the original sum's.
  SmallVector<unsigned> outer;
  for (unsigned d = 0; d < red.front(); ++d)
    outer.push_back(d);
  // The result dim that each loop writes (the result map is a projected permutation or constants).
  AffineMap outMap = g.getMatchingIndexingMap(g.getDpsInitOperand(0));
  DenseMap<unsigned, int64_t> outDimOfLoop;
  for (auto [j, e] : llvm::enumerate(outMap.getResults()))
    if (auto d = dyn_cast<AffineDimExpr>(e))
      outDimOfLoop[d.getPosition()] = j;
  // partials: [K, result shape].
  SmallVector<OpFoldResult> outDims = tensor::getMixedSizes(rw, loc, init);
  SmallVector<OpFoldResult> partialDims{getAsOpFoldResult(numBlocks)};
  llvm::append_range(partialDims, outDims);
  // The partial sums are float64 for float32 sums: a block of float32 terms is accurate (at most
  // kBlock/lanes roundings), and the tree then adds none of float32's rounding.
  Type partialElt = elt.isF32() ? Type(rw.getF64Type()) : elt;
  Value partialsInit = rw.create<tensor::EmptyOp>(loc, partialDims, partialElt);
  SmallVector<Value> lbs(outer.size() + m, zero), ubs, loopSteps;
  for (unsigned d : outer) {
    Value size = indexOf(rw, loc, ranges[d].size);
    ubs.push_back(size);
    loopSteps.push_back(rw.create<arith::SelectOp>(loc, isShort, rw.create<arith::MaxUIOp>(loc, size, one), one));
  }
  llvm::append_range(ubs, bounds);
  llvm::append_range(loopSteps, steps);
  // The slot of one block: the result's shape, dynamic along the dims the outer loops write.
  SmallVector<int64_t> slotShape(outType.getShape());
  for (unsigned d : outer)
    if (auto it = outDimOfLoop.find(d); it != outDimOfLoop.end())
      slotShape[it->second] = ShapedType::kDynamic;
  auto slotType = RankedTensorType::get(slotShape, elt);
  auto partialSlotType = RankedTensorType::get(slotShape, partialElt);
  Value zeroF = rw.create<arith::ConstantOp>(loc, rw.getFloatAttr(elt, 0.0));
  int64_t outRank = outType.getRank();
  // Where a block sums when the partials are wider: a slice of one scratch tensor of the result's
  // shape, made here, so that the buffer is allocated once and not in every block.
  Value scratch = partialElt == elt ? Value() : Value(rw.create<tensor::EmptyOp>(loc, outDims, elt));
  scf::LoopNest nest = scf::buildLoopNest(
      rw, loc, lbs, ubs, loopSteps, ValueRange{partialsInit},
      [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange iterArgs) -> scf::ValueVector {
        // This block: offset iv and size min(step, size - iv) along the outer and reduction loops.
        // Its slot: k = the block's linear index among the reduction blocks.
        DenseMap<unsigned, std::pair<OpFoldResult, OpFoldResult>> window; // loop dim -> (offset, size)
        for (auto [i, d] : llvm::enumerate(outer)) {
          Value left = b.create<arith::SubIOp>(l, ubs[i], ivs[i]);
          window[d] = {ivs[i], b.create<arith::MinUIOp>(l, loopSteps[i], left).getResult()};
        }
        Value k = b.create<arith::ConstantIndexOp>(l, 0);
        for (auto [i, d] : llvm::enumerate(red)) {
          Value iv = ivs[outer.size() + i];
          Value left = b.create<arith::SubIOp>(l, sizes[i], iv);
          window[d] = {iv, b.create<arith::MinUIOp>(l, steps[i], left).getResult()};
          k = b.create<arith::AddIOp>(l, b.create<arith::MulIOp>(l, k, counts[i]),
                                      b.create<arith::DivUIOp>(l, iv, steps[i]));
        }
        SmallVector<Value> operands;
        for (OpOperand *in : g.getDpsInputOperands()) {
          Value v = in->get();
          auto t = dyn_cast<RankedTensorType>(v.getType());
          AffineMap map = g.getMatchingIndexingMap(in);
          bool sliced = false;
          SmallVector<OpFoldResult> offs, szs, strides;
          if (t)
            for (int64_t j = 0; j < t.getRank(); ++j) {
              auto d = dyn_cast<AffineDimExpr>(map.getResult(j));
              auto it = d ? window.find(d.getPosition()) : window.end();
              strides.push_back(b.getIndexAttr(1));
              if (it != window.end()) {
                offs.push_back(it->second.first);
                szs.push_back(it->second.second);
                sliced = true;
              } else {
                offs.push_back(b.getIndexAttr(0));
                szs.push_back(tensor::getMixedSize(b, l, v, j));
              }
            }
          operands.push_back(sliced ? b.create<tensor::ExtractSliceOp>(l, v, offs, szs, strides).getResult() : v);
        }
        SmallVector<OpFoldResult> slotOffs{k}, slotSizes{b.getIndexAttr(1)}, ones(1 + outRank, b.getIndexAttr(1));
        SmallVector<OpFoldResult> slotDims; // the slot's sizes, without the leading 1
        for (auto [j, size] : llvm::enumerate(outDims)) {
          auto e = dyn_cast<AffineDimExpr>(outMap.getResult(j));
          bool byOuter = e && llvm::is_contained(outer, e.getPosition());
          slotOffs.push_back(byOuter ? window[e.getPosition()].first : b.getIndexAttr(0));
          slotSizes.push_back(byOuter ? window[e.getPosition()].second : size);
          slotDims.push_back(slotSizes.back());
        }
        Value slot =
            b.create<tensor::ExtractSliceOp>(l, partialSlotType, iterArgs[0], slotOffs, slotSizes, ones);
        // The block sums from 0 into its slot, or into a tensor of its own when the partials are wider.
        Value dst = slot;
        if (partialElt != elt)
          dst = b.create<tensor::ExtractSliceOp>(l, slotType, scratch, SmallVector<OpFoldResult>(outRank, b.getIndexAttr(0)),
                                                 slotDims, SmallVector<OpFoldResult>(outRank, b.getIndexAttr(1)));
        operands.push_back(b.create<linalg::FillOp>(l, zeroF, dst).getResult(0));
        auto part = cast<linalg::GenericOp>(mlir::clone(b, g.getOperation(), TypeRange{slotType}, operands));
        // linalg.index counts from the block's start: add the block's offsets.
        SmallVector<OpFoldResult> idxOffsets(its.size(), b.getIndexAttr(0));
        for (auto [d, w] : window)
          idxOffsets[d] = w.first;
        linalg::offsetIndices(b, cast<linalg::LinalgOp>(part.getOperation()), idxOffsets);
        Value blockSum = part->getResult(0);
        if (partialElt != elt)
          blockSum = addTensors(b, l, ValueRange{blockSum}, slot, fmf, /*convertOnly=*/true);
        return {b.create<tensor::InsertSliceOp>(l, blockSum, iterArgs[0], slotOffs, slotSizes, ones).getResult()};
      });
  Value partials = nest.results[0];

  // The tree: fold the partials in half until one row is left (no iteration for one block). Each
  // level adds into a slice of one scratch tensor of ceil(K/2) rows (the halves alias the partials:
  // an init that is one of them is copied in too), then copies it back.
  auto partialsType = cast<RankedTensorType>(partials.getType());
  SmallVector<OpFoldResult> treeDims{getAsOpFoldResult(rw.create<arith::CeilDivUIOp>(loc, numBlocks, c(2)))};
  llvm::append_range(treeDims, outDims);
  Value treeScratch = rw.create<tensor::EmptyOp>(loc, treeDims, partialElt);
  auto whileOp = rw.create<scf::WhileOp>(
      loc, TypeRange{partialsType, rw.getIndexType()}, ValueRange{partials, numBlocks},
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value more = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::ugt, args[1], b.create<arith::ConstantIndexOp>(l, 1));
        b.create<scf::ConditionOp>(l, more, args);
      },
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value t = args[0], kNow = args[1];
        Value half = b.create<arith::DivUIOp>(l, kNow, b.create<arith::ConstantIndexOp>(l, 2));
        Value rest = b.create<arith::SubIOp>(l, kNow, half); // ceil(k / 2) >= half: [0, half) and [rest, k) are disjoint
        SmallVector<OpFoldResult> lowOffs(1 + outRank, b.getIndexAttr(0)), highOffs(lowOffs), szs{half},
            ones(1 + outRank, b.getIndexAttr(1));
        highOffs[0] = rest;
        SmallVector<OpFoldResult> tDims = tensor::getMixedSizes(b, l, t);
        szs.append(tDims.begin() + 1, tDims.end());
        Value low = b.create<tensor::ExtractSliceOp>(l, t, lowOffs, szs, ones);
        Value high = b.create<tensor::ExtractSliceOp>(l, t, highOffs, szs, ones);
        Value fresh = b.create<tensor::ExtractSliceOp>(l, treeScratch, lowOffs, szs, ones);
        Value sum = addTensors(b, l, ValueRange{low, high}, fresh, fmf);
        Value updated = b.create<tensor::InsertSliceOp>(l, sum, t, lowOffs, szs, ones);
        b.create<scf::YieldOp>(l, ValueRange{updated, rest});
      });
  SmallVector<OpFoldResult> rowOffs(1 + outRank, rw.getIndexAttr(0)), rowSizes{rw.getIndexAttr(1)},
      ones(1 + outRank, rw.getIndexAttr(1));
  llvm::append_range(rowSizes, outDims);
  Value row = rw.create<tensor::ExtractSliceOp>(loc, RankedTensorType::get(outType.getShape(), partialElt),
                                               whileOp.getResult(0), rowOffs, rowSizes, ones);
  // init + the total: the total itself when init is the sum's identity and the types agree.
  Value result;
  if (isZeroFill(init) && partialElt == elt)
    result = row;
  else if (isZeroFill(init))
    result = addTensors(rw, loc, ValueRange{row}, rw.create<tensor::EmptyOp>(loc, outDims, elt), fmf,
                        /*convertOnly=*/true);
  else
    result = addTensors(rw, loc, ValueRange{row}, init, fmf);
  rw.replaceOp(g, result);
}

struct FuseRowsPass : tensorc::impl::FuseRowsBase<FuseRowsPass> {
  using FuseRowsBase::FuseRowsBase;
  void runOnOperation() override {
    // A tile size of 0 means "do not tile" upstream and a negative one is invalid IR: neither is a
    // number of rows. Refuse them here, before any of them reaches the tiling code.
    if (rows < 1) {
      getOperation()->emitError("tensorc-fuse-rows: rows must be at least 1, got ") << static_cast<int64_t>(rows);
      return signalPassFailure();
    }
    if (gemmRows < 1) {
      getOperation()->emitError("tensorc-fuse-rows: gemm-rows must be at least 1, got ") << static_cast<int64_t>(gemmRows);
      return signalPassFailure();
    }
    // Canonicalize first, so that every size that folds to a constant is static in the types here:
    // hasZeroDim must see a slice x[..., :0] and its consumers as empty (value bounds do not see
    // through every op that computes such a size), and a size that only becomes a static 0 after
    // the scf.if of a blocked sum has fixed its result types would leave slices at offset 0 of a
    // static 0 dim with dynamic sizes, which memref.subview rejects.
    OpPassManager canonicalize(getOperation()->getName());
    canonicalize.addPass(createCanonicalizerPass());
    if (failed(runPipeline(canonicalize, getOperation())))
      return signalPassFailure();
    SmallVector<linalg::GenericOp> roots;
    getOperation()->walk([&](linalg::GenericOp g) {
      auto its = g.getIteratorTypesArray();
      if (sumsOnly || its.size() < 2 || its[0] != utils::IteratorType::parallel || g.getNumDpsInits() != 1 ||
          !fedBy(g, hasReduction) || hasZeroDim(g))
        return;
      // Only the last op of a chain: a consumer that is itself fused elsewhere is not a root.
      for (Operation *user : g->getUsers())
        if (isa<linalg::LinalgOp>(user))
          return;
      roots.push_back(g);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp g : roots) {
      SmallVector<OpFoldResult> tiles(g.getNumLoops(), rewriter.getIndexAttr(0));
      // A block of a BLAS matmul is one gemm call, which packs the whole rhs: a few rows per call
      // would spend the time packing (8 rows: 3x slower than the whole matmul at 1024^3).
      tiles[0] = rewriter.getIndexAttr(blasMatmuls && fedBy(g, tensorc::isBlasGemm) ? gemmRows : rows);
      scf::SCFTileAndFuseOptions options;
      // scf.forall: the row blocks are independent, and say so to tensorc-parallelize-loops (after
      // bufferization, scf-forall-to-parallel makes the loop an scf.parallel).
      options.setTilingOptions(
          scf::SCFTilingOptions().setTileSizes(tiles).setLoopType(scf::SCFTilingOptions::LoopType::ForallOp));
      // Producers with a zero-size dim stay outside the row loop (see hasZeroDim): the tile then reads
      // a slice of their whole result, which is what it did before tiling.
      options.setFusionControlFn([](tensor::ExtractSliceOp slice, OpResult producer,
                                    bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (hasZeroDim(producer.getOwner()))
          return std::nullopt;
        // A slice at offset 0 in every dim does not move with the row block: the tile reads all of
        // the producer's result (a reduction over the rows, as in softmax(x, axis=0)), and fusing
        // it would recompute the whole producer in every block, n / rows times (fuzz seed 6024: a
        // quadratic run time). It stays outside the loop.
        if (llvm::all_of(slice.getMixedOffsets(), isZeroInteger))
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{};
      });
      rewriter.setInsertionPoint(g);
      FailureOr<scf::SCFTileAndFuseResult> tiled =
          scf::tileConsumerAndFuseProducersUsingSCF(rewriter, cast<TilingInterface>(g.getOperation()), options);
      if (failed(tiled))
        continue; // leave it untiled: correct, only slower
      for (OpResult r : g->getResults())
        if (Value repl = tiled->replacements.lookup(r))
          rewriter.replaceAllUsesWith(r, repl);
      if (g->use_empty())
        rewriter.eraseOp(g);
    }
    // Then the float sums, those in row tiles included, are blocked (see blockFloatSum).
    SmallVector<linalg::GenericOp> sums;
    getOperation()->walk([&](linalg::GenericOp g) {
      // (A sum whose result is unused, such as one that was just fused into every row tile, is left
      // for canonicalization to delete.)
      if (floatSumAdd(g) && !g->use_empty() && !(blasMatmuls && tensorc::isBlasGemm(g)))
        sums.push_back(g);
    });
    for (linalg::GenericOp g : sums)
      blockFloatSum(rewriter, g);
  }
};
} // namespace
