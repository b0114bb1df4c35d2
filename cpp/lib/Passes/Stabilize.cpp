// tensorc-stabilize: numerically unstable expressions -> stable equivalents (see Passes.td).
// Each rewrite is a named pattern; new ops take the location of the op they replace.
#include "PatternUtils.h"
#include "tensorc/Passes/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tensorc {
#define GEN_PASS_DEF_STABILIZE
#include "tensorc/Passes/Passes.h.inc"
} // namespace tensorc

using namespace mlir;
using namespace tensorc;
using namespace tensorc::patterns;

namespace {
/// log(softmax(x, a)) -> log_softmax(x, a)
struct LogOfSoftmax : NamedPattern<LogOp> {
  using NamedPattern::NamedPattern;
  LogicalResult matchAndRewrite(LogOp op, PatternRewriter &rw) const override {
    auto sm = op.getX().getDefiningOp<SoftmaxOp>();
    if (!sm)
      return failure();
    rw.replaceOpWithNewOp<LogSoftmaxOp>(op, op.getType(), sm.getX(), sm.getAxis());
    return success();
  }
};

struct StabilizePass : tensorc::impl::StabilizeBase<StabilizePass> {
  using StabilizeBase::StabilizeBase;
  LogicalResult initialize(MLIRContext *ctx) override {
    RewritePatternSet p(ctx);
    p.add<LogOfSoftmax>(ctx, "log-softmax");
    patterns = std::make_shared<FrozenRewritePatternSet>(std::move(p), disabledPatterns, enabledPatterns);
    return success();
  }
  void runOnOperation() override {
    if (failed(applyPatternsGreedily(getOperation(), *patterns)))
      signalPassFailure();
  }
  std::shared_ptr<FrozenRewritePatternSet> patterns;
};
} // namespace

std::vector<std::string> tensorc::stabilizeRewriteNames() { return {"log-softmax"}; }
