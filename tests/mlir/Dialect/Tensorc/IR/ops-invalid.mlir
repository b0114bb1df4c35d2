// Verifier diagnostics for malformed tensorc IR.
// RUN: tensorc-opt %s -split-input-file -verify-diagnostics

func.func @bad_broadcast(%a: tensor<3xf32>, %b: tensor<4xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{operands of shapes (3) and (4) cannot be broadcast (axis 0)}}
  %0 = tensorc.add %a, %b : tensor<3xf32>, tensor<4xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @rank_mismatch(%a: tensor<?x?xf32>, %b: tensor<?xf32>) -> tensor<?x?xf32> {
  // expected-error @+1 {{operands must have the result's rank 2 (insert tensorc.expand_dims)}}
  %0 = tensorc.mul %a, %b : tensor<?x?xf32>, tensor<?xf32> -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @mixed_types(%a: tensor<?xf32>, %b: tensor<?xf64>) -> tensor<?xf32> {
  // expected-error @+1 {{operand element types differ ('f32' vs 'f64'); insert tensorc.cast}}
  %0 = tensorc.sub %a, %b : tensor<?xf32>, tensor<?xf64> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @int_exp(%a: tensor<?xi32>) -> tensor<?xi32> {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or 64-bit float values}}
  %0 = tensorc.exp %a : tensor<?xi32> -> tensor<?xi32>
  return %0 : tensor<?xi32>
}

// -----

func.func @compare_result(%a: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{result #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = tensorc.lt %a, %a : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @axes_out_of_range(%a: tensor<?x?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = tensorc.reduce_sum %a axes = [2] : tensor<?x?xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @axes_unsorted(%a: tensor<?x?xf32>) -> tensor<f32> {
  // expected-error @+1 {{axes must be sorted and unique}}
  %0 = tensorc.reduce_sum %a axes = [1, 0] : tensor<?x?xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @reduce_result(%a: tensor<?x?xf32>) -> tensor<?x?xf32> {
  // expected-error @+1 {{result rank 2 should be 1}}
  %0 = tensorc.reduce_max %a axes = [1] : tensor<?x?xf32> -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @matmul_k(%a: tensor<?x3xf32>, %b: tensor<4x?xf32>) -> tensor<?x?xf32> {
  // expected-error @+1 {{contraction sizes differ: (?, 3) @ (4, ?)}}
  %0 = tensorc.matmul %a, %b : tensor<?x3xf32>, tensor<4x?xf32> -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @matmul_result(%a: tensor<?x?xf32>, %b: tensor<?xf32>) -> tensor<?x?xf32> {
  // expected-error @+1 {{result rank 2 should be 1}}
  %0 = tensorc.matmul %a, %b : tensor<?x?xf32>, tensor<?xf32> -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @transpose_perm(%a: tensor<?x?xf32>) -> tensor<?x?xf32> {
  // expected-error @+1 {{permutation is not a permutation of the dimensions}}
  %0 = tensorc.transpose %a [0, 0] : tensor<?x?xf32> -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @reshape_static(%a: tensor<2x3xf32>) -> tensor<7xf32> {
  // expected-error @+1 {{cannot reshape (2, 3) (6 elements) to (7) (7)}}
  %0 = tensorc.reshape %a() : tensor<2x3xf32> -> tensor<7xf32>
  return %0 : tensor<7xf32>
}

// -----

func.func @reshape_operands(%a: tensor<?xf32>, %n: tensor<i64>) -> tensor<?x?xf32> {
  // expected-error @+1 {{expects 2 size operands, got 1}}
  %0 = tensorc.reshape %a(%n) : tensor<?xf32> -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @squeeze_non_unit(%a: tensor<3x?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{cannot squeeze axis 0 of size 3}}
  %0 = tensorc.squeeze %a [0] : tensor<3x?xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @expand_result(%a: tensor<?xf32>) -> tensor<2x?xf32> {
  // expected-error @+1 {{result dimension 0 is 2 but the operands give 1}}
  %0 = tensorc.expand_dims %a [0] : tensor<?xf32> -> tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// -----

func.func @concat_mismatch(%a: tensor<?x3xf32>, %b: tensor<?x4xf32>) -> tensor<?x3xf32> {
  // expected-error @+1 {{operand shapes (?, 3) and (?, 4) differ outside axis 0}}
  %0 = tensorc.concatenate %a, %b axis = 0 : (tensor<?x3xf32>, tensor<?x4xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

func.func @slice_zero_step(%a: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{slice step cannot be zero}}
  %0 = tensorc.slice %a starts = [0] stops = [4] steps = [0] : tensor<?xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @gather_axes(%a: tensor<?x?xf32>, %i: tensor<?xi64>) -> tensor<?xf32> {
  // expected-error @+1 {{axes 2..2 are out of range for rank 2}}
  %0 = tensorc.gather %a[%i] axis = 2 : (tensor<?x?xf32>, tensor<?xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @fill_operands(%n: tensor<i64>) -> tensor<?x?xf32> {
  // expected-error @+1 {{expects 2 size operands (one per dynamic dimension), got 1}}
  %0 = tensorc.fill(%n) 1.0 : f32 : tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @softmax_axis(%a: tensor<?x?xf32>) -> tensor<?x?xf32> {
  // expected-error @+1 {{axis -1 is out of range for rank 2}}
  %0 = tensorc.softmax %a axis = -1 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @broadcast_to_bad(%a: tensor<3x?xf32>, %n: tensor<i64>) -> tensor<4x?xf32> {
  // expected-error @+1 {{cannot broadcast (3, ?) to (4, ?)}}
  %0 = tensorc.broadcast_to %a(%n) : tensor<3x?xf32> -> tensor<4x?xf32>
  return %0 : tensor<4x?xf32>
}
