// tensorc-math-approx: vectorizable polynomial approximations of f32 transcendental functions.
//
// Most expansions are MLIR's (populateMathPolynomialApproximationPatterns). Three are tensorc's own,
// because upstream's lose NumPy's accuracy on part of the float range:
//  - sin/cos: upstream reduces x - k*pi/2 in f32 with a one-part pi/2, so the result is noise beyond a
//    few hundred (cos(1e10) = 1, sin(FLT_MAX) = -inf). Ours has two expansions. Below 2^17 in
//    magnitude, an all-f32 one (a three-part Cody-Waite reduction kept as a two-float sum, compensated
//    polynomials; at most 0.71 ulp measured against float64 libm): what innermost loops run when a scan of each block of
//    their operands finds them all below the limit (the loop versioning below). Otherwise, per element,
//    the same below the limit and above it a reduction in f64 with 2/pi split in 29-bit parts (a
//    branchless Payne-Hanek over the whole f32 range) with f64 polynomials (correctly rounded in what
//    was measured). An element's result does not depend on its neighbours.
//  - exp: upstream flushes results below 2^-126 to 0 and loses up to ~6 ulp near overflow (it clamps the
//    exponent at 127). Ours applies 2^n as two factors, giving gradual underflow and exact overflow.
//  - log/log2: upstream clamps its input to FLT_MIN, so every subnormal input gave log(FLT_MIN). We scale
//    subnormal inputs by 2^23 first and subtract 23*ln2 after.
// erf gets its sign copied from the input (upstream returned +0 for -0).
// fmod (arith.remf, from float // and %) is a libm call per element, which blocks vectorization; the
// same loop versioning as for sin/cos selects an exact vectorized f64 fmod when every quotient is below
// 2^24 (f32) or 2^52 (f64) in magnitude.
#include "tensorc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/bit.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>

namespace tensorc {
#define GEN_PASS_DEF_MATHAPPROX
#include "tensorc/Transforms/Passes.h.inc"
} // namespace tensorc

using namespace mlir;

