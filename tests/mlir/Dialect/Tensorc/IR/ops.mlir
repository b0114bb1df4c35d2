// Parse/print round trip of every tensorc op in its custom assembly format.
// RUN: tensorc-opt %s | tensorc-opt | FileCheck %s
// RUN: tensorc-opt %s --mlir-print-op-generic | tensorc-opt | FileCheck %s

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%a: tensor<?x?xf32>, %b: tensor<1x?xf32>, %i: tensor<?xi32>, %c: tensor<?x?xi1>) -> tensor<?x?xf32> {
  // CHECK: tensorc.add %{{.*}}, %{{.*}} : tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
  %0 = tensorc.add %a, %b : tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.sub
  %1 = tensorc.sub %0, %a : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.mul
  %2 = tensorc.mul %1, %b : tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.div
  %3 = tensorc.div %2, %a : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.pow
  %4 = tensorc.pow %3, %a : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.max
  %5 = tensorc.max %4, %a : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.min
  %6 = tensorc.min %5, %a : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.floordiv
  %7 = tensorc.floordiv %6, %a : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.mod
  %8 = tensorc.mod %7, %a : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.neg
  %u0 = tensorc.neg %8 : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.abs
  %u1 = tensorc.abs %u0 : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.exp
  %u2 = tensorc.exp %u1 : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.log
  %u3 = tensorc.log %u2 : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.log1p
  %u4 = tensorc.log1p %u3 : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.expm1
  %u5 = tensorc.expm1 %u4 : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.sqrt
  %u6 = tensorc.sqrt %u5 : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.tanh
  %u7 = tensorc.tanh %u6 : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.sigmoid
  %u8 = tensorc.sigmoid %u7 : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.softplus
  %u9 = tensorc.softplus %u8 : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.sin
  %u10 = tensorc.sin %u9 : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.cos
  %u11 = tensorc.cos %u10 : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.erf
  %u12 = tensorc.erf %u11 : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.floor
  %u13 = tensorc.floor %u12 : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.ceil
  %u14 = tensorc.ceil %u13 : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.sign
  %u15 = tensorc.sign %u14 : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.lt {{.*}} -> tensor<?x?xi1>
  %c0 = tensorc.lt %u15, %a : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xi1>
  // CHECK: tensorc.eq
  %c1 = tensorc.eq %u15, %a : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xi1>
  // CHECK: tensorc.ne
  %c2 = tensorc.ne %u15, %a : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xi1>
  // CHECK: tensorc.le
  %c3 = tensorc.le %u15, %a : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xi1>
  // CHECK: tensorc.gt
  %c4 = tensorc.gt %u15, %a : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xi1>
  // CHECK: tensorc.ge
  %c5 = tensorc.ge %u15, %a : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xi1>
  // CHECK: tensorc.and
  %l0 = tensorc.and %c0, %c1 : tensor<?x?xi1>, tensor<?x?xi1> -> tensor<?x?xi1>
  // CHECK: tensorc.or
  %l1 = tensorc.or %l0, %c2 : tensor<?x?xi1>, tensor<?x?xi1> -> tensor<?x?xi1>
  // CHECK: tensorc.xor
  %l2 = tensorc.xor %l1, %c3 : tensor<?x?xi1>, tensor<?x?xi1> -> tensor<?x?xi1>
  // CHECK: tensorc.not
  %l3 = tensorc.not %l2 : tensor<?x?xi1> -> tensor<?x?xi1>
  // CHECK: tensorc.select {{.*}} : tensor<?x?xi1>, tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
  %s = tensorc.select %l3, %u15, %b : tensor<?x?xi1>, tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.cast {{.*}} : tensor<?xi32> to tensor<?xf64>
  %f = tensorc.cast %i : tensor<?xi32> to tensor<?xf64>
  return %s : tensor<?x?xf32>
}

