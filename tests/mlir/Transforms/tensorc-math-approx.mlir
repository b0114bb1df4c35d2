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

// f32 sin/cos are ours, not upstream's. Outside a versioned loop each element chooses: below 2^17 in
// magnitude the all-f32 expansion (k = rint(|x| * 2/pi), a three-part Cody-Waite reduction kept as two
// floats, the quadrant from k in f32), else |x| widened to f64, reduced modulo pi/2 with 2/pi in parts
// (Payne-Hanek, every f32 magnitude), f64 polynomials, one rounding back to f32.
// CHECK-LABEL: func.func @f32_sin_cos
// CHECK-NOT: math.sin
// CHECK-NOT: math.cos
// CHECK: math.absf %{{.*}} : f32
// CHECK: math.roundeven %{{.*}} : f32
// CHECK: math.fma
// CHECK: math.floor %{{.*}} : f32
// CHECK: arith.cmpf ult, %{{.*}}, %{{.*}} : f32
// CHECK: arith.extf %{{.*}} : f32 to f64
// CHECK: math.roundeven %{{.*}} : f64
// CHECK: math.floor %{{.*}} : f64
// CHECK: arith.truncf %{{.*}} : f64 to f32
// CHECK: arith.truncf %{{.*}} : f64 to f32
// CHECK-NOT: math.sin
// CHECK: return
func.func @f32_sin_cos(%x: f32) -> (f32, f32) {
  %0 = math.sin %x : f32
  %1 = math.cos %x : f32
  return %0, %1 : f32, f32
}

// Vectors get the same expansions (splat constants).
// CHECK-LABEL: func.func @vector_sin_exp
// CHECK-NOT: math.sin
// CHECK-NOT: math.exp
// CHECK: math.roundeven %{{.*}} : vector<8xf32>
// CHECK: arith.extf %{{.*}} : vector<8xf32> to vector<8xf64>
// CHECK: arith.truncf %{{.*}} : vector<8xf64> to vector<8xf32>
// CHECK: arith.shrsi %{{.*}} : vector<8xi32>
func.func @vector_sin_exp(%x: vector<8xf32>) -> (vector<8xf32>, vector<8xf32>) {
  %0 = math.sin %x : vector<8xf32>
  %1 = math.exp %x : vector<8xf32>
  return %0, %1 : vector<8xf32>, vector<8xf32>
}

// f32 exp applies 2^n as 2^(n >> 1) * 2^(n - (n >> 1)): results below 2^-126 become subnormals (not 0)
// and overflow happens where float32 overflows. n is rounded by adding 1.5 * 2^23 (12582912) in the
// fma that scales x, and taken as an integer from the sum's bits (1262485504 = bits of 1.5 * 2^23): no
// roundeven, no fptosi (poison for NaN). The clamps keep NaN (select(x < lo, lo, x)), so no select
// for NaN at the end.
// CHECK-LABEL: func.func @f32_exp
// CHECK-NOT: math.exp
// CHECK-NOT: math.roundeven
// CHECK-NOT: arith.fptosi
// CHECK: %[[LOW:.*]] = arith.cmpf olt, %[[X:.*]], %{{.*}} : f32
// CHECK: arith.select %[[LOW]], %{{.*}}, %[[X]] : f32
// CHECK: %[[S:.*]] = math.fma %{{.*}}, %{{.*}}, %{{.*}} : f32
// CHECK: %[[B:.*]] = arith.bitcast %[[S]] : f32 to i32
// CHECK: %[[N:.*]] = arith.subi %[[B]], %{{.*}} : i32
// CHECK: %[[N1:.*]] = arith.shrsi %[[N]], %{{.*}} : i32
// CHECK: arith.subi %[[N]], %[[N1]] : i32
// CHECK: %[[P:.*]] = arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK: arith.mulf %[[P]], %{{.*}} : f32
// CHECK-NOT: arith.cmpf uno
// CHECK: return
func.func @f32_exp(%x: f32) -> f32 {
  %0 = math.exp %x : f32
  return %0 : f32
}

