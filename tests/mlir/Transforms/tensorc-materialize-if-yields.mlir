// tensorc-materialize-if-yields: an scf.if yield that is a view of a buffer allocated inside the if, or
// an scf.while result, is copied into a new tensor, so one-shot-bufferize sees identity layouts in both
// branches (fuzz seed 15868: the bufferized if did not verify). Other yields are left alone.
// RUN: tensorc-opt %s -split-input-file -tensorc-materialize-if-yields | FileCheck %s
// RUN: tensorc-opt %s -split-input-file -tensorc-materialize-if-yields -one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" | FileCheck %s --check-prefix=BUF

// Fires: a slice of a while-loop result computed in the branch, collapsed, beside a placeholder (the
// seed's shape). Without the pass the BUF run fails: the placeholder's memref<2xf64> is yielded uncast.
// CHECK-LABEL: func.func @slice_of_while
// CHECK: scf.if
// CHECK: tensor.empty() : tensor<2xf64>
// CHECK-NEXT: scf.yield
// CHECK: } else {
// CHECK: scf.while
// CHECK: %[[C:.+]] = tensor.collapse_shape
// CHECK: %[[E:.+]] = tensor.empty() : tensor<2xf64>
// CHECK: %[[COPY:.+]] = linalg.copy ins(%[[C]] : tensor<2xf64>) outs(%[[E]] : tensor<2xf64>)
// CHECK: scf.yield %[[COPY]]
// BUF-LABEL: func.func @slice_of_while
// BUF: scf.if {{.*}} -> (memref<2xf64{{.*}}>)
// BUF: linalg.copy ins({{.*}} : memref<2xf64, strided<[2], offset: 1>>) outs({{.*}} : memref<2xf64>)
#map3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @slice_of_while(%t: tensor<?x2x2xf64>, %n: index, %bad: i1) -> tensor<2xf64> {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %r = scf.if %bad -> (tensor<2xf64>) {
    %e = tensor.empty() : tensor<2xf64>
    scf.yield %e : tensor<2xf64>
  } else {
    %x = tensor.empty(%n) : tensor<?x2x2xf64>
    %tt = linalg.copy ins(%t : tensor<?x2x2xf64>) outs(%x : tensor<?x2x2xf64>) -> tensor<?x2x2xf64>
    %41 = arith.ceildivui %n, %c2 : index
    %42 = tensor.empty(%41) : tensor<?x2x2xf64>
    %43:2 = scf.while (%arg1 = %tt, %arg2 = %n) : (tensor<?x2x2xf64>, index) -> (tensor<?x2x2xf64>, index) {
      %44 = arith.cmpi ugt, %arg2, %c1 : index
      scf.condition(%44) %arg1, %arg2 : tensor<?x2x2xf64>, index
    } do {
    ^bb0(%arg1: tensor<?x2x2xf64>, %arg2: index):
      %44 = arith.divui %arg2, %c2 : index
      %45 = arith.subi %arg2, %44 : index
      %extracted_slice_4 = tensor.extract_slice %arg1[0, 0, 0] [%44, 2, 2] [1, 1, 1] : tensor<?x2x2xf64> to tensor<?x2x2xf64>
      %extracted_slice_5 = tensor.extract_slice %arg1[%45, 0, 0] [%44, 2, 2] [1, 1, 1] : tensor<?x2x2xf64> to tensor<?x2x2xf64>
      %extracted_slice_6 = tensor.extract_slice %42[0, 0, 0] [%44, 2, 2] [1, 1, 1] : tensor<?x2x2xf64> to tensor<?x2x2xf64>
      %46 = linalg.generic {indexing_maps = [#map3, #map3, #map3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%extracted_slice_4, %extracted_slice_5 : tensor<?x2x2xf64>, tensor<?x2x2xf64>) outs(%extracted_slice_6 : tensor<?x2x2xf64>) {
      ^bb0(%in: f64, %in_7: f64, %out: f64):
        %47 = arith.addf %in, %in_7 : f64
        linalg.yield %47 : f64
      } -> tensor<?x2x2xf64>
      %inserted_slice = tensor.insert_slice %46 into %arg1[0, 0, 0] [%44, 2, 2] [1, 1, 1] : tensor<?x2x2xf64> into tensor<?x2x2xf64>
      scf.yield %inserted_slice, %45 : tensor<?x2x2xf64>, index
    }
    %s0 = tensor.extract_slice %43#0[0, 0, 0] [1, 2, 2] [1, 1, 1] : tensor<?x2x2xf64> to tensor<2x2xf64>
    %s = tensor.extract_slice %s0[0, 1] [2, 1] [1, 1] : tensor<2x2xf64> to tensor<2x1xf64>
    %c = tensor.collapse_shape %s [[0, 1]] : tensor<2x1xf64> into tensor<2xf64>
    scf.yield %c : tensor<2xf64>
  }
  return %r : tensor<2xf64>
}

// -----

