// tensorc-parallelize-loops: the outermost scf.parallel of a nest becomes a call of the runtime's
// thread pool on an outlined body; loops it cannot move (results, calls, values the context cannot
// hold) stay as they are.
// RUN: tensorc-opt %s -split-input-file -tensorc-parallelize-loops | FileCheck %s

// Fires: an elementwise loop. Both memrefs travel as descriptors (5 slots each), the size as one i64.
// The constant is cloned into the body, the first dimension runs [lb + begin*step, min(lb + end*step, ub)).
// CHECK-LABEL: func.func private @tensorc_parallel_for(!llvm.ptr, !llvm.ptr, i64, i64)
// CHECK-LABEL: func.func @elementwise(
// CHECK-SAME: %[[X:.+]]: memref<?xf32>, %[[Y:.+]]: memref<?xf32>)
// CHECK: %[[CTX:.+]] = llvm.alloca %{{.*}} x !llvm.array<11 x i64>
// CHECK: %[[DX:.+]] = builtin.unrealized_conversion_cast %[[X]] : memref<?xf32> to !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
// CHECK: llvm.store %[[DX]], %[[CTX]]
// CHECK: %[[S1:.+]] = llvm.getelementptr %[[CTX]][5]
// CHECK: llvm.store %{{.*}}, %[[S1]]
// CHECK: %[[S2:.+]] = llvm.getelementptr %[[CTX]][10]
// CHECK: llvm.store %{{.*}}, %[[S2]] : i64
// CHECK-NOT: scf.parallel
// CHECK: %[[F:.+]] = constant @elementwise_parallel_0 : (!llvm.ptr, i64, i64) -> ()
// CHECK: %[[FP:.+]] = builtin.unrealized_conversion_cast %[[F]] : (!llvm.ptr, i64, i64) -> () to !llvm.ptr
// CHECK: call @tensorc_parallel_for(%[[FP]], %[[CTX]], %{{.*}}, %{{.*}}) : (!llvm.ptr, !llvm.ptr, i64, i64) -> ()
// CHECK: func.func private @elementwise_parallel_0(%[[C:.+]]: !llvm.ptr, %[[B:.+]]: i64, %[[E:.+]]: i64) attributes {tensorc.parallel_body}
// CHECK-DAG: arith.constant 2.000000e+00 : f32
// CHECK-DAG: %[[LX:.+]] = llvm.load %[[C]] : !llvm.ptr -> !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
// CHECK: %[[MX:.+]] = builtin.unrealized_conversion_cast %[[LX]] : {{.*}} to memref<?xf32> {tensorc.memref_root = "arg0"}
// CHECK: builtin.unrealized_conversion_cast %{{.*}} : {{.*}} to memref<?xf32> {tensorc.memref_root = "arg1"}
// CHECK: %[[BI:.+]] = arith.index_cast %[[B]] : i64 to index
// CHECK: %[[EI:.+]] = arith.index_cast %[[E]] : i64 to index
// CHECK: %[[LO:.+]] = arith.addi
// CHECK: %[[HI:.+]] = arith.minsi
// CHECK: scf.parallel (%[[I:.+]]) = (%[[LO]]) to (%[[HI]])
// CHECK: memref.load %[[MX]][%[[I]]]
// CHECK: return
func.func @elementwise(%x: memref<?xf32>, %y: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %two = arith.constant 2.0 : f32
  %n = memref.dim %x, %c0 : memref<?xf32>
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %v = memref.load %x[%i] : memref<?xf32>
    %w = arith.mulf %v, %two : f32
    memref.store %w, %y[%i] : memref<?xf32>
    scf.reduce
  }
  return
}

// -----

// Fires on the outer loop only: the row loop with a reduction loop inside. Its work per row counts
// the inner loop's trip count (known before the loop: %m); scalars (f64, i1) take one slot each:
// 7 + 5 slots for the memrefs, 1 each for %s, %flag, %n and %m.
// CHECK-LABEL: func.func @rows(
// CHECK: %[[CTX:.+]] = llvm.alloca %{{.*}} x !llvm.array<16 x i64>
// CHECK: llvm.store %{{.*}} : f64, !llvm.ptr
// CHECK: llvm.store %{{.*}} : i1, !llvm.ptr
// CHECK: %[[T:.+]] = arith.maxsi %{{.*}}, %{{.*}} : index
// CHECK: %[[W:.+]] = arith.muli %[[T]], %{{.*}} : index
// CHECK: %[[WA:.+]] = arith.addi %[[W]], %{{.*}} : index
// CHECK: %[[WI:.+]] = arith.index_cast %[[WA]] : index to i64
// CHECK: call @tensorc_parallel_for(%{{.*}}, %[[CTX]], %{{.*}}, %[[WI]])
// CHECK: func.func private @rows_parallel_0(
// CHECK: scf.parallel
// CHECK: scf.for
// CHECK-NOT: call @tensorc_parallel_for
func.func @rows(%x: memref<?x?xf64>, %out: memref<?xf64>, %s: f64, %flag: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %x, %c0 : memref<?x?xf64>
  %m = memref.dim %x, %c1 : memref<?x?xf64>
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    memref.store %s, %out[%i] : memref<?xf64>
    scf.for %j = %c0 to %m step %c1 {
      %v = memref.load %x[%i, %j] : memref<?x?xf64>
      %a = memref.load %out[%i] : memref<?xf64>
      %t = arith.addf %a, %v : f64
      %r = arith.select %flag, %t, %a : f64
      memref.store %r, %out[%i] : memref<?xf64>
    }
    scf.reduce
  }
  return
}

