// tensorc-compile-cpu: tensorc-optimize then tensorc-lower-cpu, from tensorc IR all the way to the LLVM
// dialect: the default (FAST_RUN) compilation as one pipeline (Python runs the same stages one by one,
// tensorc.passes.pipelines).
// RUN: tensorc-opt %s -split-input-file -tensorc-compile-cpu | FileCheck %s
// Only the LLVM dialect remains, anywhere in the output:
// RUN: tensorc-opt %s -split-input-file -tensorc-compile-cpu | FileCheck %s --check-prefix=ONLY-LLVM
// ONLY-LLVM-NOT: {{(^ *|= )(builtin|tensorc|linalg|tensor|bufferization|memref|scf|cf|arith|math|index|affine|func)\.}}
// ONLY-LLVM-NOT: {{tensor<|memref<}}
// tensorc-lower-cpu alone does not optimize the graph (the contrast for the first case):
// RUN: tensorc-opt %s -split-input-file -tensorc-lower-cpu | FileCheck %s --check-prefix=LOWER-ONLY

// The graph passes run first: log(x + 1) is stabilized into log1p, which for float64 is a call to libm's
// log1p, where the unoptimized lowering computes llvm.intr.log of x + 1. The elementwise loop runs on
// the thread pool: the function calls tensorc_parallel_for with the outlined body, which holds the loop.
// CHECK-LABEL: llvm.func @log1p(f64) -> f64
// CHECK-LABEL: llvm.func @log_one_plus(
// CHECK-NOT: llvm.intr.log(
// CHECK: llvm.call @tensorc_parallel_for(
// CHECK: llvm.return
// CHECK-LABEL: llvm.func @_mlir_ciface_log_one_plus(
// CHECK-LABEL: llvm.func @log_one_plus_parallel_0(
// CHECK-NOT: llvm.intr.log(
// CHECK: llvm.call @log1p(%{{.*}}) : (f64) -> f64
// CHECK-NOT: llvm.intr.log(
// CHECK: llvm.return
// LOWER-ONLY-LABEL: llvm.func @log_one_plus_parallel_0(
// LOWER-ONLY-NOT: llvm.call @log1p
// LOWER-ONLY: llvm.fadd
// LOWER-ONLY: llvm.intr.log(%{{.*}}) : (f64) -> f64
// LOWER-ONLY-NOT: llvm.call @log1p
// LOWER-ONLY: llvm.return
func.func @log_one_plus(%x: tensor<?xf64> {bufferization.writable = false}) -> tensor<?xf64> attributes {llvm.emit_c_interface} {
  %one = tensorc.constant dense<1.0> : tensor<1xf64>
  %0 = tensorc.add %x, %one : tensor<?xf64>, tensor<1xf64> -> tensor<?xf64>
  %1 = tensorc.log %0 : tensor<?xf64> -> tensor<?xf64>
  return %1 : tensor<?xf64>
}

// -----

// A model with a broadcast (checked at run time), a softmax and a reduction: the run-time check reports
// through tensorc_report, buffers come from malloc and are freed, float32 exp is inline code, and the
// runtime's C interface wrapper is emitted. The messages of the run-time checks stay on the module, for
// the runtime to format. The loops run on the thread pool, in bodies outlined after the function.
// CHECK: module attributes {tensorc.checks = ["Broadcast: tensorc.add: {{.*}}", "tensorc.reduce_max: zero-size array
// CHECK-DAG: llvm.func @tensorc_report(i64, i64, i64)
// CHECK-DAG: llvm.func @malloc(i64) -> !llvm.ptr
// CHECK-DAG: llvm.func @free(!llvm.ptr)
// CHECK-LABEL: llvm.func @model(
// CHECK: llvm.call @tensorc_report(
// CHECK: llvm.call @malloc(
// CHECK: llvm.call @tensorc_parallel_for(
// CHECK: llvm.call @free(
// CHECK: llvm.return
// CHECK-LABEL: llvm.func @_mlir_ciface_model(
// CHECK: llvm.call @model(
// CHECK: llvm.func @model_parallel_{{[0-9]+}}(
// CHECK: llvm.intr.fma
func.func @model(%x: tensor<?x?xf32> {bufferization.writable = false}, %b: tensor<?xf32> {bufferization.writable = false}) -> (tensor<?x?xf32>, tensor<?xf32>) attributes {llvm.emit_c_interface} {
  %e = tensorc.expand_dims %b [0] : tensor<?xf32> -> tensor<1x?xf32>
  %0 = tensorc.add %x, %e : tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.softmax %0 axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  %2 = tensorc.reduce_max %1 axes = [0] : tensor<?x?xf32> -> tensor<?xf32>
  return %1, %2 : tensor<?x?xf32>, tensor<?xf32>
}
