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