// CHECK-LABEL: func.func @creation
func.func @creation(%x: tensor<?x3xf64>) -> (tensor<2xf32>, tensor<?x3xf64>, tensor<?xi64>, tensor<?x3xf64>) {
  // CHECK: tensorc.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %c = tensorc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK: tensorc.dim %{{.*}}[0] : tensor<?x3xf64>
  %n = tensorc.dim %x[0] : tensor<?x3xf64>
  // CHECK: tensorc.fill(%{{.*}}) 0.000000e+00 : f64 : tensor<?x3xf64>
  %z = tensorc.fill(%n) 0.0 : f64 : tensor<?x3xf64>
  // CHECK: tensorc.arange %{{.*}} : tensor<?xi64>
  %r = tensorc.arange %n : tensor<?xi64>
  %row = tensorc.reduce_sum %x axes = [0] {keepdims = true} : tensor<?x3xf64> -> tensor<1x3xf64>
  // CHECK: tensorc.broadcast_to %{{.*}}(%{{.*}}) : tensor<1x3xf64> -> tensor<?x3xf64>
  %bc = tensorc.broadcast_to %row(%n) : tensor<1x3xf64> -> tensor<?x3xf64>
  return %c, %z, %r, %bc : tensor<2xf32>, tensor<?x3xf64>, tensor<?xi64>, tensor<?x3xf64>
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<?x?x?xf32>) -> tensor<?xi64> {
  // CHECK: tensorc.reduce_sum %{{.*}} axes = [0, 2] : tensor<?x?x?xf32> -> tensor<?xf32>
  %0 = tensorc.reduce_sum %x axes = [0, 2] : tensor<?x?x?xf32> -> tensor<?xf32>
  // CHECK: tensorc.reduce_mean %{{.*}} axes = [1] {keepdims = true}
  %1 = tensorc.reduce_mean %x axes = [1] {keepdims = true} : tensor<?x?x?xf32> -> tensor<?x1x?xf32>
  // CHECK: tensorc.reduce_max
  %2 = tensorc.reduce_max %x axes = [0, 1, 2] : tensor<?x?x?xf32> -> tensor<f32>
  // CHECK: tensorc.reduce_min
  %3 = tensorc.reduce_min %x axes = [2] : tensor<?x?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.reduce_prod
  %4 = tensorc.reduce_prod %x axes = [2] : tensor<?x?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.logsumexp
  %5 = tensorc.logsumexp %x axes = [2] : tensor<?x?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.argmax %{{.*}} axis = 1 : tensor<?x?x?xf32> -> tensor<?x?xi64>
  %6 = tensorc.argmax %x axis = 1 : tensor<?x?x?xf32> -> tensor<?x?xi64>
  // CHECK: tensorc.argmin %{{.*}} axis = 0 {keepdims = true}
  %7 = tensorc.argmin %x axis = 0 {keepdims = true} : tensor<?x?x?xf32> -> tensor<1x?x?xi64>
  // CHECK: tensorc.softmax %{{.*}} axis = 2
  %8 = tensorc.softmax %x axis = 2 : tensor<?x?x?xf32> -> tensor<?x?x?xf32>
  // CHECK: tensorc.log_softmax %{{.*}} axis = 0
  %9 = tensorc.log_softmax %x axis = 0 : tensor<?x?x?xf32> -> tensor<?x?x?xf32>
  %10 = tensorc.argmax %x axis = 2 : tensor<?x?x?xf32> -> tensor<?x?xi64>
  %11 = tensorc.reduce_sum %10 axes = [0] : tensor<?x?xi64> -> tensor<?xi64>
  return %11 : tensor<?xi64>
}

// CHECK-LABEL: func.func @linalg_and_shapes
func.func @linalg_and_shapes(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>, %v: tensor<?xf32>, %bt: tensor<2x?x?xf32>, %n: tensor<i64>, %i: tensor<?xi64>, %j: tensor<?xi32>) -> tensor<?x?xf32> {
  // CHECK: tensorc.matmul %{{.*}}, %{{.*}} : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  %0 = tensorc.matmul %a, %b : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.matmul {{.*}} : tensor<?xf32>, tensor<?xf32> -> tensor<f32>
  %dot = tensorc.matmul %v, %v : tensor<?xf32>, tensor<?xf32> -> tensor<f32>
  // CHECK: tensorc.matmul {{.*}} : tensor<2x?x?xf32>, tensor<?x?xf32> -> tensor<2x?x?xf32>
  %bm = tensorc.matmul %bt, %a : tensor<2x?x?xf32>, tensor<?x?xf32> -> tensor<2x?x?xf32>
  // CHECK: tensorc.transpose %{{.*}} [1, 0] : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.transpose %0 [1, 0] : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.reshape %{{.*}}(%{{.*}}) : tensor<?x?xf32> -> tensor<?x4xf32>
  %2 = tensorc.reshape %1(%n) : tensor<?x?xf32> -> tensor<?x4xf32>
  // CHECK: tensorc.expand_dims %{{.*}} [0, 2] : tensor<?xf32> -> tensor<1x?x1xf32>
  %3 = tensorc.expand_dims %v [0, 2] : tensor<?xf32> -> tensor<1x?x1xf32>
  // CHECK: tensorc.squeeze %{{.*}} [0] : tensor<1x?x1xf32> -> tensor<?x1xf32>
  %4 = tensorc.squeeze %3 [0] : tensor<1x?x1xf32> -> tensor<?x1xf32>
  // CHECK: tensorc.concatenate %{{.*}}, %{{.*}} axis = 0 : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  %5 = tensorc.concatenate %a, %b axis = 0 : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  // CHECK: tensorc.slice %{{.*}} starts = [1, 0] stops = [9223372036854775807, -1] steps = [2, -1]
  %6 = tensorc.slice %5 starts = [1, 0] stops = [9223372036854775807, -1] steps = [2, -1] : tensor<?x?xf32> -> tensor<?x?xf32>
  // CHECK: tensorc.gather %{{.*}}[%{{.*}}, %{{.*}}] axis = 0 : (tensor<?x?xf32>, tensor<?xi64>, tensor<?xi32>) -> tensor<?xf32>
  %7 = tensorc.gather %6[%i, %j] axis = 0 : (tensor<?x?xf32>, tensor<?xi64>, tensor<?xi32>) -> tensor<?xf32>
  // CHECK: tensorc.gather %{{.*}}[%{{.*}}] axis = 1 : (tensor<?x?xf32>, tensor<?xi64>) -> tensor<?x?xf32>
  %8 = tensorc.gather %a[%i] axis = 1 : (tensor<?x?xf32>, tensor<?xi64>) -> tensor<?x?xf32>
  return %6 : tensor<?x?xf32>
}