namespace {
/// Marks an op that one of our wrappers created, so that the wrapper does not match it again (the
/// upstream expansion then replaces it).
constexpr llvm::StringLiteral kWrapped = "tensorc.wrapped";

/// Scalar or vector f32 operand type -> the same shape with element `elt`.
Type withElement(Type t, Type elt) {
  if (auto v = dyn_cast<VectorType>(t))
    return v.clone(elt);
  return elt;
}

bool isF32Like(Type t) { return getElementTypeOrSelf(t).isF32(); }

/// Builds constants and ops in the shape (scalar or vector) of one operand.
struct Emit {
  ImplicitLocOpBuilder &b;
  Type shapeOf; // the operand type
  Type f32() const { return withElement(shapeOf, b.getF32Type()); }
  Type f64() const { return withElement(shapeOf, b.getF64Type()); }
  Type i32() const { return withElement(shapeOf, b.getI32Type()); }
  Value cst(Type t, TypedAttr scalar) const {
    if (auto v = dyn_cast<VectorType>(t))
      return b.create<arith::ConstantOp>(DenseElementsAttr::get(v, scalar));
    return b.create<arith::ConstantOp>(scalar);
  }
  Value f(double v) const { return cst(f32(), b.getF32FloatAttr(v)); }
  Value d(double v) const { return cst(f64(), b.getF64FloatAttr(v)); }
  Value i(int32_t v) const { return cst(i32(), b.getI32IntegerAttr(v)); }
  Value add(Value x, Value y) const { return b.create<arith::AddFOp>(x, y); }
  Value sub(Value x, Value y) const { return b.create<arith::SubFOp>(x, y); }
  Value mul(Value x, Value y) const { return b.create<arith::MulFOp>(x, y); }
  Value fma(Value x, Value y, Value z) const { return b.create<math::FmaOp>(x, y, z); }
  Value neg(Value x) const { return b.create<arith::NegFOp>(x); }
  Value sel(Value c, Value x, Value y) const { return b.create<arith::SelectOp>(c, x, y); }
  Value cmp(arith::CmpFPredicate p, Value x, Value y) const { return b.create<arith::CmpFOp>(p, x, y); }
  Value rint(Value x) const { return b.create<math::RoundEvenOp>(x); }
  Value floor(Value x) const { return b.create<math::FloorOp>(x); }
};

//===----------------------------------------------------------------------===//
// sin / cos (f32)
//===----------------------------------------------------------------------===//

// 2/pi = sum_j kTwoOverPi[j], part j a 29-bit integer C_j times 2^(-29(j+1)): the bits of 2/pi in
// 29-bit groups (2/pi = 0x0.a2f9836e4e441529fc2757d1f534ddc0db6295993c439041fe5163abde...).
constexpr double kTwoOverPi[7] = {0x1.45f306dp-1,   0x1.9391054p-30,  0x1.4fe13abp-59, 0x1.d1f534dp-88,
                                  0x1.b81b6c5p-117, 0x1.5993c4p-148,  0x1.c820ff2p-175};

/// |x| (f32) reduced modulo pi/2: x = k * pi/2 + r, |r| <= pi/4 (plus rounding), k and r in f64.
struct Reduced {
  Value k, r;
};

/// Payne-Hanek, branchless, in f64, valid over the whole f32 range. x = m * 2^E with m < 2^24 and
/// E <= 104; x * 2/pi is needed modulo 4 (the quadrant) with its fraction. Part j of 2/pi contributes
/// m * C_j * 2^(E-29(j+1)), a multiple of 4 (nothing mod 4) when E - 29(j+1) >= 2, so only the parts from
/// j0 = clamp((E-2)/29, 0, 3) on matter, and four of them suffice: what is left is below 2^-62, against
/// a fraction of at least about 2^-30 for any f32 input. Each product of the 24-bit x and a 29-bit part
/// is exact in f64; the two large ones are reduced mod 4 exactly, and the sum is compensated (TwoSum),
/// so the fraction only has an f64 rounding error.
Reduced reducePayneHanek(const Emit &e, Value ax) {
  using P = arith::CmpFPredicate;
  Value xd = e.b.create<arith::ExtFOp>(e.f64(), ax);
  // j0 = the number of thresholds 2^54, 2^83, 2^112 (E = 31, 60, 89) that |x| reaches.
  Value ge[3];
  for (int t = 0; t < 3; ++t)
    ge[t] = e.cmp(P::OGE, ax, e.f(std::ldexp(1.0, 54 + 29 * t)));
  Value p[4];
  for (int k = 0; k < 4; ++k) {
    Value c = e.d(kTwoOverPi[k]);
    for (int t = 0; t < 3; ++t)
      c = e.sel(ge[t], e.d(kTwoOverPi[k + t + 1]), c);
    p[k] = e.mul(xd, c);
  }
  auto mod4 = [&](Value v) { return e.fma(e.d(-4.0), e.rint(e.mul(v, e.d(0.25))), v); };
  auto twoSum = [&](Value a, Value c, Value &err) {
    Value s = e.add(a, c);
    Value bb = e.sub(s, a);
    err = e.add(e.sub(a, e.sub(s, bb)), e.sub(c, bb));
    return s;
  };
  Value t1, t2;
  Value s = twoSum(mod4(p[0]), mod4(p[1]), t1);
  s = twoSum(s, p[2], t2);
  Value k = e.rint(s);
  s = e.sub(s, k); // exact
  Value fr = e.add(s, e.add(e.add(p[3], t2), t1)); // x * 2/pi - k, |fr| <= 1/2 (plus rounding)
  return {k, e.mul(fr, e.d(0x1.921fb54442d18p0))}; // * pi/2
}

/// sin(x) or cos(x) from the polynomials of the reduced argument r, |x| = k * pi/2 + r: quadrant
/// q = k mod 4 (for cos, k + 1) picks sin(r) or cos(r) and the sign; sin also takes x's sign bit (so
/// that sin(-0) = -0). k and the polynomials are of one float type (f64 or f32); q is computed in it
/// (k is an exact integer there), so that a NaN never reaches an fptosi.
Value fromQuadrant(const Emit &e, Value x, Value k, Value sinR, Value cosR, bool isSin) {
  using P = arith::CmpFPredicate;
  ImplicitLocOpBuilder &b = e.b;
  Type kt = k.getType();
  auto c = [&](double v) { return e.cst(kt, FloatAttr::get(getElementTypeOrSelf(kt), v)); };
  if (!isSin)
    k = e.add(k, c(1.0));
  Value q = e.sub(k, e.mul(c(4.0), e.floor(e.mul(k, c(0.25)))));
  Value useCos = b.create<arith::OrIOp>(e.cmp(P::OEQ, q, c(1.0)), e.cmp(P::OEQ, q, c(3.0)));
  Value negate = e.cmp(P::OGE, q, c(2.0));
  if (isSin) {
    Value bits = b.create<arith::BitcastOp>(e.i32(), x);
    Value signSet = b.create<arith::CmpIOp>(arith::CmpIPredicate::slt, bits, e.i(0));
    negate = b.create<arith::XOrIOp>(negate, signSet);
  }
  Value v = e.sel(useCos, cosR, sinR);
  return e.sel(negate, e.neg(v), v);
}

/// sin(x) or cos(x) for f32 x from |x| reduced by Payne-Hanek: f64 polynomials on [-pi/4, pi/4]
/// (fdlibm's kernel coefficients less the last term; what is dropped is below 1e-11 relative), one
/// rounding to f32. Correctly rounded but for that last rounding (and the f64 rounding of the reduced
/// argument). Valid for every f32 input.
Value sinCosF32General(ImplicitLocOpBuilder &b, Value x, bool isSin) {
  Emit e{b, x.getType()};
  Value ax = b.create<math::AbsFOp>(x);
  auto [k, r] = reducePayneHanek(e, ax);

  Value z = e.mul(r, r);
  Value ps = e.fma(z, e.d(-2.50507602534068634195e-08), e.d(2.75573137070700676789e-06));
  ps = e.fma(z, ps, e.d(-1.98412698298579493134e-04));
  ps = e.fma(z, ps, e.d(8.33333333332248946124e-03));
  ps = e.fma(z, ps, e.d(-1.66666666666666324348e-01));
  ps = e.fma(e.mul(r, z), ps, r);
  Value pc = e.fma(z, e.d(2.08757232129817482790e-09), e.d(-2.75573143513906633035e-07));
  pc = e.fma(z, pc, e.d(2.48015872894767294178e-05));
  pc = e.fma(z, pc, e.d(-1.38888888888741095749e-03));
  pc = e.fma(z, pc, e.d(4.16666666666666019037e-02));
  pc = e.fma(e.mul(z, z), pc, e.fma(z, e.d(-0.5), e.d(1.0)));
  // Infinities and NaN: the reduction gives NaN (inf - inf), and NaN flows through to the result.
  return b.create<arith::TruncFOp>(e.f32(), fromQuadrant(e, x, k, ps, pc, isSin));
}

/// Below this |x| the float32 expansion (sinCosF32Bounded) applies: k = rint(x * 2/pi) stays below
/// 2^17, so that the reduction's error (|k| * 2^-72 absolute) is far below the smallest |r| of any f32
/// input in range, and the rounding of x * 2/pi moves r at most 2^-8 * pi/4 past pi/4.
constexpr double kBoundedSinCosLimit = 0x1p17;

/// sin(x) or cos(x) for f32 |x| < kBoundedSinCosLimit (or NaN), all in f32 (16 lanes of a 512-bit
/// vector, where the f64 expansion has 8 and conversions): the reduced argument as an unevaluated sum
/// r = rh + rl, Taylor polynomials in rh (the first omitted term is below 2^-28 of the result on
/// |r| <= pi/4 (1 + 2^-7)) whose rounding errors are small against the leading term, and the
/// leading term added last:
///   x - k*pi/2 = (x - k*C1) - k*C2 - k*C3, pi/2 = C1 + C2 + C3 in f32 parts: x - k*C1 is exact
///     (one fma; the difference of two multiples of ulp(min(x, 1)) below 1 fits 24 bits), k*C2 is
///     exact as p + pe (fma), rh + e = (x - k*C1) - p exactly (TwoSum), rl = e - pe - k*C3.
///   sin r = rh + (rl (1 - rh^2/2) + rh^3 S(rh^2))
///   cos r = t + (te - zl/2 - rl rh + z^2 C(z)), z + zl = rh^2 exactly (fma), t + te = 1 - z/2 exactly
///     (Fast2Sum, z/2 <= 1).
/// Error: the final rounding (0.5 ulp) plus the roundings inside the correction term, which is up to
/// 11% of the result near |r| = pi/4: at most 0.71 ulp measured against float64 libm over 20M random
/// inputs and the neighbours of every k*pi/2 in range (tests/soundness bound it by 0.75; the f64
/// expansion: 0.501; NumPy's float32 sin/cos: about 1.5).
Value sinCosF32Bounded(ImplicitLocOpBuilder &b, Value x, bool isSin) {
  Emit e{b, x.getType()};
  Value ax = b.create<math::AbsFOp>(x);
  Value k = e.rint(e.mul(ax, e.f(0x1.45f306p-1)));
  Value nk = e.neg(k);
  Value r1 = e.fma(nk, e.f(0x1.921fb6p0), ax);                 // exact
  Value p = e.mul(k, e.f(-0x1.777a5cp-25));
  Value pe = e.fma(k, e.f(-0x1.777a5cp-25), e.neg(p));          // k*C2 = p + pe
  Value rh = e.sub(r1, p);
  Value bb = e.sub(rh, r1);                                      // TwoSum(r1, -p): rh + err
  Value err = e.add(e.sub(r1, e.sub(rh, bb)), e.sub(e.neg(p), bb));
  Value rl = e.fma(nk, e.f(-0x1.ee59dap-50), e.sub(err, pe));

  Value z = e.mul(rh, rh);
  // sin: rh + (rl (1 - z/2) + rh z S(z)), S = -1/3! + z/5! - z^2/7! + z^3/9!
  Value ps = e.fma(z, e.f(1.0 / 362880.0), e.f(-1.0 / 5040.0));
  ps = e.fma(z, ps, e.f(1.0 / 120.0));
  ps = e.fma(z, ps, e.f(-1.0 / 6.0));
  Value sinCorr = e.fma(e.mul(rh, z), ps, e.mul(rl, e.fma(z, e.f(-0.5), e.f(1.0))));
  Value sinV = e.add(rh, sinCorr);
  // cos: t + (te - zl/2 - rl rh + z^2 C(z)), C = 1/4! - z/6! + z^2/8! - z^3/10!
  Value zl = e.fma(rh, rh, e.neg(z));
  Value h = e.mul(z, e.f(0.5));
  Value t = e.sub(e.f(1.0), h);
  Value te = e.sub(e.sub(e.f(1.0), t), h);
  Value pc = e.fma(z, e.f(-1.0 / 3628800.0), e.f(1.0 / 40320.0));
  pc = e.fma(z, pc, e.f(-1.0 / 720.0));
  pc = e.fma(z, pc, e.f(1.0 / 24.0));
  Value cosCorr = e.fma(e.mul(z, z), pc, e.sub(e.fma(zl, e.f(-0.5), te), e.mul(rl, rh)));
  Value cosV = e.add(t, cosCorr);
  return fromQuadrant(e, x, k, sinV, cosV, isSin); // k < 2^17: exact in f32
}

/// The expansion of f32 sin/cos: the float32 one where the loop versioning found every operand of the
/// block bounded, else, per element, the float32 one below the limit and Payne-Hanek above it, so that
/// an element's result does not depend on its neighbours.
Value sinCosF32(ImplicitLocOpBuilder &b, Value x, bool isSin, bool bounded) {
  Value fast = sinCosF32Bounded(b, x, isSin);
  if (bounded)
    return fast;
  Emit e{b, x.getType()};
  Value small = e.cmp(arith::CmpFPredicate::ULT, b.create<math::AbsFOp>(x), e.f(kBoundedSinCosLimit));
  return e.sel(small, fast, sinCosF32General(b, x, isSin));
}

/// Marks an op whose operands are known to be in the domain of its cheap expansion (math.sin/cos:
/// |x| < kBoundedSinCosLimit or NaN; arith.remf: |a| < 2^24 |b| (f32), 2^52 |b| (f64)): set by the loop
/// versioning below, read by SinCosF32 and BoundedRemF.
constexpr llvm::StringLiteral kBoundedArg = "tensorc.bounded_arg";

template <bool IsSin, typename OpTy>
struct SinCosF32 : OpRewritePattern<OpTy> {
  SinCosF32(MLIRContext *ctx) : OpRewritePattern<OpTy>(ctx, /*benefit=*/2) {}
  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rw) const override {
    if (!isF32Like(op.getType()))
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rw);
    rw.replaceOp(op, sinCosF32(b, op.getOperand(), IsSin, op->hasAttr(kBoundedArg)));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// exp (f32)
//===----------------------------------------------------------------------===//

/// e^x = 2^n * e^r, n = rint(x / ln2), r = x - n*ln2 by a two-part Cody-Waite step (exact first part
/// under fma), e^r by Cephes' expf polynomial. n in [-150, 128]: results above FLT_MAX overflow to inf
/// and results below 2^-126 are subnormals rounded once, both as libm does.
///
/// n is rounded by adding 1.5 * 2^23 in the fma that scales x (the sum's low bits are then n, as an
/// integer): no rounding instruction, and n's integer form is an integer subtraction of the bits, not
/// an fptosi (poison for NaN). NaN then runs through the whole expansion as NaN: the clamps keep it
/// (select(x < lo, lo, x) is x for NaN) and every later step propagates it, so it needs no select at
/// the end (AVX-512 softmax: 2 of 19 vector ops per 16 elements).
///
/// With `nativeLdexp` the scaling is one llvm.ldexp (vscalefps on AVX-512), which rounds once and
/// gives inf above FLT_MAX and 0 below the subnormals by itself. Without it, the two factors below.
/// Scalars only: the LLVM dialect's ldexp takes a scalar exponent, so vector exp (which the pipelines
/// do not produce: LLVM's loop vectorizer widens the scalar ldexp) keeps the two factors.
Value expF32(ImplicitLocOpBuilder &b, Value x, bool nativeLdexp) {
  Emit e{b, x.getType()};
  using P = arith::CmpFPredicate;
  const bool ldexp = nativeLdexp && !isa<VectorType>(x.getType());
  // e^x is 0 for x <= -104 (below half the smallest subnormal) and inf from 89 up, so inputs are
  // clamped to [-104, 89]. With ldexp the clamp changes no result. Without it, lanes at or below -104
  // are computed as e^0 (so that the exponent arithmetic stays defined, and masked inputs such as
  // -inf do not produce subnormals on the way to 0), then selected.
  Value xc = e.sel(e.cmp(P::OLT, x, e.f(-104.0)), e.f(ldexp ? -104.0 : 0.0), x);
  xc = e.sel(e.cmp(P::OGT, xc, e.f(89.0)), e.f(89.0), xc);
  constexpr float kShifter = 0x1.8p23f;
  Value shifted = e.fma(xc, e.f(1.44269504088896341), e.f(kShifter));
  Value n = e.sub(shifted, e.f(kShifter));
  Value r = e.fma(n, e.f(-0x1.62e43p-1), xc);     // ln2 high part
  r = e.fma(n, e.f(-(0.6931471805599453 - 0x1.62e43p-1)), r); // ln2 - high part
  Value z = e.fma(r, e.f(1.9875691500E-4), e.f(1.3981999507E-3));
  z = e.fma(z, r, e.f(8.3334519073E-3));
  z = e.fma(z, r, e.f(4.1665795894E-2));
  z = e.fma(z, r, e.f(1.6666665459E-1));
  z = e.fma(z, r, e.f(5.0000001201E-1));
  z = e.fma(z, e.mul(r, r), r);
  Value poly = e.add(z, e.f(1.0));
  // n as an integer: the bits of `shifted` minus those of the shifter (exact for |n| < 2^22).
  Value ni = b.create<arith::SubIOp>(b.create<arith::BitcastOp>(e.i32(), shifted),
                                     e.i(static_cast<int32_t>(llvm::bit_cast<uint32_t>(kShifter))));
  if (ldexp)
    return b.create<LLVM::LoadExpOp>(x.getType(), poly, ni);
  auto pow2 = [&](Value k) {
    Value biased = b.create<arith::AddIOp>(k, e.i(127));
    return b.create<arith::BitcastOp>(e.f32(), b.create<arith::ShLIOp>(biased, e.i(23)));
  };
  // 2^n as 2^n1 * 2^n2 with n1 = n >> 1: both factors are normal for n in [-150, 128], and a result
  // below 2^-126 is rounded once, in the last multiply. (That multiply producing a subnormal costs a
  // microcode assist on x86; building subnormals with integer ops instead avoided it but doubled the
  // cost of every exp, so only inputs in (-104, -87.3] pay.)
  Value n1 = b.create<arith::ShRSIOp>(ni, e.i(1));
  Value n2 = b.create<arith::SubIOp>(ni, n1);
  Value res = e.mul(e.mul(poly, pow2(n1)), pow2(n2));
  return e.sel(e.cmp(P::OLE, x, e.f(-104.0)), e.f(0.0), res);
}

struct ExpF32 : OpRewritePattern<math::ExpOp> {
  ExpF32(MLIRContext *ctx, bool nativeLdexp) : OpRewritePattern(ctx, /*benefit=*/2), nativeLdexp(nativeLdexp) {}
  LogicalResult matchAndRewrite(math::ExpOp op, PatternRewriter &rw) const override {
    if (!isF32Like(op.getType()))
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rw);
    rw.replaceOp(op, expF32(b, op.getOperand(), nativeLdexp));
    return success();
  }
  bool nativeLdexp;
};

