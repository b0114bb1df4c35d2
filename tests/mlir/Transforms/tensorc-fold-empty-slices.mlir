// tensorc-fold-empty-slices: a slice with a static 0 in its shape holds no data and becomes
// tensor.empty (bufferized, its subview into a size-0 dimension would not verify; fuzzer seed 10190).
// RUN: tensorc-opt %s -split-input-file -tensorc-fold-empty-slices | FileCheck %s

// Fires: no columns, rows dynamic.
// CHECK-LABEL: func.func @no_columns
// CHECK-SAME: (%[[X:.+]]: tensor<?x?xf32>, %[[I:.+]]: index, %[[N:.+]]: index)
// CHECK-NOT: tensor.extract_slice
// CHECK: %[[E:.+]] = tensor.empty(%[[N]]) : tensor<?x0xf32>
// CHECK: return %[[E]]
func.func @no_columns(%x: tensor<?x?xf32>, %i: index, %n: index) -> tensor<?x0xf32> {
  %s = tensor.extract_slice %x[%i, 0] [%n, 0] [1, 1] : tensor<?x?xf32> to tensor<?x0xf32>
  return %s : tensor<?x0xf32>
}

// -----

// Fires on a rank-reducing slice too.
// CHECK-LABEL: func.func @rank_reducing
// CHECK: tensor.empty() : tensor<0xf32>
func.func @rank_reducing(%x: tensor<4x?xf32>) -> tensor<0xf32> {
  %s = tensor.extract_slice %x[1, 0] [1, 0] [1, 1] : tensor<4x?xf32> to tensor<0xf32>
  return %s : tensor<0xf32>
}

// -----

// Must not fire: the slice may hold elements.
// CHECK-LABEL: func.func @maybe_elements
// CHECK: tensor.extract_slice
// CHECK-NOT: tensor.empty
func.func @maybe_elements(%x: tensor<?x?xf32>, %n: index) -> tensor<?x1xf32> {
  %s = tensor.extract_slice %x[0, 0] [%n, 1] [1, 1] : tensor<?x?xf32> to tensor<?x1xf32>
  return %s : tensor<?x1xf32>
}
