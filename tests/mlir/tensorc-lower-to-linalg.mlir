// tensorc-lower-to-linalg: each op family becomes linalg/tensor/arith/math on tensors.
// RUN: tensorc-opt %s -tensorc-lower-to-linalg -split-input-file | FileCheck %s

// A static size-1 dimension broadcasts through a constant 0 in the indexing map. The run-time check
// messages (a module attribute, printed first) name the op and the user's line.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK: tensorc.checks = ["tensorc.add: operand sizes along axis 1 differ ({0} vs {1}) and cannot be broadcast (at model.py:7)"]
// CHECK-LABEL: func.func @broadcast_add
// CHECK: scf.if
// CHECK: func.call @tensorc_report
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK: arith.addf
// CHECK-NOT: tensorc.
func.func @broadcast_add(%a: tensor<?x?xf32>, %b: tensor<1x?xf32>) -> tensor<?x?xf32> {
  %0 = tensorc.add %a, %b : tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32> loc("model.py":7:0)
  return %0 : tensor<?x?xf32>
}

// -----

// Static shapes that agree need no run-time check.
// CHECK-LABEL: func.func @static_no_check
// CHECK-NOT: tensorc_report
// CHECK: linalg.generic
// CHECK: arith.mulf
func.func @static_no_check(%a: tensor<4x3xf32>, %b: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = tensorc.mul %a, %b : tensor<4x3xf32>, tensor<4x3xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Reductions: a reduction iterator, reassociation allowed (so LLVM vectorizes), keepdims re-expands.
// CHECK-LABEL: func.func @sum_keepdims
// CHECK: linalg.fill
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.addf {{.*}} fastmath<reassoc,contract>
// CHECK: tensor.expand_shape {{.*}} {{\[\[}}0, 1]] {{.*}} into tensor<?x1xf32>
func.func @sum_keepdims(%a: tensor<?x?xf32>) -> tensor<?x1xf32> {
  %0 = tensorc.reduce_sum %a axes = [1] {keepdims = true} : tensor<?x?xf32> -> tensor<?x1xf32>
  return %0 : tensor<?x1xf32>
}

// -----

// max of an empty axis has no identity: a run-time check.
// CHECK-LABEL: func.func @max_checked
// CHECK: func.call @tensorc_report
// CHECK: arith.maximumf
func.func @max_checked(%a: tensor<?xf64>) -> tensor<f64> {
  %0 = tensorc.reduce_max %a axes = [0] : tensor<?xf64> -> tensor<f64>
  return %0 : tensor<f64>
}

// -----

// matmul iterates (m, k, n) so the innermost loop is contiguous in the rhs and the result.
// CHECK-DAG: #[[A:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[B:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[C:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @matmul
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @matmul(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = tensorc.matmul %a, %b : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// softmax: max, then sum of exp(x - max), one reciprocal per row, then exp(x - max) * reciprocal.
// CHECK-LABEL: func.func @softmax
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
// CHECK: math.exp
// CHECK: arith.mulf
func.func @softmax(%a: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = tensorc.softmax %a axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// gather only reads x when every index is in range (an IndexError otherwise).
// CHECK: IndexError: tensorc.gather: {0} index value(s) out of bounds for axis 0
// CHECK-LABEL: func.func @gather
// CHECK: arith.cmpi slt
// CHECK: func.call @tensorc_report
// CHECK: scf.if
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %{{.*}}] : tensor<?x?xf32>
func.func @gather(%x: tensor<?x?xf32>, %i: tensor<?xi64>, %j: tensor<?xi64>) -> tensor<?xf32> {
  %0 = tensorc.gather %x[%i, %j] axis = 0 : (tensor<?x?xf32>, tensor<?xi64>, tensor<?xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Slices with positive steps are views; negative steps read element by element.
// CHECK-LABEL: func.func @slices
// CHECK: tensor.extract_slice %{{.*}}[%{{.*}}] [%{{.*}}] [2]
// CHECK: linalg.index
// CHECK: tensor.extract
func.func @slices(%x: tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>) {
  %0 = tensorc.slice %x starts = [1] stops = [9223372036854775807] steps = [2] : tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.slice %x starts = [9223372036854775807] stops = [-9223372036854775808] steps = [-1] : tensor<?xf32> -> tensor<?xf32>
  return %0, %1 : tensor<?xf32>, tensor<?xf32>
}

// -----

// Upstream ops are not touched (must not fire), and a module without checks gets no declarations.
// CHECK-LABEL: func.func @upstream_only
// CHECK-NEXT: arith.addf
// CHECK-NOT: tensorc_report
func.func @upstream_only(%a: f32) -> f32 {
  %0 = arith.addf %a, %a : f32
  return %0 : f32
}

// -----

// float32 sums and means accumulate in float64 and round once (the mean divides in float64); a
// float64 sum has no conversion (must not fire).
// CHECK-LABEL: func.func @float32_sums_in_float64
// CHECK: linalg.fill ins(%{{.+}} : f64) outs(%{{.+}} : tensor<?xf64>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.extf %{{.+}} : f32 to f64
// CHECK: arith.addf {{.*}} : f64
// CHECK: arith.truncf %{{.+}} : f64 to f32
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.extf %{{.+}} : f32 to f64
// CHECK: arith.divf {{.*}} : f64
// CHECK-NEXT: arith.truncf %{{.+}} : f64 to f32
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK-NOT: arith.extf
// CHECK: return
func.func @float32_sums_in_float64(%a: tensor<?x?xf32>, %b: tensor<?x?xf64>) -> (tensor<?xf32>, tensor<?xf32>, tensor<?xf64>) {
  %0 = tensorc.reduce_sum %a axes = [1] : tensor<?x?xf32> -> tensor<?xf32>
  %1 = tensorc.reduce_mean %a axes = [1] : tensor<?x?xf32> -> tensor<?xf32>
  %2 = tensorc.reduce_sum %b axes = [1] : tensor<?x?xf64> -> tensor<?xf64>
  return %0, %1, %2 : tensor<?xf32>, tensor<?xf32>, tensor<?xf64>
}

// -----

// softmax subtracts the plain max (scipy: a row with +inf or of -inf only is NaN); log_softmax the
// max replaced by 0 where it is not finite (scipy's log_softmax), so only log_softmax compares |max|
// with inf. The sums of exp stay in the element type (blocked later, by tensorc-fuse-rows).
// CHECK-LABEL: func.func @softmax_special_values
// CHECK: arith.maximumf
// CHECK-NOT: math.absf
// CHECK: math.exp
// CHECK: arith.addf {{.*}} : f32
// CHECK: arith.divf
// CHECK: arith.maximumf
// CHECK: math.absf
// CHECK: arith.cmpf olt
// CHECK: arith.select
// CHECK: math.log
func.func @softmax_special_values(%a: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %0 = tensorc.softmax %a axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.log_softmax %a axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %0, %1 : tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// reshape checks its sizes non-negative first, with a message of its own (the frontend resolves a -1
// whose other sizes multiply to 0 to -1 again), then the element counts.
// CHECK: tensorc.checks = ["tensorc.reshape: cannot reshape an array of {0} elements into a shape with a negative size {{.*}}", "tensorc.reshape: cannot reshape an array of {0} elements into a shape of {1} elements {{.*}}"]
// CHECK-LABEL: func.func @reshape_checks
// CHECK: arith.cmpi sge
// CHECK: func.call @tensorc_report
// CHECK: arith.cmpi eq
// CHECK: func.call @tensorc_report
// CHECK: tensor.reshape
func.func @reshape_checks(%x: tensor<?xf32>, %n: tensor<i64>) -> tensor<?x3xf32> {
  %0 = tensorc.reshape %x(%n) : tensor<?xf32> -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}