//===----------------------------------------------------------------------===//
// fmod (arith.remf) on a bounded quotient
//===----------------------------------------------------------------------===//

/// fmod(a, b), exact, for finite a with |a| < 2^24 |b| (f32) or 2^52 |b| (f64); b may be infinite.
/// q = trunc(a / b) is exact or one too large in magnitude (the rounded quotient can only reach an
/// integer from below); a - q*b is then exact (f32: in f64, q*b has 48 bits; f64: q*b as p + e by fma,
/// a - p by Sterbenz), and one step of b fixes a remainder of the wrong sign. The sign of a zero
/// result is a's, as for fmod.
Value boundedFmod(ImplicitLocOpBuilder &b, Value a, Value d) {
  using P = arith::CmpFPredicate;
  Type t = a.getType();
  bool f32 = getElementTypeOrSelf(t).isF32();
  Emit e{b, t};
  Value x = f32 ? Value(b.create<arith::ExtFOp>(e.f64(), a)) : a;
  Value y = f32 ? Value(b.create<arith::ExtFOp>(e.f64(), d)) : d;
  Value q = b.create<math::TruncOp>(b.create<arith::DivFOp>(x, y));
  Value r;
  if (f32) {
    r = e.fma(e.neg(q), y, x);
  } else {
    Value p = e.mul(q, y);
    Value err = e.fma(q, y, e.neg(p));
    r = e.sub(e.sub(x, p), err);
  }
  Value zero = e.d(0.0);
  Value wrongSign = b.create<arith::AndIOp>(
      e.cmp(P::ONE, r, zero), b.create<arith::XOrIOp>(e.cmp(P::OLT, r, zero), e.cmp(P::OLT, x, zero)));
  r = e.sel(wrongSign, e.add(r, b.create<math::CopySignOp>(y, x)), r);
  r = b.create<math::CopySignOp>(r, x);
  // fmod(a, +-inf) = a (q*inf above is NaN).
  Value yInf = e.cmp(P::OEQ, b.create<math::AbsFOp>(y), e.d(INFINITY));
  r = e.sel(yInf, x, r);
  return f32 ? Value(b.create<arith::TruncFOp>(e.f32(), r)) : r;
}

