// tensorc-optimize: the graph passes in order (canonicalize -> merge -> stabilize -> canonicalize -> merge
// -> specialize -> merge), on tensorc IR. Each pass has its own file under Dialect/Tensorc/Transforms/;
// here only what the composition does: rewrites of one pass feed the next.
// RUN: tensorc-opt %s -split-input-file -tensorc-optimize | FileCheck %s

// Must fire: the duplicate log(softmax(x)) are computed once (merge) and become log_softmax (stabilize).
// The body is pinned line by line: no softmax and no log remain.
// CHECK-LABEL: func.func @log_softmax_twice
// CHECK-NEXT: %[[LS:.*]] = tensorc.log_softmax %arg0 axis = 1
// CHECK-NEXT: %[[S:.*]] = tensorc.add %[[LS]], %[[LS]]
// CHECK-NEXT: return %[[S]]
func.func @log_softmax_twice(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = tensorc.softmax %x axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.log %0 : tensor<?x?xf32> -> tensor<?x?xf32>
  %2 = tensorc.softmax %x axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  %3 = tensorc.log %2 : tensor<?x?xf32> -> tensor<?x?xf32>
  %4 = tensorc.add %1, %3 : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  return %4 : tensor<?x?xf32>
}

// -----

// Must fire: canonicalization exposes what stabilize matches (stabilize alone leaves this alone):
// log(1 * x + 1 + 0) becomes log1p(x); the dead exp and the constants disappear.
// CHECK-LABEL: func.func @canonicalize_then_stabilize
// CHECK-NEXT: %[[R:.*]] = tensorc.log1p %arg0
// CHECK-NEXT: return %[[R]]
func.func @canonicalize_then_stabilize(%x: tensor<?xf64>) -> tensor<?xf64> {
  %one = tensorc.constant dense<1.0> : tensor<1xf64>
  %zero = tensorc.constant dense<0.0> : tensor<1xf64>
  %dead = tensorc.exp %x : tensor<?xf64> -> tensor<?xf64>
  %0 = tensorc.mul %one, %x : tensor<1xf64>, tensor<?xf64> -> tensor<?xf64>
  %1 = tensorc.add %0, %one : tensor<?xf64>, tensor<1xf64> -> tensor<?xf64>
  %2 = tensorc.add %1, %zero : tensor<?xf64>, tensor<1xf64> -> tensor<?xf64>
  %3 = tensorc.log %2 : tensor<?xf64> -> tensor<?xf64>
  return %3 : tensor<?xf64>
}

// -----

// Must fire: the two identical powers are merged, and x ** 2 becomes x * x (specialize).
// CHECK-LABEL: func.func @square_twice
// CHECK-SAME: (%[[X:.+]]: tensor<?xf32>)
// CHECK-NEXT: %[[SQ:.*]] = tensorc.mul %[[X]], %[[X]]
// CHECK-NEXT: %[[R:.*]] = tensorc.add %[[SQ]], %[[SQ]]
// CHECK-NEXT: return %[[R]]
func.func @square_twice(%x: tensor<?xf32>) -> tensor<?xf32> {
  %two = tensorc.constant dense<2.0> : tensor<1xf32>
  %two2 = tensorc.constant dense<2.0> : tensor<1xf32>
  %0 = tensorc.pow %x, %two : tensor<?xf32>, tensor<1xf32> -> tensor<?xf32>
  %1 = tensorc.pow %x, %two2 : tensor<?xf32>, tensor<1xf32> -> tensor<?xf32>
  %2 = tensorc.add %0, %1 : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  return %2 : tensor<?xf32>
}

// -----

// Must not fire: a graph with nothing to simplify, merge, stabilize or specialize is unchanged.
// CHECK-LABEL: func.func @nothing_to_do
// CHECK-SAME: (%[[X:.+]]: tensor<?x?xf32>, %[[Y:.+]]: tensor<?x?xf32>)
// CHECK-NEXT: %[[M:.*]] = tensorc.mul %[[X]], %[[Y]] : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
// CHECK-NEXT: %[[T:.*]] = tensorc.tanh %[[M]] : tensor<?x?xf32> -> tensor<?x?xf32>
// CHECK-NEXT: %[[S:.*]] = tensorc.softmax %[[T]] axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
// CHECK-NEXT: %[[R:.*]] = tensorc.reduce_sum %[[S]] axes = [0] : tensor<?x?xf32> -> tensor<?xf32>
// CHECK-NEXT: return %[[S]], %[[R]]
func.func @nothing_to_do(%x: tensor<?x?xf32>, %y: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?xf32>) {
  %0 = tensorc.mul %x, %y : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.tanh %0 : tensor<?x?xf32> -> tensor<?x?xf32>
  %2 = tensorc.softmax %1 axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  %3 = tensorc.reduce_sum %2 axes = [0] : tensor<?x?xf32> -> tensor<?xf32>
  return %2, %3 : tensor<?x?xf32>, tensor<?xf32>
}
