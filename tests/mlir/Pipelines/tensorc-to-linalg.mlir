// The tensorc-to-linalg pipeline fuses an elementwise chain (workload W1) into one loop nest.
// RUN: tensorc-opt %s -pass-pipeline='builtin.module(tensorc-to-linalg)' | FileCheck %s

// CHECK-LABEL: func.func @w1
// CHECK-COUNT-1: linalg.generic
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @w1(%x: tensor<?xf32>, %y: tensor<?xf32>) -> tensor<?xf32> {
  %0 = tensorc.mul %x, %y : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.sin %x : tensor<?xf32> -> tensor<?xf32>
  %2 = tensorc.neg %y : tensor<?xf32> -> tensor<?xf32>
  %3 = tensorc.exp %2 : tensor<?xf32> -> tensor<?xf32>
  %4 = tensorc.mul %1, %3 : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  %5 = tensorc.add %0, %4 : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  %6 = tensorc.sub %x, %y : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  %7 = tensorc.tanh %6 : tensor<?xf32> -> tensor<?xf32>
  %8 = tensorc.add %5, %7 : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  return %8 : tensor<?xf32>
}

// A reduction is not fused into its elementwise consumer's loop (must not fire across reductions).
// CHECK-LABEL: func.func @sum_then_exp
// CHECK-COUNT-2: linalg.generic
func.func @sum_then_exp(%x: tensor<?x?xf32>) -> tensor<?xf32> {
  %0 = tensorc.reduce_sum %x axes = [1] : tensor<?x?xf32> -> tensor<?xf32>
  %1 = tensorc.exp %0 : tensor<?xf32> -> tensor<?xf32>
  return %1 : tensor<?xf32>
}
