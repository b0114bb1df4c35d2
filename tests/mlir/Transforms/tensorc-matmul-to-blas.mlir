// tensorc-matmul-to-blas: bufferized matmuls marked tensorc.gemm become calls of the runtime's gemm,
// one per batch element, with each operand's pointer, offset and m/k/n strides as they are at run time.
// RUN: tensorc-opt %s -split-input-file -tensorc-matmul-to-blas -canonicalize | FileCheck %s

#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
// Fires on a 2-D matmul; the zero fill of the result before it is dropped (gemm writes every element).
// CHECK: func.func private @tensorc_gemm_f32(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)
// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME: (%[[A:.+]]: memref<?x?xf32, strided<[?, ?], offset: ?>>, %[[B:.+]]: memref<?x?xf32>, %[[C:.+]]: memref<?x?xf32>)
// CHECK-NOT: linalg.fill
// CHECK-DAG: %[[MA:.+]], %[[OA:.+]], %[[SA:.+]]:2, %[[TA:.+]]:2 = memref.extract_strided_metadata %[[A]]
// CHECK-DAG: %[[PA:.+]] = memref.extract_aligned_pointer_as_index %[[A]]
// CHECK-DAG: %[[MB:.+]], %[[OB:.+]], %[[SB:.+]]:2, %[[TB:.+]]:2 = memref.extract_strided_metadata %[[B]]
// CHECK-DAG: %[[M:.+]] = memref.dim %[[C]], %c0
// CHECK-DAG: %[[N:.+]] = memref.dim %[[C]], %c1
// CHECK-DAG: %[[K:.+]] = memref.dim %[[A]], %c1
// CHECK-DAG: %[[M64:.+]] = arith.index_cast %[[M]] : index to i64
// CHECK-DAG: %[[AM:.+]] = arith.index_cast %[[TA]]#0 : index to i64
// CHECK-DAG: %[[AK:.+]] = arith.index_cast %[[TA]]#1 : index to i64
// CHECK: call @tensorc_gemm_f32(%[[M64]], %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %[[AM]], %[[AK]],
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @matmul_2d(%a: memref<?x?xf32, strided<[?, ?], offset: ?>>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<?x?xf32>)
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
      attrs = {tensorc.gemm} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#a = affine_map<(b, m, k, n) -> (b, m, k)>
#b = affine_map<(b, m, k, n) -> (k, n)>
#c = affine_map<(b, m, k, n) -> (b, m, n)>
// Fires on a batched matmul whose rhs is shared by every batch element: a loop over the batch around
// one float64 gemm, the lhs and result offsets advanced by their batch strides, the rhs's not (its
// offset stays the static 0 of its identity layout).
// CHECK-LABEL: func.func @batched_broadcast_rhs
// CHECK-SAME: (%[[A:.+]]: memref<?x?x?xf64>, %[[B:.+]]: memref<?x?xf64>, %[[C:.+]]: memref<?x?x?xf64>)
// CHECK-DAG: %[[MA:.+]], %[[OA:.+]], %[[SA:.+]]:3, %[[TA:.+]]:3 = memref.extract_strided_metadata %[[A]]
// CHECK-DAG: %[[MB:.+]], %[[OB:.+]], %[[SB:.+]]:2, %[[TB:.+]]:2 = memref.extract_strided_metadata %[[B]]
// CHECK-DAG: %[[BATCH:.+]] = memref.dim %[[C]], %c0
// CHECK: scf.for %[[I:.+]] = %c0 to %[[BATCH]] step %c1 {
// CHECK: %[[STEP:.+]] = arith.muli %[[I]], %[[TA]]#0
// CHECK: %[[OA64:.+]] = arith.index_cast %[[STEP]] : index to i64
// CHECK: call @tensorc_gemm_f64(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %[[OA64]], %{{.+}}, %{{.+}}, %{{.+}}, %c0_i64,
// CHECK-NOT: linalg.generic
func.func @batched_broadcast_rhs(%a: memref<?x?x?xf64>, %b: memref<?x?xf64>, %c: memref<?x?x?xf64>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<?x?x?xf64>, memref<?x?xf64>) outs(%c : memref<?x?x?xf64>) attrs = {tensorc.gemm} {
  ^bb0(%x: f64, %y: f64, %acc: f64):
    %p = arith.mulf %x, %y : f64
    %s = arith.addf %acc, %p : f64
    linalg.yield %s : f64
  }
  return
}

// -----

#v = affine_map<(k) -> (k)>
#s = affine_map<(k) -> ()>
// Fires on v @ v, whose two operands canonicalization merged into one input: m = n = 1, and the one
// operand gives both strides.
// CHECK-LABEL: func.func @vector_dot_itself
// CHECK: %[[C1:.+]] = arith.constant 1 : i64
// CHECK: call @tensorc_gemm_f32(%[[C1]], %[[C1]],
func.func @vector_dot_itself(%v: memref<?xf32>, %c: memref<f32>) {
  linalg.generic {indexing_maps = [#v, #s], iterator_types = ["reduction"]}
      ins(%v : memref<?xf32>) outs(%c : memref<f32>) attrs = {tensorc.gemm} {
  ^bb0(%x: f32, %acc: f32):
    %p = arith.mulf %x, %x : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
// Must not fire: a matmul without the mark (an integer one, say), and a marked one still on tensors.
// CHECK-LABEL: func.func @unmarked_and_tensors
// CHECK-NOT: call
// CHECK-COUNT-2: linalg.generic
func.func @unmarked_and_tensors(%a: memref<?x?xi32>, %b: memref<?x?xi32>, %c: memref<?x?xi32>,
                                %t: tensor<?x?xf32>, %u: tensor<?x?xf32>) -> tensor<?x?xf32> {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<?x?xi32>, memref<?x?xi32>) outs(%c : memref<?x?xi32>) {
  ^bb0(%x: i32, %y: i32, %acc: i32):
    %p = arith.muli %x, %y : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%t, %u : tensor<?x?xf32>, tensor<?x?xf32>) outs(%t : tensor<?x?xf32>) attrs = {tensorc.gemm} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

#at = affine_map<(m, k, n) -> (k, m)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
// Fires on a.T @ b as tensorc-fuse leaves it (the transpose folded into the lhs map): k's range is the
// lhs dim that k indexes (dim 0 here), and the lhs strides passed for m and k are its dim 1 and dim 0
// strides, a column-major operand that BLAS takes as transposed.
// CHECK-LABEL: func.func @transposed_lhs
// CHECK-SAME: (%[[A:.+]]: memref<?x?xf32>, %[[B:.+]]: memref<?x?xf32>, %[[C:.+]]: memref<?x?xf32>)
// CHECK-DAG: %[[MA:.+]], %[[OA:.+]], %[[SA:.+]]:2, %[[TA:.+]]:2 = memref.extract_strided_metadata %[[A]]
// CHECK-DAG: %[[K:.+]] = memref.dim %[[A]], %c0
// CHECK-DAG: %[[K64:.+]] = arith.index_cast %[[K]] : index to i64
// CHECK-DAG: %[[AM:.+]] = arith.index_cast %[[TA]]#0 : index to i64
// CHECK: call @tensorc_gemm_f32(%{{.+}}, %{{.+}}, %[[K64]], %{{.+}}, %{{.+}}, %c1_i64, %[[AM]],
// CHECK-NOT: linalg.generic
func.func @transposed_lhs(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  linalg.generic {indexing_maps = [#at, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>) attrs = {tensorc.gemm} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
