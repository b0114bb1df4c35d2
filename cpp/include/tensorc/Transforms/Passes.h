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

/// String attribute that tensorc-parallelize-loops puts on the cast rebuilding a captured memref in an
/// outlined loop body: where the memref's storage came from in the caller, "arg<N>" (a view of the
/// caller's argument N) or "alloc<K>" (of its K-th distinct allocation); absent when unknown. Equal
/// strings in one body are the same storage. tensorc-math-approx's loop versioning reads it to know
/// that a loop reads inputs it does not write.
inline constexpr llvm::StringLiteral kMemrefRootAttr = "tensorc.memref_root";

/// Whether `g` is marked tensorc.gemm and still computes acc + a * b of its operands (fusion may have
/// changed a marked op since the lowering). Defined in MatmulToBlas.cpp.
bool isBlasGemm(mlir::linalg::GenericOp g);

#define GEN_PASS_DECL
#include "tensorc/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tensorc/Transforms/Passes.h.inc"
} // namespace tensorc
