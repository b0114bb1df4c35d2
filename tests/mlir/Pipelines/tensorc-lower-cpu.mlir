// The whole CPU pipeline leaves only the LLVM dialect, with the C interface the runtime calls.
// RUN: tensorc-opt %s -pass-pipeline='builtin.module(tensorc-lower-cpu)' | FileCheck %s

// CHECK-NOT: tensorc.{{[a-z_]+}} %
// CHECK-NOT: linalg.
// CHECK-NOT: memref.
// CHECK-NOT: scf.
// CHECK: llvm.func @tensorc_report(i64, i64, i64)
// CHECK: llvm.func @main(
// CHECK: llvm.func @_mlir_ciface_main(
func.func @main(%x: tensor<?x?xf32> {bufferization.writable = false}, %y: tensor<?xf32> {bufferization.writable = false}) -> (tensor<?x?xf32>, tensor<?xf32>) attributes {llvm.emit_c_interface} {
  %e = tensorc.expand_dims %y [0] : tensor<?xf32> -> tensor<1x?xf32>
  %0 = tensorc.add %x, %e : tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.softmax %0 axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  %2 = tensorc.reduce_sum %1 axes = [0] : tensor<?x?xf32> -> tensor<?xf32>
  return %1, %2 : tensor<?x?xf32>, tensor<?xf32>
}
