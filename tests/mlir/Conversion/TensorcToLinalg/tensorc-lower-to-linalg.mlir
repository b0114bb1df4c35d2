// tensorc-lower-to-linalg: each op family becomes linalg/tensor/arith/math on tensors.
// RUN: tensorc-opt %s -tensorc-lower-to-linalg -split-input-file | FileCheck %s

// A static size-1 dimension broadcasts through a constant 0 in the indexing map. The run-time check
// messages (a module attribute, printed first) name the op and the user's line; a broadcasting check is
// of kind Broadcast (the runtime then retries with the dynamic-broadcast variant).
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK: tensorc.checks = ["Broadcast: tensorc.add: operand sizes along axis 1 differ ({0} vs {1}) and cannot be broadcast (at model.py:7)"]
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

// Reductions: a reduction iterator, reassociation allowed (so LLVM vectorizes). keepdims re-inserts
// the axis with a generic that reads the reduced tensor through a map without it (not an
// expand_shape: tensorc-fuse and tensorc-fuse-rows follow generics only).
// CHECK-DAG: #[[DROP:map[0-9]*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @sum_keepdims
// CHECK: linalg.fill
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.addf {{.*}} fastmath<reassoc,contract>
// CHECK-NOT: tensor.expand_shape
// CHECK: linalg.generic {indexing_maps = [#[[DROP]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK: } -> tensor<?x1xf32>
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

// softmax: max, then e = exp(x - max) as a loop of its own, the sum of e, one reciprocal per row, then
// e * reciprocal: exp is computed once per element (tensorc-fuse keeps e unfused, see tensorc-fuse.mlir).
// CHECK-LABEL: func.func @softmax
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK-NOT: math.exp
// CHECK: arith.addf
// CHECK-NOT: math.exp
// CHECK: arith.divf
// CHECK-NOT: math.exp
// CHECK: arith.mulf
// CHECK-NOT: math.exp
// CHECK: return
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

// Integer // and %: the divisor is replaced by 1 before dividing when it is 0 (the result is then
// selected to 0) or when it is -1 with a dividend of INT_MIN (x86 traps on both).
// CHECK-LABEL: func.func @int_floordiv_mod
// CHECK: %[[Z:.*]] = arith.cmpi eq, %[[D:.*]], %c0_i32
// CHECK: %[[M1:.*]] = arith.cmpi eq, %[[D]], %c-1_i32
// CHECK: %[[MIN:.*]] = arith.cmpi eq, %[[N:.*]], %c-2147483648_i32
// CHECK: %[[OV:.*]] = arith.andi %[[M1]], %[[MIN]]
// CHECK: %[[BAD:.*]] = arith.ori %[[Z]], %[[OV]]
// CHECK: %[[SAFE:.*]] = arith.select %[[BAD]], %c1_i32, %[[D]]
// CHECK: arith.floordivsi %[[N]], %[[SAFE]]
// CHECK: arith.select %[[Z]]
// CHECK: arith.cmpi eq, %{{.*}}, %c-2147483648_i32
// CHECK: arith.remsi
func.func @int_floordiv_mod(%a: tensor<4xi32>, %b: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>) {
  %0 = tensorc.floordiv %a, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %1 = tensorc.mod %a, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  return %0, %1 : tensor<4xi32>, tensor<4xi32>
}

// -----

// float32 sums and means accumulate in float64 and round once (the mean then divides in float32, as
// NumPy's float32 mean, whose sum beyond float32's range is inf); a float64 sum has no conversion
// (must not fire).
// CHECK-LABEL: func.func @float32_sums_in_float64
// CHECK: linalg.fill ins(%{{.+}} : f64) outs(%{{.+}} : tensor<?xf64>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.extf %{{.+}} : f32 to f64
// CHECK: arith.addf {{.*}} : f64
// CHECK: arith.truncf %{{.+}} : f64 to f32
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.extf %{{.+}} : f32 to f64
// CHECK: arith.truncf %{{.+}} : f64 to f32
// CHECK-NEXT: arith.divf {{.*}} : f32
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

// Float // and % follow NumPy's npy_divmod: fmod first, floor of (a - mod) / b, signed zeros by
// copysign, a / b and fmod for b == 0.
// CHECK-LABEL: func.func @float_floordiv_mod
// CHECK: arith.remf
// CHECK: arith.cmpf oeq
// CHECK: arith.divf
// CHECK: math.floor
// CHECK: math.copysign
// CHECK: arith.remf
// CHECK: math.copysign
func.func @float_floordiv_mod(%a: tensor<4xf64>, %b: tensor<4xf64>) -> (tensor<4xf64>, tensor<4xf64>) {
  %0 = tensorc.floordiv %a, %b : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64>
  %1 = tensorc.mod %a, %b : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64>
  return %0, %1 : tensor<4xf64>, tensor<4xf64>
}

// -----

// Integer pow with an array exponent: a run-time check counts the negative exponents (ValueError), after
// the broadcast check; the computed exponent is clamped at 0 so that ipowi never divides by zero.
// CHECK: tensorc.checks = [{{.*}}tensorc.pow: operand sizes along axis 0 differ {{.*}}", "tensorc.pow: Integers to negative integer powers are not allowed ({0} negative exponent(s)) (at model.py:3)"]
// CHECK-LABEL: func.func @int_pow_checked
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: math.ipowi
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction"]
// CHECK: arith.cmpi slt
// CHECK: arith.extui
// CHECK: func.call @tensorc_report
func.func @int_pow_checked(%a: tensor<?xi64>, %b: tensor<?xi64>) -> tensor<?xi64> {
  %0 = tensorc.pow %a, %b : tensor<?xi64>, tensor<?xi64> -> tensor<?xi64> loc("model.py":3:0)
  return %0 : tensor<?xi64>
}

// -----

// Float pow has no such check (must not fire).
// CHECK-NOT: tensorc.checks
// CHECK-LABEL: func.func @float_pow_unchecked
// CHECK-NOT: tensorc_report
// CHECK: math.powf
func.func @float_pow_unchecked(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tensorc.pow %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// maximum/minimum: select(x > y || isnan(x), x, y), NaN from either side and the second of two zeros
// (NumPy's result); sign(-0.0) is +0.0; sigmoid from exp(-|x|).
// CHECK-LABEL: func.func @max_sign_sigmoid
// CHECK-NOT: arith.maximumf
// CHECK: %[[GT:.*]] = arith.cmpf ogt, %[[X:.*]], %[[Y:.*]] : f32
// CHECK: %[[NAN:.*]] = arith.cmpf uno, %[[X]], %[[X]] : f32
// CHECK: %[[C:.*]] = arith.ori %[[GT]], %[[NAN]] : i1
// CHECK: arith.select %[[C]], %[[X]], %[[Y]] : f32
// CHECK: arith.cmpf olt
// CHECK: arith.cmpf oeq
// CHECK: math.absf
// CHECK: math.exp
// CHECK: arith.cmpf oge
// CHECK: arith.divf
func.func @max_sign_sigmoid(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = tensorc.max %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %1 = tensorc.sign %a : tensor<4xf32> -> tensor<4xf32>
  %2 = tensorc.sigmoid %a : tensor<4xf32> -> tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
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
