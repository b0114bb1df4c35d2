// Helpers shared by tensorc's pattern passes (canonicalize, stabilize, specialize): matching constants,
// building ops with the types NumPy semantics require, and named patterns that modes can switch off.
#pragma once

#include "tensorc/Dialect/Tensorc/IR/TensorcDialect.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace tensorc::patterns {

/// The value of a splat float or integer constant (tensorc.constant / arith.constant), if `v` is one.
inline std::optional<double> splatValue(mlir::Value v) {
  mlir::Attribute attr;
  if (!mlir::matchPattern(v, mlir::m_Constant(&attr)))
    return std::nullopt;
  auto dense = mlir::dyn_cast<mlir::DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return std::nullopt;
  mlir::Type elt = dense.getElementType();
  if (mlir::isa<mlir::FloatType>(elt))
    return dense.getSplatValue<llvm::APFloat>().convertToDouble();
  if (elt.isInteger(1))
    return dense.getSplatValue<bool>() ? 1.0 : 0.0;
  if (mlir::isa<mlir::IntegerType>(elt))
    return (double)dense.getSplatValue<llvm::APInt>().getSExtValue();
  return std::nullopt;
}

inline bool isSplat(mlir::Value v, double expected) {
  auto s = splatValue(v);
  return s && *s == expected;
}

/// A splat constant of `type` (static shape) holding `value`.
inline mlir::Value splatConstant(mlir::PatternRewriter &rw, mlir::Location loc, mlir::RankedTensorType type,
                                 double value) {
  mlir::Type elt = type.getElementType();
  mlir::DenseElementsAttr attr;
  if (auto ft = mlir::dyn_cast<mlir::FloatType>(elt)) {
    bool lost;
    llvm::APFloat f(value);
    f.convert(ft.getFloatSemantics(), llvm::APFloat::rmNearestTiesToEven, &lost);
    attr = mlir::DenseElementsAttr::get(type, f);
  } else {
    attr = mlir::DenseElementsAttr::get(type, llvm::APInt(elt.getIntOrFloatBitWidth(), (int64_t)value, true));
  }
  return rw.create<ConstantOp>(loc, type, attr);
}

/// A rank-matching splat constant with every dimension 1 (it broadcasts against anything of `like`'s rank).
inline mlir::Value unitSplat(mlir::PatternRewriter &rw, mlir::Location loc, mlir::Value like, double value) {
  auto t = mlir::cast<mlir::RankedTensorType>(like.getType());
  llvm::SmallVector<int64_t> ones(t.getRank(), 1);
  return splatConstant(rw, loc, mlir::RankedTensorType::get(ones, t.getElementType()), value);
}

/// A pattern with a name that `disable-patterns` / `enable-patterns` (and Python modes) refer to.
template <typename OpT>
struct NamedPattern : mlir::OpRewritePattern<OpT> {
  NamedPattern(mlir::MLIRContext *ctx, llvm::StringRef name, mlir::PatternBenefit benefit = 1)
      : mlir::OpRewritePattern<OpT>(ctx, benefit) {
    this->setDebugName(name);
  }
};

/// The names of the rewrites `populate` adds, in order, each once: what `disable-patterns` and
/// Python's modes can refer to. Derived from the patterns themselves, so the list cannot drift.
inline std::vector<std::string> patternNames(void (*populate)(mlir::RewritePatternSet &)) {
  mlir::MLIRContext ctx(mlir::MLIRContext::Threading::DISABLED);
  ctx.loadDialect<TensorcDialect>();
  mlir::RewritePatternSet p(&ctx);
  populate(p);
  std::vector<std::string> names;
  for (const auto &pattern : p.getNativePatterns()) {
    std::string name = pattern->getDebugName().str();
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(name);
  }
  return names;
}

/// The body the pattern passes (canonicalize, stabilize, specialize) share: the rewrites of
/// `Derived::populate(RewritePatternSet &)` are frozen once per pass instance, filtered by the pass's
/// `disable-patterns` / `enable-patterns` options, and applied greedily to a fixed point.
/// `Base` is the pass's generated base class template (tensorc::impl::<Pass>Base).
template <template <typename> class Base, typename Derived>
struct PatternPass : Base<Derived> {
  using BaseT = Base<Derived>;
  using BaseT::BaseT;
  mlir::LogicalResult initialize(mlir::MLIRContext *ctx) override {
    mlir::RewritePatternSet p(ctx);
    static_cast<Derived *>(this)->populate(p);
    patterns = std::make_shared<mlir::FrozenRewritePatternSet>(std::move(p), this->disabledPatterns,
                                                               this->enabledPatterns);
    return mlir::success();
  }
  void runOnOperation() override {
    // Failure means the driver did not converge.
    if (mlir::failed(mlir::applyPatternsGreedily(this->getOperation(), *patterns)))
      this->signalPassFailure();
  }
  std::shared_ptr<mlir::FrozenRewritePatternSet> patterns;
};

} // namespace tensorc::patterns
