// tensorc-fuse-rows: tile row-parallel consumers of reductions and fuse their producers into the tiles.
#include "tensorc/Passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"

namespace tensorc {
#define GEN_PASS_DEF_FUSEROWS
#include "tensorc/Passes/Passes.h.inc"
} // namespace tensorc

using namespace mlir;

namespace {
bool hasReduction(linalg::GenericOp g) {
  return llvm::any_of(g.getIteratorTypesArray(), [](utils::IteratorType t) { return t == utils::IteratorType::reduction; });
}

/// Whether some linalg producer of `g` (through any number of linalg ops) is a reduction.
bool fedByReduction(linalg::GenericOp g, int depth = 0) {
  if (depth > 8)
    return false;
  for (Value v : g.getDpsInputs()) {
    auto p = v.getDefiningOp<linalg::GenericOp>();
    if (p && (hasReduction(p) || fedByReduction(p, depth + 1)))
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

struct FuseRowsPass : tensorc::impl::FuseRowsBase<FuseRowsPass> {
  using FuseRowsBase::FuseRowsBase;
  void runOnOperation() override {
    // A tile size of 0 means "do not tile" upstream and a negative one is invalid IR: neither is a
    // number of rows. Refuse them here, before any of them reaches the tiling code.
    if (rows < 1) {
      getOperation()->emitError("tensorc-fuse-rows: rows must be at least 1, got ") << static_cast<int64_t>(rows);
      return signalPassFailure();
    }
    SmallVector<linalg::GenericOp> roots;
    getOperation()->walk([&](linalg::GenericOp g) {
      auto its = g.getIteratorTypesArray();
      if (its.size() < 2 || its[0] != utils::IteratorType::parallel || g.getNumDpsInits() != 1 ||
          !fedByReduction(g) || hasZeroDim(g))
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
      tiles[0] = rewriter.getIndexAttr(rows);
      scf::SCFTileAndFuseOptions options;
      options.setTilingOptions(scf::SCFTilingOptions().setTileSizes(tiles));
      // Producers with a zero-size dim stay outside the row loop (see hasZeroDim): the tile then reads
      // a slice of their whole result, which is what it did before tiling.
      options.setFusionControlFn([](tensor::ExtractSliceOp, OpResult producer,
                                    bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (hasZeroDim(producer.getOwner()))
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
  }
};
} // namespace
