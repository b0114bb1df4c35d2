// The tensorc dialect: NumPy-style ops on ranked tensors with dynamic dimensions.
// docs/DIALECT.md is the prose contract between the Python frontend and the C++ lowering.
#ifndef TENSORC_OPS_TD
#define TENSORC_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Tensorc_Dialect : Dialect {
  let name = "tensorc";
  let summary = "NumPy-style tensor algebra with dynamic shapes";
  let description = [{
    Ops with NumPy semantics (broadcasting of static size-1 dimensions, axes with keepdims,
    matmul, advanced indexing) on ranked tensors whose dimensions may be dynamic. Run-time shape
    conditions that the verifier cannot see are checked by the code the lowering emits, and
    reported to Python with the op's source location.
  }];
  let cppNamespace = "::tensorc";
  let dependentDialects = ["::mlir::func::FuncDialect"];
  let hasConstantMaterializer = 1;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//
def TC_FloatElt : AnyTypeOf<[F32, F64]>;
def TC_IntElt : AnyTypeOf<[I32, I64]>;
def TC_NumElt : AnyTypeOf<[F32, F64, I32, I64]>;
def TC_IntBoolElt : AnyTypeOf<[I1, I32, I64]>;
def TC_AnyElt : AnyTypeOf<[F32, F64, I32, I64, I1]>;

def TC_FloatTensor : RankedTensorOf<[TC_FloatElt]>;
def TC_NumTensor : RankedTensorOf<[TC_NumElt]>;
def TC_IntTensor : RankedTensorOf<[TC_IntElt]>;
def TC_IntBoolTensor : RankedTensorOf<[TC_IntBoolElt]>;
def TC_BoolTensor : RankedTensorOf<[I1]>;
def TC_AnyTensor : RankedTensorOf<[TC_AnyElt]>;
def TC_ShapeScalar : 0DTensorOf<[I64]> {
  // Buildable, so assembly formats need not spell the type of every shape operand.
  let builderCall = "::mlir::RankedTensorType::get({}, $_builder.getI64Type())";
}

class Tensorc_Op<string mnemonic, list<Trait> traits = []>
    : Op<Tensorc_Dialect, mnemonic, !listconcat(traits, [Pure])>;

//===----------------------------------------------------------------------===//
// Elementwise ops. Verifiers live in C++ (cpp/lib/Dialect/Tensorc/IR/TensorcDialect.cpp) and share one broadcasting rule.
//===----------------------------------------------------------------------===//
class Tensorc_UnaryOp<string mnemonic, TypeConstraint T, string what>
    : Tensorc_Op<mnemonic> {
  let summary = what;
  let description = "Elementwise `" # mnemonic # "`; the result has the operand's shape and type.";
  let arguments = (ins T:$x);
  let results = (outs T:$result);
  let assemblyFormat = "$x attr-dict `:` type($x) `->` type($result)";
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() { return ::tensorc::verifyUnary(getOperation()); }
  }];
}

