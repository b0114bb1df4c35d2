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

// Data-dependent checks are not hoisted: gather's bound check reads the indices, so it stays after
// the reduction that counts bad indices, and it guards what follows it (linalg takes loop bounds from
// the operands, so no loop may run after a failed check).
// CHECK-LABEL: func.func @data_dependent
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction"]
// CHECK: tensor.extract
// CHECK: %[[BAD:.+]] = arith.cmpi ne
// CHECK: scf.if %[[BAD]] {
// CHECK-NEXT: func.call @tensorc_report
// CHECK: %[[OK:.+]] = arith.xori %[[BAD]]
// CHECK: %[[RES:.+]] = scf.if %[[OK]] -> (tensor<?xf32>) {
// CHECK: } else {
// CHECK: tensor.empty
// CHECK: return %[[RES]]
func.func @data_dependent(%x: tensor<?xf32>, %i: tensor<?xi64>) -> tensor<?xf32> {
  %0 = tensorc.gather %x[%i] axis = 0 : (tensor<?xf32>, tensor<?xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Sizes of intermediate results (here the expand_shape of an argument) are resolved into argument
// sizes first, so their checks are hoisted too and the whole body runs under one guard.
// RUN: tensorc-opt %s -split-input-file \
// RUN:   -pass-pipeline='builtin.module(tensorc-lower-to-linalg,canonicalize,cse,resolve-ranked-shaped-type-result-dims,canonicalize,func.func(tensorc-guard-shape-checks))' \
// RUN: | FileCheck %s --check-prefix=RESOLVED
// RESOLVED-LABEL: func.func @through_expand_shape
// RESOLVED: scf.if %{{.+}} {
// RESOLVED-NEXT: func.call @tensorc_report
// RESOLVED: %[[RES:.+]] = scf.if %{{.+}} -> (tensor<1x?xf32>) {
// RESOLVED: tensor.expand_shape
// RESOLVED: linalg.generic
// RESOLVED-NOT: func.call @tensorc_report
// RESOLVED: } else {
// RESOLVED: return %[[RES]]
func.func @through_expand_shape(%a: tensor<?xf32>, %b: tensor<1x?xf32>) -> tensor<1x?xf32> {
  %0 = tensorc.expand_dims %a [0] : tensor<?xf32> -> tensor<1x?xf32>
  %1 = tensorc.add %0, %b : tensor<1x?xf32>, tensor<1x?xf32> -> tensor<1x?xf32>
  return %1 : tensor<1x?xf32>
}

// -----

// A result of static shape with no elements is not yielded by the guard: it holds no data, and an
// `scf.if` yielding a 0-element alloc in one branch and a strided view in the other does not
// bufferize (the fuzzer's seed 2001).
// CHECK-LABEL: func.func @static_empty_result
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<0xf32>
// CHECK: %[[RES:.+]] = scf.if %{{.+}} -> (tensor<?xf32>) {
// CHECK: return %[[RES]], %[[EMPTY]]
func.func @static_empty_result(%a: tensor<?xf32>, %b: tensor<?xf32>, %c: tensor<0xf32>) -> (tensor<?xf32>, tensor<0xf32>) {
  %0 = tensorc.add %a, %b : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.exp %c : tensor<0xf32> -> tensor<0xf32>
  return %0, %1 : tensor<?xf32>, tensor<0xf32>
}
