// The tensorc dialect's C++ declarations (generated from TensorcOps.td) plus the shared verifiers.
#pragma once

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "tensorc/Dialect/Tensorc/IR/TensorcDialect.h.inc"

namespace tensorc {
// Shared verification rules (TensorcDialect.cpp).
llvm::LogicalResult verifyUnary(mlir::Operation *op);
llvm::LogicalResult verifyBroadcasting(mlir::Operation *op, bool resultIsBool);
llvm::LogicalResult verifyReduction(mlir::Operation *op, llvm::ArrayRef<int64_t> axes, bool keepdims);

/// The ranked tensor type of a tensorc value (the verifiers admit no other).
inline mlir::RankedTensorType rankedOf(mlir::Value v) { return mlir::cast<mlir::RankedTensorType>(v.getType()); }
/// Whether two sizes (static, or ShapedType::kDynamic) can be equal when the program runs.
inline bool dimsCompatible(int64_t a, int64_t b) {
  return mlir::ShapedType::isDynamic(a) || mlir::ShapedType::isDynamic(b) || a == b;
}
} // namespace tensorc

#define GET_OP_CLASSES
#include "tensorc/Dialect/Tensorc/IR/TensorcOps.h.inc"