struct BoundedRemF : OpRewritePattern<arith::RemFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::RemFOp op, PatternRewriter &rw) const override {
    Type elt = getElementTypeOrSelf(op.getType());
    if (!op->hasAttr(kBoundedArg) || !(elt.isF32() || elt.isF64()))
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rw);
    rw.replaceOp(op, boundedFmod(b, op.getLhs(), op.getRhs()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Wrappers around upstream expansions
//===----------------------------------------------------------------------===//

/// log/log2 of a subnormal f32: log(x * 2^23) - 23*log(2). The inner op is marked and then expanded
/// upstream (whose expansion clamps its input to FLT_MIN).
template <typename OpTy>
struct ScaleSubnormalLog : OpRewritePattern<OpTy> {
  ScaleSubnormalLog(MLIRContext *ctx, double shift) : OpRewritePattern<OpTy>(ctx, /*benefit=*/2), shift(shift) {}
  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rw) const override {
    if (!isF32Like(op.getType()) || op->hasAttr(kWrapped))
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rw);
    Emit e{b, op.getType()};
    Value x = op.getOperand();
    // Also true for zeros and negatives, whose results (-inf, NaN) the shift does not change.
    Value small = e.cmp(arith::CmpFPredicate::OLT, x, e.f(0x1p-126));
    Value scaled = e.sel(small, e.mul(x, e.f(0x1p23)), x);
    auto inner = b.create<OpTy>(scaled);
    inner->setAttr(kWrapped, b.getUnitAttr());
    Value y = inner.getResult();
    rw.replaceOp(op, e.sel(small, e.add(y, e.f(-shift)), y));
    return success();
  }
  double shift;
};

