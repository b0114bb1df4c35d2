// tensorc-lower-to-linalg{dynamic-broadcast=true}: the general variant, where every dynamic size may
// be 1 at run time and broadcast by NumPy's rule (the runtime runs it when a Broadcast check of the
// default variant fails).
// RUN: tensorc-opt %s -split-input-file -pass-pipeline='builtin.module(tensorc-lower-to-linalg{dynamic-broadcast=true})' | FileCheck %s

// Fires: both sizes are dynamic. The result size is the first that is not 1; each operand is read at
// index 0 where its size is 1; the loop runs only when every size is 1 or the result's. The checks are
// plain ValueErrors here (no Broadcast kind: there is no further variant to try).
// CHECK: tensorc.checks = ["tensorc.add: operand sizes along axis 0 differ ({0} vs {1}) and cannot be broadcast (at model.py:3)", "tensorc.add: operand sizes along axis 0 differ ({0} vs {1}) and cannot be broadcast (at model.py:3)"]
// CHECK-LABEL: func.func @runtime_broadcast
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[NA:.+]] = tensor.dim %arg0
// CHECK-DAG: %[[NB:.+]] = tensor.dim %arg1
// CHECK: %[[AONE:.+]] = arith.cmpi eq, %[[NA]], %[[C1]]
// CHECK: %[[R:.+]] = arith.select %[[AONE]], %[[NB]], %[[NA]]
// CHECK: func.call @tensorc_report
// CHECK: func.call @tensorc_report
// CHECK: %[[RES:.+]] = scf.if %{{.+}} -> (tensor<?xf32>) {
// CHECK: linalg.generic
// CHECK: arith.select
// CHECK: tensor.extract %arg0
// CHECK: linalg.generic
// CHECK: tensor.extract %arg1
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: } else {
// CHECK: tensor.empty(%[[R]])
// CHECK: return %[[RES]]
func.func @runtime_broadcast(%a: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?xf32> {
  %0 = tensorc.add %a, %b : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32> loc("model.py":3:0)
  return %0 : tensor<?xf32>
}

// -----

// Must not fire: one operand (nothing to broadcast against), and static shapes.
// CHECK-LABEL: func.func @unary_and_static
// CHECK-NOT: scf.if
// CHECK-NOT: tensor.extract
// CHECK: linalg.generic
// CHECK: math.exp
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: return
func.func @unary_and_static(%a: tensor<?xf32>, %b: tensor<4xf32>, %c: tensor<1xf32>) -> (tensor<?xf32>, tensor<4xf32>) {
  %0 = tensorc.exp %a : tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.mul %b, %c : tensor<4xf32>, tensor<1xf32> -> tensor<4xf32>
  return %0, %1 : tensor<?xf32>, tensor<4xf32>
}

// -----

// Fires for matmul: batch sizes broadcast at run time; operands with a dynamic batch size are
// stretched to the result's batch shape first.
// CHECK-LABEL: func.func @batched_matmul
// CHECK: %[[RES:.+]] = scf.if %{{.+}} -> (tensor<?x?x?xf32>) {
// CHECK: tensor.extract %arg0
// CHECK: tensor.extract %arg1
// CHECK: iterator_types = ["parallel", "parallel", "reduction", "parallel"]
// CHECK: } else {
// CHECK: return %[[RES]]
func.func @batched_matmul(%a: tensor<?x?x?xf32>, %b: tensor<?x?x?xf32>) -> tensor<?x?x?xf32> {
  %0 = tensorc.matmul %a, %b : tensor<?x?x?xf32>, tensor<?x?x?xf32> -> tensor<?x?x?xf32>
  return %0 : tensor<?x?x?xf32>
}
