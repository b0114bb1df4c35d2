// tensorc-fuse-rows: a consumer of row reductions is tiled by rows and its producers fused into the tiles.
// RUN: tensorc-opt %s -split-input-file -tensorc-lower-to-linalg -canonicalize -tensorc-fuse -tensorc-fuse-rows | FileCheck %s
// RUN: tensorc-opt %s -split-input-file -tensorc-lower-to-linalg -canonicalize -tensorc-fuse -tensorc-fuse-rows='rows=4' | FileCheck %s --check-prefix=ROWS4
// Without fusion (FAST_COMPILE) the pipeline still blocks the float sums, and tiles nothing:
// RUN: tensorc-opt %s -split-input-file -tensorc-lower-to-linalg -canonicalize -tensorc-fuse-rows='sums-only=true' | FileCheck %s --check-prefix=SUMS
// With BLAS matmuls (the pipelines' blas=true), a block that computes a matmul has gemm-rows rows,
// and matmuls are not blocked along k:
// RUN: tensorc-opt %s -split-input-file -tensorc-lower-to-linalg -canonicalize -tensorc-fuse -tensorc-fuse-rows='blas-matmuls=true' | FileCheck %s --check-prefix=BLAS

// The row blocks are an scf.forall (independent iterations: tensorc-parallelize-loops runs them on
// the thread pool once they are bufferized).
// CHECK-LABEL: func.func @softmax
// CHECK: scf.forall (%{{.+}}) = (0) to (%{{.+}}) step (8) shared_outs
// CHECK: tensor.extract_slice
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK: scf.forall.in_parallel
// CHECK-NEXT: tensor.parallel_insert_slice
// ROWS4-LABEL: func.func @softmax
// ROWS4: scf.forall {{.*}} step (4)
// SUMS-LABEL: func.func @softmax
// SUMS-NOT: scf.forall
// SUMS: return
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

// Must not fire: a reduction result that is itself the output (nothing row-parallel consumes it). The
// sum is blocked (see @blocked_sum), but no loop of 8 rows is made.
// CHECK-LABEL: func.func @plain_sum
// CHECK-NOT: arith.constant 8 : index
// CHECK: return
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
// CHECK: scf.forall (%{{.+}}) = (0) to (1) step (8)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK: tensor.parallel_insert_slice
// CHECK: scf.forall (%{{.+}}) = (0) to (%{{.+}}) step (8)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK: tensor.parallel_insert_slice
func.func @softmax_one(%x: tensor<1x?xf32>, %y: tensor<?x1xf32>) -> (tensor<1x?xf32>, tensor<?x1xf32>) {
  %0 = tensorc.softmax %x axis = 1 : tensor<1x?xf32> -> tensor<1x?xf32>
  %1 = tensorc.softmax %y axis = 1 : tensor<?x1xf32> -> tensor<?x1xf32>
  return %0, %1 : tensor<1x?xf32>, tensor<?x1xf32>
}

// -----

// Blocked float sums: a float64 sum is a loop over blocks of at most 1024 elements (each a copy of
// the sum, from 0, into a slot of the partial sums), then a pairwise tree over the partials
// (scf.while: fold in half); the result is partials[0] (the init is the sum's identity). A sum of
// at most 1024 elements is one block, and the tree does nothing.
// CHECK-LABEL: func.func @blocked_sum
// CHECK-DAG: %[[B:.+]] = arith.constant 1024 : index
// CHECK: arith.minui %{{.+}}, %[[B]] : index
// CHECK: %[[P:.+]] = scf.for {{.*}} -> (tensor<?xf64>)
// CHECK: tensor.extract_slice %arg0
// CHECK: linalg.fill
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction"]
// CHECK: arith.addf {{.*}} fastmath<reassoc,contract> : f64
// CHECK: tensor.insert_slice
// CHECK: %[[T:.+]]:2 = scf.while ({{.*}} = %[[P]]
// CHECK: arith.divui
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel"]
// CHECK: tensor.insert_slice
// CHECK: %[[R:.+]] = tensor.extract_slice %[[T]]#0[0] [1] [1] : tensor<?xf64> to tensor<f64>
// CHECK: return %[[R]]
// SUMS-LABEL: func.func @blocked_sum
// SUMS: scf.for
// SUMS: scf.while
func.func @blocked_sum(%x: tensor<?xf64>) -> tensor<f64> {
  %0 = tensorc.reduce_sum %x axes = [0] : tensor<?xf64> -> tensor<f64>
  return %0 : tensor<f64>
}

// -----

