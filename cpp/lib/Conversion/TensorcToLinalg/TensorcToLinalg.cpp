// tensorc-lower-to-linalg: the type rule, the patterns' shared plumbing and the pass driver (one
// applyFullConversion over the op families of PopulatePatterns.h).
#include "PopulatePatterns.h"
#include "tensorc/Conversion/Passes.h"

#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"

namespace tensorc {
#define GEN_PASS_DEF_LOWERTOLINALG
#include "tensorc/Conversion/Passes.h.inc"
} // namespace tensorc

using namespace mlir;
using namespace tensorc;
using namespace tensorc::lowering;

//===----------------------------------------------------------------------===//
// The type rule
//===----------------------------------------------------------------------===//
Type tensorc::boolStorageType(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.getElementType().isInteger(1))
    return type;
  Type i8 = IntegerType::get(type.getContext(), 8);
  if (auto memref = dyn_cast<MemRefType>(type))
    return MemRefType::get(memref.getShape(), i8, memref.getLayout(), memref.getMemorySpace());
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return RankedTensorType::get(tensor.getShape(), i8, tensor.getEncoding());
  return type;
}

TensorcToLinalgTypeConverter::TensorcToLinalgTypeConverter() {
  addConversion([](Type t) { return t; });
  addConversion([](RankedTensorType t) -> Type { return boolStorageType(t); });
  // Values whose users are not converted yet meet through unrealized_conversion_cast (the framework's
  // default materialization); a full conversion leaves none behind.
}

//===----------------------------------------------------------------------===//
// Shared pattern plumbing
//===----------------------------------------------------------------------===//
FailureOr<RankedTensorType> tensorc::lowering::convertedResultType(const TypeConverter &tc,
                                                                  ConversionPatternRewriter &rw, Operation *op) {
  if (op->getNumResults() != 1)
    return rw.notifyMatchFailure(op, "expected one result");
  auto type = dyn_cast_or_null<RankedTensorType>(tc.convertType(op->getResult(0).getType()));
  if (!type)
    return rw.notifyMatchFailure(op, "result type has no ranked-tensor conversion");
  return type;
}

LogicalResult tensorc::lowering::replaceWithLowered(ConversionPatternRewriter &rw, Operation *op, Value repl,
                                                    RankedTensorType type) {
  if (!repl) // the lowering has emitted a diagnostic on `op` saying why
    return failure();
  if (repl.getType() != type)
    repl = rw.create<tensor::CastOp>(op->getLoc(), type, repl);
  rw.replaceOp(op, repl);
  return success();
}

LogicalResult LowerFamilyOp::matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                                             ConversionPatternRewriter &rw) const {
  auto type = convertedResultType(*getTypeConverter(), rw, op);
  if (failed(type))
    return failure();
  Lowering L{rw, state.checks, state.dynamicBroadcast};
  return replaceWithLowered(rw, op, fn(op, operands, *type, L), *type);
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//
namespace {
struct LowerToLinalgPass : tensorc::impl::LowerToLinalgBase<LowerToLinalgPass> {
  using LowerToLinalgBase::LowerToLinalgBase;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    Checks checks(module);
    ConversionState state{checks, dynamicBroadcast};
    TensorcToLinalgTypeConverter converter;

    ConversionTarget target(*ctx);
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect, arith::ArithDialect, math::MathDialect>();
    target.addLegalOp<ModuleOp>();
    target.addIllegalDialect<TensorcDialect>(); // an op that no family claims fails with a diagnostic
    // Function boundaries and structured control flow follow the type rule (bool tensors as i8).
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp fn) {
      return converter.isSignatureLegal(fn.getFunctionType()) && converter.isLegal(&fn.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>([&](Operation *op) { return converter.isLegal(op); });

    RewritePatternSet patterns(ctx);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    scf::populateSCFStructuralTypeConversionsAndLegality(converter, patterns, target);

    populateElementwisePatterns(converter, patterns, target, state);
    populateConstructorPatterns(converter, patterns, target, state);
    populateReductionPatterns(converter, patterns, target, state);
    populateDataMovementPatterns(converter, patterns, target, state);
    populateMatmulPatterns(converter, patterns, target, state);

    if (failed(applyFullConversion(module, target, std::move(patterns))))
      return signalPassFailure();
    checks.finish();
  }
};
} // namespace