def Tensorc_NegOp : Tensorc_UnaryOp<"neg", TC_NumTensor, "negation">;
def Tensorc_AbsOp : Tensorc_UnaryOp<"abs", TC_NumTensor, "absolute value">;
def Tensorc_SignOp : Tensorc_UnaryOp<"sign", TC_NumTensor, "sign (-1, 0, 1; NaN stays NaN)">;
def Tensorc_ExpOp : Tensorc_UnaryOp<"exp", TC_FloatTensor, "e**x">;
def Tensorc_LogOp : Tensorc_UnaryOp<"log", TC_FloatTensor, "natural logarithm">;
def Tensorc_Log1pOp : Tensorc_UnaryOp<"log1p", TC_FloatTensor, "log(1 + x), accurate near 0">;
def Tensorc_Expm1Op : Tensorc_UnaryOp<"expm1", TC_FloatTensor, "exp(x) - 1, accurate near 0">;
def Tensorc_SqrtOp : Tensorc_UnaryOp<"sqrt", TC_FloatTensor, "square root">;
def Tensorc_TanhOp : Tensorc_UnaryOp<"tanh", TC_FloatTensor, "hyperbolic tangent">;
def Tensorc_SigmoidOp : Tensorc_UnaryOp<"sigmoid", TC_FloatTensor, "1 / (1 + exp(-x))">;
def Tensorc_SoftplusOp : Tensorc_UnaryOp<"softplus", TC_FloatTensor, "log(1 + exp(x))">;
def Tensorc_SinOp : Tensorc_UnaryOp<"sin", TC_FloatTensor, "sine">;
def Tensorc_CosOp : Tensorc_UnaryOp<"cos", TC_FloatTensor, "cosine">;
def Tensorc_ErfOp : Tensorc_UnaryOp<"erf", TC_FloatTensor, "error function">;
def Tensorc_FloorOp : Tensorc_UnaryOp<"floor", TC_FloatTensor, "round toward -inf">;
def Tensorc_CeilOp : Tensorc_UnaryOp<"ceil", TC_FloatTensor, "round toward +inf">;
def Tensorc_NotOp : Tensorc_UnaryOp<"not", TC_BoolTensor, "logical not">;
def Tensorc_Log1mexpOp : Tensorc_UnaryOp<"log1mexp", TC_FloatTensor,
    "log(1 - exp(x)) for x <= 0, accurate for x near 0 and for very negative x">;

class Tensorc_BinaryOp<string mnemonic, TypeConstraint T, string what, list<Trait> traits = []>
    : Tensorc_Op<mnemonic, traits> {
  let summary = what;
  let description = [{
    Elementwise with NumPy broadcasting over operands of equal rank: per dimension the sizes
    agree, or one operand's size is a static 1 and is broadcast. Dynamic sizes must agree at run time.
  }];
  let arguments = (ins T:$lhs, T:$rhs);
  let results = (outs T:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() { return ::tensorc::verifyBroadcasting(getOperation(), /*resultIsBool=*/false); }
  }];
}

def Tensorc_AddOp : Tensorc_BinaryOp<"add", TC_NumTensor, "addition", [Commutative]>;
def Tensorc_SubOp : Tensorc_BinaryOp<"sub", TC_NumTensor, "subtraction">;
def Tensorc_MulOp : Tensorc_BinaryOp<"mul", TC_NumTensor, "multiplication", [Commutative]>;
def Tensorc_DivOp : Tensorc_BinaryOp<"div", TC_FloatTensor, "true division">;
def Tensorc_FloorDivOp : Tensorc_BinaryOp<"floordiv", TC_NumTensor, "floor division (NumPy `//`; integer division by zero gives 0)">;
def Tensorc_ModOp : Tensorc_BinaryOp<"mod", TC_NumTensor, "remainder with the divisor's sign (NumPy `%`)">;
def Tensorc_PowOp : Tensorc_BinaryOp<"pow", TC_NumTensor, "power">;
def Tensorc_MaxOp : Tensorc_BinaryOp<"max", TC_AnyTensor, "maximum, NaN-propagating", [Commutative]>;
def Tensorc_MinOp : Tensorc_BinaryOp<"min", TC_AnyTensor, "minimum, NaN-propagating", [Commutative]>;
def Tensorc_AndOp : Tensorc_BinaryOp<"and", TC_IntBoolTensor, "bitwise/logical and", [Commutative]>;
def Tensorc_OrOp : Tensorc_BinaryOp<"or", TC_IntBoolTensor, "bitwise/logical or", [Commutative]>;
def Tensorc_XorOp : Tensorc_BinaryOp<"xor", TC_IntBoolTensor, "bitwise/logical xor", [Commutative]>;

class Tensorc_CompareOp<string mnemonic, string what, list<Trait> traits = []>
    : Tensorc_Op<mnemonic, traits> {
  let summary = what;
  let description = "Elementwise comparison with NumPy broadcasting; the result is `i1`.";
  let arguments = (ins TC_AnyTensor:$lhs, TC_AnyTensor:$rhs);
  let results = (outs TC_BoolTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() { return ::tensorc::verifyBroadcasting(getOperation(), /*resultIsBool=*/true); }
  }];
}

