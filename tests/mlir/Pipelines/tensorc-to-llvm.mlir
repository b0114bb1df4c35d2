// tensorc-to-llvm: loops on memrefs (the `lowered` stage, what tensorc-bufferize leaves) -> the LLVM
// dialect. Transcendental float32 math becomes inline polynomial code (tensorc-math-approx), which LLVM
// can vectorize; other math becomes LLVM intrinsics or calls (libm, or functions the pipeline writes);
// i1 buffers are stored as bytes (tensorc-widen-bool-memrefs).
// RUN: tensorc-opt %s -split-input-file -tensorc-to-llvm | FileCheck %s
// Only the LLVM dialect remains, anywhere in the output:
// RUN: tensorc-opt %s -split-input-file -tensorc-to-llvm | FileCheck %s --check-prefix=ONLY-LLVM
// ONLY-LLVM-NOT: {{(^ *|= )(builtin|memref|scf|cf|arith|math|index|affine|func|bufferization)\.}}
// ONLY-LLVM-NOT: memref<

// float32 exp: a polynomial with fma and a scaling by 2^n built from the exponent bits; no call to
// libm and no llvm.intr.exp (which LLVM would not vectorize). The C interface wrapper is emitted.
// CHECK-LABEL: llvm.func @exp_f32(
// CHECK-NOT: llvm.intr.exp
// CHECK-NOT: llvm.call @expf
// CHECK: llvm.load {{.*}} -> f32
// CHECK: llvm.intr.fma
// CHECK: llvm.bitcast %{{.*}} : i32 to f32
// CHECK: llvm.store %{{.*}} : f32, !llvm.ptr
// CHECK-NOT: llvm.intr.exp
// CHECK-NOT: llvm.call @expf
// CHECK: llvm.return
// CHECK-LABEL: llvm.func @_mlir_ciface_exp_f32(
// CHECK: llvm.call @exp_f32(
func.func @exp_f32(%arg0: memref<?xf32>) -> memref<?xf32> attributes {llvm.emit_c_interface} {
  %c1 = arith.constant 1 : index
  %c0 = arith.constant 0 : index
  %dim = memref.dim %arg0, %c0 : memref<?xf32>
  %alloc = memref.alloc(%dim) {alignment = 64 : i64} : memref<?xf32>
  scf.for %i = %c0 to %dim step %c1 {
    %0 = memref.load %arg0[%i] : memref<?xf32>
    %1 = math.exp %0 : f32
    memref.store %1, %alloc[%i] : memref<?xf32>
  }
  return %alloc : memref<?xf32>
}

// -----

// float32 erf is a polynomial too; float64 erf (libm, accurate) is a call, declared in the module;
// an integer power calls a function the pipeline defines (math-to-funcs); float64 sin is an LLVM
// intrinsic (the backend calls libm).
// CHECK-LABEL: llvm.func @erf(f64) -> f64
// CHECK-LABEL: llvm.func @scalars(
// CHECK-NOT: llvm.call @erff
// CHECK: llvm.call @erf(%{{.*}}) : (f64) -> f64
// CHECK: llvm.call @__mlir_math_ipowi_i32(
// CHECK: llvm.intr.sin(%{{.*}}) : (f64) -> f64
// CHECK: llvm.intr.fma(%{{.*}}) : (f32, f32, f32) -> f32
// CHECK-NOT: llvm.call @erff
// CHECK: llvm.return
// CHECK-LABEL: llvm.func linkonce_odr @__mlir_math_ipowi_i32(
// CHECK: llvm.return
func.func @scalars(%a: f64, %b: f32, %i: i32, %j: i32) -> (f64, i32, f64, f32) {
  %0 = math.erf %a : f64
  %1 = math.ipowi %i, %j : i32
  %2 = math.sin %a : f64
  %3 = math.erf %b : f32
  return %0, %1, %2, %3 : f64, i32, f64, f32
}

// -----

// A buffer of i1 holds one byte per bool: the comparison is widened to i8 before the store.
// CHECK-LABEL: llvm.func @less(
// CHECK: llvm.fcmp "olt"
// CHECK: %[[B:.*]] = llvm.zext %{{.*}} : i1 to i8
// CHECK: llvm.store %[[B]], %{{.*}} : i8, !llvm.ptr
// CHECK-NOT: : i1, !llvm.ptr
// CHECK: llvm.return
func.func @less(%arg0: memref<?xf32>, %arg1: memref<?xf32>) -> memref<?xi1> attributes {llvm.emit_c_interface} {
  %c1 = arith.constant 1 : index
  %c0 = arith.constant 0 : index
  %dim = memref.dim %arg0, %c0 : memref<?xf32>
  %alloc = memref.alloc(%dim) {alignment = 64 : i64} : memref<?xi1>
  scf.for %i = %c0 to %dim step %c1 {
    %0 = memref.load %arg0[%i] : memref<?xf32>
    %1 = memref.load %arg1[%i] : memref<?xf32>
    %2 = arith.cmpf olt, %0, %1 : f32
    memref.store %2, %alloc[%i] : memref<?xi1>
  }
  return %alloc : memref<?xi1>
}

// -----

// float32 sin on the thread pool: the loop runs in an outlined body (tensorc-parallelize-loops), where
// math-approx still versions it, in blocks of 2048 iterations (each block's scan compares |x| with
// 2^17); the all-f32 expansion (2/pi as one f32) and the Payne-Hanek one (2/pi in f64 29-bit parts,
// the first 0x1.45f306dp-1) are both there. (Versioning had stopped firing when loops moved to the pool: the body
// reads memrefs rebuilt from the context, whose roots the versioning did not know.)
// CHECK-LABEL: llvm.func @sin_f32_parallel_0(
// CHECK-DAG: llvm.mlir.constant(2048 : index)
// CHECK-DAG: 1.310720e+05 : f32
// CHECK-DAG: 0.636619746 : f32
// CHECK-DAG: 0.63661977089941502 : f64
// CHECK: llvm.return
func.func @sin_f32(%arg0: memref<?xf32>) -> memref<?xf32> attributes {llvm.emit_c_interface} {
  %c1 = arith.constant 1 : index
  %c0 = arith.constant 0 : index
  %dim = memref.dim %arg0, %c0 : memref<?xf32>
  %alloc = memref.alloc(%dim) {alignment = 64 : i64} : memref<?xf32>
  scf.parallel (%i) = (%c0) to (%dim) step (%c1) {
    %0 = memref.load %arg0[%i] : memref<?xf32>
    %1 = math.sin %0 : f32
    memref.store %1, %alloc[%i] : memref<?xf32>
    scf.reduce
  }
  return %alloc : memref<?xf32>
}
