// tensorc's passes. Each description shows the rewrite on a small example.
#ifndef TENSORC_PASSES_TD
#define TENSORC_PASSES_TD

include "mlir/Pass/PassBase.td"

def LowerToLinalg : Pass<"tensorc-lower-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower tensorc ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Every tensorc op becomes upstream ops on tensors. Elementwise ops become `linalg.generic`s whose
    indexing maps broadcast static size-1 dimensions (a constant 0 in the map), so that
    `linalg-fuse-elementwise-ops` can merge a chain into one loop nest:

    ```mlir
    %r = tensorc.add %a, %b : tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
    // becomes
    %r = linalg.generic {indexing_maps = [(d0, d1) -> (d0, d1), (d0, d1) -> (0, d1), (d0, d1) -> (d0, d1)],
                         iterator_types = ["parallel", "parallel"]}
           ins(%a, %b : ...) outs(%empty : tensor<?x?xf32>) { arith.addf ... }
    ```

    Conditions the verifier cannot see (dynamic sizes that must agree, gather indices in range,
    reshapes that keep the element count, reductions of empty axes without identity) become
    run-time checks: a failed check calls `tensorc_report(code, a, b)` and the computation goes on
    with sizes clamped so that no memory outside the operands is touched. The messages, which name the
    op and its source location, are collected in the module attribute `tensorc.checks` (indexed by
    `code`), where the runtime finds them.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect", "::mlir::func::FuncDialect"];
}

def GuardShapeChecks : Pass<"tensorc-guard-shape-checks", "::mlir::func::FuncOp"> {
  let summary = "Hoist run-time shape checks into a prologue that guards the whole computation";
  let description = [{
    The lowering emits each run-time check next to its op. A check whose condition depends only on
    the sizes of the function's arguments (after canonicalization has resolved `tensor.dim` of
    intermediate results) moves to the top of the function, and the computation runs only when all
    of them pass. Loops are therefore never entered with operand sizes that disagree.

    ```mlir
    %r = linalg.generic ins(%a, %b) ...            // loop bound from %a
    %bad = arith.cmpi ne, %da, %db : index
    scf.if %bad { func.call @tensorc_report(...) }
    return %r
    // becomes
    %bad = arith.cmpi ne, %da, %db : index
    scf.if %bad { func.call @tensorc_report(...) }
    %ok = arith.xori %bad, %true
    %res = scf.if %ok -> tensor<?xf32> { %r = linalg.generic ... ; scf.yield %r }
           else { %e = tensor.empty(%c0) ; scf.yield %e }
    return %res
    ```

    Checks that depend on data (gather indices, sizes computed from tensor values) stay in place;
    their ops clamp sizes themselves.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def WidenBoolMemrefs : Pass<"tensorc-widen-bool-memrefs", "::mlir::ModuleOp"> {
  let summary = "Store i1 buffers as i8 (one byte per bool)";
  let description = [{
    MLIR's memref-to-LLVM lowering in this LLVM build rejects loads and stores of `i1` (an assertion,
    which would abort the process). tensorc's own bool tensors are already stored as i8; the remaining
    `i1` buffers come from upstream's deallocation helper. This pass widens them:

    ```mlir
    %m = memref.alloc(%n) : memref<?xi1>
    memref.store %b, %m[%i] : memref<?xi1>
    %v = memref.load %m[%j] : memref<?xi1>
    // becomes
    %m = memref.alloc(%n) : memref<?xi8>
    %w = arith.extui %b : i1 to i8
    memref.store %w, %m[%i] : memref<?xi8>
    %l = memref.load %m[%j] : memref<?xi8>
    %v = arith.trunci %l : i8 to i1
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect"];
}

def MathApprox : Pass<"tensorc-math-approx"> {
  let summary = "Replace transcendental math ops by vectorizable polynomial approximations";
  let description = [{
    `math.exp`, `math.log`, `math.log1p`, `math.expm1`, `math.tanh`, `math.sin`, `math.cos`,
    `math.erf` (f32) are expanded by MLIR's polynomial approximations into plain arithmetic, which
    LLVM's loop vectorizer turns into SIMD code; a libm call per element would block vectorization.

    ```mlir
    %y = math.exp %x : f32
    // becomes a Cody-Waite range reduction + degree-5 polynomial + exponent bit manipulation:
    %k = math.floor(%x * log2(e) + 0.5) ... %y = arith.bitcast ...
    ```

    f64 ops are left for libm (the approximations are f32-accurate only).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

#endif // TENSORC_PASSES_TD