/// erf is odd; upstream's expansion gives +0 for -0. copysign restores the sign (and is exact).
struct ErfSign : OpRewritePattern<math::ErfOp> {
  ErfSign(MLIRContext *ctx) : OpRewritePattern(ctx, /*benefit=*/2) {}
  LogicalResult matchAndRewrite(math::ErfOp op, PatternRewriter &rw) const override {
    if (!isF32Like(op.getType()) || op->hasAttr(kWrapped))
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rw);
    auto inner = b.create<math::ErfOp>(op.getOperand());
    inner->setAttr(kWrapped, b.getUnitAttr());
    rw.replaceOpWithNewOp<math::CopySignOp>(op, inner.getResult(), op.getOperand());
    return success();
  }
};

/// math.OP on f64 scalars -> func.call @OP (libm), declared in the enclosing module.
template <typename MathOp>
struct ToLibmCall : OpRewritePattern<MathOp> {
  ToLibmCall(MLIRContext *ctx, llvm::StringRef fn) : OpRewritePattern<MathOp>(ctx), fn(fn.str()) {}
  LogicalResult matchAndRewrite(MathOp op, PatternRewriter &rw) const override {
    if (!op.getType().isF64())
      return failure();
    auto module = op->template getParentOfType<ModuleOp>();
    if (!module)
      return failure();
    auto f64 = rw.getF64Type();
    if (!module.template lookupSymbol<func::FuncOp>(fn)) {
      OpBuilder::InsertionGuard g(rw);
      rw.setInsertionPointToStart(module.getBody());
      auto decl = rw.create<func::FuncOp>(op.getLoc(), fn, rw.getFunctionType({f64}, {f64}));
      decl.setPrivate();
    }
    rw.template replaceOpWithNewOp<func::CallOp>(op, fn, TypeRange{f64}, ValueRange{op.getOperand()});
    return success();
  }
  std::string fn;
};

