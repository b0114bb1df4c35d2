// The elementwise family: unary and binary arithmetic, comparisons, select and cast, each a
// linalg.generic with NumPy broadcasting (Lowering::elementwise) around its scalar body.
#include "PopulatePatterns.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace tensorc;
using namespace tensorc::lowering;

namespace {
using Scalar = std::function<Value(OpBuilder &, Location, ValueRange)>;

Value cst(OpBuilder &b, Location loc, Type t, double v) {
  if (auto ft = dyn_cast<FloatType>(t))
    return b.create<arith::ConstantOp>(loc, FloatAttr::get(ft, v));
  return b.create<arith::ConstantOp>(loc, IntegerAttr::get(t, (int64_t)v));
}

/// Element conversion with NumPy's astype rules (float->int truncates, x->bool is x != 0).
Value convertScalar(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  if (to.isInteger(1)) {
    if (isFloat(from))
      return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNE, v, cst(b, loc, from, 0));
    return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, v, cst(b, loc, from, 0));
  }
  if (isFloat(from) && isFloat(to))
    return from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth()
               ? Value(b.create<arith::ExtFOp>(loc, to, v))
               : Value(b.create<arith::TruncFOp>(loc, to, v));
  if (isFloat(to))
    return from.isInteger(1) ? Value(b.create<arith::UIToFPOp>(loc, to, v))
                             : Value(b.create<arith::SIToFPOp>(loc, to, v));
  if (isFloat(from))
    return b.create<arith::FPToSIOp>(loc, to, v);
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return from.isInteger(1) ? Value(b.create<arith::ExtUIOp>(loc, to, v))
                             : Value(b.create<arith::ExtSIOp>(loc, to, v));
  return b.create<arith::TruncIOp>(loc, to, v);
}

Scalar unaryScalar(Operation *op) {
  return llvm::TypeSwitch<Operation *, Scalar>(op)
      .Case([](NegOp) -> Scalar {
        return [](OpBuilder &b, Location l, ValueRange a) -> Value {
          if (isFloat(a[0].getType()))
            return b.create<arith::NegFOp>(l, a[0]);
          return b.create<arith::SubIOp>(l, cst(b, l, a[0].getType(), 0), a[0]);
        };
      })
      .Case([](AbsOp) -> Scalar {
        return [](OpBuilder &b, Location l, ValueRange a) -> Value {
          if (isFloat(a[0].getType()))
            return b.create<math::AbsFOp>(l, a[0]);
          return b.create<math::AbsIOp>(l, a[0]);
        };
      })
      .Case([](SignOp) -> Scalar {
        return [](OpBuilder &b, Location l, ValueRange a) -> Value {
          Type t = a[0].getType();
          Value zero = cst(b, l, t, 0), one = cst(b, l, t, 1), minus = cst(b, l, t, -1);
          Value pos, neg;
          if (isFloat(t)) {
            pos = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, a[0], zero);
            neg = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OLT, a[0], zero);
          } else {
            pos = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::sgt, a[0], zero);
            neg = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, a[0], zero);
          }
          // NaN falls through to x itself and zeros give +0, as np.sign does (sign(-0.0) is 0.0).
          Value r = a[0];
          if (isFloat(t))
            r = b.create<arith::SelectOp>(
                l, b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OEQ, a[0], zero), zero, r);
          r = b.create<arith::SelectOp>(l, neg, minus, r);
          return b.create<arith::SelectOp>(l, pos, one, r);
        };
      })
#define TC_MATH_UNARY(OP, MATHOP)                                                                  \
  .Case([](OP) -> Scalar {                                                                         \
    return [](OpBuilder &b, Location l, ValueRange a) -> Value { return b.create<MATHOP>(l, a[0]); }; \
  })
      TC_MATH_UNARY(ExpOp, math::ExpOp) TC_MATH_UNARY(LogOp, math::LogOp)
      TC_MATH_UNARY(Log1pOp, math::Log1pOp) TC_MATH_UNARY(Expm1Op, math::ExpM1Op)
      TC_MATH_UNARY(SqrtOp, math::SqrtOp) TC_MATH_UNARY(TanhOp, math::TanhOp)
      TC_MATH_UNARY(SinOp, math::SinOp) TC_MATH_UNARY(CosOp, math::CosOp)
      TC_MATH_UNARY(ErfOp, math::ErfOp) TC_MATH_UNARY(FloorOp, math::FloorOp)
      TC_MATH_UNARY(CeilOp, math::CeilOp)
