// tensorc-widen-bool-memrefs: i1 buffers become i8 buffers, with conversions at loads and stores.
#include "tensorc/Transforms/Passes.h"

#include "tensorc/Conversion/TensorcToLinalg/TensorcToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Transforms/DialectConversion.h"

namespace tensorc {
#define GEN_PASS_DEF_WIDENBOOLMEMREFS
#include "tensorc/Transforms/Passes.h.inc"
} // namespace tensorc

using namespace mlir;

namespace {
/// The bool storage rule of the tensorc -> linalg conversion (tensorc::boolStorageType), on memrefs.
struct BoolWideningConverter : TypeConverter {
  BoolWideningConverter() {
    addConversion([](Type t) { return t; });
    addConversion([](MemRefType t) -> Type { return tensorc::boolStorageType(t); });
  }
};

struct WidenLoad : OpConversionPattern<memref::LoadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(memref::LoadOp op, OpAdaptor adaptor, ConversionPatternRewriter &rw) const override {
    Value wide = rw.create<memref::LoadOp>(op.getLoc(), adaptor.getMemref(), adaptor.getIndices());
    rw.replaceOpWithNewOp<arith::TruncIOp>(op, op.getType(), wide);
    return success();
  }
};

struct WidenStore : OpConversionPattern<memref::StoreOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(memref::StoreOp op, OpAdaptor adaptor, ConversionPatternRewriter &rw) const override {
    auto elt = cast<MemRefType>(adaptor.getMemref().getType()).getElementType();
    Value v = rw.create<arith::ExtUIOp>(op.getLoc(), elt, adaptor.getValue());
    rw.replaceOpWithNewOp<memref::StoreOp>(op, v, adaptor.getMemref(), adaptor.getIndices());
    return success();
  }
};

/// Every other memref op without regions only carries the type along (alloc, dealloc, cast, subview,
/// reinterpret_cast, extract_strided_metadata, ...): rebuild it with converted types.
struct RetypeMemrefOp : ConversionPattern {
  RetypeMemrefOp(const TypeConverter &tc, MLIRContext *ctx)
      : ConversionPattern(tc, MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                                ConversionPatternRewriter &rw) const override {
    if (!isa<memref::MemRefDialect>(op->getDialect()) || op->getNumRegions() != 0 ||
        isa<memref::LoadOp, memref::StoreOp>(op))
      return failure();
    SmallVector<Type> types;
    if (failed(getTypeConverter()->convertTypes(op->getResultTypes(), types)))
      return failure();
    OperationState state(op->getLoc(), op->getName(), operands, types, op->getAttrs(), op->getSuccessors());
    Operation *clone = rw.create(state);
    rw.replaceOp(op, clone->getResults());
    return success();
  }
};

struct WidenBoolMemrefsPass : tensorc::impl::WidenBoolMemrefsBase<WidenBoolMemrefsPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    BoolWideningConverter converter;
    ConversionTarget target(*ctx);
    target.markUnknownOpDynamicallyLegal([&](Operation *op) {
      if (auto fn = dyn_cast<func::FuncOp>(op))
        return converter.isSignatureLegal(fn.getFunctionType()) && converter.isLegal(&fn.getBody());
      return converter.isLegal(op);
    });
    RewritePatternSet patterns(ctx);
    patterns.add<WidenLoad, WidenStore>(converter, ctx);
    patterns.add<RetypeMemrefOp>(converter, ctx);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    scf::populateSCFStructuralTypeConversionsAndLegality(converter, patterns, target);
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
