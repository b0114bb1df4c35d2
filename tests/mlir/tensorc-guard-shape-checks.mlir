// tensorc-guard-shape-checks: checks on argument sizes move to a prologue that guards the computation.
// RUN: tensorc-opt %s -split-input-file \
// RUN:   -pass-pipeline='builtin.module(tensorc-lower-to-linalg,canonicalize,cse,func.func(tensorc-guard-shape-checks))' \
// RUN: | FileCheck %s

// Fires: the add's size check depends only on argument sizes.
// CHECK-LABEL: func.func @guarded
// CHECK: %[[BAD:.+]] = arith.cmpi ne
// CHECK: scf.if %[[BAD]] {
// CHECK-NEXT: func.call @tensorc_report
// CHECK: %[[RES:.+]] = scf.if %{{.+}} -> (tensor<?xf32>) {
// CHECK: linalg.generic
// CHECK: } else {
// CHECK: tensor.empty(%{{.*}}) : tensor<?xf32>
// CHECK: return %[[RES]]
func.func @guarded(%a: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?xf32> {
  %0 = tensorc.add %a, %b : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.exp %0 : tensor<?xf32> -> tensor<?xf32>
  return %1 : tensor<?xf32>
}

// -----

// Must not fire: without checks the function is unchanged.
// CHECK-LABEL: func.func @nothing_to_guard
// CHECK-NOT: scf.if
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0
func.func @nothing_to_guard(%a: tensor<?xf32>) -> tensor<?xf32> {
  %0 = tensorc.exp %a : tensor<?xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Must not fire for data-dependent checks: gather's bound check reads the indices, so it stays after
// the reduction that counts bad indices, and no guard wraps the function body.
// CHECK-LABEL: func.func @data_dependent
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction"]
// CHECK: tensor.extract
// CHECK: scf.if
// CHECK-NEXT: func.call @tensorc_report
// CHECK: return
func.func @data_dependent(%x: tensor<?xf32>, %i: tensor<?xi64>) -> tensor<?xf32> {
  %0 = tensorc.gather %x[%i] axis = 0 : (tensor<?xf32>, tensor<?xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}
