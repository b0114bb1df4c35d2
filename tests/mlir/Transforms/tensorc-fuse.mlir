// tensorc-fuse: elementwise producers are fused into consumers, reductions included.
// RUN: tensorc-opt %s -split-input-file -tensorc-lower-to-linalg -canonicalize -tensorc-fuse | FileCheck %s

// Layernorm: three loops read x (mean, variance of (x - mean), normalization); (x - mean) and its square
// are recomputed inside the consumers, so the only tensor of the input's size is the result.
// CHECK-LABEL: func.func @layernorm
// CHECK-COUNT-3: linalg.generic {{.*}} ins(%arg0
// CHECK-NOT: linalg.generic {{.*}} ins(%arg0
// The full-size tensors: the result only.
// RUN: tensorc-opt %s -split-input-file -tensorc-lower-to-linalg -canonicalize -tensorc-fuse | FileCheck %s --check-prefix=SIZE
// SIZE-LABEL: func.func @layernorm
// SIZE-COUNT-1: tensor.empty(%{{[a-z0-9_]+}}, %{{[a-z0-9_]+}}) : tensor<?x?xf32>
// SIZE-NOT: tensor.empty(%{{[a-z0-9_]+}}, %{{[a-z0-9_]+}}) : tensor<?x?xf32>
// SIZE-LABEL: func.func @reduction_then_elementwise
func.func @layernorm(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %m = tensorc.reduce_mean %x axes = [1] {keepdims = true} : tensor<?x?xf32> -> tensor<?x1xf32>
  %d = tensorc.sub %x, %m : tensor<?x?xf32>, tensor<?x1xf32> -> tensor<?x?xf32>
  %sq = tensorc.mul %d, %d : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  %v = tensorc.reduce_mean %sq axes = [1] {keepdims = true} : tensor<?x?xf32> -> tensor<?x1xf32>
  %eps = tensorc.constant dense<1.0e-5> : tensor<1x1xf32>
  %ve = tensorc.add %v, %eps : tensor<?x1xf32>, tensor<1x1xf32> -> tensor<?x1xf32>
  %s = tensorc.sqrt %ve : tensor<?x1xf32> -> tensor<?x1xf32>
  %r = tensorc.div %d, %s : tensor<?x?xf32>, tensor<?x1xf32> -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// Must not fuse a reduction into its consumer (a reduction's result is needed whole).
// CHECK-LABEL: func.func @reduction_then_elementwise
// CHECK-COUNT-2: linalg.generic
func.func @reduction_then_elementwise(%x: tensor<?x?xf32>) -> tensor<?xf32> {
  %s = tensorc.reduce_sum %x axes = [1] : tensor<?x?xf32> -> tensor<?xf32>
  %e = tensorc.exp %s : tensor<?xf32> -> tensor<?xf32>
  return %e : tensor<?xf32>
}

// -----

// Must not fuse an elementwise producer into a matmul: the matmul reads A[i, k] once for every column
// j, so exp would be recomputed N times per element (fuzz seed 12135: LLVM's loop vectorizer never
// finished on such a loop). exp stays a loop of its own; the matmul reads its result.
// CHECK-LABEL: func.func @elementwise_into_matmul
// CHECK: %[[E:.+]] = linalg.generic {{.*}} ins(%arg0 : tensor<?x?xf32>)
// CHECK: math.exp
// CHECK: linalg.generic {{.*}} ins(%[[E]], %arg1 : tensor<?x?xf32>, tensor<?x?xf32>)
// CHECK-NOT: math.exp
// CHECK: return
func.func @elementwise_into_matmul(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %e = tensorc.exp %a : tensor<?x?xf32> -> tensor<?x?xf32>
  %m = tensorc.matmul %e, %b : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  return %m : tensor<?x?xf32>
}

// -----

// Fires into an elementwise consumer that broadcasts a cheap producer: v * v is recomputed for every
// row rather than stored and read back.
// CHECK-LABEL: func.func @broadcast_into_elementwise
// CHECK-COUNT-1: linalg.generic
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @broadcast_into_elementwise(%x: tensor<?x?xf32>, %v: tensor<1x?xf32>) -> tensor<?x?xf32> {
  %e = tensorc.mul %v, %v : tensor<1x?xf32>, tensor<1x?xf32> -> tensor<1x?xf32>
  %r = tensorc.add %x, %e : tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// Must not fire (costly producers): exp, sqrt or a division broadcast into an elementwise consumer
// would be computed once per element of the consumer instead of once per element of the producer
// (layernorm's sqrt(var + eps) is one value per row).
// CHECK-LABEL: func.func @costly_broadcast_not_fused
// CHECK: linalg.generic
// CHECK: math.exp
// CHECK: linalg.generic
// CHECK: math.sqrt
// CHECK: linalg.generic
// CHECK-NOT: math.exp
// CHECK-NOT: math.sqrt
// CHECK: return
func.func @costly_broadcast_not_fused(%x: tensor<?x?xf32>, %v: tensor<1x?xf32>, %w: tensor<?x1xf32>) -> tensor<?x?xf32> {
  %e = tensorc.exp %v : tensor<1x?xf32> -> tensor<1x?xf32>
  %s = tensorc.sqrt %w : tensor<?x1xf32> -> tensor<?x1xf32>
  %a = tensorc.add %x, %e : tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
  %r = tensorc.div %a, %s : tensor<?x?xf32>, tensor<?x1xf32> -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// Fires (transposes): a.T @ b reads `a` through a permuted map instead of a transposed copy, although
// the matmul has a reduction loop (a transpose recomputes nothing); the body stays acc + a * b, so the
// matmul still goes to BLAS.
// CHECK-DAG: #[[AT:.+]] = affine_map<(d0, d1, d2) -> (d1, d0)>
// CHECK-LABEL: func.func @transposed_lhs
// CHECK-SAME: (%[[A:.+]]: tensor<?x?xf32>, %[[B:.+]]: tensor<?x?xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: linalg.generic {indexing_maps = [#[[AT]], {{.+}}], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<?x?xf32>, tensor<?x?xf32>)
// CHECK-SAME: attrs = {tensorc.gemm}
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: arith.addf
func.func @transposed_lhs(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %t = tensorc.transpose %a [1, 0] : tensor<?x?xf32> -> tensor<?x?xf32>
  %m = tensorc.matmul %t, %b : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  return %m : tensor<?x?xf32>
}

// -----

// Must not fire (transposes): a transpose that is returned is computed; only its readers fold it.
// CHECK-LABEL: func.func @transpose_returned
// CHECK: %[[T:.+]] = linalg.transpose
// CHECK: return %[[T]], %{{.+}}
func.func @transpose_returned(%a: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %t = tensorc.transpose %a [1, 0] : tensor<?x?xf32> -> tensor<?x?xf32>
  %e = tensorc.exp %t : tensor<?x?xf32> -> tensor<?x?xf32>
  return %t, %e : tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// Must not fire (transcendental producers): exp(x - m) read by its sum and by the division, as
// NumPy-spelled softmax reads it. Fusing would compute exp twice per element; e stays a loop of its
// own, read by both (tensorc-fuse-rows puts all three in one row block, where e is re-read from cache).
// The cheap x - m is still fused into the exp.
// CHECK-LABEL: func.func @exp_read_by_sum_and_div
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: %[[E:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: linalg.generic {{.*}} ins(%[[E]] : tensor<?x?xf32>)
// CHECK-NOT: math.exp
// CHECK: linalg.generic {{.*}} ins(%[[E]], %{{.+}} : tensor<?x?xf32>, tensor<?xf64>)
// CHECK-NOT: math.exp
// CHECK: return
func.func @exp_read_by_sum_and_div(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %m = tensorc.reduce_max %x axes = [1] {keepdims = true} : tensor<?x?xf32> -> tensor<?x1xf32>
  %d = tensorc.sub %x, %m : tensor<?x?xf32>, tensor<?x1xf32> -> tensor<?x?xf32>
  %e = tensorc.exp %d : tensor<?x?xf32> -> tensor<?x?xf32>
  %s = tensorc.reduce_sum %e axes = [1] {keepdims = true} : tensor<?x?xf32> -> tensor<?x1xf32>
  %r = tensorc.div %e, %s : tensor<?x?xf32>, tensor<?x1xf32> -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// Fires (transcendental producers): exp read by a reduction alone is fused into it (logsumexp's
// sum of exp stores nothing of the input's size): one loop reads a tensor of x's shape, and computes exp.
// CHECK-LABEL: func.func @exp_read_by_sum_only
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<?x?xf32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: math.exp
// CHECK-NOT: tensor<?x?xf32>)
// CHECK: return
func.func @exp_read_by_sum_only(%x: tensor<?x?xf32>) -> tensor<?x1xf32> {
  %e = tensorc.exp %x : tensor<?x?xf32> -> tensor<?x?xf32>
  %s = tensorc.reduce_sum %e axes = [1] {keepdims = true} : tensor<?x?xf32> -> tensor<?x1xf32>
  return %s : tensor<?x1xf32>
}

// -----

// Fires (transcendental producers): exp read by two elementwise ops (no reduction) is recomputed in
// each, as before: two loops that each read x and write their result, nothing of x's size in between.
// CHECK-LABEL: func.func @exp_read_by_two_elementwise
// CHECK-COUNT-2: math.exp
// CHECK-NOT: math.exp
// CHECK: return
func.func @exp_read_by_two_elementwise(%x: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %e = tensorc.exp %x : tensor<?x?xf32> -> tensor<?x?xf32>
  %a = tensorc.sin %e : tensor<?x?xf32> -> tensor<?x?xf32>
  %b = tensorc.cos %e : tensor<?x?xf32> -> tensor<?x?xf32>
  return %a, %b : tensor<?x?xf32>, tensor<?x?xf32>
}
