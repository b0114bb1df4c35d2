// RUN: tensorc-opt %s -split-input-file -tensorc-stabilize | FileCheck %s
// RUN: tensorc-opt %s -split-input-file -tensorc-stabilize='disable-patterns=log-softmax' | FileCheck %s --check-prefix=DISABLED
// RUN: tensorc-opt %s -split-input-file -tensorc-stabilize -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s --check-prefix=LOC
// RUN: tensorc-opt %s -split-input-file -tensorc-stabilize='enable-patterns=log-one-minus-sigmoid' | FileCheck %s --check-prefix=ONLY

// One split per rewrite: cases that must fire, then cases that must not.

// === log-softmax: log(softmax(x)) -> log_softmax(x), also through data movement

// CHECK-LABEL: func.func @log_softmax
// CHECK-NEXT: %[[R:.*]] = tensorc.log_softmax %arg0 axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
// CHECK-NEXT: return %[[R]]
// The disabled rewrite leaves the expression alone.
// DISABLED-LABEL: func.func @log_softmax
// DISABLED-NEXT: tensorc.softmax
// DISABLED-NEXT: tensorc.log
// The new op keeps the location of the op it replaces.
// LOC-LABEL: func.func @log_softmax
// LOC-NEXT: tensorc.log_softmax %arg0 axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32> loc("model.py":3:0)
func.func @log_softmax(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = tensorc.softmax %x axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32> loc("model.py":2:0)
  %1 = tensorc.log %0 : tensor<?x?xf32> -> tensor<?x?xf32> loc("model.py":3:0)
  return %1 : tensor<?x?xf32>
}

// log(softmax(x))[arange(n), y]: the gather is rebuilt on top of log_softmax, with its own location.
// CHECK-LABEL: func.func @log_softmax_gather
// CHECK-NOT: tensorc.softmax
// CHECK-NOT: tensorc.log %
// CHECK: %[[LS:.*]] = tensorc.log_softmax %arg0 axis = 1 : tensor<?x?xf64> -> tensor<?x?xf64>
// CHECK-NEXT: %[[G:.*]] = tensorc.gather %[[LS]][%{{.*}}, %arg1] axis = 0 : (tensor<?x?xf64>, tensor<?xi64>, tensor<?xi64>) -> tensor<?xf64>
// CHECK-NEXT: return %[[G]]
// LOC-LABEL: func.func @log_softmax_gather
// LOC: tensorc.log_softmax {{.*}} loc("model.py":9:0)
// LOC-NEXT: tensorc.gather {{.*}} loc("model.py":8:0)
func.func @log_softmax_gather(%x: tensor<?x?xf64>, %y: tensor<?xi64>) -> tensor<?xf64> {
  %n = tensorc.dim %y[0] : tensor<?xi64>
  %i = tensorc.arange %n : tensor<?xi64>
  %0 = tensorc.softmax %x axis = 1 : tensor<?x?xf64> -> tensor<?x?xf64> loc("model.py":7:0)
  %1 = tensorc.gather %0[%i, %y] axis = 0 : (tensor<?x?xf64>, tensor<?xi64>, tensor<?xi64>) -> tensor<?xf64> loc("model.py":8:0)
  %2 = tensorc.log %1 : tensor<?xf64> -> tensor<?xf64> loc("model.py":9:0)
  return %2 : tensor<?xf64>
}

// A chain of every movement op; each keeps its attributes, extra operands and result type.
// CHECK-LABEL: func.func @log_softmax_movement_chain
// CHECK-NOT: tensorc.softmax
// CHECK: %[[LS:.*]] = tensorc.log_softmax %arg0 axis = 0 : tensor<4x6xf32> -> tensor<4x6xf32>
// CHECK-NEXT: %[[T:.*]] = tensorc.transpose %[[LS]] [1, 0] : tensor<4x6xf32> -> tensor<6x4xf32>
// CHECK-NEXT: %[[S:.*]] = tensorc.slice %[[T]] starts = [1, 0] stops = [5, 4] steps = [2, 1] : tensor<6x4xf32> -> tensor<2x4xf32>
// CHECK-NEXT: %[[E:.*]] = tensorc.expand_dims %[[S]] [0] : tensor<2x4xf32> -> tensor<1x2x4xf32>
// CHECK-NEXT: %[[Q:.*]] = tensorc.squeeze %[[E]] [0] : tensor<1x2x4xf32> -> tensor<2x4xf32>
// CHECK-NEXT: %[[R:.*]] = tensorc.reshape %[[Q]](%arg1) : tensor<2x4xf32> -> tensor<?xf32>
// CHECK-NEXT: return %[[R]]
func.func @log_softmax_movement_chain(%x: tensor<4x6xf32>, %n: tensor<i64>) -> tensor<?xf32> {
  %0 = tensorc.softmax %x axis = 0 : tensor<4x6xf32> -> tensor<4x6xf32>
  %1 = tensorc.transpose %0 [1, 0] : tensor<4x6xf32> -> tensor<6x4xf32>
  %2 = tensorc.slice %1 starts = [1, 0] stops = [5, 4] steps = [2, 1] : tensor<6x4xf32> -> tensor<2x4xf32>
  %3 = tensorc.expand_dims %2 [0] : tensor<2x4xf32> -> tensor<1x2x4xf32>
  %4 = tensorc.squeeze %3 [0] : tensor<1x2x4xf32> -> tensor<2x4xf32>
  %5 = tensorc.reshape %4 (%n) : tensor<2x4xf32> -> tensor<?xf32>
  %6 = tensorc.log %5 : tensor<?xf32> -> tensor<?xf32>
  return %6 : tensor<?xf32>
}

// A movement op with another use: rebuilding it on log_softmax would compute it twice.
// CHECK-LABEL: func.func @log_softmax_multi_use_movement
// CHECK: tensorc.softmax
// CHECK: tensorc.transpose
// CHECK: tensorc.log %
// CHECK-NOT: tensorc.log_softmax
func.func @log_softmax_multi_use_movement(%x: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %0 = tensorc.softmax %x axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.transpose %0 [1, 0] : tensor<?x?xf32> -> tensor<?x?xf32>
  %2 = tensorc.log %1 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %2, %1 : tensor<?x?xf32>, tensor<?x?xf32>
}

// Something other than data movement between the log and the softmax.
// CHECK-LABEL: func.func @log_softmax_not_movement
// CHECK: tensorc.softmax
// CHECK-NOT: tensorc.log_softmax
func.func @log_softmax_not_movement(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = tensorc.softmax %x axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.sqrt %0 : tensor<?x?xf32> -> tensor<?x?xf32>
  %2 = tensorc.log %1 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %2 : tensor<?x?xf32>
}

// -----

// === sub-logsumexp: x - logsumexp(x, axes=[a], keepdims) -> log_softmax(x, a)

// CHECK-LABEL: func.func @sub_logsumexp
// CHECK-NEXT: %[[R:.*]] = tensorc.log_softmax %arg0 axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
// CHECK-NEXT: return %[[R]]
// Disabling log-softmax leaves the other rewrites on.
// DISABLED-LABEL: func.func @sub_logsumexp
// DISABLED-NEXT: tensorc.log_softmax
// LOC-LABEL: func.func @sub_logsumexp
// LOC-NEXT: tensorc.log_softmax {{.*}} loc("model.py":5:0)
func.func @sub_logsumexp(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = tensorc.logsumexp %x axes = [1] {keepdims = true} : tensor<?x?xf32> -> tensor<?x1xf32> loc("model.py":4:0)
  %1 = tensorc.sub %x, %0 : tensor<?x?xf32>, tensor<?x1xf32> -> tensor<?x?xf32> loc("model.py":5:0)
  return %1 : tensor<?x?xf32>
}