#undef TC_MATH_UNARY
      .Case([](SigmoidOp) -> Scalar {
        return [](OpBuilder &b, Location l, ValueRange a) -> Value {
          // With e = exp(-|x|): 1 / (1 + e) for x >= 0 and e / (1 + e) below, so that e never
          // overflows and sigmoid(-100) is 3.7e-44, not 1 / (1 + inf) = 0. NaN fails x >= 0: e / (1 + e).
          Type t = a[0].getType();
          Value x = a[0];
          Value e = b.create<math::ExpOp>(l, b.create<arith::NegFOp>(l, b.create<math::AbsFOp>(l, x)));
          Value nonNeg = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGE, x, cst(b, l, t, 0));
          Value num = b.create<arith::SelectOp>(l, nonNeg, cst(b, l, t, 1), e);
          return b.create<arith::DivFOp>(l, num, b.create<arith::AddFOp>(l, cst(b, l, t, 1), e));
        };
      })
      .Case([](SoftplusOp) -> Scalar {
        return [](OpBuilder &b, Location l, ValueRange a) -> Value {
          // Piecewise, with thresholds where each simpler form is exact to the type's precision
          // (PyTensor's choice for f64): exp(x) below lo, log1p(exp(x)) up to mid, x + exp(-x) up to hi,
          // x beyond. Every branch is computed (selects vectorize); unused branches may overflow harmlessly.
          Type t = a[0].getType();
          bool f32 = t.isF32();
          Value x = a[0];
          Value lo = cst(b, l, t, f32 ? -17.0 : -37.0), mid = cst(b, l, t, f32 ? 9.0 : 18.0),
                hi = cst(b, l, t, f32 ? 17.0 : 33.3);
          Value e = b.create<math::ExpOp>(l, x);
          Value mid1 = b.create<math::Log1pOp>(l, e);
          Value big = b.create<arith::AddFOp>(l, x, b.create<math::ExpOp>(l, b.create<arith::NegFOp>(l, x)));
          Value r = b.create<arith::SelectOp>(l, b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OLT, x, hi), big, x);
          r = b.create<arith::SelectOp>(l, b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OLT, x, mid), mid1, r);
          return b.create<arith::SelectOp>(l, b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OLT, x, lo), e, r);
        };
      })
      .Case([](Log1mexpOp) -> Scalar {
        return [](OpBuilder &b, Location l, ValueRange a) -> Value {
          // Maechler's rule: log(-expm1(x)) near 0, log1p(-exp(x)) below -log(2).
          Type t = a[0].getType();
          Value x = a[0];
          Value nearZero = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, x, cst(b, l, t, -0.6931471805599453));
          Value r1 = b.create<math::LogOp>(l, b.create<arith::NegFOp>(l, b.create<math::ExpM1Op>(l, x)));
          Value r2 = b.create<math::Log1pOp>(l, b.create<arith::NegFOp>(l, b.create<math::ExpOp>(l, x)));
          return b.create<arith::SelectOp>(l, nearZero, r1, r2);
        };
      })
      .Case([](NotOp) -> Scalar {
        return [](OpBuilder &b, Location l, ValueRange a) -> Value {
          return b.create<arith::XOrIOp>(l, a[0], cst(b, l, a[0].getType(), 1));
        };
      })
      .Default([](Operation *) { return Scalar(); });
}

/// Integer division/remainder guarded against the divisors x86 traps on (and LLVM calls UB): 0, and -1
/// with a dividend of INT_MIN. NumPy gives 0 for x // 0 and x % 0, INT_MIN for INT_MIN // -1 (wrapping)
/// and 0 for INT_MIN % -1; with the divisor replaced by 1 the division gives the last two as they are,
/// and `isZero` lets the caller select 0 for the first.
Value safeDivisor(OpBuilder &b, Location l, Value x, Value d, Value &isZero) {
  Type t = d.getType();
  unsigned width = t.getIntOrFloatBitWidth();
  isZero = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, d, cst(b, l, t, 0));
  Value minusOne = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, d, cst(b, l, t, -1));
  Value intMin = b.create<arith::ConstantOp>(l, IntegerAttr::get(t, llvm::APInt::getSignedMinValue(width)));
  Value overflow = b.create<arith::AndIOp>(
      l, minusOne, b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, x, intMin));
  Value replace = b.create<arith::OrIOp>(l, isZero, overflow);
  return b.create<arith::SelectOp>(l, replace, cst(b, l, t, 1), d);
}

