// The patterns of tensorc-lower-to-linalg, one populate function per op family (as torch-mlir's
// lib/Conversion/TorchToLinalg/PopulatePatterns.h). Each family marks its ops illegal and adds one
// OpConversionPattern per op; the pass (TensorcToLinalg.cpp) runs them in one applyFullConversion.
#pragma once

#include "Lowering.h"

#include "mlir/Transforms/DialectConversion.h"

#include <optional>

namespace tensorc::lowering {

/// What every pattern of one conversion shares: the run-time checks collected for the module, and the
/// variant being lowered (see LowerToLinalg in Conversion/Passes.td).
struct ConversionState {
  Checks &checks;
  bool dynamicBroadcast;
};

/// An op as its lowering reads it: the adaptor's getters give the converted operands (bool tensors in
/// their i8 storage), attributes as on the op; getType() is the converted result type. Converts to the
/// Operation * that diagnostics and check messages name.
template <typename OpT>
struct Adapted : OpT::Adaptor {
  Adapted(OpT op, mlir::ValueRange operands, mlir::RankedTensorType type)
      : OpT::Adaptor(operands, op), op(op), type(type) {}
  mlir::RankedTensorType getType() const { return type; }
  mlir::Location getLoc() { return op.getLoc(); }
  operator mlir::Operation *() { return op.getOperation(); }
  OpT op;
  mlir::RankedTensorType type;
};

/// `op` as an Adapted<OpT> when it is one.
template <typename OpT>
std::optional<Adapted<OpT>> adapt(mlir::Operation *op, mlir::ValueRange operands, mlir::RankedTensorType type) {
  if (auto typed = llvm::dyn_cast<OpT>(op))
    return Adapted<OpT>(typed, operands, type);
  return std::nullopt;
}

/// Replaces `op` by `repl`, cast to `type` where the lowering produced a more static type.
mlir::LogicalResult replaceWithLowered(mlir::ConversionPatternRewriter &rw, mlir::Operation *op, mlir::Value repl,
                                       mlir::RankedTensorType type);

/// The converted result type of `op` as a ranked tensor, or failure (with a match-failure note).
mlir::FailureOr<mlir::RankedTensorType> convertedResultType(const mlir::TypeConverter &tc,
                                                           mlir::ConversionPatternRewriter &rw, mlir::Operation *op);

/// One op of type OpT lowered by `Fn(Lowering &, Adapted<OpT>)`, which returns the replacement value
/// (Value or FailureOr<Value>; a failure has emitted a diagnostic on the op).
template <typename OpT, auto Fn>
struct LowerOp : mlir::OpConversionPattern<OpT> {
  LowerOp(const mlir::TypeConverter &tc, mlir::MLIRContext *ctx, ConversionState &state)
      : mlir::OpConversionPattern<OpT>(tc, ctx), state(state) {}
  mlir::LogicalResult matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                                      mlir::ConversionPatternRewriter &rw) const override {
    auto type = convertedResultType(*this->getTypeConverter(), rw, op);
    if (mlir::failed(type))
      return mlir::failure();
    Lowering L{rw, state.checks, state.dynamicBroadcast};
    mlir::FailureOr<mlir::Value> repl = Fn(L, Adapted<OpT>(op, adaptor.getOperands(), *type));
    if (mlir::failed(repl))
      return mlir::failure();
    return replaceWithLowered(rw, op, *repl, *type);
  }
  ConversionState &state;
};

/// Ops of one family lowered by a single function of the op's name, its converted operands and result
/// type (the elementwise ops share their loop nest and differ only in the scalar body).
using FamilyFn = mlir::Value (*)(mlir::Operation *op, mlir::ValueRange operands, mlir::RankedTensorType type,
                                 Lowering &L);
struct LowerFamilyOp : mlir::ConversionPattern {
  LowerFamilyOp(const mlir::TypeConverter &tc, mlir::MLIRContext *ctx, llvm::StringRef opName, FamilyFn fn,
                ConversionState &state)
      : mlir::ConversionPattern(tc, opName, /*benefit=*/1, ctx), fn(fn), state(state) {}
  mlir::LogicalResult matchAndRewrite(mlir::Operation *op, llvm::ArrayRef<mlir::Value> operands,
                                      mlir::ConversionPatternRewriter &rw) const override;
  FamilyFn fn;
  ConversionState &state;
};

/// Adds LowerOp<Ops, Fn> ... and marks the ops illegal.
template <typename... Ops>
void addFamily(mlir::RewritePatternSet &patterns, mlir::ConversionTarget &target, const mlir::TypeConverter &tc,
               ConversionState &state, FamilyFn fn) {
  target.addIllegalOp<Ops...>();
  (patterns.add<LowerFamilyOp>(tc, patterns.getContext(), Ops::getOperationName(), fn, state), ...);
}

// The families. Each marks its ops illegal in `target` and adds their patterns.
/// Unary/binary arithmetic, comparisons, select, cast: linalg.generic with NumPy broadcasting.
void populateElementwisePatterns(const mlir::TypeConverter &tc, mlir::RewritePatternSet &patterns,
                                 mlir::ConversionTarget &target, ConversionState &state);
/// constant, fill, arange.
void populateConstructorPatterns(const mlir::TypeConverter &tc, mlir::RewritePatternSet &patterns,
                                 mlir::ConversionTarget &target, ConversionState &state);
/// reduce_*, logsumexp, argmax/argmin, softmax/log_softmax, softmax_cross_entropy.
void populateReductionPatterns(const mlir::TypeConverter &tc, mlir::RewritePatternSet &patterns,
                               mlir::ConversionTarget &target, ConversionState &state);
/// transpose, reshape, expand_dims, squeeze, concatenate, slice, gather, broadcast_to, dim.
void populateDataMovementPatterns(const mlir::TypeConverter &tc, mlir::RewritePatternSet &patterns,
                                  mlir::ConversionTarget &target, ConversionState &state);
/// matmul (batched, with NumPy's 1-d promotion).
void populateMatmulPatterns(const mlir::TypeConverter &tc, mlir::RewritePatternSet &patterns,
                            mlir::ConversionTarget &target, ConversionState &state);

/// Element conversion with NumPy's astype rules (Elementwise.cpp; reductions use it for accumulators).
mlir::Value convertElement(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v, mlir::Type to);

} // namespace tensorc::lowering
