// tensorc's passes. Each description shows the rewrite on a small example.
#ifndef TENSORC_PASSES_TD
#define TENSORC_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Graph optimizations, in pipeline order (tensorc-optimize):
//   tensorc-canonicalize -> tensorc-merge -> tensorc-stabilize -> tensorc-specialize,
// then lowering, where tensorc-fuse runs on linalg.
//===----------------------------------------------------------------------===//

def Canonicalize : Pass<"tensorc-canonicalize"> {
  let summary = "Algebraic simplification and constant folding of tensorc ops";
  let description = [{
    Runs tensorc's simplifications together with every op's folders and canonicalization patterns
    (upstream's too), to a fixed point. A rewrite applies only when the result keeps the original's
    type (no rewrite may change a broadcast shape).

    ```
    x + 0 -> x            x * 1 -> x            x - 0 -> x        x / 1 -> x
    -(-x) -> x            log(exp(x)) -> x      exp(log(x)) -> x  only when x >= 0 is known
    b * a -> a * b        (commutative operands in a canonical order, so merge sees them as equal)
    f(constants) -> constant    (elementwise ops on splat / small constants are folded)
    ```
  }];
  let options = [
    ListOption<"disabledPatterns", "disable-patterns", "std::string",
               "Rewrites (by name) that must not be applied">,
    ListOption<"enabledPatterns", "enable-patterns", "std::string",
               "If given, only these rewrites (by name) are applied">,
  ];
}

def Merge : Pass<"tensorc-merge"> {
  let summary = "Merge identical subexpressions and drop dead ones (Theano's MergeOptimizer)";
  let description = [{
    Common subexpression elimination over the (canonicalized) graph: two ops with the same name,
    attributes and operands are one op; ops whose results nobody uses disappear.

    ```mlir
    %0 = tensorc.mul %a, %b      %0 = tensorc.mul %a, %b
    %1 = tensorc.mul %a, %b  ->  %2 = tensorc.add %0, %0
    %2 = tensorc.add %0, %1
    ```
  }];
}

def Stabilize : Pass<"tensorc-stabilize"> {
  let summary = "Rewrite numerically unstable expressions into stable equivalents";
  let description = [{
    Each rewrite replaces an expression that overflows, underflows or cancels in floating point by
    an equivalent that does not; the new ops keep the source location of the expression they replace.

    ```
    log(softmax(x))                    -> log_softmax(x)      (also through gather / transpose / slices)
    x - logsumexp(x, keepdims)         -> log_softmax(x)
    log(sum(exp(x)))                   -> logsumexp(x)        (max-shifted)
    exp(log_softmax(x))                -> softmax(x)
    log(1 + x)                         -> log1p(x)
    exp(x) - 1                         -> expm1(x)
    log(sigmoid(x))                    -> -softplus(-x)
    log(1 - sigmoid(x))                -> -softplus(x)
    1 - sigmoid(x)                     -> sigmoid(-x)
    exp(x) / (1 + exp(x))              -> sigmoid(x)
    log1p(exp(x))                      -> softplus(x)
    log(1 - exp(x)), log(-expm1(x))    -> log1mexp(x)
    -log_softmax(x)[arange(n), y]      -> softmax_cross_entropy(x, y)   (never forms log(0))
    ```
  }];
  let options = [
    ListOption<"disabledPatterns", "disable-patterns", "std::string",
               "Rewrites (by name) that must not be applied">,
    ListOption<"enabledPatterns", "enable-patterns", "std::string",
               "If given, only these rewrites (by name) are applied">,
  ];
}

def Specialize : Pass<"tensorc-specialize"> {
  let summary = "Replace general ops by cheaper special cases";
  let description = [{
    ```
    x ** 2 -> x * x        x ** 0.5 -> sqrt(x)     x ** 1 -> x      x ** -1 -> 1 / x
    x / c  -> x * (1 / c)  for a float constant c (exact when 1/c is exact)
    ```
  }];
  let options = [
    ListOption<"disabledPatterns", "disable-patterns", "std::string",
               "Rewrites (by name) that must not be applied">,
    ListOption<"enabledPatterns", "enable-patterns", "std::string",
               "If given, only these rewrites (by name) are applied">,
  ];
}

def Fuse : Pass<"tensorc-fuse"> {
  let summary = "Fuse elementwise producers into their consumers, reductions included (on linalg)";
  let description = [{
    A `linalg.generic` whose iterators are all parallel is inlined into every generic that reads
    its result, when the consumer's indexing map for it is a permutation; elementwise chains become
    one loop nest, and elementwise producers of reductions (softmax, layernorm, logsumexp) are
    computed inside the reduction loop, so no intermediate tensor of the input's size is stored.

    ```mlir
    %e = linalg.generic {parallel} ins(%x, %m) { exp(x - m) }        %s = linalg.generic {parallel, reduction}
    %s = linalg.generic {parallel, reduction} ins(%e) { s + e }  ->       ins(%x, %m) { s + exp(x - m) }
    ```
  }];
}

def FuseRows : Pass<"tensorc-fuse-rows"> {
  let summary = "Tile row-parallel loops and fuse their reductions in, so each row block stays in cache";
  let description = [{
    After `tensorc-fuse`, softmax, layernorm and cross-entropy are still separate loop nests over the
    whole tensor (max, sum of exponentials, normalization): three passes through memory. This pass tiles
    the outermost parallel loop of each such consumer into blocks of rows and fuses every producer into
    the block loop, so a block's reductions and its output are computed while it is in cache.

    ```mlir
    %m = linalg.generic {parallel, reduction} ins(%x)          scf.for %i = 0 to %n step 8 {
    %s = linalg.generic {parallel, reduction} ins(%x, %m)  ->    %xi = tensor.extract_slice %x[%i, 0] [8, %c]
    %y = linalg.generic {parallel, parallel} ins(%x, %m, %s)     %mi = linalg.generic ... ins(%xi)
                                                                 %si = linalg.generic ... ins(%xi, %mi)
                                                                 %yi = linalg.generic ... ins(%xi, %mi, %si)
                                                                 tensor.insert_slice %yi ... }
    ```

    Then every float sum (an add-reduction; not float32 reduce_sum/reduce_mean, which accumulate in
    float64) that may have more than 1024 elements is blocked, so that its error grows like log(n),
    as NumPy's pairwise sums, instead of n: blocks of at most 1024 elements sum into partials (float64
    for float32 sums), which a pairwise tree adds (see cpp/lib/Passes/FuseRows.cpp).

    ```mlir
    %s = linalg.generic {reduction} ins(%x) outs(%zero)  ->  %p = scf.for %i (blocks of <= 1024) {
                                                              generic ins(%x[%i:%i+1024]) outs(%p[k]) }
                                                            %t = scf.while (k > 1) { %p[0:k/2] += %p[k-k/2:k] }
                                                            %s = %t[0]
    ```
  }];
  let options = [
    Option<"rows", "rows", "int64_t", /*default=*/"8", "Rows per block">,
    Option<"sumsOnly", "sums-only", "bool", /*default=*/"false",
           "Only block the float sums (no row tiling), for pipelines without fusion">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect"];
}

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

    Checks that cannot be hoisted (their sizes come from data, or they sit inside a region such as an
    `scf.if` of the lowering) guard the rest of their block the same way: what follows a check runs
    in `scf.if` on its success, so no loop ever runs with sizes that failed a check.
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

    f64 ops are left for libm (the approximations are f32-accurate only); f64 `math.log1p` and
    `math.expm1` become libm calls here, because the generic LLVM lowering would expand them into
    `log(1 + x)` and `exp(x) - 1`, exactly the cancellation they exist to avoid:

    ```mlir
    %y = math.log1p %x : f64      ->      %y = func.call @log1p(%x) : (f64) -> f64
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

#endif // TENSORC_PASSES_TD