// The float32 sum of exp in logsumexp stays float32 inside a block (exp at full vector width); the
// partial sums and the tree are float64, rounded once at the end.
// CHECK-LABEL: func.func @blocked_f32_exp
// CHECK: tensor.empty(%{{.+}}) : tensor<?xf64>
// CHECK: scf.for
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction"]
// CHECK: math.exp
// CHECK: arith.addf {{.*}} : f32
// CHECK: arith.extf {{.*}} : f32 to f64
// CHECK: scf.while
// CHECK: arith.truncf {{.*}} : f64 to f32
func.func @blocked_f32_exp(%x: tensor<?xf32>) -> tensor<f32> {
  %0 = tensorc.logsumexp %x axes = [0] : tensor<?xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// A sum along rows: the row loop (the parallel loop outside the reduction loop) goes one row at a
// time when there are several blocks (all rows in one step otherwise), outside the blocks; a sum
// along columns takes blocks of rows. The partials are [blocks, result shape], and the tree adds
// rows of them.
// CHECK-LABEL: func.func @blocked_axes
// CHECK: %[[STEP:.+]] = arith.select %{{.+}}, %{{.+}}, %{{.+}} : index
// CHECK: scf.for %[[ROW:.+]] = %{{.+}} to %{{.+}} step %[[STEP]] {{.*}} -> (tensor<?x?xf64>)
// CHECK-NEXT: scf.for
// CHECK: tensor.extract_slice %arg0[%[[ROW]], %{{.+}}] [%{{.+}}, %{{.+}}] [1, 1] : tensor<?x?xf64> to tensor<?x?xf64>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: scf.while
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK: scf.for %[[R0:.+]] = %{{.+}} to %{{.+}} step %{{.+}} -> (tensor<?x?xf64>)
// CHECK: tensor.extract_slice %arg0[%[[R0]], 0] [%{{.+}}, %{{.+}}] [1, 1] : tensor<?x?xf64> to tensor<?x?xf64>
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
// CHECK: scf.while
func.func @blocked_axes(%x: tensor<?x?xf64>) -> (tensor<?xf64>, tensor<?xf64>) {
  %0 = tensorc.reduce_sum %x axes = [1] : tensor<?x?xf64> -> tensor<?xf64>
  %1 = tensorc.reduce_sum %x axes = [0] : tensor<?x?xf64> -> tensor<?xf64>
  return %0, %1 : tensor<?xf64>, tensor<?xf64>
}

// -----

// Must not block: a static sum of at most 1024 elements, an integer sum, a max, a prod, and a float32
// reduce_sum, which accumulates in float64 (arith.extf in the body: accurate without blocks).
// CHECK-LABEL: func.func @not_blocked
// CHECK-NOT: scf.for
// CHECK-NOT: scf.while
// CHECK: arith.extf {{.*}} : f32 to f64
// CHECK-NOT: scf.for
// CHECK-NOT: scf.while
// CHECK: return
func.func @not_blocked(%x: tensor<8x1024xf64>, %i: tensor<?xi64>, %y: tensor<?xf64>, %z: tensor<?xf32>) -> (tensor<8xf64>, tensor<i64>, tensor<f64>, tensor<f64>, tensor<f32>) {
  %0 = tensorc.reduce_sum %x axes = [1] : tensor<8x1024xf64> -> tensor<8xf64>
  %1 = tensorc.reduce_sum %i axes = [0] : tensor<?xi64> -> tensor<i64>
  %2 = tensorc.reduce_max %y axes = [0] : tensor<?xf64> -> tensor<f64>
  %3 = tensorc.reduce_prod %y axes = [0] : tensor<?xf64> -> tensor<f64>
  %4 = tensorc.reduce_sum %z axes = [0] : tensor<?xf32> -> tensor<f32>
  return %0, %1, %2, %3, %4 : tensor<8xf64>, tensor<i64>, tensor<f64>, tensor<f64>, tensor<f32>
}

// -----

// A static sum of more than 1024 elements is blocked.
// CHECK-LABEL: func.func @static_long
// CHECK: scf.for
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction"]
func.func @static_long(%x: tensor<1025xf64>) -> tensor<f64> {
  %0 = tensorc.reduce_sum %x axes = [0] : tensor<1025xf64> -> tensor<f64>
  return %0 : tensor<f64>
}

// -----

// Must not fuse the column reductions of a softmax over axis 0 into the row tiles: each tile would
// need all rows of them, and would recompute both in every block (fuzz seed 6024 ran in n^2 time).
// The reductions run once, before the tiled normalization.
// CHECK-LABEL: func.func @softmax_over_rows
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
// CHECK: scf.forall {{.*}} step (8)
// CHECK-NOT: "reduction"
// CHECK: scf.forall.in_parallel
func.func @softmax_over_rows(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = tensorc.softmax %x axis = 0 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// A matmul's elementwise epilogue is tiled by rows with the matmul fused into each block, so the block
// is computed and then activated while it is in cache. Without BLAS the matmul's k loop is blocked
// for accuracy (an scf.while tree); with BLAS (gemm blocks k itself) it is not, and each block has
// 256 rows (one gemm call packs the whole rhs).
// CHECK-LABEL: func.func @matmul_epilogue
// CHECK: scf.forall {{.*}} step (8)
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "parallel"]
// CHECK: scf.while
// BLAS-LABEL: func.func @matmul_epilogue
// BLAS-NOT: scf.while
// BLAS: scf.forall {{.*}} step (256)
// BLAS: linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "parallel"]
// BLAS-SAME: tensorc.gemm
// BLAS: math.tanh
// BLAS-NOT: scf.while
// BLAS: return
func.func @matmul_epilogue(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %m = tensorc.matmul %a, %b : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  %t = tensorc.tanh %m : tensor<?x?xf32> -> tensor<?x?xf32>
  return %t : tensor<?x?xf32>
}
