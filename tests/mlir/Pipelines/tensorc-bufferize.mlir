// tensorc-bufferize: linalg on tensors (the `optimized` stage, what tensorc-to-linalg leaves) -> loops on
// memrefs. Function arguments are inputs the caller owns (bufferization.writable = false): they are
// read, sliced as views, copied from, never written; every result is a buffer of its own (memref.alloc,
// identity layout); temporaries are deallocated; linalg ops become loops: scf.parallel over their parallel dims (what
// tensorc-to-llvm runs on the thread pool), scf.for over reduction dims.
// RUN: tensorc-opt %s -split-input-file -tensorc-bufferize | FileCheck %s
// No tensor and no linalg is left anywhere in the output:
// RUN: tensorc-opt %s -split-input-file -tensorc-bufferize | FileCheck %s --check-prefix=NO-TENSOR
// NO-TENSOR-NOT: tensor<
// NO-TENSOR-NOT: {{(^ *|= )(tensor|linalg|bufferization)\.}}

// An elementwise op on inputs: the result is allocated, the loop reads the inputs and writes the result.
// CHECK-LABEL: func.func @add_exp
// CHECK-SAME: (%[[X:.+]]: memref<?xf32>, %[[Y:.+]]: memref<?xf32>) -> memref<?xf32>
// CHECK: %[[R:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<?xf32>
// CHECK: scf.parallel (%[[I:.*]]) =
// CHECK-DAG: memref.load %[[X]][%[[I]]]
// CHECK-DAG: memref.load %[[Y]][%[[I]]]
// CHECK: math.exp
// CHECK: memref.store %{{.*}}, %[[R]][%[[I]]]
// CHECK: return %[[R]] : memref<?xf32>
#map = affine_map<(d0) -> (d0)>
func.func @add_exp(%x: tensor<?xf32> {bufferization.writable = false}, %y: tensor<?xf32> {bufferization.writable = false}) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %e = tensor.empty(%n) : tensor<?xf32>
  %r = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel"]} ins(%x, %y : tensor<?xf32>, tensor<?xf32>) outs(%e : tensor<?xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %t = math.exp %s : f32
    linalg.yield %t : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// Must not write into an input, even where the op's init operand is one (one-shot bufferization
// would update it in place if it were writable): the input is copied into a new buffer, which the
// loop updates and the function returns.
// CHECK-LABEL: func.func @outs_is_an_input
// CHECK-SAME: (%[[X:.+]]: memref<?xf32>, %[[Y:.+]]: memref<?xf32>)
// CHECK-NOT: memref.store %{{.*}}, %[[X]]
// CHECK-NOT: memref.copy %{{.*}}, %[[X]]
// CHECK: %[[R:.*]] = memref.alloc
// CHECK: memref.copy %[[X]], %[[R]]
// CHECK: scf.parallel
// CHECK-NOT: memref.store %{{.*}}, %[[X]]
// CHECK: memref.store %{{.*}}, %[[R]]
// CHECK-NOT: memref.store %{{.*}}, %[[X]]
// CHECK: return %[[R]]
#map = affine_map<(d0) -> (d0)>
func.func @outs_is_an_input(%x: tensor<?xf32> {bufferization.writable = false}, %y: tensor<?xf32> {bufferization.writable = false}) -> tensor<?xf32> {
  %r = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%y : tensor<?xf32>) outs(%x : tensor<?xf32>) {
  ^bb0(%b: f32, %o: f32):
    %s = arith.addf %b, %o : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// A temporary (x * x, consumed by the sum) is deallocated; the results are not. A slice of an input is
// a view (memref.subview, no copy of the whole input), copied into a buffer of its own because it is
// returned: the caller must never get a view of its own input.
// CHECK-LABEL: func.func @temp_and_slice
// CHECK-SAME: (%[[X:.+]]: memref<?xf64>) -> (memref<f64>, memref<?xf64>)
// CHECK: %[[SQ:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<?xf64>
// CHECK: scf.parallel
// CHECK: memref.store %{{.*}}, %[[SQ]]
// CHECK: %[[SUM:.*]] = memref.alloc() {{.*}} : memref<f64>
// CHECK: scf.for
// CHECK: memref.load %[[SQ]]
// CHECK: memref.store %{{.*}}, %[[SUM]][]
// CHECK: %[[V:.*]] = memref.subview %[[X]][1] [%{{.*}}] [1]
// CHECK: %[[TAIL:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<?xf64>
// CHECK: memref.copy %[[V]], %[[TAIL]]
// CHECK-NOT: memref.dealloc %[[SUM]]
// CHECK-NOT: memref.dealloc %[[TAIL]]
// CHECK: memref.dealloc %[[SQ]]
// CHECK-NOT: memref.dealloc
// CHECK: return %[[SUM]], %[[TAIL]] : memref<f64>, memref<?xf64>
#map = affine_map<(d0) -> (d0)>
#map1 = affine_map<(d0) -> ()>
func.func @temp_and_slice(%x: tensor<?xf64> {bufferization.writable = false}) -> (tensor<f64>, tensor<?xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 0.0 : f64
  %n = tensor.dim %x, %c0 : tensor<?xf64>
  %e = tensor.empty(%n) : tensor<?xf64>
  %sq = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%x : tensor<?xf64>) outs(%e : tensor<?xf64>) {
  ^bb0(%a: f64, %o: f64):
    %m = arith.mulf %a, %a : f64
    linalg.yield %m : f64
  } -> tensor<?xf64>
  %z = tensor.empty() : tensor<f64>
  %f = linalg.fill ins(%cst : f64) outs(%z : tensor<f64>) -> tensor<f64>
  %sum = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["reduction"]} ins(%sq : tensor<?xf64>) outs(%f : tensor<f64>) {
  ^bb0(%a: f64, %o: f64):
    %s = arith.addf %a, %o : f64
    linalg.yield %s : f64
  } -> tensor<f64>
  %m = arith.subi %n, %c1 : index
  %tail = tensor.extract_slice %x[1] [%m] [1] : tensor<?xf64> to tensor<?xf64>
  return %sum, %tail : tensor<f64>, tensor<?xf64>
}