//===----------------------------------------------------------------------===//
// Loop versioning (f32 sin/cos, fmod)
//===----------------------------------------------------------------------===//

/// Where the storage a memref (through any chain of views) looks into comes from, as the versioning
/// needs it: an argument of the function (an input), a fresh allocation, or unknown. `key` names the
/// storage: equal keys are the same storage, different keys of known roots never overlap. In a loop
/// body that tensorc-parallelize-loops outlined, memrefs arrive through its context, rebuilt by casts
/// on which that pass names their roots in the caller (kMemrefRootAttr).
struct Root {
  enum Kind { Unknown, Argument, Allocation } kind = Unknown;
  std::string key;
};

Root rootOf(Value m) {
  while (auto view = m.getDefiningOp<ViewLikeOpInterface>())
    m = view.getViewSource();
  if (auto arg = dyn_cast<BlockArgument>(m)) {
    auto fn = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
    if (fn && arg.getOwner() == &fn.getBody().front())
      return {Root::Argument, "arg" + std::to_string(arg.getArgNumber())};
    return {};
  }
  Operation *def = m.getDefiningOp();
  if (isa<memref::AllocOp, memref::AllocaOp>(def))
    return {Root::Allocation, "op" + std::to_string(reinterpret_cast<uintptr_t>(def))};
  if (auto cast = dyn_cast<UnrealizedConversionCastOp>(def))
    if (auto name = cast->getAttrOfType<StringAttr>(tensorc::kMemrefRootAttr)) {
      llvm::StringRef n = name.getValue();
      return {n.starts_with("arg") ? Root::Argument : Root::Allocation, n.str()};
    }
  return {};
}

/// Scalar ops with a cheaper expansion that is exact on part of their domain: f32 sin/cos (all f32
/// below 2^17, against a per-element choice with Payne-Hanek) and f32/f64 remf (an exact f64 fmod when |a| < 2^24 |b| resp.
/// 2^52 |b|, against a libm call per element that blocks vectorization).
bool isVersionable(Operation &op) {
  if (op.getNumResults() != 1 || op.hasAttr(kBoundedArg))
    return false;
  Type t = op.getResult(0).getType();
  if (isa<math::SinOp, math::CosOp>(op))
    return t.isF32();
  if (isa<arith::RemFOp>(op))
    return t.isF32() || t.isF64();
  return false;
}

