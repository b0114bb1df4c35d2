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

// -----

// Must not tile: statically empty dims (the runtime specializes size-1 input dims to static 1, after
// which slices such as x[1:] are static 0). Upstream tiling asserts on a loop of static size 0
// ("expected as many ivs as non-zero sizes"), which aborted the process; an empty loop nest needs no
// tiling. This is std(x[-3:2:-1, 5::2, 3::2], axis=3) of a 1x1x1x1 input.
// CHECK-LABEL: func.func @statically_empty
// CHECK-NOT: scf.for
// CHECK: return
func.func @statically_empty(%x: tensor<1x1x1x1xf64>) -> tensor<0x0x0xf64> {
  %0 = tensorc.slice %x starts = [-3, 5, 3, 0] stops = [2, 9223372036854775807, 9223372036854775807, 9223372036854775807] steps = [-1, 2, 2, 1] : tensor<1x1x1x1xf64> -> tensor<0x0x0x1xf64>
  %1 = tensorc.reduce_mean %0 axes = [3] {keepdims = true} : tensor<0x0x0x1xf64> -> tensor<0x0x0x1xf64>
  %2 = tensorc.sub %0, %1 : tensor<0x0x0x1xf64>, tensor<0x0x0x1xf64> -> tensor<0x0x0x1xf64>
  %3 = tensorc.mul %2, %2 : tensor<0x0x0x1xf64>, tensor<0x0x0x1xf64> -> tensor<0x0x0x1xf64>
  %4 = tensorc.reduce_mean %3 axes = [3] : tensor<0x0x0x1xf64> -> tensor<0x0x0xf64>
  %5 = tensorc.sqrt %4 : tensor<0x0x0xf64> -> tensor<0x0x0xf64>
  return %5 : tensor<0x0x0xf64>
}

// -----

// Must not tile: softmax over rows of a 0x5 and of a 3x0 tensor (static zero rows, static zero
// columns).
// CHECK-LABEL: func.func @softmax_empty
// CHECK-NOT: scf.for
// CHECK: return
func.func @softmax_empty(%x: tensor<0x5xf32>, %y: tensor<3x0xf32>) -> (tensor<0x5xf32>, tensor<3x0xf32>) {
  %0 = tensorc.softmax %x axis = 1 : tensor<0x5xf32> -> tensor<0x5xf32>
  %1 = tensorc.log_softmax %y axis = 1 : tensor<3x0xf32> -> tensor<3x0xf32>
  return %0, %1 : tensor<0x5xf32>, tensor<3x0xf32>
}

// -----

// Fires with a static 1 row (one tile) and with statically 1 column.
// CHECK-LABEL: func.func @softmax_one
// CHECK: scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}}
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK: tensor.insert_slice
// CHECK: scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}}
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK: tensor.insert_slice
func.func @softmax_one(%x: tensor<1x?xf32>, %y: tensor<?x1xf32>) -> (tensor<1x?xf32>, tensor<?x1xf32>) {
  %0 = tensorc.softmax %x axis = 1 : tensor<1x?xf32> -> tensor<1x?xf32>
  %1 = tensorc.softmax %y axis = 1 : tensor<?x1xf32> -> tensor<?x1xf32>
  return %0, %1 : tensor<1x?xf32>, tensor<?x1xf32>
}