// f32 log/log2 of a subnormal: the input is scaled by 2^23 before upstream's expansion (which clamps
// to FLT_MIN) and 23*ln2 (23 for log2) is subtracted after. The marker of the inner op does not stay.
// CHECK-LABEL: func.func @f32_log_subnormal
// CHECK-DAG: %[[SHIFT:.*]] = arith.constant -15.9423847 : f32
// CHECK-DAG: %[[SCALE:.*]] = arith.constant 0x4B000000 : f32
// CHECK-DAG: %[[MIN:.*]] = arith.constant 1.17549435E-38 : f32
// CHECK: %[[SMALL:.*]] = arith.cmpf olt, %arg0, %[[MIN]] : f32
// CHECK: %[[SCALED:.*]] = arith.mulf %arg0, %[[SCALE]] : f32
// CHECK: arith.select %[[SMALL]], %[[SCALED]], %arg0 : f32
// CHECK: %[[SHIFTED:.*]] = arith.addf %{{.*}}, %[[SHIFT]] : f32
// CHECK: arith.select %[[SMALL]], %[[SHIFTED]], %{{.*}} : f32
// CHECK-NOT: math.log
// CHECK-NOT: tensorc.wrapped
// CHECK: return
func.func @f32_log_subnormal(%x: f32) -> f32 {
  %0 = math.log %x : f32
  return %0 : f32
}

// CHECK-LABEL: func.func @f32_log2_subnormal
// CHECK: arith.constant -2.300000e+01 : f32
// CHECK-NOT: math.log2
// CHECK: return
func.func @f32_log2_subnormal(%x: f32) -> f32 {
  %0 = math.log2 %x : f32
  return %0 : f32
}

// f32 erf takes the sign of its input (erf(-0) = -0).
// CHECK-LABEL: func.func @f32_erf_sign
// CHECK-NOT: math.erf
// CHECK: math.copysign %{{.*}}, %arg0 : f32
func.func @f32_erf_sign(%x: f32) -> f32 {
  %0 = math.erf %x : f32
  return %0 : f32
}

// Must not fire on f64: sin, cos, exp, log, erf stay math ops (libm), with no subnormal scaling.
// CHECK-LABEL: func.func @f64_transcendentals_untouched
// CHECK-NOT: 0x4B000000
// CHECK: math.sin %{{.*}} : f64
// CHECK: math.cos %{{.*}} : f64
// CHECK: math.exp %{{.*}} : f64
// CHECK: math.log %{{.*}} : f64
// CHECK: math.erf %{{.*}} : f64
// CHECK-NOT: math.copysign
// CHECK: return
func.func @f64_transcendentals_untouched(%x: f64) -> (f64, f64, f64, f64, f64) {
  %0 = math.sin %x : f64
  %1 = math.cos %x : f64
  %2 = math.exp %x : f64
  %3 = math.log %x : f64
  %4 = math.erf %x : f64
  return %0, %1, %2, %3, %4 : f64, f64, f64, f64, f64
}

// An innermost loop computing f32 sin from its inputs is versioned, in blocks of 2048 iterations: a
// scan of the block for |x| >= 2^17, then the per-element choice over the block if any (it has the
// Payne-Hanek expansion in f64), else the loop with the all-f32 expansion only. The scan clones the
// operand's slice only (not the reduction's load and store).
// CHECK-LABEL: func.func @versioned_loop
// CHECK: scf.for
// CHECK: scf.for %[[FIRST:.*]] = %c0 to %{{.*}} step %c2048
// CHECK: %[[END:.*]] = arith.addi %[[FIRST]], %c2048
// CHECK: %[[LAST:.*]] = arith.minsi %[[END]]
// CHECK: %[[ANY:.*]] = scf.for {{.*}} = %[[FIRST]] to %[[LAST]] step %c1 iter_args(%[[ACC:.*]] = %false) -> (i1)
// CHECK: memref.load %arg0
// CHECK-NOT: memref.load
// CHECK: arith.mulf
// CHECK: math.absf
// CHECK: arith.cmpf oge
// CHECK: arith.ori %[[ACC]]
// CHECK: scf.if %[[ANY]]
// CHECK: scf.for {{.*}} = %[[FIRST]] to %[[LAST]] step %c1
// CHECK-COUNT-3: math.roundeven {{.*}} : f64
// CHECK: } else {
// CHECK: scf.for
// CHECK-NOT: : f64
// CHECK: math.roundeven {{.*}} : f32
// CHECK-NOT: : f64
// CHECK: memref.store
// CHECK-NOT: tensorc.bounded_arg
// CHECK: return
func.func @versioned_loop(%x: memref<?x?xf32>) -> memref<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %two = arith.constant 2.0 : f32
  %n = memref.dim %x, %c0 : memref<?x?xf32>
  %m = memref.dim %x, %c1 : memref<?x?xf32>
  %acc = memref.alloc(%n) : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    scf.for %j = %c0 to %m step %c1 {
      %v = memref.load %x[%i, %j] : memref<?x?xf32>
      %a = memref.load %acc[%i] : memref<?xf32>
      %w = arith.mulf %v, %two : f32
      %s = math.sin %w : f32
      %t = arith.addf %s, %a : f32
      memref.store %t, %acc[%i] : memref<?xf32>
    }
  }
  return %acc : memref<?xf32>
}