/// The scan's test that `op` (operands already mapped) needs its general expansion.
Value needsGeneral(OpBuilder &b, Location l, Operation *op, IRMapping &map) {
  auto absOf = [&](Value v) { return b.create<math::AbsFOp>(l, map.lookupOrDefault(v)); };
  Type t = op->getResult(0).getType();
  if (isa<math::SinOp, math::CosOp>(op)) {
    Value limit = b.create<arith::ConstantOp>(l, b.getF32FloatAttr(kBoundedSinCosLimit));
    return b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGE, absOf(op->getOperand(0)), limit);
  }
  // remf: not |a| < K |b| (NaN, infinite a, b == 0 included); K |b| overflowing to inf is fine.
  Value k = b.create<arith::ConstantOp>(l, FloatAttr::get(t, t.isF32() ? 0x1p24 : 0x1p52));
  Value limit = b.create<arith::MulFOp>(l, absOf(op->getOperand(1)), k);
  return b.create<arith::CmpFOp>(l, arith::CmpFPredicate::UGE, absOf(op->getOperand(0)), limit);
}

/// Iterations per versioned block: the scan of a block reads what the loop then reads again, so a
/// block's operands (2048 f32 or f64 of each) stay in the L1 or L2 cache between the two; a scan of the
/// whole loop before it read large inputs twice from memory (4M f32 sin: 9.4 ms, blocked: see
/// docs/BENCHMARKS.md).
constexpr int64_t kVersionBlock = 2048;

/// Almost no input needs the general expansions above, so an innermost loop with such ops computed
/// from its inputs is versioned, block by block:
///
///   for each block of kVersionBlock iterations {
///     any = false; for i in block { any |= needsGeneral(x_i) }     // the operands' slice only
///     if (any) { the loop over the block } else { the same, ops marked bounded (the cheap expansions) }
///   }
///
/// Both versions and the scan vectorize (but for libm's fmod in the general one). A loop qualifies when
/// every such operand is computed in the loop body itself from the induction variable, values defined
/// outside the loop, pure ops and loads of function arguments (inputs, never written) that the loop
/// does not store to. Otherwise its ops stay unmarked, which is always correct.
bool versionLoop(scf::ForOp loop) {
  Block *body = loop.getBody();
  SmallVector<Operation *> ops;
  for (Operation &op : *body)
    if (isVersionable(op))
      ops.push_back(&op);
  if (ops.empty())
    return false;
  // The storage the loop writes to (by root); an unknown writer disqualifies the loop.
  llvm::StringSet<> written;
  bool unknownWrite = false;
  loop.getBody()->walk([&](Operation *op) {
    if (auto store = dyn_cast<memref::StoreOp>(op)) {
      // Stores into a view of an argument or of a fresh allocation; through anything else the target
      // could alias what the slice loads.
      Root root = rootOf(store.getMemRef());
      if (root.kind == Root::Unknown)
        unknownWrite = true;
      written.insert(root.key);
      return;
    }
    if (op->hasTrait<OpTrait::IsTerminator>() || op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
      return; // nested ops are walked themselves
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects || effects.hasEffect<MemoryEffects::Write>() || effects.hasEffect<MemoryEffects::Free>())
      unknownWrite = true;
  });
  if (unknownWrite)
    return false;
  llvm::SetVector<Operation *> slice;
  SmallVector<Value> work;
  for (Operation *op : ops)
    llvm::append_range(work, op->getOperands());
  while (!work.empty()) {
    Value v = work.pop_back_val();
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (arg.getOwner() == body && arg != loop.getInductionVar())
        return false; // loop-carried
      continue;
    }
    Operation *def = v.getDefiningOp();
    if (!loop->isAncestor(def))
      continue; // defined outside the loop
    if (def->getBlock() != body)
      return false; // inside a nested region of the body
    if (slice.contains(def))
      continue;
    if (auto load = dyn_cast<memref::LoadOp>(def)) {
      Root root = rootOf(load.getMemRef());
      if (root.kind != Root::Argument || written.contains(root.key))
        return false;
    } else if (!isPure(def) || def->getNumRegions() != 0) {
      return false;
    }
    slice.insert(def);
    llvm::append_range(work, def->getOperands());
  }
  // for blk in [lb, ub) step step*kVersionBlock { scan blk; if (any) loop(blk) else bounded loop(blk) }
  Location loc = loop.getLoc();
  OpBuilder b(loop);
  Value blockStep = b.create<arith::MulIOp>(loc, loop.getStep(), b.create<arith::ConstantIndexOp>(loc, kVersionBlock));
  auto blocks = b.create<scf::ForOp>(
      loc, loop.getLowerBound(), loop.getUpperBound(), blockStep, loop.getInitArgs(),
      [&](OpBuilder &nb, Location l, Value first, ValueRange carried) {
        Value last = nb.create<arith::MinSIOp>(l, nb.create<arith::AddIOp>(l, first, blockStep), loop.getUpperBound());
        Value falseV = nb.create<arith::ConstantIntOp>(l, nb.getI1Type(), 0);
        auto scan = nb.create<scf::ForOp>(
            l, first, last, loop.getStep(), ValueRange{falseV}, [&](OpBuilder &sb, Location sl, Value iv, ValueRange acc) {
              IRMapping map;
              map.map(loop.getInductionVar(), iv);
              // The slice in body order (a topological order).
              for (Operation &op : *body)
                if (slice.contains(&op))
                  sb.clone(op, map);
              Value any = acc[0];
              for (Operation *op : ops)
                any = sb.create<arith::OrIOp>(sl, any, needsGeneral(sb, sl, op, map));
              sb.create<scf::YieldOp>(sl, any);
            });
        auto ifOp = nb.create<scf::IfOp>(l, loop.getResultTypes(), scan.getResult(0), /*withElseRegion=*/true);
        auto fill = [&](Region &region, bool bounded) {
          OpBuilder rb = OpBuilder::atBlockBegin(&region.front());
          auto copy = cast<scf::ForOp>(rb.clone(*loop));
          copy.setLowerBound(first);
          copy.setUpperBound(last);
          copy.getInitArgsMutable().assign(carried);
          if (bounded)
            for (Operation &op : *copy.getBody())
              if (isVersionable(op))
                op.setAttr(kBoundedArg, rb.getUnitAttr());
          // scf.if's builder gave each region an empty yield when the if has no results.
          if (region.front().empty() || !isa<scf::YieldOp>(region.front().back()))
            rb.create<scf::YieldOp>(l, copy.getResults());
          else if (!copy.getResults().empty())
            region.front().back().setOperands(copy.getResults());
        };
        fill(ifOp.getThenRegion(), false);
        fill(ifOp.getElseRegion(), true);
        nb.create<scf::YieldOp>(l, ifOp.getResults());
      });
  loop.replaceAllUsesWith(blocks.getResults());
  loop.erase();
  return true;
}

