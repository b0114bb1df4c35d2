// tensorc-fuse-rows: tile row-parallel consumers of reductions and fuse their producers into the tiles.
#include "tensorc/Passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"

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

struct FuseRowsPass : tensorc::impl::FuseRowsBase<FuseRowsPass> {
  using FuseRowsBase::FuseRowsBase;
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> roots;
    getOperation()->walk([&](linalg::GenericOp g) {
      auto its = g.getIteratorTypesArray();
      if (its.size() < 2 || its[0] != utils::IteratorType::parallel || g.getNumDpsInits() != 1 ||
          !fedByReduction(g))
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