// An scf.parallel (what is left of one after tensorc-parallelize-loops runs sequentially) becomes
// nested scf.for, whose innermost loop is versioned.
// CHECK-LABEL: func.func @versioned_parallel
// CHECK-NOT: scf.parallel
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for {{.*}} -> (i1)
// CHECK: scf.if
// CHECK: return
func.func @versioned_parallel(%x: memref<?x?xf32>, %y: memref<?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %x, %c0 : memref<?x?xf32>
  %m = memref.dim %x, %c1 : memref<?x?xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%n, %m) step (%c1, %c1) {
    %v = memref.load %x[%i, %j] : memref<?x?xf32>
    %s = math.sin %v : f32
    memref.store %s, %y[%i, %j] : memref<?x?xf32>
    scf.reduce
  }
  return
}

// In a body outlined by tensorc-parallelize-loops, memrefs are rebuilt from its context by casts that
// name their roots in the caller: a loop reading a view of an argument that it does not write is
// versioned.
// CHECK-LABEL: func.func private @versioned_outlined_body
// CHECK: scf.for {{.*}} -> (i1)
// CHECK: scf.if
// CHECK: return
func.func private @versioned_outlined_body(%ctx: !llvm.ptr, %n: index) attributes {tensorc.parallel_body} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %dx = llvm.load %ctx : !llvm.ptr -> !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
  %x = builtin.unrealized_conversion_cast %dx : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<?xf32> {tensorc.memref_root = "arg0"}
  %dy = llvm.load %ctx : !llvm.ptr -> !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
  %y = builtin.unrealized_conversion_cast %dy : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<?xf32> {tensorc.memref_root = "alloc0"}
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %v = memref.load %x[%i] : memref<?xf32>
    %s = math.sin %v : f32
    memref.store %s, %y[%i] : memref<?xf32>
    scf.reduce
  }
  return
}

// Must not version in an outlined body: a memref whose root is not named (it could be any storage),
// and a loop that stores into the root it reads (two views of argument 0).
// CHECK-LABEL: func.func private @not_versioned_outlined_body
// CHECK-NOT: scf.if
// CHECK: return
func.func private @not_versioned_outlined_body(%ctx: !llvm.ptr, %n: index) attributes {tensorc.parallel_body} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d = llvm.load %ctx : !llvm.ptr -> !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
  %unnamed = builtin.unrealized_conversion_cast %d : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<?xf32>
  %a = builtin.unrealized_conversion_cast %d : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<?xf32> {tensorc.memref_root = "arg0"}
  %b = builtin.unrealized_conversion_cast %d : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<?xf32> {tensorc.memref_root = "arg0"}
  %out = builtin.unrealized_conversion_cast %d : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<?xf32> {tensorc.memref_root = "alloc0"}
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %unnamed[%i] : memref<?xf32>
    %s = math.sin %v : f32
    memref.store %s, %out[%i] : memref<?xf32>
  }
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %a[%i] : memref<?xf32>
    %s = math.sin %v : f32
    memref.store %s, %b[%i] : memref<?xf32>
  }
  return
}

// Must not version: the operand is loop-carried, or read from a buffer the loop writes.
// CHECK-LABEL: func.func @not_versioned
// CHECK-NOT: scf.if
// CHECK-COUNT-6: math.roundeven {{.*}} : f64
// CHECK-NOT: scf.if
// CHECK: return
func.func @not_versioned(%x: memref<?xf32>, %n: index) -> (f32, memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> f32 {
    %s = math.cos %acc : f32
    scf.yield %s : f32
  }
  %buf = memref.alloc(%n) : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %buf[%i] : memref<?xf32>
    %s = math.sin %v : f32
    memref.store %s, %buf[%i] : memref<?xf32>
  }
  return %r, %buf : f32, memref<?xf32>
}

