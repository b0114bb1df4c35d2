// tensorc-math-approx: vectorizable polynomial approximations of f32 transcendental functions.
#include "tensorc/Passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tensorc {
#define GEN_PASS_DEF_MATHAPPROX
#include "tensorc/Passes/Passes.h.inc"
} // namespace tensorc

namespace {
/// math.OP on f64 scalars -> func.call @OP (libm), declared in the enclosing module.
template <typename MathOp>
struct ToLibmCall : mlir::OpRewritePattern<MathOp> {
  ToLibmCall(mlir::MLIRContext *ctx, llvm::StringRef fn) : mlir::OpRewritePattern<MathOp>(ctx), fn(fn.str()) {}
  mlir::LogicalResult matchAndRewrite(MathOp op, mlir::PatternRewriter &rw) const override {
    if (!op.getType().isF64())
      return mlir::failure();
    auto module = op->template getParentOfType<mlir::ModuleOp>();
    if (!module)
      return mlir::failure();
    auto f64 = rw.getF64Type();
    if (!module.template lookupSymbol<mlir::func::FuncOp>(fn)) {
      mlir::OpBuilder::InsertionGuard g(rw);
      rw.setInsertionPointToStart(module.getBody());
      auto decl = rw.create<mlir::func::FuncOp>(op.getLoc(), fn, rw.getFunctionType({f64}, {f64}));
      decl.setPrivate();
    }
    rw.template replaceOpWithNewOp<mlir::func::CallOp>(op, fn, mlir::TypeRange{f64}, mlir::ValueRange{op.getOperand()});
    return mlir::success();
  }
  std::string fn;
};

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
      return signalPassFailure();
    // What is left of log1p/expm1 (f64) goes to libm: convert-math-to-llvm would expand them into
    // log(1 + x) and exp(x) - 1, losing every digit near 0.
    mlir::RewritePatternSet libm(&getContext());
    libm.add<ToLibmCall<mlir::math::Log1pOp>>(&getContext(), "log1p");
    libm.add<ToLibmCall<mlir::math::ExpM1Op>>(&getContext(), "expm1");
    if (mlir::failed(mlir::applyPatternsGreedily(getOperation(), std::move(libm))))
      signalPassFailure();
  }
};
} // namespace
