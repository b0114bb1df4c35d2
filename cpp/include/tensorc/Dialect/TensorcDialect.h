// The tensorc dialect's C++ declarations (generated from TensorcOps.td) plus the shared verifiers.
#pragma once

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "tensorc/Dialect/TensorcDialect.h.inc"

namespace tensorc {
// Shared verification rules (TensorcVerifiers.cpp).
llvm::LogicalResult verifyUnary(mlir::Operation *op);
llvm::LogicalResult verifyBroadcasting(mlir::Operation *op, bool resultIsBool);
llvm::LogicalResult verifyReduction(mlir::Operation *op, llvm::ArrayRef<int64_t> axes, bool keepdims);
} // namespace tensorc

#define GET_OP_CLASSES
#include "tensorc/Dialect/TensorcOps.h.inc"
