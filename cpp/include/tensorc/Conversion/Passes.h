// Conversions out of tensorc (Passes.td beside this file).
#pragma once

#include "tensorc/Conversion/TensorcToLinalg/TensorcToLinalg.h"

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace linalg { class LinalgDialect; }
namespace tensor { class TensorDialect; }
namespace arith { class ArithDialect; }
namespace math { class MathDialect; }
namespace scf { class SCFDialect; }
namespace func { class FuncDialect; }
} // namespace mlir

namespace tensorc {
#define GEN_PASS_DECL
#include "tensorc/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tensorc/Conversion/Passes.h.inc"
} // namespace tensorc
