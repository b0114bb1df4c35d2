// tensorc-specialize: cheaper special cases.
// RUN: tensorc-opt %s -split-input-file -tensorc-specialize | FileCheck %s

// CHECK-LABEL: func.func @powers
// CHECK-SAME: (%[[X:.+]]: tensor<?xf32>)
// CHECK-DAG: tensorc.mul %[[X]], %[[X]]
// CHECK-DAG: tensorc.sqrt %[[X]]
// CHECK-DAG: tensorc.div %{{.*}}, %[[X]]
// CHECK-NOT: tensorc.pow
func.func @powers(%x: tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>, tensor<?xf32>) {
  %two = tensorc.constant dense<2.0> : tensor<1xf32>
  %half = tensorc.constant dense<0.5> : tensor<1xf32>
  %m1 = tensorc.constant dense<-1.0> : tensor<1xf32>
  %0 = tensorc.pow %x, %two : tensor<?xf32>, tensor<1xf32> -> tensor<?xf32>
  %1 = tensorc.pow %x, %half : tensor<?xf32>, tensor<1xf32> -> tensor<?xf32>
  %2 = tensorc.pow %x, %m1 : tensor<?xf32>, tensor<1xf32> -> tensor<?xf32>
  return %0, %1, %2 : tensor<?xf32>, tensor<?xf32>, tensor<?xf32>
}

// -----

// Must not fire: other exponents, and exponents that broadcast x.
// CHECK-LABEL: func.func @not_special
// CHECK-COUNT-2: tensorc.pow
func.func @not_special(%x: tensor<?xf32>, %y: tensor<?x1xf32>) -> (tensor<?xf32>, tensor<?x3xf32>) {
  %three = tensorc.constant dense<3.0> : tensor<1xf32>
  %two = tensorc.constant dense<2.0> : tensor<1x3xf32>
  %0 = tensorc.pow %x, %three : tensor<?xf32>, tensor<1xf32> -> tensor<?xf32>
  %1 = tensorc.pow %y, %two : tensor<?x1xf32>, tensor<1x3xf32> -> tensor<?x3xf32>
  return %0, %1 : tensor<?xf32>, tensor<?x3xf32>
}

// -----

// x / 4 -> x * 0.25 is exact; x / 3 is not rewritten.
// CHECK-LABEL: func.func @division
// CHECK: tensorc.constant dense<2.500000e-01>
// CHECK: tensorc.mul
// CHECK: tensorc.div
func.func @division(%x: tensor<?xf64>) -> (tensor<?xf64>, tensor<?xf64>) {
  %four = tensorc.constant dense<4.0> : tensor<1xf64>
  %three = tensorc.constant dense<3.0> : tensor<1xf64>
  %0 = tensorc.div %x, %four : tensor<?xf64>, tensor<1xf64> -> tensor<?xf64>
  %1 = tensorc.div %x, %three : tensor<?xf64>, tensor<1xf64> -> tensor<?xf64>
  return %0, %1 : tensor<?xf64>, tensor<?xf64>
}
