// tensorc-lower-to-linalg: an op the conversion cannot lower is a diagnostic naming it and why, and
// the pass fails (nothing is left half-converted).
// RUN: tensorc-opt %s -split-input-file -tensorc-lower-to-linalg -verify-diagnostics

// The dialect accepts any result element type for reduce_mean; the lowering only a float one (the
// frontend always asks for one).
func.func @mean_with_an_integer_result(%x: tensor<?xi32>) -> tensor<i32> {
  // expected-error @+2 {{mean needs a float result type}}
  // expected-error @+1 {{failed to legalize operation 'tensorc.reduce_mean'}}
  %0 = tensorc.reduce_mean %x axes = [0] : tensor<?xi32> -> tensor<i32>
  return %0 : tensor<i32>
}
