// tensorc-math-approx: f32 transcendental functions become polynomial arithmetic; f64 stays libm.
// RUN: tensorc-opt %s -tensorc-math-approx | FileCheck %s

// f64 log1p / expm1 become libm calls (the LLVM lowering would expand them naively).
// CHECK-DAG: func.func private @log1p(f64) -> f64
// CHECK-DAG: func.func private @expm1(f64) -> f64

// CHECK-LABEL: func.func @f32_exp_tanh
// CHECK-NOT: math.exp
// CHECK-NOT: math.tanh
// CHECK: math.fma
func.func @f32_exp_tanh(%x: f32) -> f32 {
  %0 = math.exp %x : f32
  %1 = math.tanh %0 : f32
  return %1 : f32
}

// CHECK-LABEL: func.func @f64_untouched
// CHECK: math.exp %{{.*}} : f64
// CHECK: math.tanh %{{.*}} : f64
func.func @f64_untouched(%x: f64) -> f64 {
  %0 = math.exp %x : f64
  %1 = math.tanh %0 : f64
  return %1 : f64
}

// sqrt has a vector instruction already: not expanded.
// CHECK-LABEL: func.func @sqrt_untouched
// CHECK: math.sqrt
func.func @sqrt_untouched(%x: f32) -> f32 {
  %0 = math.sqrt %x : f32
  return %0 : f32
}

// CHECK-LABEL: func.func @f64_log1p_expm1
// CHECK: call @log1p
// CHECK: call @expm1
func.func @f64_log1p_expm1(%x: f64) -> f64 {
  %0 = math.log1p %x : f64
  %1 = math.expm1 %0 : f64
  return %1 : f64
}