// fmod (arith.remf) is versioned the same way: the scan tests |a| >= 2^24 |b| (unordered: NaN, inf
// and b == 0 included); the bounded version is an exact f64 fmod (trunc of the quotient, fma, one
// correction step), the general one keeps arith.remf (libm's fmodf, one call per element).
// CHECK-LABEL: func.func @versioned_fmod
// CHECK: %[[C:.*]] = arith.constant 0x4B800000 : f32
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (i1)
// CHECK: %[[LIM:.*]] = arith.mulf %{{.*}}, %[[C]] : f32
// CHECK: arith.cmpf uge, %{{.*}}, %[[LIM]] : f32
// CHECK: scf.if
// CHECK: arith.remf %{{.*}}, %{{.*}} : f32
// CHECK: } else {
// CHECK-NOT: arith.remf
// CHECK: arith.extf %{{.*}} : f32 to f64
// CHECK: arith.divf %{{.*}}, %{{.*}} : f64
// CHECK: math.trunc %{{.*}} : f64
// CHECK: math.fma
// CHECK: math.copysign
// CHECK: arith.truncf %{{.*}} : f64 to f32
// CHECK-NOT: arith.remf
// CHECK: return
func.func @versioned_fmod(%x: memref<?xf32>, %y: memref<?xf32>) -> memref<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  %out = memref.alloc(%n) : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %a = memref.load %x[%i] : memref<?xf32>
    %b = memref.load %y[%i] : memref<?xf32>
    %r = arith.remf %a, %b : f32
    memref.store %r, %out[%i] : memref<?xf32>
  }
  return %out : memref<?xf32>
}

// f64: the bound is 2^52 |b|, the product q*b is split exactly by fma (p + e).
// CHECK-LABEL: func.func @versioned_fmod_f64
// CHECK: arith.constant 0x4330000000000000 : f64
// CHECK: } else {
// CHECK: math.trunc %{{.*}} : f64
// CHECK: %[[P:.*]] = arith.mulf
// CHECK: %[[NP:.*]] = arith.negf %[[P]]
// CHECK: math.fma %{{.*}}, %{{.*}}, %[[NP]] : f64
// CHECK-NOT: arith.remf
// CHECK: return
func.func @versioned_fmod_f64(%x: memref<?xf64>, %y: memref<?xf64>) -> memref<?xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %x, %c0 : memref<?xf64>
  %out = memref.alloc(%n) : memref<?xf64>
  scf.for %i = %c0 to %n step %c1 {
    %a = memref.load %x[%i] : memref<?xf64>
    %b = memref.load %y[%i] : memref<?xf64>
    %r = arith.remf %a, %b : f64
    memref.store %r, %out[%i] : memref<?xf64>
  }
  return %out : memref<?xf64>
}

// Must not fire outside such loops: a remf on scalars stays arith.remf.
// CHECK-LABEL: func.func @remf_untouched
// CHECK-NOT: math.trunc
// CHECK: arith.remf
// CHECK-NOT: math.trunc
// CHECK: return
func.func @remf_untouched(%a: f32, %b: f32) -> f32 {
  %r = arith.remf %a, %b : f32
  return %r : f32
}

// With native-ldexp (AVX-512 targets, where llvm.ldexp is vscalefps once LLVM's loop vectorizer has
// widened it), scalar float32 exp scales its polynomial by 2^n with one ldexp; without the option, by
// exponent-field arithmetic (ldexp would be a libm call per element on other targets).
// RUN: tensorc-opt %s -tensorc-math-approx='native-ldexp=true' | FileCheck %s --check-prefix=LDEXP
// RUN: tensorc-opt %s -tensorc-math-approx | FileCheck %s --check-prefix=NOLDEXP
// LDEXP-LABEL: func.func @f32_exp_ldexp
// LDEXP-NOT: math.exp
// LDEXP-NOT: math.roundeven
// LDEXP: llvm.intr.ldexp(%{{.*}}, %{{.*}}) : (f32, i32) -> f32
// LDEXP: return
// NOLDEXP-LABEL: func.func @f32_exp_ldexp
// NOLDEXP-NOT: llvm.intr.ldexp
// NOLDEXP: return
func.func @f32_exp_ldexp(%x: f32) -> f32 {
  %0 = math.exp %x : f32
  return %0 : f32
}

// Must not fire (native-ldexp): vector exp (the LLVM dialect's ldexp takes a scalar exponent) and f64
// exp (libm) do not use ldexp.
// LDEXP-LABEL: func.func @exp_no_ldexp
// LDEXP-NOT: llvm.intr.ldexp
// LDEXP: math.exp %{{.*}} : f64
// LDEXP-NOT: llvm.intr.ldexp
// LDEXP: return
func.func @exp_no_ldexp(%x: vector<16xf32>, %y: f64) -> (vector<16xf32>, f64) {
  %0 = math.exp %x : vector<16xf32>
  %1 = math.exp %y : f64
  return %0, %1 : vector<16xf32>, f64
}