// keepdims=false, then expand_dims puts the axis back.
// CHECK-LABEL: func.func @sub_logsumexp_expand_dims
// CHECK-NEXT: %[[R:.*]] = tensorc.log_softmax %arg0 axis = 0 : tensor<?x?xf64> -> tensor<?x?xf64>
// CHECK-NEXT: return %[[R]]
func.func @sub_logsumexp_expand_dims(%x: tensor<?x?xf64>) -> tensor<?x?xf64> {
  %0 = tensorc.logsumexp %x axes = [0] : tensor<?x?xf64> -> tensor<?xf64>
  %1 = tensorc.expand_dims %0 [0] : tensor<?xf64> -> tensor<1x?xf64>
  %2 = tensorc.sub %x, %1 : tensor<?x?xf64>, tensor<1x?xf64> -> tensor<?x?xf64>
  return %2 : tensor<?x?xf64>
}

// expand_dims at another axis than the reduced one: x - lse broadcasts differently.
// CHECK-LABEL: func.func @sub_logsumexp_wrong_expand_axis
// CHECK: tensorc.logsumexp
// CHECK-NOT: tensorc.log_softmax
func.func @sub_logsumexp_wrong_expand_axis(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = tensorc.logsumexp %x axes = [1] : tensor<?x?xf32> -> tensor<?xf32>
  %1 = tensorc.expand_dims %0 [0] : tensor<?xf32> -> tensor<1x?xf32>
  %2 = tensorc.sub %x, %1 : tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
  return %2 : tensor<?x?xf32>
}