// -----

// Fires on a parallel loop inside a sequential one (the context is allocated once, in the entry
// block); a second loop in the same function gets its own body.
// CHECK-LABEL: func.func @inside_for(
// CHECK-NEXT: llvm.mlir.constant
// CHECK-NEXT: llvm.alloca
// CHECK-NEXT: llvm.mlir.constant
// CHECK-NEXT: llvm.alloca
// CHECK: scf.for
// CHECK: call @tensorc_parallel_for
// CHECK: call @tensorc_parallel_for
// CHECK: func.func private @inside_for_parallel_1(
// CHECK: func.func private @inside_for_parallel_0(
func.func @inside_for(%x: memref<?xf32>, %k: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  %n = memref.dim %x, %c0 : memref<?xf32>
  scf.for %t = %c0 to %k step %c1 {
    scf.parallel (%i) = (%c0) to (%n) step (%c1) {
      %v = memref.load %x[%i] : memref<?xf32>
      %w = arith.addf %v, %one : f32
      memref.store %w, %x[%i] : memref<?xf32>
      scf.reduce
    }
  }
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    memref.store %one, %x[%i] : memref<?xf32>
    scf.reduce
  }
  return
}

// -----

// Must not fire: a loop with a result (an scf.reduce of a value).
// CHECK-LABEL: func.func @with_result(
// CHECK-NOT: tensorc_parallel_for
// CHECK: scf.parallel
// CHECK: scf.reduce(
func.func @with_result(%x: memref<?xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %n = memref.dim %x, %c0 : memref<?xf32>
  %s = scf.parallel (%i) = (%c0) to (%n) step (%c1) init (%zero) -> f32 {
    %v = memref.load %x[%i] : memref<?xf32>
    scf.reduce(%v : f32) {
    ^bb0(%a: f32, %b: f32):
      %r = arith.addf %a, %b : f32
      scf.reduce.return %r : f32
    }
  }
  return %s : f32
}

// -----

// Must not fire: a loop that calls a gemm (the BLAS runs on its own threads); a call of the checks'
// report alone does not stop it (second function).
// CHECK-LABEL: func.func @calls_gemm(
// CHECK-NOT: tensorc_parallel_for
// CHECK: scf.parallel
// CHECK: call @tensorc_gemm_f32
// CHECK-LABEL: func.func @reports(
// CHECK: call @tensorc_parallel_for
func.func private @tensorc_gemm_f32(i64)
func.func private @tensorc_report(i64, i64, i64)
func.func @calls_gemm(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %v = arith.index_cast %i : index to i64
    func.call @tensorc_gemm_f32(%v) : (i64) -> ()
    scf.reduce
  }
  return
}
func.func @reports(%x: memref<?xi64>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : i64
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %v = memref.load %x[%i] : memref<?xi64>
    %bad = arith.cmpi sgt, %v, %c7 : i64
    scf.if %bad {
      func.call @tensorc_report(%c7, %v, %c7) : (i64, i64, i64) -> ()
    }
    scf.reduce
  }
  return
}

// -----

// Must not fire: a loop using a value the context cannot hold (a vector).
// CHECK-LABEL: func.func @vector_value(
// CHECK-NOT: tensorc_parallel_for
// CHECK: scf.parallel
func.func @vector_value(%x: memref<?xvector<4xf32>>, %v: vector<4xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    memref.store %v, %x[%i] : memref<?xvector<4xf32>>
    scf.reduce
  }
  return
}

// -----

// The roots of the captured memrefs are named on the casts that rebuild them (what
// tensorc-math-approx's loop versioning reads): views of one argument share its name, allocations are
// numbered, and a memref of unknown origin (a call's result) gets no name.
// CHECK-LABEL: func.func private @roots_parallel_0
// CHECK-DAG: builtin.unrealized_conversion_cast %{{.*}} : {{.*}} to memref<?xf32> {tensorc.memref_root = "arg0"}
// CHECK-DAG: builtin.unrealized_conversion_cast %{{.*}} : {{.*}} to memref<?xf32, strided<[1], offset: ?>> {tensorc.memref_root = "arg0"}
// CHECK-DAG: builtin.unrealized_conversion_cast %{{.*}} : {{.*}} to memref<?xf32> {tensorc.memref_root = "alloc0"}
// CHECK-DAG: builtin.unrealized_conversion_cast %{{.*}} : {{.*}} to memref<4xf32>{{$}}
// CHECK-NOT: tensorc.memref_root = "alloc1"
func.func private @make() -> memref<4xf32>
func.func @roots(%x: memref<?xf32>, %k: index) -> memref<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  %v = memref.subview %x[%k] [%n] [1] : memref<?xf32> to memref<?xf32, strided<[1], offset: ?>>
  %out = memref.alloc(%n) : memref<?xf32>
  %u = func.call @make() : () -> memref<4xf32>
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %a = memref.load %x[%i] : memref<?xf32>
    %b = memref.load %v[%i] : memref<?xf32, strided<[1], offset: ?>>
    %c = memref.load %u[%c0] : memref<4xf32>
    %s = arith.addf %a, %b : f32
    %t = arith.addf %s, %c : f32
    memref.store %t, %out[%i] : memref<?xf32>
    scf.reduce
  }
  return %out : memref<?xf32>
}