def Tensorc_EqOp : Tensorc_CompareOp<"eq", "equal", [Commutative]>;
def Tensorc_NeOp : Tensorc_CompareOp<"ne", "not equal (true for NaN)", [Commutative]>;
def Tensorc_LtOp : Tensorc_CompareOp<"lt", "less than">;
def Tensorc_LeOp : Tensorc_CompareOp<"le", "less or equal">;
def Tensorc_GtOp : Tensorc_CompareOp<"gt", "greater than">;
def Tensorc_GeOp : Tensorc_CompareOp<"ge", "greater or equal">;

def Tensorc_SelectOp : Tensorc_Op<"select"> {
  let summary = "np.where(cond, a, b) with broadcasting of all three operands";
  let arguments = (ins TC_BoolTensor:$cond, TC_AnyTensor:$lhs, TC_AnyTensor:$rhs);
  let results = (outs TC_AnyTensor:$result);
  let assemblyFormat = "$cond `,` $lhs `,` $rhs attr-dict `:` type($cond) `,` type($lhs) `,` type($rhs) `->` type($result)";
  let hasVerifier = 1;
}

def Tensorc_CastOp : Tensorc_Op<"cast"> {
  let summary = "element type conversion (NumPy astype)";
  let description = [{
    Same shape, new element type. Float to integer truncates toward zero; anything to `i1` is `x != 0`.
  }];
  let arguments = (ins TC_AnyTensor:$x);
  let results = (outs TC_AnyTensor:$result);
  let assemblyFormat = "$x attr-dict `:` type($x) `to` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Creation and shape queries
//===----------------------------------------------------------------------===//
def Tensorc_ConstantOp : Tensorc_Op<"constant", [ConstantLike, AllTypesMatch<["value", "result"]>]> {
  let summary = "a constant tensor";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs TC_AnyTensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tensorc_FillOp : Tensorc_Op<"fill"> {
  let summary = "np.full: a tensor of one value; one size operand per dynamic result dimension";
  let arguments = (ins Variadic<TC_ShapeScalar>:$dynamic_dims, TypedAttrInterface:$value);
  let results = (outs TC_AnyTensor:$result);
  let assemblyFormat = "`(` $dynamic_dims `)` $value attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Tensorc_ArangeOp : Tensorc_Op<"arange"> {
  let summary = "0, 1, ..., n-1 (np.arange(n))";
  let arguments = (ins TC_ShapeScalar:$n);
  let results = (outs RankedTensorOf<[TC_NumElt]>:$result);
  let assemblyFormat = "$n attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Tensorc_DimOp : Tensorc_Op<"dim"> {
  let summary = "x.shape[axis] as a 0-d i64 tensor";
  let arguments = (ins TC_AnyTensor:$x, I64Attr:$axis);
  let results = (outs TC_ShapeScalar:$result);
  let assemblyFormat = "$x `[` $axis `]` attr-dict `:` type($x)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tensorc_BroadcastToOp : Tensorc_Op<"broadcast_to"> {
  let summary = "np.broadcast_to for an operand of the result's rank";
  let arguments = (ins TC_AnyTensor:$x, Variadic<TC_ShapeScalar>:$dynamic_dims);
  let results = (outs TC_AnyTensor:$result);
  let assemblyFormat = "$x `(` $dynamic_dims `)` attr-dict `:` type($x) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//
class Tensorc_ReduceOp<string mnemonic, TypeConstraint T, string what> : Tensorc_Op<mnemonic> {
  let summary = what;
  let description = [{
    Reduces the listed axes (sorted, non-negative); with `keepdims` they stay as size-1 dimensions.
  }];
  let arguments = (ins T:$x, DenseI64ArrayAttr:$axes, DefaultValuedAttr<BoolAttr, "false">:$keepdims);
  let results = (outs TC_AnyTensor:$result);
  let assemblyFormat = "$x `axes` `=` $axes attr-dict `:` type($x) `->` type($result)";
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() { return ::tensorc::verifyReduction(getOperation(), getAxes(), getKeepdims()); }
  }];
}

def Tensorc_ReduceSumOp : Tensorc_ReduceOp<"reduce_sum", TC_AnyTensor, "sum over axes">;
def Tensorc_ReduceProdOp : Tensorc_ReduceOp<"reduce_prod", TC_AnyTensor, "product over axes">;
def Tensorc_ReduceMeanOp : Tensorc_ReduceOp<"reduce_mean", TC_AnyTensor, "mean over axes (integers give a float result)">;
def Tensorc_ReduceMaxOp : Tensorc_ReduceOp<"reduce_max", TC_AnyTensor, "maximum over axes (NaN-propagating; empty is an error)">;
def Tensorc_ReduceMinOp : Tensorc_ReduceOp<"reduce_min", TC_AnyTensor, "minimum over axes (NaN-propagating; empty is an error)">;
def Tensorc_LogSumExpOp : Tensorc_ReduceOp<"logsumexp", TC_FloatTensor, "log(sum(exp(x))) over axes, max-shifted">;

class Tensorc_ArgOp<string mnemonic, string what> : Tensorc_Op<mnemonic> {
  let summary = what;
  let arguments = (ins TC_AnyTensor:$x, I64Attr:$axis, DefaultValuedAttr<BoolAttr, "false">:$keepdims);
  let results = (outs RankedTensorOf<[I64]>:$result);
  let assemblyFormat = "$x `axis` `=` $axis attr-dict `:` type($x) `->` type($result)";
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() {
      return ::tensorc::verifyReduction(getOperation(), {getAxis()}, getKeepdims());
    }
  }];
}

