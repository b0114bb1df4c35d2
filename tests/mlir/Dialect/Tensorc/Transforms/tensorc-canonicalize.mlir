// tensorc-canonicalize: algebraic identities, canonical operand order, constant folding.
// RUN: tensorc-opt %s -split-input-file -tensorc-canonicalize | FileCheck %s
// RUN: tensorc-opt %s -split-input-file -tensorc-canonicalize='disable-patterns=add-zero' | FileCheck %s --check-prefix=DISABLED

// CHECK-LABEL: func.func @identities
// CHECK-SAME: (%[[X:.+]]: tensor<?xf32>)
// CHECK-NOT: tensorc.
// CHECK: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]]
// DISABLED-LABEL: func.func @identities
// DISABLED: tensorc.add
func.func @identities(%x: tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>) {
  %zero = tensorc.constant dense<0.0> : tensor<1xf32>
  %one = tensorc.constant dense<1.0> : tensor<1xf32>
  %a = tensorc.add %zero, %x : tensor<1xf32>, tensor<?xf32> -> tensor<?xf32>
  %m = tensorc.mul %x, %one : tensor<?xf32>, tensor<1xf32> -> tensor<?xf32>
  %n0 = tensorc.neg %x : tensor<?xf32> -> tensor<?xf32>
  %n1 = tensorc.neg %n0 : tensor<?xf32> -> tensor<?xf32>
  %e = tensorc.exp %x : tensor<?xf32> -> tensor<?xf32>
  %l = tensorc.log %e : tensor<?xf32> -> tensor<?xf32>
  %d = tensorc.div %x, %one : tensor<?xf32>, tensor<1xf32> -> tensor<?xf32>
  return %a, %m, %n1, %l, %d : tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>
}

// -----

// Must not fire: adding a zero that broadcasts x to a bigger shape changes the result's shape.
// CHECK-LABEL: func.func @broadcasting_zero
// CHECK: tensorc.add
func.func @broadcasting_zero(%x: tensor<?x1xf32>) -> tensor<?x3xf32> {
  %zero = tensorc.constant dense<0.0> : tensor<1x3xf32>
  %a = tensorc.add %x, %zero : tensor<?x1xf32>, tensor<1x3xf32> -> tensor<?x3xf32>
  return %a : tensor<?x3xf32>
}

// -----

// exp(log(x)) == x only where x >= 0 is known (here: x = exp(y)); not for an arbitrary x.
// CHECK-LABEL: func.func @exp_log
// CHECK-SAME: (%[[Y:.+]]: tensor<?xf64>)
// CHECK: %[[E:.+]] = tensorc.exp %[[Y]]
// CHECK: %[[L2:.+]] = tensorc.log %[[Y]]
// CHECK: %[[E2:.+]] = tensorc.exp %[[L2]]
// CHECK: return %[[E]], %[[E2]]
func.func @exp_log(%y: tensor<?xf64>) -> (tensor<?xf64>, tensor<?xf64>) {
  %e = tensorc.exp %y : tensor<?xf64> -> tensor<?xf64>
  %l = tensorc.log %e : tensor<?xf64> -> tensor<?xf64>
  %e1 = tensorc.exp %l : tensor<?xf64> -> tensor<?xf64>
  %l2 = tensorc.log %y : tensor<?xf64> -> tensor<?xf64>
  %e2 = tensorc.exp %l2 : tensor<?xf64> -> tensor<?xf64>
  return %e1, %e2 : tensor<?xf64>, tensor<?xf64>
}

// -----

// Commutative operands take one order, so b*a and a*b are the same expression for tensorc-merge.
// CHECK-LABEL: func.func @commutative
// CHECK-SAME: (%[[A:.+]]: tensor<?xf32>, %[[B:.+]]: tensor<?xf32>)
// CHECK: tensorc.mul %[[A]], %[[B]]
// CHECK: tensorc.mul %[[A]], %[[B]]
// Non-commutative ops keep their order.
// CHECK: tensorc.sub %[[B]], %[[A]]
func.func @commutative(%a: tensor<?xf32>, %b: tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>, tensor<?xf32>) {
  %0 = tensorc.mul %b, %a : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.mul %a, %b : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  %2 = tensorc.sub %b, %a : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  return %0, %1, %2 : tensor<?xf32>, tensor<?xf32>, tensor<?xf32>
}

// -----

// Constants fold (rounded through the element type); integer division keeps its run-time semantics.
// CHECK-LABEL: func.func @fold
// CHECK-DAG: tensorc.constant dense<5.000000e+00> : tensor<1xf32>
// CHECK-DAG: tensorc.constant dense<2.71828175> : tensor<1xf32>
// CHECK-DAG: tensorc.floordiv
func.func @fold() -> (tensor<1xf32>, tensor<1xf32>, tensor<1xi32>) {
  %two = tensorc.constant dense<2.0> : tensor<1xf32>
  %three = tensorc.constant dense<3.0> : tensor<1xf32>
  %one = tensorc.constant dense<1.0> : tensor<1xf32>
  %s = tensorc.add %two, %three : tensor<1xf32>, tensor<1xf32> -> tensor<1xf32>
  %e = tensorc.exp %one : tensor<1xf32> -> tensor<1xf32>
  %i7 = tensorc.constant dense<7> : tensor<1xi32>
  %i2 = tensorc.constant dense<2> : tensor<1xi32>
  %q = tensorc.floordiv %i7, %i2 : tensor<1xi32>, tensor<1xi32> -> tensor<1xi32>
  return %s, %e, %q : tensor<1xf32>, tensor<1xf32>, tensor<1xi32>
}