/// NumPy's float floor division and remainder (npy_floor_divide, npy_remainder, both from npy_divmod):
/// fmod first, the quotient (a - mod) / b, mod moved into b's sign with the quotient decremented, the
/// quotient snapped to an integer, signed zeros from copysign; b == 0 gives a / b and fmod(a, b).
/// Returns the floor quotient or the remainder, branch-free.
Value npyDivmod(OpBuilder &b, Location l, Value x, Value y, bool wantQuotient) {
  using P = arith::CmpFPredicate;
  Type t = x.getType();
  Value zero = cst(b, l, t, 0), one = cst(b, l, t, 1);
  auto cmp = [&](P p, Value u, Value v) { return b.create<arith::CmpFOp>(l, p, u, v); };
  auto sel = [&](Value c, Value u, Value v) { return b.create<arith::SelectOp>(l, c, u, v); };
  Value mod = b.create<arith::RemFOp>(l, x, y);
  Value divisorZero = cmp(P::OEQ, y, zero);
  Value modTrue = cmp(P::UNE, mod, zero); // C's `if (mod)`: NaN is true
  Value signsDiffer = b.create<arith::XOrIOp>(l, cmp(P::OLT, y, zero), cmp(P::OLT, mod, zero));
  Value fix = b.create<arith::AndIOp>(l, modTrue, signsDiffer);
  if (!wantQuotient) {
    Value m = sel(fix, b.create<arith::AddFOp>(l, mod, y), mod);
    m = sel(modTrue, m, b.create<math::CopySignOp>(l, zero, y));
    return sel(divisorZero, mod, m);
  }
  Value q = b.create<arith::DivFOp>(l, x, y);
  Value div = b.create<arith::DivFOp>(l, b.create<arith::SubFOp>(l, x, mod), y);
  div = sel(fix, b.create<arith::SubFOp>(l, div, one), div);
  Value fl = b.create<math::FloorOp>(l, div);
  Value up = cmp(P::OGT, b.create<arith::SubFOp>(l, div, fl), cst(b, l, t, 0.5));
  fl = sel(up, b.create<arith::AddFOp>(l, fl, one), fl);
  Value r = sel(cmp(P::UNE, div, zero), fl, b.create<math::CopySignOp>(l, zero, q));
  return sel(divisorZero, q, r);
}

/// np.maximum / np.minimum of floats: NaN-propagating, and y where x == y, so that of two zeros the
/// second is returned (what NumPy's x86 loops give: maximum(0.0, -0.0) is -0.0; arith.maximumf would
/// give 0.0). select(x > y || isnan(x), x, y) is also what MAXPS computes, plus the NaN fix.
Value npyMinMax(OpBuilder &b, Location l, Value x, Value y, bool isMax) {
  Value better = b.create<arith::CmpFOp>(l, isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, x, y);
  Value xNan = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::UNO, x, x);
  return b.create<arith::SelectOp>(l, b.create<arith::OrIOp>(l, better, xNan), x, y);
}

