// tensorc passes and named pipelines.
#pragma once

#include "mlir/Pass/Pass.h"

#include <string>
#include <vector>

namespace mlir {
namespace linalg { class LinalgDialect; }
namespace tensor { class TensorDialect; }
namespace arith { class ArithDialect; }
namespace math { class MathDialect; }
namespace scf { class SCFDialect; }
namespace func { class FuncDialect; }
namespace vector { class VectorDialect; }
namespace memref { class MemRefDialect; }
} // namespace mlir

namespace tensorc {
#define GEN_PASS_DECL
#include "tensorc/Passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tensorc/Passes/Passes.h.inc"

/// Names of the rewrites that each pattern pass can enable or disable by name (modes in Python).
std::vector<std::string> canonicalizeRewriteNames();
std::vector<std::string> stabilizeRewriteNames();
std::vector<std::string> specializeRewriteNames();

/// Registers every tensorc pass and the named pipelines (Pipelines.cpp) in MLIR's global registry,
/// where both tensorc-opt and `mlir.passmanager.PassManager.parse` find them. Idempotent.
void registerAllPassesAndPipelines();
} // namespace tensorc
