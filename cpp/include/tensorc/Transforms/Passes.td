// Passes on upstream IR after the conversion out of tensorc, in pipeline order: on linalg (fusion,
// the run-time check guard), then on memrefs and on the way to LLVM (bool buffers, vectorizable math).
#ifndef TENSORC_TRANSFORMS_PASSES_TD
#define TENSORC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

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

def FoldEmptySlices : Pass<"tensorc-fold-empty-slices"> {
  let summary = "Replace slices with no elements by tensor.empty";
  let description = [{
    Canonicalization can make a slice's size a static 0 after the lowering (`x[:, :-1:-3]` has
    -1 - (-1) = 0 columns whatever x's size). Such a slice holds no data, but bufferized it becomes a
    `memref.subview` whose offset into a dimension of static size 0 its verifier rejects (an offset
    must be < the size). The slice becomes an empty tensor of its type:

    ```mlir
    %s = tensor.extract_slice %x[%i, 0] [%n, 0] [1, 1] : tensor<?x?xf32> to tensor<?x0xf32>
    // becomes
    %s = tensor.empty(%n) : tensor<?x0xf32>
    ```
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def IdentityIfResults : Pass<"tensorc-identity-if-results", "::mlir::func::FuncOp"> {
  let summary = "Give bufferized scf.if results the identity layout when every branch yields one, and return them without a copy";
  let description = [{
    one-shot-bufferize (MLIR 22.1.8) types every `scf.if` result with a fully dynamic layout, even
    when both branches yield identity-layout buffers (the checked functions of the lowering: a
    placeholder in one branch, the computed result in the other). With identity layouts at the
    function boundary, returning such a result then costs an allocation and a copy of the whole
    result: `a + b` on 4M float32 took 3.8 ms beside NumPy's 1.5 ms, `a * 2 + 1` (no check, no if)
    0.75 ms. Run right after one-shot-bufferize, this pass

    1. retypes each memref result of an `scf.if` whose yields are all identity-layout buffers (after
       looking through `memref.cast`) to the identity layout, casting for the users that expect the
       old type, and
    2. replaces `%a = memref.alloc(...)`, `memref.copy %x, %a`, `return %a` by `return %x` when
       `%x` (through casts) is such an if result or an allocation, has the identity layout and `%a`
       has no other user. Ownership of the returned buffer is the deallocation pipeline's business,
       as for any returned value: it clones what the function does not own.

    ```mlir
    %r = scf.if %bad -> (memref<?xf32, strided<[?], offset: ?>>) { ... yield (memref.cast %p) }
         else { ... yield (memref.cast %alloc) }
    %out = memref.alloc(%n) : memref<?xf32>
    memref.copy %r, %out
    return %out
    // becomes
    %r = scf.if %bad -> (memref<?xf32>) { ... yield %p } else { ... yield %alloc }
    return %r
    ```
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def MatmulToBlas : Pass<"tensorc-matmul-to-blas", "::mlir::ModuleOp"> {
  let summary = "Replace bufferized float matmuls by calls of the runtime's BLAS gemm";
  let description = [{
    Each `linalg.generic` marked `tensorc.gemm` (a float32/float64 tensorc.matmul, lowered with the
    loop order (batch..., m, k, n)) on memrefs becomes a loop over its batch dims around one call
    of `tensorc_gemm_f32`/`tensorc_gemm_f64` per batch element, with each operand's aligned
    pointer, element offset and the strides of its m/k/n dims as they are at run time (0 along
    dims an operand broadcasts). The runtime (Runtime/Blas.cpp) passes row- and column-major
    operands to CBLAS as they are and copies any other layout. A zero fill of the result right
    before the matmul is dropped: gemm writes every element.

    ```mlir
    linalg.fill ins(%zero : f32) outs(%c : memref<?x?xf32>)
    linalg.generic {indexing_maps = [(m, k, n) -> (m, k), (m, k, n) -> (k, n), (m, k, n) -> (m, n)],
                    iterator_types = ["parallel", "reduction", "parallel"]}
        ins(%a, %b : memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
        attrs = {tensorc.gemm} { mulf, addf }
    // becomes
    %pa = memref.extract_aligned_pointer_as_index %a    (likewise %b, %c; offsets and strides from
    func.call @tensorc_gemm_f32(%m, %n, %k, %pa, %oa, %sam, %sak, ...)   memref.extract_strided_metadata)
    ```
  }];
  let dependentDialects = ["::mlir::func::FuncDialect", "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect", "::mlir::arith::ArithDialect"];
}

def MaterializeIfYields : Pass<"tensorc-materialize-if-yields"> {
  let summary = "Copy scf.if yields whose buffer layout one-shot-bufferize cannot know into new tensors";
  let description = [{
    The checked `scf.if`s of the lowering and of tensorc-guard-shape-checks yield a computed value in
    one branch and a `tensor.empty` placeholder (an identity-layout allocation) in the other. When the
    computed value is a view (slice, reshape) of a buffer allocated inside the if, or an `scf.while`
    result (a row-fused reduction tree), one-shot-bufferize of MLIR 22.1.8 types the if's result with
    a fully dynamic layout but leaves the placeholder branch's `memref<2xf64>` uncast, and the IR no
    longer verifies (fuzz seed 15868). Such a yield is copied into a new tensor first; new buffers
    and views of buffers from outside the if (arguments) are yielded as they are.

    ```mlir
    %s = tensor.extract_slice %w#0[0, 1] [2, 1] [1, 1] : tensor<?x2xf64> to tensor<2x1xf64>
    %c = tensor.collapse_shape %s [[0, 1]] : tensor<2x1xf64> into tensor<2xf64>
    scf.yield %c : tensor<2xf64>
    // becomes
    %e = tensor.empty() : tensor<2xf64>
    %copy = linalg.copy ins(%c : tensor<2xf64>) outs(%e : tensor<2xf64>) -> tensor<2xf64>
    scf.yield %copy : tensor<2xf64>
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"];
}

def Fuse : Pass<"tensorc-fuse"> {
  let summary = "Fuse elementwise producers into their consumers, reductions included (on linalg)";
  let description = [{
    A `linalg.generic` whose iterators are all parallel is inlined into every generic that reads
    its result, when the consumer's indexing map for it is a permutation; elementwise chains become
    one loop nest, and elementwise producers of reductions (softmax, layernorm, logsumexp) are
    computed inside the reduction loop, so no intermediate tensor of the input's size is stored.
    A consumer with reduction loops takes the producer only through a permutation map: a matmul
    reads A[i, k] once per column j, so a fused producer of A would be recomputed N times (and the
    loop LLVM got for softplus(log_softmax(x)) @ y was one its loop vectorizer never finished).
    Elementwise consumers also take producers they broadcast (recomputed along the broadcast dims).
    A producer that calls a transcendental function (exp, log, tanh, ...) and is read by a reduction
    and by another op is not fused: softmax's `e = exp(x - m)` is read by its sum and by `e / sum`,
    and fusing would compute exp twice per element; `tensorc-fuse-rows` then keeps e's row block in
    cache between its two readers.

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
    for float32 sums), which a pairwise tree adds (see cpp/lib/Transforms/FuseRows.cpp).

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
    Option<"gemmRows", "gemm-rows", "int64_t", /*default=*/"256",
           "Rows per block when the block computes a BLAS matmul (with blas-matmuls)">,
    Option<"blasMatmuls", "blas-matmuls", "bool", /*default=*/"false",
           "Leave the k loop of matmuls marked tensorc.gemm unblocked: tensorc-matmul-to-blas "
           "replaces them by BLAS calls, which block k themselves">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect"];
}

def ForwardToOutput : Pass<"tensorc-forward-to-output"> {
  let summary = "Compute a temporary in the output buffer that its last loop writes it into, element by element";
  let description = [{
    After bufferization, softmax's row block keeps e = exp(x - m) in a tile buffer, sums it, and
    its last loop writes e * (1/s) to the output. The output's cache lines are then first written by
    that last loop, which computes almost nothing, so its stores wait for the memory (a missing line
    is read before it is written) with no work to overlap. This pass stores the temporary in the
    output from the start: the misses move into the loop that computes exp, the last loop scales, in
    place, lines that are in cache, and the temporary's allocation disappears.

    ```mlir
    %tmp = memref.alloc(%rows, %cols) : memref<?x?xf32>
    scf.parallel (%r, %c) ... { memref.store %e, %tmp[%r, %c] }          // and more readers of %tmp
    %out = memref.subview %result[%i, 0] [%rows, %cols] [1, 1]
    scf.parallel (%r, %c) = (%c0, %c0) to (%rows, %cols) step (%c1, %c1) {
      %v = memref.load %tmp[%r, %c]
      memref.store (%v * %k), %out[%r, %c]
    }
    memref.dealloc %tmp
    // becomes: %out defined where %tmp was, every use of %tmp (and of its subviews) on %out
    ```

    Fires when the temporary (an identity-layout `memref.alloc`) is used in its block only, by loads,
    stores into it, deallocs and subviews used by loads and stores; the last op of the block that uses
    it is a loop nest whose one store goes into `out`, of the same shape and element type, over all of
    its indices (loops from 0 by 1 to each of its sizes, no scf.if around the store), loading the
    temporary only at the store's indices and before the store. `out` is a fresh `memref.alloc` of
    the block or a subview, in the block, of an allocation made outside the block's op that nothing
    else inside that op uses; nothing uses `out` before the last loop.

    Must not fire: a temporary read at other indices than the store's in the last loop (a shifted or
    transposed read would see elements already overwritten), one written in the last loop, one passed
    to another op (a copy, a call), an output that is read or written before the last loop or whose
    storage another view in the loop uses, a last loop that writes only part of the output, or an
    output of another shape or element type.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def ParallelizeLoops : Pass<"tensorc-parallelize-loops", "::mlir::ModuleOp"> {
  let summary = "Run the outermost scf.parallel of each loop nest on the runtime's thread pool";
  let description = [{
    The loops of a bufferized function are `scf.parallel` where their iterations are independent
    (`convert-linalg-to-parallel-loops` for the parallel dims of linalg ops; fuse-rows' row blocks,
    an `scf.forall` made `scf.parallel` by `scf-forall-to-parallel`). For the outermost one of each
    nest, this pass outlines a copy of the loop into a function that runs a range of its first
    dimension, stores the values the loop uses into a context on the stack, and replaces the loop by
    a call of the runtime (Runtime/ThreadPool.cpp), which splits the range over its threads:

    ```mlir
    scf.parallel (%i) = (%c0) to (%n) step (%c1) {
      %v = memref.load %x[%i] : memref<?xf32>
      ...
    }
    // becomes
    %ctx = llvm.alloca %c1_i64 x !llvm.array<N x i64>          // in the entry block
    llvm.store %x_descriptor, %ctx_slot : !llvm.struct<...>     // each value the loop uses
    %fn = func.constant @main_parallel_0 : (!llvm.ptr, i64, i64) -> ()
    func.call @tensorc_parallel_for(%fnptr, %ctx, %n_i64, %work) : ...
    func.func private @main_parallel_0(%ctx: !llvm.ptr, %begin: i64, %end: i64) {
      // the values loaded back; the same loop over [lb + begin*step, min(lb + end*step, ub))
    }
    ```

    `%work` estimates one iteration's operations (ops in the body, times the trip counts of the
    loops inside it, known before the loop or bounded by an `affine.min` with a constant); the
    runtime keeps loops with little work on the calling thread, so small inputs pay one call and a
    comparison. Each iteration writes only its own elements, so results do not depend on the thread
    count (float reductions are not split across threads: a reduction loop stays inside one
    iteration of the outer loop).

    Must not fire: a loop with results (scf.reduce), a loop using a value the context cannot hold
    (not an integer, index, float or strided memref), a loop that calls a function other than
    `tensorc_report` (a BLAS gemm runs on the BLAS's own threads), and any loop inside an outermost
    one (inner loops stay sequential in the outlined body).
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect", "::mlir::func::FuncDialect",
                           "::mlir::arith::ArithDialect", "::mlir::scf::SCFDialect"];
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
  let options = [
    Option<"nativeLdexp", "native-ldexp", "bool", /*default=*/"false",
           "The target computes `llvm.ldexp` on vectors in one instruction (x86 AVX-512: vscalefps): "
           "scalar float32 exp (which LLVM's loop vectorizer widens) scales its polynomial by 2^n with "
           "it, rounding once and handling overflow and subnormal results without the two-factor "
           "multiply. Off, ldexp would become a libm call per element (x86 without AVX-512)">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect", "::mlir::LLVM::LLVMDialect"];
}

#endif // TENSORC_TRANSFORMS_PASSES_TD