Scalar binaryScalar(Operation *op) {
  auto fi = [](auto floatFn, auto intFn) -> Scalar {
    return [=](OpBuilder &b, Location l, ValueRange a) -> Value {
      return isFloat(a[0].getType()) ? floatFn(b, l, a[0], a[1]) : intFn(b, l, a[0], a[1]);
    };
  };
#define TC_BIN(F, I)                                                                               \
  fi([](OpBuilder &b, Location l, Value x, Value y) -> Value { return b.create<F>(l, x, y); },      \
     [](OpBuilder &b, Location l, Value x, Value y) -> Value { return b.create<I>(l, x, y); })
  return llvm::TypeSwitch<Operation *, Scalar>(op)
      .Case([&](AddOp) { return TC_BIN(arith::AddFOp, arith::AddIOp); })
      .Case([&](SubOp) { return TC_BIN(arith::SubFOp, arith::SubIOp); })
      .Case([&](MulOp) { return TC_BIN(arith::MulFOp, arith::MulIOp); })
      .Case([&](DivOp) { return TC_BIN(arith::DivFOp, arith::DivFOp); })
      .Case([&](PowOp) {
        return fi([](OpBuilder &b, Location l, Value x, Value y) -> Value { return b.create<math::PowFOp>(l, x, y); },
                  [](OpBuilder &b, Location l, Value x, Value y) -> Value {
                    // A negative exponent is an error (a run-time check, see lowerElementwiseFamily), and
                    // the expansion of ipowi divides 1 by 0 for 0 ** -n: compute x ** 0 instead.
                    Value neg = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, y, cst(b, l, y.getType(), 0));
                    Value e = b.create<arith::SelectOp>(l, neg, cst(b, l, y.getType(), 0), y);
                    return b.create<math::IPowIOp>(l, x, e);
                  });
      })
      .Case([&](AndOp) { return TC_BIN(arith::AndIOp, arith::AndIOp); })
      .Case([&](OrOp) { return TC_BIN(arith::OrIOp, arith::OrIOp); })
      .Case([&](XorOp) { return TC_BIN(arith::XOrIOp, arith::XOrIOp); })
      .Case([&](MaxOp) {
        return fi([](OpBuilder &b, Location l, Value x, Value y) -> Value { return npyMinMax(b, l, x, y, true); },
                  [](OpBuilder &b, Location l, Value x, Value y) -> Value {
                    if (x.getType().isInteger(1))
                      return b.create<arith::OrIOp>(l, x, y);
                    return b.create<arith::MaxSIOp>(l, x, y);
                  });
      })
      .Case([&](MinOp) {
        return fi([](OpBuilder &b, Location l, Value x, Value y) -> Value { return npyMinMax(b, l, x, y, false); },
                  [](OpBuilder &b, Location l, Value x, Value y) -> Value {
                    if (x.getType().isInteger(1))
                      return b.create<arith::AndIOp>(l, x, y);
                    return b.create<arith::MinSIOp>(l, x, y);
                  });
      })
      .Case([&](FloorDivOp) {
        return fi(
            [](OpBuilder &b, Location l, Value x, Value y) -> Value { return npyDivmod(b, l, x, y, true); },
            [](OpBuilder &b, Location l, Value x, Value y) -> Value {
              Value zero;
              Value d = safeDivisor(b, l, x, y, zero);
              Value q = b.create<arith::FloorDivSIOp>(l, x, d);
              return b.create<arith::SelectOp>(l, zero, cst(b, l, x.getType(), 0), q);
            });
      })
      .Case([&](ModOp) {
        return fi(
            [](OpBuilder &b, Location l, Value x, Value y) -> Value { return npyDivmod(b, l, x, y, false); },
            [](OpBuilder &b, Location l, Value x, Value y) -> Value {
              Type t = x.getType();
              Value isZero;
              Value d = safeDivisor(b, l, x, y, isZero);
              Value r = b.create<arith::RemSIOp>(l, x, d);
              Value zero = cst(b, l, t, 0);
              Value rNeg = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, r, zero);
              Value yNeg = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, d, zero);
              Value rNonZero = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::ne, r, zero);
              Value fix = b.create<arith::AndIOp>(l, rNonZero, b.create<arith::XOrIOp>(l, rNeg, yNeg));
              Value m = b.create<arith::SelectOp>(l, fix, b.create<arith::AddIOp>(l, r, d), r);
              return b.create<arith::SelectOp>(l, isZero, zero, m);
            });
      })
      .Default([](Operation *) { return Scalar(); });
#undef TC_BIN
}

