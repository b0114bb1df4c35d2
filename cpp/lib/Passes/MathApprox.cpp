// tensorc-math-approx: vectorizable polynomial approximations of f32 transcendental functions.
#include "tensorc/Passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tensorc {
#define GEN_PASS_DEF_MATHAPPROX
#include "tensorc/Passes/Passes.h.inc"
} // namespace tensorc

namespace {
struct MathApproxPass : tensorc::impl::MathApproxBase<MathApproxPass> {
  void runOnOperation() override {
    mlir::RewritePatternSet patterns(&getContext());
    // The predicate selects by op name; all of these have f32 approximations upstream. f64 stays libm.
    mlir::populateMathPolynomialApproximationPatterns(patterns, [](llvm::StringRef name) {
      return name == "math.exp" || name == "math.log" || name == "math.log1p" ||
             name == "math.expm1" || name == "math.tanh" || name == "math.sin" ||
             name == "math.cos" || name == "math.erf" || name == "math.log2" ||
             name == "math.atan" || name == "math.atan2";
    });
    if (mlir::failed(mlir::applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
