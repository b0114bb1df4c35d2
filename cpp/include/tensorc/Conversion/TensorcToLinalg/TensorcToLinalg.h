// tensorc -> linalg/tensor/arith/math/scf on tensors, on MLIR's dialect-conversion framework.
//
// The pass (tensorc-lower-to-linalg, Conversion/Passes.td) is one applyFullConversion: the type rule
// below, one set of OpConversionPatterns per op family (lib/Conversion/TensorcToLinalg/
// PopulatePatterns.h), the function boundary and scf structural conversions. Every tensorc op is
// illegal afterwards; an op no pattern lowers is a diagnostic naming it.
#pragma once

#include "mlir/Transforms/DialectConversion.h"

namespace tensorc {

/// Bool tensors and buffers are stored one byte per element (i8), NumPy's layout and what MLIR's
/// memref-to-LLVM lowering can load and store; i1 lives only in scalars. Other types are unchanged.
/// Shared by this conversion (tensors) and tensorc-widen-bool-memrefs (memrefs).
mlir::Type boolStorageType(mlir::Type type);

/// The conversion's type rule: every ranked tensor (function signatures and block arguments
/// included) with element i1 becomes the same tensor of i8 (boolStorageType).
class TensorcToLinalgTypeConverter : public mlir::TypeConverter {
public:
  TensorcToLinalgTypeConverter();
};

} // namespace tensorc