Scalar compareScalar(Operation *op) {
  using FP = arith::CmpFPredicate;
  using IP = arith::CmpIPredicate;
  auto make = [](FP f, IP si, IP ui) -> Scalar {
    return [=](OpBuilder &b, Location l, ValueRange a) -> Value {
      Type t = a[0].getType();
      if (isFloat(t))
        return b.create<arith::CmpFOp>(l, f, a[0], a[1]);
      // Booleans compare unsigned (true is 1, not -1).
      return b.create<arith::CmpIOp>(l, t.isInteger(1) ? ui : si, a[0], a[1]);
    };
  };
  return llvm::TypeSwitch<Operation *, Scalar>(op)
      .Case([&](EqOp) { return make(FP::OEQ, IP::eq, IP::eq); })
      .Case([&](NeOp) { return make(FP::UNE, IP::ne, IP::ne); })
      .Case([&](LtOp) { return make(FP::OLT, IP::slt, IP::ult); })
      .Case([&](LeOp) { return make(FP::OLE, IP::sle, IP::ule); })
      .Case([&](GtOp) { return make(FP::OGT, IP::sgt, IP::ugt); })
      .Case([&](GeOp) { return make(FP::OGE, IP::sge, IP::uge); })
      .Default([](Operation *) { return Scalar(); });
}
/// Number (i64 scalar) of negative entries of the integer tensor `x`, in one reduction over all of it.
Value countNegative(Lowering &L, Location loc, Value x) {
  OpBuilder &b = L.b;
  int64_t rank = rankedOf(x).getRank();
  auto i64 = b.getI64Type();
  Value init = L.filled(loc, RankedTensorType::get({}, i64), {}, b.create<arith::ConstantIntOp>(loc, i64, 0));
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank), AffineMap::get(rank, 0, {}, b.getContext())};
  Value n = L.generic(loc, x, init, maps, std::string(rank, 'r'), [i64](OpBuilder &nb, Location l, ValueRange a) {
              Value zero = nb.create<arith::ConstantOp>(l, IntegerAttr::get(a[0].getType(), 0));
              Value neg = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, a[0], zero);
              return SmallVector<Value>{nb.create<arith::AddIOp>(l, a[1], nb.create<arith::ExtUIOp>(l, i64, neg))};
            })[0];
  return b.create<tensor::ExtractOp>(loc, n, ValueRange{});
}
} // namespace

namespace tensorc::lowering {
Value convertElement(OpBuilder &b, Location loc, Value v, Type to) { return convertScalar(b, loc, v, to); }
} // namespace tensorc::lowering

namespace {
/// Every elementwise op: one linalg.generic (Lowering::elementwise) around the op's scalar body.
Value lowerElementwise(Operation *op, ValueRange operands, RankedTensorType resultType, Lowering &L) {
  Location loc = op->getLoc();
  OpBuilder &b = L.b;
  if (Scalar s = unaryScalar(op))
    return L.elementwise(op, operands, resultType, s);
  if (Scalar s = binaryScalar(op)) {
    Value r = L.elementwise(op, operands, resultType, s);
    Type expElt = operands.size() == 2 ? elementOf(operands[1]) : Type();
    if (isa<PowOp>(op) && isa<IntegerType>(expElt) && !expElt.isInteger(1) && !expElt.isInteger(8)) {
      // NumPy: "ValueError: Integers to negative integer powers are not allowed." Checked after the
      // computation (whose exponent is clamped at 0), so that a broadcast error is reported first, as
      // NumPy does; i8 is bool storage and never negative.
      Value bad = countNegative(L, loc, operands[1]);
      Value ok = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, bad,
                                         b.create<arith::ConstantIntOp>(loc, b.getI64Type(), 0));
      L.checks.require(b, loc, op, ok, "Integers to negative integer powers are not allowed ({0} negative exponent(s))",
                       bad);
    }
    return r;
  }
  if (Scalar s = compareScalar(op))
    return L.elementwise(op, operands, resultType, s);
  if (isa<SelectOp>(op))
    return L.elementwise(op, operands, resultType, [](OpBuilder &nb, Location l, ValueRange a) -> Value {
      return nb.create<arith::SelectOp>(l, a[0], a[1], a[2]);
    });
  if (isa<CastOp>(op)) {
    // i8 is only ever bool storage: convert to bool (x != 0); the elementwise helper stores it.
    Type to = resultType.getElementType().isInteger(8) ? Type(b.getI1Type()) : resultType.getElementType();
    return L.elementwise(op, operands[0], resultType, [to](OpBuilder &nb, Location l, ValueRange a) {
      return convertScalar(nb, l, a[0], to);
    });
  }
  op->emitOpError("is not an elementwise op");
  return {};
}
} // namespace

void tensorc::lowering::populateElementwisePatterns(const TypeConverter &tc, RewritePatternSet &patterns,
                                                    ConversionTarget &target, ConversionState &state) {
  addFamily<NegOp, AbsOp, SignOp, ExpOp, LogOp, Log1pOp, Expm1Op, SqrtOp, TanhOp, SigmoidOp, SoftplusOp, SinOp,
            CosOp, ErfOp, FloorOp, CeilOp, NotOp, Log1mexpOp,                                        // unary
            AddOp, SubOp, MulOp, DivOp, FloorDivOp, ModOp, PowOp, MaxOp, MinOp, AndOp, OrOp, XorOp, // binary
            EqOp, NeOp, LtOp, LeOp, GtOp, GeOp, SelectOp, CastOp>(patterns, target, tc, state, lowerElementwise);
}