// The logsumexp of another tensor, or over two axes.
// CHECK-LABEL: func.func @sub_logsumexp_no_match
// CHECK-COUNT-2: tensorc.logsumexp
// CHECK-NOT: tensorc.log_softmax
func.func @sub_logsumexp_no_match(%x: tensor<?x?xf32>, %y: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %0 = tensorc.logsumexp %y axes = [1] {keepdims = true} : tensor<?x?xf32> -> tensor<?x1xf32>
  %1 = tensorc.sub %x, %0 : tensor<?x?xf32>, tensor<?x1xf32> -> tensor<?x?xf32>
  %2 = tensorc.logsumexp %x axes = [0, 1] {keepdims = true} : tensor<?x?xf32> -> tensor<1x1xf32>
  %3 = tensorc.sub %x, %2 : tensor<?x?xf32>, tensor<1x1xf32> -> tensor<?x?xf32>
  return %1, %3 : tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// === logsumexp: log(reduce_sum(exp(x))) -> logsumexp(x)

// CHECK-LABEL: func.func @logsumexp
// CHECK-NEXT: %[[A:.*]] = tensorc.logsumexp %arg0 axes = [1] : tensor<?x?xf32> -> tensor<?xf32>
// CHECK-NEXT: %[[B:.*]] = tensorc.logsumexp %arg0 axes = [0, 1] {keepdims = true} : tensor<?x?xf32> -> tensor<1x1xf32>
// CHECK-NEXT: return %[[A]], %[[B]]
// LOC-LABEL: func.func @logsumexp
// LOC-NEXT: tensorc.logsumexp {{.*}} loc("model.py":6:0)
func.func @logsumexp(%x: tensor<?x?xf32>) -> (tensor<?xf32>, tensor<1x1xf32>) {
  %0 = tensorc.exp %x : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.reduce_sum %0 axes = [1] : tensor<?x?xf32> -> tensor<?xf32>
  %2 = tensorc.log %1 : tensor<?xf32> -> tensor<?xf32> loc("model.py":6:0)
  %3 = tensorc.reduce_sum %0 axes = [0, 1] {keepdims = true} : tensor<?x?xf32> -> tensor<1x1xf32>
  %4 = tensorc.log %3 : tensor<1x1xf32> -> tensor<1x1xf32>
  return %2, %4 : tensor<?xf32>, tensor<1x1xf32>
}

// A product instead of a sum, a sum of something else.
// CHECK-LABEL: func.func @logsumexp_no_match
// CHECK-NOT: tensorc.logsumexp
func.func @logsumexp_no_match(%x: tensor<?x?xf32>) -> (tensor<?xf32>, tensor<?xf32>) {
  %0 = tensorc.exp %x : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.reduce_prod %0 axes = [1] : tensor<?x?xf32> -> tensor<?xf32>
  %2 = tensorc.log %1 : tensor<?xf32> -> tensor<?xf32>
  %3 = tensorc.sqrt %x : tensor<?x?xf32> -> tensor<?x?xf32>
  %4 = tensorc.reduce_sum %3 axes = [1] : tensor<?x?xf32> -> tensor<?xf32>
  %5 = tensorc.log %4 : tensor<?xf32> -> tensor<?xf32>
  return %2, %5 : tensor<?xf32>, tensor<?xf32>
}

// -----

// === spelled-softmax: exp(x) / sum(exp(x), a, keepdims), and its max-shifted spelling -> softmax(x, a)

// CHECK-LABEL: func.func @spelled_softmax
// CHECK-NEXT: %[[A:.*]] = tensorc.softmax %arg0 axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
// CHECK-NEXT: %[[B:.*]] = tensorc.softmax %arg0 axis = 0 : tensor<?x?xf32> -> tensor<?x?xf32>
// CHECK-NEXT: %[[C:.*]] = tensorc.softmax %arg1 axis = 0 : tensor<?xf64> -> tensor<?xf64>
// CHECK-NEXT: return %[[A]], %[[B]], %[[C]]
func.func @spelled_softmax(%x: tensor<?x?xf32>, %v: tensor<?xf64>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?xf64>) {
  // naive, keepdims=True
  %0 = tensorc.exp %x : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.reduce_sum %0 axes = [1] {keepdims = true} : tensor<?x?xf32> -> tensor<?x1xf32>
  %2 = tensorc.div %0, %1 : tensor<?x?xf32>, tensor<?x1xf32> -> tensor<?x?xf32>
  // max-shifted over axis 0, the sum's axis put back by expand_dims
  %m = tensorc.reduce_max %x axes = [0] {keepdims = true} : tensor<?x?xf32> -> tensor<1x?xf32>
  %d = tensorc.sub %x, %m : tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
  %e = tensorc.exp %d : tensor<?x?xf32> -> tensor<?x?xf32>
  %s = tensorc.reduce_sum %e axes = [0] : tensor<?x?xf32> -> tensor<?xf32>
  %se = tensorc.expand_dims %s [0] : tensor<?xf32> -> tensor<1x?xf32>
  %3 = tensorc.div %e, %se : tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
  // a vector divided by its 0-d sum (e / e.sum(), ranks aligned by the frontend's expand_dims)
  %ve = tensorc.exp %v : tensor<?xf64> -> tensor<?xf64>
  %vs = tensorc.reduce_sum %ve axes = [0] : tensor<?xf64> -> tensor<f64>
  %vse = tensorc.expand_dims %vs [0] : tensor<f64> -> tensor<1xf64>
  %4 = tensorc.div %ve, %vse : tensor<?xf64>, tensor<1xf64> -> tensor<?xf64>
  return %2, %3, %4 : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?xf64>
}

// Must not fire: the sum of another exp, a sum over two axes, a row sum without keepdims (NumPy
// broadcasts it along the rows), a shift along another axis (the rewrite keeps that shift).
// CHECK-LABEL: func.func @spelled_softmax_no_match
// CHECK-COUNT-3: tensorc.div
// CHECK: %[[S:.*]] = tensorc.sub %arg0
// CHECK: tensorc.softmax %[[S]] axis = 1
// CHECK-NOT: tensorc.softmax
func.func @spelled_softmax_no_match(%x: tensor<?x?xf32>, %y: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  %ex = tensorc.exp %x : tensor<?x?xf32> -> tensor<?x?xf32>
  %ey = tensorc.exp %y : tensor<?x?xf32> -> tensor<?x?xf32>
  %sy = tensorc.reduce_sum %ey axes = [1] {keepdims = true} : tensor<?x?xf32> -> tensor<?x1xf32>
  %0 = tensorc.div %ex, %sy : tensor<?x?xf32>, tensor<?x1xf32> -> tensor<?x?xf32>
  %s2 = tensorc.reduce_sum %ex axes = [0, 1] {keepdims = true} : tensor<?x?xf32> -> tensor<1x1xf32>
  %1 = tensorc.div %ex, %s2 : tensor<?x?xf32>, tensor<1x1xf32> -> tensor<?x?xf32>
  %s3 = tensorc.reduce_sum %ex axes = [1] : tensor<?x?xf32> -> tensor<?xf32>
  %s3e = tensorc.expand_dims %s3 [0] : tensor<?xf32> -> tensor<1x?xf32>
  %2 = tensorc.div %ex, %s3e : tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
  %m = tensorc.reduce_max %x axes = [0] {keepdims = true} : tensor<?x?xf32> -> tensor<1x?xf32>
  %d = tensorc.sub %x, %m : tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
  %e = tensorc.exp %d : tensor<?x?xf32> -> tensor<?x?xf32>
  %s = tensorc.reduce_sum %e axes = [1] {keepdims = true} : tensor<?x?xf32> -> tensor<?x1xf32>
  %3 = tensorc.div %e, %s : tensor<?x?xf32>, tensor<?x1xf32> -> tensor<?x?xf32>
  return %0, %1, %2, %3 : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// === exp(log_softmax(x)) is not rewritten into softmax(x): they differ on a row holding +inf
// (exp of SciPy's log_softmax is 0 beside the nan, softmax is nan everywhere; fuzz seed 14206).

// CHECK-LABEL: func.func @exp_log_softmax_untouched
// CHECK-NEXT: tensorc.log_softmax
// CHECK-NEXT: tensorc.exp
func.func @exp_log_softmax_untouched(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = tensorc.log_softmax %x axis = 0 : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.exp %0 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %1 : tensor<?x?xf32>
}

// CHECK-LABEL: func.func @exp_softmax_untouched
// CHECK-NEXT: tensorc.softmax
// CHECK-NEXT: tensorc.exp
func.func @exp_softmax_untouched(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = tensorc.softmax %x axis = 0 : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.exp %0 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %1 : tensor<?x?xf32>
}

// -----

// === log1p: log(1 + x) -> log1p(x)

// CHECK-LABEL: func.func @log1p
// CHECK-NEXT: %[[A:.*]] = tensorc.log1p %arg0 : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: %[[B:.*]] = tensorc.log1p %arg0 : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: return %[[A]], %[[B]]
// LOC-LABEL: func.func @log1p
// LOC-NEXT: tensorc.log1p %arg0 : tensor<?xf32> -> tensor<?xf32> loc("model.py":12:0)
func.func @log1p(%x: tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>) {
  %c1 = tensorc.constant dense<1.0> : tensor<1xf32>
  %0 = tensorc.add %c1, %x : tensor<1xf32>, tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.log %0 : tensor<?xf32> -> tensor<?xf32> loc("model.py":12:0)
  %2 = tensorc.add %x, %c1 : tensor<?xf32>, tensor<1xf32> -> tensor<?xf32>
  %3 = tensorc.log %2 : tensor<?xf32> -> tensor<?xf32>
  return %1, %3 : tensor<?xf32>, tensor<?xf32>
}

// The constant is not 1; the constant 1 broadcasts x to a bigger shape (log1p(x) would have x's type).
// CHECK-LABEL: func.func @log1p_no_match
// CHECK-NOT: tensorc.log1p
func.func @log1p_no_match(%x: tensor<?xf32>, %s: tensor<1xf32>) -> (tensor<?xf32>, tensor<3xf32>) {
  %c2 = tensorc.constant dense<2.0> : tensor<1xf32>
  %0 = tensorc.add %x, %c2 : tensor<?xf32>, tensor<1xf32> -> tensor<?xf32>
  %1 = tensorc.log %0 : tensor<?xf32> -> tensor<?xf32>
  %c1 = tensorc.constant dense<1.0> : tensor<3xf32>
  %2 = tensorc.add %s, %c1 : tensor<1xf32>, tensor<3xf32> -> tensor<3xf32>
  %3 = tensorc.log %2 : tensor<3xf32> -> tensor<3xf32>
  return %1, %3 : tensor<?xf32>, tensor<3xf32>
}

// -----

// === expm1: exp(x) - 1 -> expm1(x)

// CHECK-LABEL: func.func @expm1
// CHECK-NEXT: %[[A:.*]] = tensorc.expm1 %arg0 : tensor<?x?xf64> -> tensor<?x?xf64>
// CHECK-NEXT: %[[B:.*]] = tensorc.expm1 %arg0 : tensor<?x?xf64> -> tensor<?x?xf64>
// CHECK-NEXT: return %[[A]], %[[B]]
// LOC-LABEL: func.func @expm1
// LOC-NEXT: tensorc.expm1 {{.*}} loc("model.py":14:0)
func.func @expm1(%x: tensor<?x?xf64>) -> (tensor<?x?xf64>, tensor<?x?xf64>) {
  %c1 = tensorc.constant dense<1.0> : tensor<1x1xf64>
  %0 = tensorc.exp %x : tensor<?x?xf64> -> tensor<?x?xf64>
  %1 = tensorc.sub %0, %c1 : tensor<?x?xf64>, tensor<1x1xf64> -> tensor<?x?xf64> loc("model.py":14:0)
  %cm1 = tensorc.constant dense<-1.0> : tensor<1x1xf64>
  %2 = tensorc.add %0, %cm1 : tensor<?x?xf64>, tensor<1x1xf64> -> tensor<?x?xf64>
  return %1, %2 : tensor<?x?xf64>, tensor<?x?xf64>
}

// 1 - exp(x), exp(x) - 2, and a 1 that broadcasts exp(x) to a bigger shape.
// CHECK-LABEL: func.func @expm1_no_match
// CHECK-NOT: tensorc.expm1
func.func @expm1_no_match(%x: tensor<?xf32>, %s: tensor<1xf32>) -> (tensor<?xf32>, tensor<?xf32>, tensor<4xf32>) {
  %c1 = tensorc.constant dense<1.0> : tensor<1xf32>
  %c2 = tensorc.constant dense<2.0> : tensor<1xf32>
  %0 = tensorc.exp %x : tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.sub %c1, %0 : tensor<1xf32>, tensor<?xf32> -> tensor<?xf32>
  %2 = tensorc.sub %0, %c2 : tensor<?xf32>, tensor<1xf32> -> tensor<?xf32>
  %c4 = tensorc.constant dense<1.0> : tensor<4xf32>
  %3 = tensorc.exp %s : tensor<1xf32> -> tensor<1xf32>
  %4 = tensorc.sub %3, %c4 : tensor<1xf32>, tensor<4xf32> -> tensor<4xf32>
  return %1, %2, %4 : tensor<?xf32>, tensor<?xf32>, tensor<4xf32>
}

// -----

// === log-sigmoid: log(sigmoid(x)) -> -softplus(-x)

// CHECK-LABEL: func.func @log_sigmoid
// CHECK-NEXT: %[[N:.*]] = tensorc.neg %arg0 : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: %[[S:.*]] = tensorc.softplus %[[N]] : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: %[[R:.*]] = tensorc.neg %[[S]] : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: return %[[R]]
// LOC-LABEL: func.func @log_sigmoid
// LOC-NEXT: tensorc.neg %arg0 {{.*}} loc("model.py":20:0)
// LOC-NEXT: tensorc.softplus {{.*}} loc("model.py":20:0)
// LOC-NEXT: tensorc.neg {{.*}} loc("model.py":20:0)
func.func @log_sigmoid(%x: tensor<?xf32>) -> tensor<?xf32> {
  %0 = tensorc.sigmoid %x : tensor<?xf32> -> tensor<?xf32> loc("model.py":19:0)
  %1 = tensorc.log %0 : tensor<?xf32> -> tensor<?xf32> loc("model.py":20:0)
  return %1 : tensor<?xf32>
}

// log(sigmoid(-y)) -> -softplus(y): no double negation is built.
// CHECK-LABEL: func.func @log_sigmoid_of_neg
// CHECK-NEXT: %[[S:.*]] = tensorc.softplus %arg0 : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: %[[R:.*]] = tensorc.neg %[[S]] : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: return %[[R]]
func.func @log_sigmoid_of_neg(%y: tensor<?xf32>) -> tensor<?xf32> {
  %0 = tensorc.neg %y : tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.sigmoid %0 : tensor<?xf32> -> tensor<?xf32>
  %2 = tensorc.log %1 : tensor<?xf32> -> tensor<?xf32>
  return %2 : tensor<?xf32>
}

// CHECK-LABEL: func.func @log_tanh_untouched
// CHECK-NEXT: tensorc.tanh
// CHECK-NEXT: tensorc.log
func.func @log_tanh_untouched(%x: tensor<?xf32>) -> tensor<?xf32> {
  %0 = tensorc.tanh %x : tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.log %0 : tensor<?xf32> -> tensor<?xf32>
  return %1 : tensor<?xf32>
}

// -----

// === log-one-minus-sigmoid: log(1 - sigmoid(x)) -> -softplus(x)
// (one-minus-sigmoid then log-sigmoid reach the same result; either way no sigmoid or double negation is left)

// CHECK-LABEL: func.func @log_one_minus_sigmoid
// CHECK-NEXT: %[[S:.*]] = tensorc.softplus %arg0 : tensor<?x?xf64> -> tensor<?x?xf64>
// CHECK-NEXT: %[[R:.*]] = tensorc.neg %[[S]] : tensor<?x?xf64> -> tensor<?x?xf64>
// CHECK-NEXT: return %[[R]]
// The rewrite on its own (enable-patterns), without one-minus-sigmoid and log-sigmoid:
// ONLY-LABEL: func.func @log_one_minus_sigmoid
// ONLY-NEXT: %[[S:.*]] = tensorc.softplus %arg0 : tensor<?x?xf64> -> tensor<?x?xf64>
// ONLY-NEXT: %[[R:.*]] = tensorc.neg %[[S]] : tensor<?x?xf64> -> tensor<?x?xf64>
// ONLY-NEXT: return %[[R]]
func.func @log_one_minus_sigmoid(%x: tensor<?x?xf64>) -> tensor<?x?xf64> {
  %c1 = tensorc.constant dense<1.0> : tensor<1x1xf64>
  %0 = tensorc.sigmoid %x : tensor<?x?xf64> -> tensor<?x?xf64>
  %1 = tensorc.sub %c1, %0 : tensor<1x1xf64>, tensor<?x?xf64> -> tensor<?x?xf64>
  %2 = tensorc.log %1 : tensor<?x?xf64> -> tensor<?x?xf64>
  return %2 : tensor<?x?xf64>
}

// log(2 - sigmoid(x)) is left alone.
// CHECK-LABEL: func.func @log_two_minus_sigmoid
// CHECK-NOT: tensorc.softplus
func.func @log_two_minus_sigmoid(%x: tensor<?x?xf64>) -> tensor<?x?xf64> {
  %c2 = tensorc.constant dense<2.0> : tensor<1x1xf64>
  %0 = tensorc.sigmoid %x : tensor<?x?xf64> -> tensor<?x?xf64>
  %1 = tensorc.sub %c2, %0 : tensor<1x1xf64>, tensor<?x?xf64> -> tensor<?x?xf64>
  %2 = tensorc.log %1 : tensor<?x?xf64> -> tensor<?x?xf64>
  return %2 : tensor<?x?xf64>
}

// -----

// === one-minus-sigmoid: 1 - sigmoid(x) -> sigmoid(-x)

// Only the enabled rewrite runs: 1 - sigmoid(x) stays.
// ONLY-LABEL: func.func @one_minus_sigmoid(
// ONLY-NOT: tensorc.neg
// ONLY: tensorc.sub
// ONLY-NOT: tensorc.neg
// ONLY-LABEL: func.func @one_minus_sigmoid_no_match
// CHECK-LABEL: func.func @one_minus_sigmoid
// CHECK-NEXT: %[[N:.*]] = tensorc.neg %arg0 : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: %[[R:.*]] = tensorc.sigmoid %[[N]] : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: return %[[R]]
// LOC-LABEL: func.func @one_minus_sigmoid
// LOC-NEXT: tensorc.neg {{.*}} loc("model.py":30:0)
// LOC-NEXT: tensorc.sigmoid {{.*}} loc("model.py":30:0)
func.func @one_minus_sigmoid(%x: tensor<?xf32>) -> tensor<?xf32> {
  %c1 = tensorc.constant dense<1.0> : tensor<1xf32>
  %0 = tensorc.sigmoid %x : tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.sub %c1, %0 : tensor<1xf32>, tensor<?xf32> -> tensor<?xf32> loc("model.py":30:0)
  return %1 : tensor<?xf32>
}

// sigmoid(x) - 1, and a 1 that broadcasts sigmoid(x) to a bigger shape.
// CHECK-LABEL: func.func @one_minus_sigmoid_no_match
// CHECK-NOT: tensorc.neg
func.func @one_minus_sigmoid_no_match(%x: tensor<?xf32>, %s: tensor<1xf32>) -> (tensor<?xf32>, tensor<5xf32>) {
  %c1 = tensorc.constant dense<1.0> : tensor<1xf32>
  %0 = tensorc.sigmoid %x : tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.sub %0, %c1 : tensor<?xf32>, tensor<1xf32> -> tensor<?xf32>
  %c5 = tensorc.constant dense<1.0> : tensor<5xf32>
  %2 = tensorc.sigmoid %s : tensor<1xf32> -> tensor<1xf32>
  %3 = tensorc.sub %c5, %2 : tensor<5xf32>, tensor<1xf32> -> tensor<5xf32>
  return %1, %3 : tensor<?xf32>, tensor<5xf32>
}

// -----

// === exp-ratio-sigmoid: exp(x) / (1 + exp(x)) -> sigmoid(x)

// CHECK-LABEL: func.func @exp_ratio_sigmoid
// CHECK-NEXT: %[[A:.*]] = tensorc.sigmoid %arg0 : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: %[[B:.*]] = tensorc.sigmoid %arg0 : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: return %[[A]], %[[B]]
func.func @exp_ratio_sigmoid(%x: tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>) {
  %c1 = tensorc.constant dense<1.0> : tensor<1xf32>
  %0 = tensorc.exp %x : tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.add %c1, %0 : tensor<1xf32>, tensor<?xf32> -> tensor<?xf32>
  %2 = tensorc.div %0, %1 : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  // two identical exp ops, as the frontend emits them before tensorc-merge
  %3 = tensorc.exp %x : tensor<?xf32> -> tensor<?xf32>
  %4 = tensorc.exp %x : tensor<?xf32> -> tensor<?xf32>
  %5 = tensorc.add %4, %c1 : tensor<?xf32>, tensor<1xf32> -> tensor<?xf32>
  %6 = tensorc.div %3, %5 : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  return %2, %6 : tensor<?xf32>, tensor<?xf32>
}

// exp(x) / (1 + exp(y)), exp(x) / (2 + exp(x)).
// CHECK-LABEL: func.func @exp_ratio_no_match
// CHECK-NOT: tensorc.sigmoid
func.func @exp_ratio_no_match(%x: tensor<?xf32>, %y: tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>) {
  %c1 = tensorc.constant dense<1.0> : tensor<1xf32>
  %c2 = tensorc.constant dense<2.0> : tensor<1xf32>
  %0 = tensorc.exp %x : tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.exp %y : tensor<?xf32> -> tensor<?xf32>
  %2 = tensorc.add %c1, %1 : tensor<1xf32>, tensor<?xf32> -> tensor<?xf32>
  %3 = tensorc.div %0, %2 : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  %4 = tensorc.add %c2, %0 : tensor<1xf32>, tensor<?xf32> -> tensor<?xf32>
  %5 = tensorc.div %0, %4 : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  return %3, %5 : tensor<?xf32>, tensor<?xf32>
}

// -----

// === softplus: log1p(exp(x)) -> softplus(x)

// CHECK-LABEL: func.func @softplus
// CHECK-NEXT: %[[A:.*]] = tensorc.softplus %arg0 : tensor<?xf64> -> tensor<?xf64>
// CHECK-NEXT: %[[B:.*]] = tensorc.softplus %arg0 : tensor<?xf64> -> tensor<?xf64>
// CHECK-NEXT: return %[[A]], %[[B]]
func.func @softplus(%x: tensor<?xf64>) -> (tensor<?xf64>, tensor<?xf64>) {
  %0 = tensorc.exp %x : tensor<?xf64> -> tensor<?xf64>
  %1 = tensorc.log1p %0 : tensor<?xf64> -> tensor<?xf64>
  // log(1 + exp(x)) goes through log1p(exp(x))
  %c1 = tensorc.constant dense<1.0> : tensor<1xf64>
  %2 = tensorc.add %c1, %0 : tensor<1xf64>, tensor<?xf64> -> tensor<?xf64>
  %3 = tensorc.log %2 : tensor<?xf64> -> tensor<?xf64>
  return %1, %3 : tensor<?xf64>, tensor<?xf64>
}

// CHECK-LABEL: func.func @softplus_no_match
// CHECK-NOT: tensorc.softplus
func.func @softplus_no_match(%x: tensor<?xf64>) -> tensor<?xf64> {
  %0 = tensorc.expm1 %x : tensor<?xf64> -> tensor<?xf64>
  %1 = tensorc.log1p %0 : tensor<?xf64> -> tensor<?xf64>
  return %1 : tensor<?xf64>
}

// -----

// === log1mexp: log(1 - exp(x)), log(-expm1(x)), log1p(-exp(x)) -> log1mexp(x)

// CHECK-LABEL: func.func @log1mexp
// CHECK-NEXT: %[[A:.*]] = tensorc.log1mexp %arg0 : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: %[[B:.*]] = tensorc.log1mexp %arg0 : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: %[[C:.*]] = tensorc.log1mexp %arg0 : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: return %[[A]], %[[B]], %[[C]]
// LOC-LABEL: func.func @log1mexp
// LOC-NEXT: tensorc.log1mexp {{.*}} loc("model.py":40:0)
func.func @log1mexp(%x: tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>, tensor<?xf32>) {
  %c1 = tensorc.constant dense<1.0> : tensor<1xf32>
  %0 = tensorc.exp %x : tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.sub %c1, %0 : tensor<1xf32>, tensor<?xf32> -> tensor<?xf32>
  %2 = tensorc.log %1 : tensor<?xf32> -> tensor<?xf32> loc("model.py":40:0)
  %3 = tensorc.expm1 %x : tensor<?xf32> -> tensor<?xf32>
  %4 = tensorc.neg %3 : tensor<?xf32> -> tensor<?xf32>
  %5 = tensorc.log %4 : tensor<?xf32> -> tensor<?xf32>
  %6 = tensorc.neg %0 : tensor<?xf32> -> tensor<?xf32>
  %7 = tensorc.log1p %6 : tensor<?xf32> -> tensor<?xf32>
  return %2, %5, %7 : tensor<?xf32>, tensor<?xf32>, tensor<?xf32>
}

// log(-(exp(x) - 1)): expm1 first, then log1mexp.
// CHECK-LABEL: func.func @log1mexp_through_expm1
// CHECK-NEXT: %[[A:.*]] = tensorc.log1mexp %arg0 : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: return %[[A]]
func.func @log1mexp_through_expm1(%x: tensor<?xf32>) -> tensor<?xf32> {
  %c1 = tensorc.constant dense<1.0> : tensor<1xf32>
  %0 = tensorc.exp %x : tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.sub %0, %c1 : tensor<?xf32>, tensor<1xf32> -> tensor<?xf32>
  %2 = tensorc.neg %1 : tensor<?xf32> -> tensor<?xf32>
  %3 = tensorc.log %2 : tensor<?xf32> -> tensor<?xf32>
  return %3 : tensor<?xf32>
}

// log(2 - exp(x)), and a 1 that broadcasts exp(x) to a bigger shape.
// CHECK-LABEL: func.func @log1mexp_no_match
// CHECK-NOT: tensorc.log1mexp
func.func @log1mexp_no_match(%x: tensor<?xf32>, %s: tensor<1xf32>) -> (tensor<?xf32>, tensor<3xf32>) {
  %c2 = tensorc.constant dense<2.0> : tensor<1xf32>
  %0 = tensorc.exp %x : tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.sub %c2, %0 : tensor<1xf32>, tensor<?xf32> -> tensor<?xf32>
  %2 = tensorc.log %1 : tensor<?xf32> -> tensor<?xf32>
  %c3 = tensorc.constant dense<1.0> : tensor<3xf32>
  %3 = tensorc.exp %s : tensor<1xf32> -> tensor<1xf32>
  %4 = tensorc.sub %c3, %3 : tensor<3xf32>, tensor<1xf32> -> tensor<3xf32>
  %5 = tensorc.log %4 : tensor<3xf32> -> tensor<3xf32>
  return %2, %5 : tensor<?xf32>, tensor<3xf32>
}

// -----

// === softmax-cross-entropy: -log_softmax(x, axis=1)[arange(n), y] -> softmax_cross_entropy(x, y)

// CHECK-LABEL: func.func @cross_entropy
// CHECK: %[[R:.*]] = tensorc.softmax_cross_entropy %arg0, %arg1 : tensor<?x?xf32>, tensor<?xi64> -> tensor<?xf32>
// CHECK-NEXT: return %[[R]]
// LOC-LABEL: func.func @cross_entropy
// LOC: tensorc.softmax_cross_entropy {{.*}} loc("model.py":50:0)
func.func @cross_entropy(%x: tensor<?x?xf32>, %y: tensor<?xi64>) -> tensor<?xf32> {
  %n = tensorc.dim %y[0] : tensor<?xi64>
  %i = tensorc.arange %n : tensor<?xi64>
  %0 = tensorc.log_softmax %x axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.gather %0[%i, %y] axis = 0 : (tensor<?x?xf32>, tensor<?xi64>, tensor<?xi64>) -> tensor<?xf32>
  %2 = tensorc.neg %1 : tensor<?xf32> -> tensor<?xf32> loc("model.py":50:0)
  return %2 : tensor<?xf32>
}

// What the frontend emits for -mean(log(softmax(x))[arange(y.shape[0]), y]): arange's length is
// max(-((0 - n) // 1), 0), and the log(softmax) goes through log-softmax first.
// CHECK-LABEL: func.func @cross_entropy_frontend_mean
// CHECK-NOT: tensorc.log
// CHECK-NOT: tensorc.gather
// CHECK: %[[CE:.*]] = tensorc.softmax_cross_entropy %arg0, %arg1 : tensor<?x?xf32>, tensor<?xi64> -> tensor<?xf32>
// CHECK-NEXT: %[[R:.*]] = tensorc.reduce_mean %[[CE]] axes = [0] : tensor<?xf32> -> tensor<f32>
// CHECK-NEXT: return %[[R]]
// LOC-LABEL: func.func @cross_entropy_frontend_mean
// LOC: tensorc.softmax_cross_entropy {{.*}} loc("model.py":60:0)
// LOC-NEXT: tensorc.reduce_mean {{.*}} loc("model.py":60:0)
func.func @cross_entropy_frontend_mean(%x: tensor<?x?xf32>, %y: tensor<?xi64>) -> tensor<f32> {
  %0 = tensorc.softmax %x axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.log %0 : tensor<?x?xf32> -> tensor<?x?xf32>
  %2 = tensorc.dim %y[0] : tensor<?xi64>
  %3 = tensorc.constant dense<0> : tensor<i64>
  %4 = tensorc.sub %3, %2 : tensor<i64>, tensor<i64> -> tensor<i64>
  %5 = tensorc.constant dense<1> : tensor<i64>
  %6 = tensorc.floordiv %4, %5 : tensor<i64>, tensor<i64> -> tensor<i64>
  %7 = tensorc.neg %6 : tensor<i64> -> tensor<i64>
  %8 = tensorc.max %7, %3 : tensor<i64>, tensor<i64> -> tensor<i64>
  %9 = tensorc.arange %8 : tensor<?xi64>
  %10 = tensorc.gather %1[%9, %y] axis = 0 : (tensor<?x?xf32>, tensor<?xi64>, tensor<?xi64>) -> tensor<?xf32>
  %11 = tensorc.reduce_mean %10 axes = [0] : tensor<?xf32> -> tensor<f32>
  %12 = tensorc.neg %11 : tensor<f32> -> tensor<f32> loc("model.py":60:0)
  return %12 : tensor<f32>
}

// n = x.shape[0], int32 labels cast to i64, a sum instead of a mean.
// CHECK-LABEL: func.func @cross_entropy_rows_sum
// CHECK: %[[Y:.*]] = tensorc.cast %arg1 : tensor<?xi32> to tensor<?xi64>
// CHECK: %[[CE:.*]] = tensorc.softmax_cross_entropy %arg0, %[[Y]] : tensor<?x?xf64>, tensor<?xi64> -> tensor<?xf64>
// CHECK-NEXT: %[[R:.*]] = tensorc.reduce_sum %[[CE]] axes = [0] {keepdims = true} : tensor<?xf64> -> tensor<1xf64>
// CHECK-NEXT: return %[[R]]
func.func @cross_entropy_rows_sum(%x: tensor<?x?xf64>, %y: tensor<?xi32>) -> tensor<1xf64> {
  %n = tensorc.dim %x[0] : tensor<?x?xf64>
  %i = tensorc.arange %n : tensor<?xi64>
  %yc = tensorc.cast %y : tensor<?xi32> to tensor<?xi64>
  %0 = tensorc.log_softmax %x axis = 1 : tensor<?x?xf64> -> tensor<?x?xf64>
  %1 = tensorc.gather %0[%i, %yc] axis = 0 : (tensor<?x?xf64>, tensor<?xi64>, tensor<?xi64>) -> tensor<?xf64>
  %2 = tensorc.reduce_sum %1 axes = [0] {keepdims = true} : tensor<?xf64> -> tensor<1xf64>
  %3 = tensorc.neg %2 : tensor<1xf64> -> tensor<1xf64>
  return %3 : tensor<1xf64>
}

// n = p.shape[0] for p = log(softmax(x)): the rows of something computed from x row by row.
// CHECK-LABEL: func.func @cross_entropy_rows_of_log_softmax
// CHECK: tensorc.softmax_cross_entropy %arg0, %arg1 : tensor<?x?xf32>, tensor<?xi64> -> tensor<?xf32>
func.func @cross_entropy_rows_of_log_softmax(%x: tensor<?x?xf32>, %y: tensor<?xi64>) -> tensor<?xf32> {
  %0 = tensorc.softmax %x axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.log %0 : tensor<?x?xf32> -> tensor<?x?xf32>
  %n = tensorc.dim %1[0] : tensor<?x?xf32>
  %i = tensorc.arange %n : tensor<?xi64>
  %2 = tensorc.gather %1[%i, %y] axis = 0 : (tensor<?x?xf32>, tensor<?xi64>, tensor<?xi64>) -> tensor<?xf32>
  %3 = tensorc.neg %2 : tensor<?xf32> -> tensor<?xf32>
  return %3 : tensor<?xf32>
}

// Static shapes: arange's length is a constant equal to the number of labels.
// CHECK-LABEL: func.func @cross_entropy_static
// CHECK: tensorc.softmax_cross_entropy %arg0, %arg1 : tensor<3x5xf32>, tensor<3xi64> -> tensor<3xf32>
func.func @cross_entropy_static(%x: tensor<3x5xf32>, %y: tensor<3xi64>) -> tensor<3xf32> {
  %n = tensorc.constant dense<3> : tensor<i64>
  %i = tensorc.arange %n : tensor<?xi64>
  %0 = tensorc.log_softmax %x axis = 1 : tensor<3x5xf32> -> tensor<3x5xf32>
  %1 = tensorc.gather %0[%i, %y] axis = 0 : (tensor<3x5xf32>, tensor<?xi64>, tensor<3xi64>) -> tensor<3xf32>
  %2 = tensorc.neg %1 : tensor<3xf32> -> tensor<3xf32>
  return %2 : tensor<3xf32>
}

// Not a cross-entropy: log_softmax over axis 0; arange over the columns (dim 1); a first index that is
// not an arange; one index tensor only; a constant length that is not the number of labels.
// CHECK-LABEL: func.func @cross_entropy_no_match
// CHECK-NOT: tensorc.softmax_cross_entropy
func.func @cross_entropy_no_match(%x: tensor<?x?xf32>, %y: tensor<?xi64>, %z: tensor<?xi64>, %s: tensor<4x4xf32>, %t: tensor<4xi64>)
    -> (tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?x?xf32>, tensor<4xf32>) {
  %n = tensorc.dim %y[0] : tensor<?xi64>
  %i = tensorc.arange %n : tensor<?xi64>
  %ls0 = tensorc.log_softmax %x axis = 0 : tensor<?x?xf32> -> tensor<?x?xf32>
  %0 = tensorc.gather %ls0[%i, %y] axis = 0 : (tensor<?x?xf32>, tensor<?xi64>, tensor<?xi64>) -> tensor<?xf32>
  %1 = tensorc.neg %0 : tensor<?xf32> -> tensor<?xf32>
  %c = tensorc.dim %x[1] : tensor<?x?xf32>
  %j = tensorc.arange %c : tensor<?xi64>
  %ls1 = tensorc.log_softmax %x axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  %2 = tensorc.gather %ls1[%j, %y] axis = 0 : (tensor<?x?xf32>, tensor<?xi64>, tensor<?xi64>) -> tensor<?xf32>
  %3 = tensorc.neg %2 : tensor<?xf32> -> tensor<?xf32>
  %4 = tensorc.gather %ls1[%z, %y] axis = 0 : (tensor<?x?xf32>, tensor<?xi64>, tensor<?xi64>) -> tensor<?xf32>
  %5 = tensorc.neg %4 : tensor<?xf32> -> tensor<?xf32>
  %6 = tensorc.gather %ls1[%y] axis = 0 : (tensor<?x?xf32>, tensor<?xi64>) -> tensor<?x?xf32>
  %7 = tensorc.neg %6 : tensor<?x?xf32> -> tensor<?x?xf32>
  %c2 = tensorc.constant dense<2> : tensor<i64>
  %k = tensorc.arange %c2 : tensor<?xi64>
  %ls2 = tensorc.log_softmax %s axis = 1 : tensor<4x4xf32> -> tensor<4x4xf32>
  %8 = tensorc.gather %ls2[%k, %t] axis = 0 : (tensor<4x4xf32>, tensor<?xi64>, tensor<4xi64>) -> tensor<4xf32>
  %9 = tensorc.neg %8 : tensor<4xf32> -> tensor<4xf32>
  return %1, %3, %5, %7, %9 : tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?x?xf32>, tensor<4xf32>
}

// The gathered vector has another use: rewriting would compute the gather and the cross-entropy.
// CHECK-LABEL: func.func @cross_entropy_multi_use
// CHECK-NOT: tensorc.softmax_cross_entropy
func.func @cross_entropy_multi_use(%x: tensor<?x?xf32>, %y: tensor<?xi64>) -> (tensor<?xf32>, tensor<?xf32>) {
  %n = tensorc.dim %y[0] : tensor<?xi64>
  %i = tensorc.arange %n : tensor<?xi64>
  %0 = tensorc.log_softmax %x axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.gather %0[%i, %y] axis = 0 : (tensor<?x?xf32>, tensor<?xi64>, tensor<?xi64>) -> tensor<?xf32>
  %2 = tensorc.neg %1 : tensor<?xf32> -> tensor<?xf32>
  return %2, %1 : tensor<?xf32>, tensor<?xf32>
}

// -----

// === spelled log_softmax: x - log(sum(exp(x), keepdims)) -> log_softmax(x, a); the max-shifted
// (x - m) - log(sum(exp(x - m), keepdims)) -> log_softmax(x - m, a), keeping the shift (logsumexp,
// then sub-logsumexp): on a row holding +inf NumPy's evaluation is nan everywhere, as is
// log_softmax(x - m), where log_softmax(x) is -inf beside the nan. softmax-shift drops the shift of a
// softmax (nan for such a row either way).

// CHECK-LABEL: func.func @spelled_log_softmax
// CHECK-NEXT: %[[A:.*]] = tensorc.log_softmax %arg0 axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
// CHECK-NEXT: %[[M:.*]] = tensorc.reduce_max %arg0 axes = [1] {keepdims = true}
// CHECK-NEXT: %[[D:.*]] = tensorc.sub %arg0, %[[M]]
// CHECK-NEXT: %[[B:.*]] = tensorc.log_softmax %[[D]] axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
// CHECK-NEXT: %[[C:.*]] = tensorc.softmax %arg0 axis = 0 : tensor<?x?xf32> -> tensor<?x?xf32>
// CHECK-NEXT: return %[[A]], %[[B]], %[[C]]
func.func @spelled_log_softmax(%x: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  %e = tensorc.exp %x : tensor<?x?xf32> -> tensor<?x?xf32>
  %s = tensorc.reduce_sum %e axes = [1] {keepdims = true} : tensor<?x?xf32> -> tensor<?x1xf32>
  %l = tensorc.log %s : tensor<?x1xf32> -> tensor<?x1xf32>
  %0 = tensorc.sub %x, %l : tensor<?x?xf32>, tensor<?x1xf32> -> tensor<?x?xf32>
  %m = tensorc.reduce_max %x axes = [1] {keepdims = true} : tensor<?x?xf32> -> tensor<?x1xf32>
  %d = tensorc.sub %x, %m : tensor<?x?xf32>, tensor<?x1xf32> -> tensor<?x?xf32>
  %ed = tensorc.exp %d : tensor<?x?xf32> -> tensor<?x?xf32>
  %sd = tensorc.reduce_sum %ed axes = [1] {keepdims = true} : tensor<?x?xf32> -> tensor<?x1xf32>
  %ld = tensorc.log %sd : tensor<?x1xf32> -> tensor<?x1xf32>
  %1 = tensorc.sub %d, %ld : tensor<?x?xf32>, tensor<?x1xf32> -> tensor<?x?xf32>
  // softmax of a value shifted by its max along the softmax's axis (keepdims=false max, expand_dims)
  %m0 = tensorc.reduce_max %x axes = [0] : tensor<?x?xf32> -> tensor<?xf32>
  %m0e = tensorc.expand_dims %m0 [0] : tensor<?xf32> -> tensor<1x?xf32>
  %d0 = tensorc.sub %x, %m0e : tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
  %2 = tensorc.softmax %d0 axis = 0 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %0, %1, %2 : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}

// Must not fire (softmax-shift): a shift by the max along another axis, by the max of another value.
// CHECK-LABEL: func.func @softmax_shift_no_match
// CHECK: %[[D:.*]] = tensorc.sub %arg0
// CHECK: tensorc.softmax %[[D]] axis = 1
// CHECK: %[[E:.*]] = tensorc.sub %arg0
// CHECK: tensorc.softmax %[[E]] axis = 1
func.func @softmax_shift_no_match(%x: tensor<?x?xf32>, %y: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %m = tensorc.reduce_max %x axes = [0] {keepdims = true} : tensor<?x?xf32> -> tensor<1x?xf32>
  %d = tensorc.sub %x, %m : tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
  %0 = tensorc.softmax %d axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  %my = tensorc.reduce_max %y axes = [1] {keepdims = true} : tensor<?x?xf32> -> tensor<?x1xf32>
  %e = tensorc.sub %x, %my : tensor<?x?xf32>, tensor<?x1xf32> -> tensor<?x?xf32>
  %1 = tensorc.softmax %e axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %0, %1 : tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// === the spelled logsumexp log(sum(exp(x - m), a)) + m: the log-sum-exp becomes logsumexp(x - m),
// stable as written, and the + m stays (NumPy's nan for rows of -inf or holding +inf is kept)

// CHECK-LABEL: func.func @spelled_logsumexp
// CHECK: %[[M:.*]] = tensorc.reduce_max %arg0 axes = [1] {keepdims = true}
// CHECK-NEXT: %[[D:.*]] = tensorc.sub %arg0, %[[M]]
// CHECK-NEXT: %[[L:.*]] = tensorc.logsumexp %[[D]] axes = [1] {keepdims = true}
// CHECK-NEXT: %[[R:.*]] = tensorc.add %[[L]], %[[M]]
// CHECK-NOT: tensorc.exp
// CHECK: return %[[R]]
func.func @spelled_logsumexp(%x: tensor<?x?xf64>) -> tensor<?x1xf64> {
  %m = tensorc.reduce_max %x axes = [1] {keepdims = true} : tensor<?x?xf64> -> tensor<?x1xf64>
  %d = tensorc.sub %x, %m : tensor<?x?xf64>, tensor<?x1xf64> -> tensor<?x?xf64>
  %e = tensorc.exp %d : tensor<?x?xf64> -> tensor<?x?xf64>
  %s = tensorc.reduce_sum %e axes = [1] {keepdims = true} : tensor<?x?xf64> -> tensor<?x1xf64>
  %l = tensorc.log %s : tensor<?x1xf64> -> tensor<?x1xf64>
  %0 = tensorc.add %l, %m : tensor<?x1xf64>, tensor<?x1xf64> -> tensor<?x1xf64>
  return %0 : tensor<?x1xf64>
}

// -----

// === spelled-sigmoid: 1 / (1 + exp(-x)) -> sigmoid(x)

// CHECK-LABEL: func.func @spelled_sigmoid
// CHECK-NEXT: %[[S:.*]] = tensorc.sigmoid %arg0 : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: return %[[S]]
func.func @spelled_sigmoid(%x: tensor<?xf32>) -> tensor<?xf32> {
  %one = tensorc.constant dense<1.0> : tensor<1xf32>
  %n = tensorc.neg %x : tensor<?xf32> -> tensor<?xf32>
  %e = tensorc.exp %n : tensor<?xf32> -> tensor<?xf32>
  %d = tensorc.add %one, %e : tensor<1xf32>, tensor<?xf32> -> tensor<?xf32>
  %r = tensorc.div %one, %d : tensor<1xf32>, tensor<?xf32> -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// Must not fire: 2 / (1 + exp(-x)), 1 / (1 + exp(x)) is exp-ratio's business only in its own form.
// CHECK-LABEL: func.func @spelled_sigmoid_no_match
// CHECK-COUNT-2: tensorc.div
// CHECK-NOT: tensorc.sigmoid
func.func @spelled_sigmoid_no_match(%x: tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>) {
  %one = tensorc.constant dense<1.0> : tensor<1xf32>
  %two = tensorc.constant dense<2.0> : tensor<1xf32>
  %n = tensorc.neg %x : tensor<?xf32> -> tensor<?xf32>
  %e = tensorc.exp %n : tensor<?xf32> -> tensor<?xf32>
  %d = tensorc.add %one, %e : tensor<1xf32>, tensor<?xf32> -> tensor<?xf32>
  %0 = tensorc.div %two, %d : tensor<1xf32>, tensor<?xf32> -> tensor<?xf32>
  %ep = tensorc.exp %x : tensor<?xf32> -> tensor<?xf32>
  %dp = tensorc.add %one, %ep : tensor<1xf32>, tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.div %one, %dp : tensor<1xf32>, tensor<?xf32> -> tensor<?xf32>
  return %0, %1 : tensor<?xf32>, tensor<?xf32>
}

// -----

// === spelled-logaddexp: log(exp(a) + exp(b)) -> where(a == b, a + log 2, max(a, b) + log1p(exp(-|a - b|)))
// (and log1p(exp(.)) then becomes softplus)

// CHECK-LABEL: func.func @spelled_logaddexp
// CHECK-DAG: %[[EQ:.*]] = tensorc.eq %arg0, %arg1
// CHECK-DAG: %[[MX:.*]] = tensorc.max %arg0, %arg1
// CHECK-DAG: %[[L:.*]] = tensorc.softplus
// CHECK-DAG: %[[G:.*]] = tensorc.add %[[MX]], %[[L]]
// CHECK-DAG: %[[T:.*]] = tensorc.add %arg0, %{{.*}} : tensor<?x?xf32>, tensor<1x1xf32>
// CHECK: %[[R:.*]] = tensorc.select %[[EQ]], %[[T]], %[[G]]
// CHECK-NOT: tensorc.log %
// CHECK: return %[[R]]
func.func @spelled_logaddexp(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %ea = tensorc.exp %a : tensor<?x?xf32> -> tensor<?x?xf32>
  %eb = tensorc.exp %b : tensor<?x?xf32> -> tensor<?x?xf32>
  %s = tensorc.add %ea, %eb : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  %r = tensorc.log %s : tensor<?x?xf32> -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// Must not fire: operands that broadcast against each other, a sum of an exp and something else.
// CHECK-LABEL: func.func @spelled_logaddexp_no_match
// CHECK-NOT: tensorc.select
// CHECK-COUNT-2: tensorc.log %
func.func @spelled_logaddexp_no_match(%a: tensor<?x?xf32>, %b: tensor<?x1xf32>, %c: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %ea = tensorc.exp %a : tensor<?x?xf32> -> tensor<?x?xf32>
  %eb = tensorc.exp %b : tensor<?x1xf32> -> tensor<?x1xf32>
  %s = tensorc.add %ea, %eb : tensor<?x?xf32>, tensor<?x1xf32> -> tensor<?x?xf32>
  %0 = tensorc.log %s : tensor<?x?xf32> -> tensor<?x?xf32>
  %s2 = tensorc.add %ea, %c : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tensorc.log %s2 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %0, %1 : tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// === more spellings: the row sum put back by a reshape (s.reshape(-1, 1)), and (1 + exp(-x)) ** -1

// CHECK-LABEL: func.func @reshape_and_pow_spellings
// CHECK-NEXT: %[[A:.*]] = tensorc.softmax %arg0 axis = 0 : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: %[[B:.*]] = tensorc.sigmoid %arg0 : tensor<?xf32> -> tensor<?xf32>
// CHECK-NEXT: return %[[A]], %[[B]]
func.func @reshape_and_pow_spellings(%v: tensor<?xf32>, %n: tensor<i64>) -> (tensor<?xf32>, tensor<?xf32>) {
  %e = tensorc.exp %v : tensor<?xf32> -> tensor<?xf32>
  %s = tensorc.reduce_sum %e axes = [0] : tensor<?xf32> -> tensor<f32>
  %r = tensorc.reshape %s () : tensor<f32> -> tensor<1xf32>
  %0 = tensorc.div %e, %r : tensor<?xf32>, tensor<1xf32> -> tensor<?xf32>
  %one = tensorc.constant dense<1.0> : tensor<1xf32>
  %m1 = tensorc.constant dense<-1.0> : tensor<1xf32>
  %neg = tensorc.neg %v : tensor<?xf32> -> tensor<?xf32>
  %en = tensorc.exp %neg : tensor<?xf32> -> tensor<?xf32>
  %d = tensorc.add %one, %en : tensor<1xf32>, tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.pow %d, %m1 : tensor<?xf32>, tensor<1xf32> -> tensor<?xf32>
  return %0, %1 : tensor<?xf32>, tensor<?xf32>
}

// Must not fire: a reshape of a sum over two dynamic dims into (?, 1, ?) (the sizes could be
// refactored), and (1 + exp(-x)) ** -2.
// CHECK-LABEL: func.func @reshape_and_pow_no_match
// CHECK: tensorc.div
// CHECK: tensorc.pow
// CHECK-NOT: tensorc.softmax
// CHECK-NOT: tensorc.sigmoid
func.func @reshape_and_pow_no_match(%x: tensor<?x?x?xf32>, %v: tensor<?xf32>, %a: tensor<i64>, %b: tensor<i64>) -> (tensor<?x?x?xf32>, tensor<?xf32>) {
  %e = tensorc.exp %x : tensor<?x?x?xf32> -> tensor<?x?x?xf32>
  %s = tensorc.reduce_sum %e axes = [1] : tensor<?x?x?xf32> -> tensor<?x?xf32>
  %r = tensorc.reshape %s (%a, %b) : tensor<?x?xf32> -> tensor<?x1x?xf32>
  %0 = tensorc.div %e, %r : tensor<?x?x?xf32>, tensor<?x1x?xf32> -> tensor<?x?x?xf32>
  %one = tensorc.constant dense<1.0> : tensor<1xf32>
  %m2 = tensorc.constant dense<-2.0> : tensor<1xf32>
  %neg = tensorc.neg %v : tensor<?xf32> -> tensor<?xf32>
  %en = tensorc.exp %neg : tensor<?xf32> -> tensor<?xf32>
  %d = tensorc.add %one, %en : tensor<1xf32>, tensor<?xf32> -> tensor<?xf32>
  %1 = tensorc.pow %d, %m2 : tensor<?xf32>, tensor<1xf32> -> tensor<?xf32>
  return %0, %1 : tensor<?x?x?xf32>, tensor<?xf32>
}
