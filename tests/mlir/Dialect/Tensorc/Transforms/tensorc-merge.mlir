// tensorc-merge: identical subexpressions are computed once; dead ones disappear.
// RUN: tensorc-opt %s -split-input-file -tensorc-merge | FileCheck %s
// After canonicalization (operands in canonical order) b*a and a*b are identical too:
// RUN: tensorc-opt %s -split-input-file -tensorc-canonicalize -tensorc-merge | FileCheck %s --check-prefix=CANON

// CHECK-LABEL: func.func @merge
// CHECK-COUNT-1: tensorc.exp
// CHECK-NOT: tensorc.exp
// CHECK-NOT: tensorc.tanh
// CHECK: tensorc.add
func.func @merge(%x: tensor<?xf32>) -> tensor<?xf32> {
  %0 = tensorc.exp %x : tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.exp %x : tensor<?xf32> -> tensor<?xf32>
  %dead = tensorc.tanh %x : tensor<?xf32> -> tensor<?xf32>
  %2 = tensorc.add %0, %1 : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  return %2 : tensor<?xf32>
}

// -----

// Must not merge ops that differ in an attribute.
// CHECK-LABEL: func.func @different_axes
// CHECK-COUNT-2: tensorc.reduce_sum
func.func @different_axes(%x: tensor<?x?xf32>) -> (tensor<?xf32>, tensor<?xf32>) {
  %0 = tensorc.reduce_sum %x axes = [0] : tensor<?x?xf32> -> tensor<?xf32>
  %1 = tensorc.reduce_sum %x axes = [1] : tensor<?x?xf32> -> tensor<?xf32>
  return %0, %1 : tensor<?xf32>, tensor<?xf32>
}

// -----

// MLIR's CSE already treats the operands of commutative ops as unordered.
// CHECK-LABEL: func.func @commuted
// CHECK-COUNT-1: tensorc.mul
// CHECK-NOT: tensorc.mul
// CANON-LABEL: func.func @commuted
// CANON-COUNT-1: tensorc.mul
// CANON-NOT: tensorc.mul
func.func @commuted(%a: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?xf32> {
  %0 = tensorc.mul %b, %a : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.mul %a, %b : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  %2 = tensorc.sub %0, %1 : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  return %2 : tensor<?xf32>
}
