// Passes on upstream IR after the conversion out of tensorc (Passes.td beside this file): the
// run-time check guard and fusion on linalg, bool buffers and vectorizable math on the way to LLVM.
#pragma once

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace tensor { class TensorDialect; }
namespace linalg { class LinalgDialect; class GenericOp; }
namespace arith { class ArithDialect; }
namespace math { class MathDialect; }
namespace scf { class SCFDialect; }
namespace vector { class VectorDialect; }
namespace memref { class MemRefDialect; }
namespace LLVM { class LLVMDialect; }
namespace func { class FuncDialect; }
} // namespace mlir

namespace tensorc {
/// Unit attribute of the linalg.generic a float32/float64 tensorc.matmul lowers to: the op
/// tensorc-matmul-to-blas turns into BLAS calls, and whose k loop tensorc-fuse-rows then leaves alone.
inline constexpr llvm::StringLiteral kGemmAttr = "tensorc.gemm";

/// Whether `g` is marked tensorc.gemm and still computes acc + a * b of its operands (fusion may have
/// changed a marked op since the lowering). Defined in MatmulToBlas.cpp.
bool isBlasGemm(mlir::linalg::GenericOp g);

#define GEN_PASS_DECL
#include "tensorc/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tensorc/Transforms/Passes.h.inc"
} // namespace tensorc