/// Versions every innermost scf.for loop with versionable ops (see versionLoop). The scf.parallel
/// loops left at this point run sequentially (tensorc-parallelize-loops has outlined the outermost
/// ones, and convert-scf-to-cf makes the rest nested loops); those with a versionable op in their
/// body become nested scf.for first, so that their innermost dimension is a loop of its own.
void versionLoops(Operation *root) {
  SmallVector<scf::ParallelOp> parallels;
  root->walk([&](scf::ParallelOp p) { // post-order: inner loops first
    if (p.getNumResults() == 0 && llvm::any_of(*p.getBody(), isVersionable))
      parallels.push_back(p);
  });
  IRRewriter rw(root->getContext());
  for (scf::ParallelOp p : parallels) {
    rw.setInsertionPoint(p);
    (void)scf::parallelForToNestedFors(rw, p); // on failure it stays parallel and unversioned
  }
  SmallVector<scf::ForOp> loops;
  root->walk([&](scf::ForOp loop) {
    bool innermost = true;
    loop.getBody()->walk([&](scf::ForOp) { innermost = false; });
    if (innermost)
      loops.push_back(loop);
  });
  for (scf::ForOp loop : loops)
    versionLoop(loop);
}

struct MathApproxPass : tensorc::impl::MathApproxBase<MathApproxPass> {
  using MathApproxBase::MathApproxBase;
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    versionLoops(getOperation());
    RewritePatternSet patterns(ctx);
    // Ours first (benefit 2), then upstream's for what is left. The predicate selects upstream
    // expansions by op name; all of these are f32-only, so f64 stays libm. exp, sin and cos are ours.
    patterns.add<SinCosF32<true, math::SinOp>, SinCosF32<false, math::CosOp>, ErfSign, BoundedRemF>(ctx);
    patterns.add<ExpF32>(ctx, nativeLdexp);
    patterns.add<ScaleSubnormalLog<math::LogOp>>(ctx, 23 * 0.6931471805599453);
    patterns.add<ScaleSubnormalLog<math::Log2Op>>(ctx, 23.0);
    populateMathPolynomialApproximationPatterns(patterns, [](llvm::StringRef name) {
      return name == "math.log" || name == "math.log1p" || name == "math.expm1" || name == "math.tanh" ||
             name == "math.erf" || name == "math.log2" || name == "math.atan" || name == "math.atan2";
    });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // The markers are ours alone; none survives the expansion, but be sure.
    getOperation()->walk([](Operation *op) { op->removeAttr(kWrapped); });
    // What is left of log1p/expm1 (f64) goes to libm: convert-math-to-llvm would expand them into
    // log(1 + x) and exp(x) - 1, losing every digit near 0.
    RewritePatternSet libm(ctx);
    libm.add<ToLibmCall<math::Log1pOp>>(ctx, "log1p");
    libm.add<ToLibmCall<math::ExpM1Op>>(ctx, "expm1");
    if (failed(applyPatternsGreedily(getOperation(), std::move(libm))))
      signalPassFailure();
  }
};
} // namespace