def Tensorc_ArgMaxOp : Tensorc_ArgOp<"argmax", "index of the first maximum along an axis">;
def Tensorc_ArgMinOp : Tensorc_ArgOp<"argmin", "index of the first minimum along an axis">;

class Tensorc_SoftmaxLikeOp<string mnemonic, string what> : Tensorc_Op<mnemonic> {
  let summary = what;
  let arguments = (ins TC_FloatTensor:$x, I64Attr:$axis);
  let results = (outs TC_FloatTensor:$result);
  let assemblyFormat = "$x `axis` `=` $axis attr-dict `:` type($x) `->` type($result)";
  let hasVerifier = 1;
}

def Tensorc_SoftmaxOp : Tensorc_SoftmaxLikeOp<"softmax", "exp(x - max) / sum(exp(x - max)) along an axis">;
def Tensorc_LogSoftmaxOp : Tensorc_SoftmaxLikeOp<"log_softmax", "x - max - log(sum(exp(x - max))) along an axis">;

//===----------------------------------------------------------------------===//
// Linear algebra and data movement
//===----------------------------------------------------------------------===//
def Tensorc_MatmulOp : Tensorc_Op<"matmul"> {
  let summary = "np.matmul";
  let description = [{
    NumPy matmul: operands of rank >= 1; a 1-D lhs is a row, a 1-D rhs a column, and that axis is
    dropped from the result; leading batch dimensions broadcast (static 1) or agree.
  }];
  let arguments = (ins TC_NumTensor:$lhs, TC_NumTensor:$rhs);
  let results = (outs TC_NumTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
  let hasVerifier = 1;
}

def Tensorc_TransposeOp : Tensorc_Op<"transpose"> {
  let summary = "permute dimensions: result.shape[i] = x.shape[permutation[i]]";
  let arguments = (ins TC_AnyTensor:$x, DenseI64ArrayAttr:$permutation);
  let results = (outs TC_AnyTensor:$result);
  let assemblyFormat = "$x $permutation attr-dict `:` type($x) `->` type($result)";
  let hasVerifier = 1;
}

def Tensorc_ReshapeOp : Tensorc_Op<"reshape"> {
  let summary = "reshape in C order; one size operand per dynamic result dimension";
  let arguments = (ins TC_AnyTensor:$x, Variadic<TC_ShapeScalar>:$dynamic_dims);
  let results = (outs TC_AnyTensor:$result);
  let assemblyFormat = "$x `(` $dynamic_dims `)` attr-dict `:` type($x) `->` type($result)";
  let hasVerifier = 1;
}

def Tensorc_ExpandDimsOp : Tensorc_Op<"expand_dims"> {
  let summary = "insert size-1 dimensions at `axes` (positions in the result)";
  let arguments = (ins TC_AnyTensor:$x, DenseI64ArrayAttr:$axes);
  let results = (outs TC_AnyTensor:$result);
  let assemblyFormat = "$x $axes attr-dict `:` type($x) `->` type($result)";
  let hasVerifier = 1;
}

def Tensorc_SqueezeOp : Tensorc_Op<"squeeze"> {
  let summary = "remove size-1 dimensions at `axes` (a dynamic one is checked at run time)";
  let arguments = (ins TC_AnyTensor:$x, DenseI64ArrayAttr:$axes);
  let results = (outs TC_AnyTensor:$result);
  let assemblyFormat = "$x $axes attr-dict `:` type($x) `->` type($result)";
  let hasVerifier = 1;
}

def Tensorc_ConcatenateOp : Tensorc_Op<"concatenate"> {
  let summary = "np.concatenate along `axis`";
  let arguments = (ins Variadic<TC_AnyTensor>:$xs, I64Attr:$axis);
  let results = (outs TC_AnyTensor:$result);
  let assemblyFormat = "$xs `axis` `=` $axis attr-dict `:` functional-type($xs, $result)";
  let hasVerifier = 1;
}

def Tensorc_SliceOp : Tensorc_Op<"slice"> {
  let summary = "basic slicing x[start:stop:step, ...] with Python's clamping rules";
  let description = [{
    One (start, stop, step) per dimension. Negative starts/stops count from the end; out-of-range
    values clamp; INT64_MAX / INT64_MIN mean "to the end" for positive / negative steps; steps are
    static and non-zero (negative steps reverse).
  }];
  let arguments = (ins TC_AnyTensor:$x, DenseI64ArrayAttr:$starts, DenseI64ArrayAttr:$stops,
                   DenseI64ArrayAttr:$steps);
  let results = (outs TC_AnyTensor:$result);
  let assemblyFormat = "$x `starts` `=` $starts `stops` `=` $stops `steps` `=` $steps attr-dict `:` type($x) `->` type($result)";
  let hasVerifier = 1;
}

def Tensorc_GatherOp : Tensorc_Op<"gather"> {
  let summary = "advanced integer indexing on adjacent axes (x[..., idx0, idx1, ...])";
  let description = [{
    k index tensors of one shape index the axes `axis .. axis+k-1` of `x`:
    `result.shape = x.shape[:axis] + idx.shape + x.shape[axis+k:]`. Negative indices count from the
    end; an index out of range is reported as an IndexError at run time.
  }];
  let arguments = (ins TC_AnyTensor:$x, Variadic<TC_IntTensor>:$indices, I64Attr:$axis);
  let results = (outs TC_AnyTensor:$result);
  let assemblyFormat = "$x `[` $indices `]` `axis` `=` $axis attr-dict `:` functional-type(operands, $result)";
  let hasVerifier = 1;
}

def Tensorc_SoftmaxCrossEntropyOp : Tensorc_Op<"softmax_cross_entropy"> {
  let summary = "per-row cross-entropy of softmax(logits) with integer labels";
  let description = [{
    `result[i] = -log_softmax(logits, axis=1)[i, labels[i]]` for `i < labels.shape[0]`, computed as
    `logsumexp(logits[i]) - logits[i, labels[i]]`: the max-shifted sum is at least 1, so no log(0) is
    ever formed. Rows beyond the labels are ignored, as `x[arange(n), y]` does; more labels than rows or
    a label out of range is a run-time IndexError; negative labels count from the end.
  }];
  let arguments = (ins TC_FloatTensor:$logits, TC_IntTensor:$labels);
  let results = (outs TC_FloatTensor:$result);
  let assemblyFormat = "$logits `,` $labels attr-dict `:` type($logits) `,` type($labels) `->` type($result)";
  let hasVerifier = 1;
}

#endif // TENSORC_OPS_TD