// Fires: a slice of a buffer allocated inside the branch (here a filled tensor).
// CHECK-LABEL: func.func @slice_of_a_branch_allocation
// CHECK: } else {
// CHECK: %[[C:.+]] = tensor.collapse_shape
// CHECK: %[[COPY:.+]] = linalg.copy ins(%[[C]] : tensor<2xf64>)
// CHECK: scf.yield %[[COPY]]
// BUF-LABEL: func.func @slice_of_a_branch_allocation
// BUF: linalg.copy
func.func @slice_of_a_branch_allocation(%bad: i1) -> tensor<2xf64> {
  %cst = arith.constant 0.0 : f64
  %r = scf.if %bad -> (tensor<2xf64>) {
    %e = tensor.empty() : tensor<2xf64>
    scf.yield %e : tensor<2xf64>
  } else {
    %x = tensor.empty() : tensor<2x2xf64>
    %f = linalg.fill ins(%cst : f64) outs(%x : tensor<2x2xf64>) -> tensor<2x2xf64>
    %s = tensor.extract_slice %f[0, 1] [2, 1] [1, 1] : tensor<2x2xf64> to tensor<2x1xf64>
    %c = tensor.collapse_shape %s [[0, 1]] : tensor<2x1xf64> into tensor<2xf64>
    scf.yield %c : tensor<2xf64>
  }
  return %r : tensor<2xf64>
}

// -----

// Fires with dynamic sizes: the copy's tensor.empty takes the value's sizes.
// CHECK-LABEL: func.func @dynamic_while_result
// CHECK: } else {
// CHECK: %[[W:.+]]:2 = scf.while
// CHECK: %[[D:.+]] = tensor.dim %[[W]]#0, %c0
// CHECK: %[[E:.+]] = tensor.empty(%[[D]]) : tensor<?x2xf64>
// CHECK: linalg.copy ins(%[[W]]#0 : tensor<?x2xf64>) outs(%[[E]] : tensor<?x2xf64>)
func.func @dynamic_while_result(%t: tensor<?x2xf64>, %n: index, %bad: i1) -> tensor<?x2xf64> {
  %c1 = arith.constant 1 : index
  %r = scf.if %bad -> (tensor<?x2xf64>) {
    %e = tensor.empty(%n) : tensor<?x2xf64>
    scf.yield %e : tensor<?x2xf64>
  } else {
    %w:2 = scf.while (%a = %t, %k = %n) : (tensor<?x2xf64>, index) -> (tensor<?x2xf64>, index) {
      %more = arith.cmpi ugt, %k, %c1 : index
      scf.condition(%more) %a, %k : tensor<?x2xf64>, index
    } do {
    ^bb0(%a: tensor<?x2xf64>, %k: index):
      scf.yield %a, %c1 : tensor<?x2xf64>, index
    }
    scf.yield %w#0 : tensor<?x2xf64>
  }
  return %r : tensor<?x2xf64>
}

// -----

// Must not fire: slices and reshapes of an argument, the result of a linalg op written into a new
// tensor, an scf.for result whose init is a new tensor, and an if without an else.
// CHECK-LABEL: func.func @known_layouts
// CHECK-NOT: linalg.copy
// CHECK: return
func.func @known_layouts(%x: tensor<4x4xf32>, %bad: i1, %n: index) -> (tensor<4xf32>, tensor<4x4xf32>, tensor<4x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r:3 = scf.if %bad -> (tensor<4xf32>, tensor<4x4xf32>, tensor<4x4xf32>) {
    %e = tensor.empty() : tensor<4xf32>
    %e2 = tensor.empty() : tensor<4x4xf32>
    scf.yield %e, %e2, %e2 : tensor<4xf32>, tensor<4x4xf32>, tensor<4x4xf32>
  } else {
    %s = tensor.extract_slice %x[0, 1] [4, 1] [1, 1] : tensor<4x4xf32> to tensor<4x1xf32>
    %c = tensor.collapse_shape %s [[0, 1]] : tensor<4x1xf32> into tensor<4xf32>
    %e = tensor.empty() : tensor<4x4xf32>
    %t = linalg.transpose ins(%x : tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) permutation = [1, 0]
    %l = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %e) -> (tensor<4x4xf32>) {
      scf.yield %acc : tensor<4x4xf32>
    }
    scf.yield %c, %t, %l : tensor<4xf32>, tensor<4x4xf32>, tensor<4x4xf32>
  }
  scf.if %bad {
    %s = tensor.extract_slice %x[0, 0] [2, 2] [1, 1] : tensor<4x4xf32> to tensor<2x2xf32>
  }
  return %r#0, %r#1, %r#2 : tensor<4xf32>, tensor<4x4xf32>, tensor<4x4xf32>
}

// -----

// Must not fire: a while loop outside the if (its buffer is typed before the if is bufferized).
// CHECK-LABEL: func.func @while_outside
// CHECK-NOT: linalg.copy
// CHECK: return
func.func @while_outside(%t: tensor<?x2xf64>, %n: index, %bad: i1) -> tensor<?x2xf64> {
  %c1 = arith.constant 1 : index
  %w:2 = scf.while (%a = %t, %k = %n) : (tensor<?x2xf64>, index) -> (tensor<?x2xf64>, index) {
    %more = arith.cmpi ugt, %k, %c1 : index
    scf.condition(%more) %a, %k : tensor<?x2xf64>, index
  } do {
  ^bb0(%a: tensor<?x2xf64>, %k: index):
    scf.yield %a, %c1 : tensor<?x2xf64>, index
  }
  %r = scf.if %bad -> (tensor<?x2xf64>) {
    %e = tensor.empty(%n) : tensor<?x2xf64>
    scf.yield %e : tensor<?x2xf64>
  } else {
    scf.yield %w#0 : tensor<?x2xf64>
  }
  return %r : tensor<?x2xf64>
}
