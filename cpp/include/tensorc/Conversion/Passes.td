// Conversions between IR levels: tensorc ops -> linalg/tensor/arith/math on tensors.
#ifndef TENSORC_CONVERSION_PASSES_TD
#define TENSORC_CONVERSION_PASSES_TD

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
    run-time checks: a failed check calls `tensorc_report(code, a, b)`, and tensorc-guard-shape-checks
    keeps every loop after it from running (linalg takes loop bounds from the operands, so a clamped
    result size alone would not keep them in bounds). The messages, which name the
    op and its source location, are collected in the module attribute `tensorc.checks` (indexed by
    `code`), where the runtime finds them.

    Run-time broadcasting. NumPy broadcasts every size that is 1 when the program runs, including sizes
    computed inside the program (`x[:, -2:2:3]` of a dynamic dim). Size-1 *input* dims are static 1s
    (the runtime compiles one specialization per pattern of them), so by default a dynamic size is
    assumed not to broadcast: the loops stay affine and fusible, and a size that turns out to be 1
    fails a check of kind `Broadcast`. On that failure the runtime switches to the variant compiled
    with `dynamic-broadcast=true`, where every dynamic size may broadcast: its result size follows
    NumPy's rule (`r = (r == 1) ? s : r` over the operands), each operand with a dynamic dim is read
    at `select(size == 1, 0, i)`, and the computation runs only when every size is 1 or `r`:

    ```mlir
    %r = tensorc.add %a, %b : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
    // with dynamic-broadcast=true becomes
    %ok = ... (%na == %r or %na == 1) and (%nb == %r or %nb == 1)
    %r = scf.if %ok {
      %a2 = linalg.generic outs(%empty) { tensor.extract %a[select(%na == 1, 0, i)] }   // likewise %b2
      scf.yield (linalg.generic ins(%a2, %b2) { arith.addf })
    } else { scf.yield %empty }
    ```
  }];
  let options = [
    Option<"dynamicBroadcast", "dynamic-broadcast", "bool", /*default=*/"false",
           "Let every dynamic size broadcast when it is 1 at run time (the general variant)">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect", "::mlir::func::FuncDialect"];
}

#endif // TENSORC_CONVERSION_PASSES_TD
