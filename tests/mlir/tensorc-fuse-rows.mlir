// tensorc-fuse-rows: a consumer of row reductions is tiled by rows and its producers fused into the tiles.
// RUN: tensorc-opt %s -split-input-file -tensorc-lower-to-linalg -canonicalize -tensorc-fuse -tensorc-fuse-rows | FileCheck %s
// RUN: tensorc-opt %s -split-input-file -tensorc-lower-to-linalg -canonicalize -tensorc-fuse -tensorc-fuse-rows='rows=4' | FileCheck %s --check-prefix=ROWS4

// CHECK-LABEL: func.func @softmax
// CHECK: %[[C8:.+]] = arith.constant 8 : index
// CHECK: scf.for %{{.+}} = %{{.+}} to %{{.+}} step %[[C8]]
// CHECK: tensor.extract_slice
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK: tensor.insert_slice
// CHECK: scf.yield
// ROWS4-LABEL: func.func @softmax
// ROWS4: arith.constant 4 : index
func.func @softmax(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = tensorc.softmax %x axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Must not fire: a purely elementwise loop nest has no reduction to bring into the tile.
// CHECK-LABEL: func.func @elementwise_only
// CHECK-NOT: scf.for
// CHECK: linalg.generic
func.func @elementwise_only(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = tensorc.exp %x : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.tanh %0 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %1 : tensor<?x?xf32>
}

// -----

// Must not fire: a reduction result that is itself the output (nothing row-parallel consumes it).
// CHECK-LABEL: func.func @plain_sum
// CHECK-NOT: scf.for
func.func @plain_sum(%x: tensor<?x?xf32>) -> tensor<?xf32> {
  %0 = tensorc.reduce_sum %x axes = [1] : tensor<?x?xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}
