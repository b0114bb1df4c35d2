// Shared machinery of the tensorc -> linalg conversion (tensorc-lower-to-linalg): run-time checks
// (Checks.cpp), bool storage and the loop-nest helpers the op families use (LoweringHelpers.cpp). The
// families' patterns are declared in PopulatePatterns.h.
#pragma once

#include "tensorc/Checks/CheckProtocol.h"
#include "tensorc/Conversion/TensorcToLinalg/TensorcToLinalg.h"
#include "tensorc/Dialect/Tensorc/IR/TensorcDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include <functional>
#include <string>
#include <vector>

namespace tensorc::lowering {

/// Run-time checks (the protocol: tensorc/Checks/CheckProtocol.h). A failed check calls
/// `tensorc_report(code, a, b)`; messages[code] names the op and its source location and may quote a
/// and b as {0} and {1}. The runtime raises it after the call.
class Checks {
public:
  /// Reads the messages already in the module and declares `tensorc_report` if it is missing.
  explicit Checks(mlir::ModuleOp module);
  /// Emits `if (!ok) tensorc_report(code, a, b)` at the builder's insertion point. `a`, `b` are
  /// index or integer values (or null). `errorKind` names the exception (checks::kIndexErrorKind,
  /// checks::kBroadcastKind; empty for ValueError).
  void require(mlir::OpBuilder &b, mlir::Location loc, mlir::Operation *op, mlir::Value ok,
               llvm::StringRef what, mlir::Value a = {}, mlir::Value bVal = {},
               llvm::StringRef errorKind = "");
  /// Stores the messages in the module attribute `tensorc.checks` (or removes the declaration
  /// made by the constructor when no check was emitted).
  void finish();

private:
  mlir::ModuleOp module;
  mlir::func::FuncOp reportFn; // declared here, null when the module had it already
  std::vector<std::string> messages;
};

/// Bool tensors are stored as i8 (one byte per element, NumPy's layout); i1 only lives in scalars.
mlir::Type storageType(mlir::Type t);
mlir::TypedAttr storageAttr(mlir::TypedAttr attr);
/// Scalar of a stored bool (i8) -> i1; other scalars unchanged.
mlir::Value fromStorage(mlir::OpBuilder &b, mlir::Location loc, mlir::Value scalar);
/// i1 scalar -> i8 when the destination element type is i8; other scalars unchanged.
mlir::Value toStorage(mlir::OpBuilder &b, mlir::Location loc, mlir::Value scalar, mlir::Type storageElt);

struct Lowering {
  mlir::OpBuilder &b;
  Checks &checks;
  /// The general variant: any dynamic size may be 1 at run time and broadcast.
  bool dynamicBroadcast = false;
  /// The error kind of broadcasting checks: kBroadcastKind in the default variant (a size of 1 there
  /// means "retry with the general variant"), a plain ValueError in the general one.
  llvm::StringRef broadcastKind() const { return dynamicBroadcast ? "" : llvm::StringRef(checks::kBroadcastKind); }

  mlir::Value idx(mlir::Location loc, int64_t v);
  /// The index-typed sizes of every dimension of a ranked tensor.
  llvm::SmallVector<mlir::Value> dims(mlir::Location loc, mlir::Value tensor);
  /// A tensor.empty of `type`; `sizes` has one index value per dimension (static ones are ignored).
  mlir::Value empty(mlir::Location loc, mlir::RankedTensorType type, llvm::ArrayRef<mlir::Value> sizes);
  /// A 0-d i64 tensor (shape scalar) as an index value.
  mlir::Value shapeScalar(mlir::Location loc, mlir::Value scalarTensor);
  /// Converts an index value to i64.
  mlir::Value toI64(mlir::Location loc, mlir::Value index);
  mlir::Value zeroOf(mlir::Location loc, mlir::Type elt);
  mlir::Value constantOf(mlir::Location loc, mlir::Type elt, double value);
  /// A tensor of `type` filled with `value`.
  mlir::Value filled(mlir::Location loc, mlir::RankedTensorType type, llvm::ArrayRef<mlir::Value> sizes,
                     mlir::Value value);

  using BodyFn = std::function<llvm::SmallVector<mlir::Value>(mlir::OpBuilder &, mlir::Location,
                                                              mlir::ValueRange)>;
  /// linalg.generic with the given maps (inputs then outputs) and iterator kinds ('p'/'r').
  mlir::ValueRange generic(mlir::Location loc, mlir::ValueRange inputs, mlir::ValueRange inits,
                           llvm::ArrayRef<mlir::AffineMap> maps, llvm::StringRef iterators,
                           const BodyFn &body);

  /// Elementwise op with NumPy broadcasting of static size-1 dims over equal-rank operands.
  /// Checks that dynamic sizes agree (clamping to the smaller one when they do not).
  mlir::Value elementwise(mlir::Operation *op, mlir::ValueRange operands, mlir::RankedTensorType resultType,
                          const std::function<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                                          mlir::ValueRange)> &scalar);

  /// NumPy broadcasting of run-time sizes (the general variant). `operandSizes[i][d]` is the size of
  /// operand i along axis d (null where the operand has no such axis); `staticSizes[d]` is the
  /// result's static size or ShapedType::kDynamic. Emits one check per operand and axis (`s == r` or
  /// `s == 1`; `message(axis)` is its text, quoting the sizes as {0} and {1}) and returns the result
  /// sizes and whether every check passed.
  std::pair<llvm::SmallVector<mlir::Value>, mlir::Value>
  broadcastSizes(mlir::Operation *op, llvm::ArrayRef<llvm::SmallVector<mlir::Value>> operandSizes,
                 llvm::ArrayRef<int64_t> staticSizes, llvm::function_ref<std::string(size_t)> message,
                 llvm::StringRef errorKind = "");
  /// `x` stretched to `type` (same rank) with NumPy broadcasting on run-time sizes: element i reads
  /// x at `select(size == 1, 0, i)` along each dynamic axis, 0 along static-1 axes.
  mlir::Value broadcastRead(mlir::Location loc, mlir::Value x, mlir::RankedTensorType type,
                            llvm::ArrayRef<mlir::Value> sizes);
  /// `scf.if ok { build() } else { uninitialized tensor of type/sizes }`: the general variant computes
  /// only when every size check passed (the runtime raises otherwise, the result is never read).
  mlir::Value ifChecked(mlir::Location loc, mlir::Value ok, mlir::RankedTensorType type,
                        llvm::ArrayRef<mlir::Value> sizes, const std::function<mlir::Value()> &build);

  /// Sizes that come from values (zeros((n, n)), arange(n), broadcast_to): checks that the array's
  /// byte size fits in a pointer difference, as NumPy does ("array is too big"); an overflowing
  /// element count would allocate a small buffer and write far past it.
  void checkByteSize(mlir::Operation *op, mlir::RankedTensorType type, llvm::ArrayRef<mlir::Value> sizes);

  /// Reduction of `x` over `axes` into `init` (a tensor of x's shape without those axes).
  mlir::Value reduce(mlir::Location loc, mlir::Value x, llvm::ArrayRef<int64_t> axes, mlir::Value init,
                     const std::function<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::Value elem,
                                                     mlir::Value acc)> &combine);
  /// Shape of `x` without `axes`, as a tensor type of element `elt` plus index sizes.
  mlir::RankedTensorType reducedType(mlir::Value x, llvm::ArrayRef<int64_t> axes, mlir::Type elt,
                                     llvm::SmallVectorImpl<mlir::Value> &sizes, mlir::Location loc);
  /// Inserts size-1 dims at `unitAxes` of `dstType` (tensor.expand_shape).
  mlir::Value expandUnitDims(mlir::Location loc, mlir::Value src, mlir::RankedTensorType dstType,
                             llvm::ArrayRef<int64_t> unitAxes);
  /// Removes the dims `unitAxes` of `src` (tensor.collapse_shape); they are cast to static 1 first.
  mlir::Value collapseUnitDims(mlir::Location loc, mlir::Value src, mlir::RankedTensorType dstType,
                               llvm::ArrayRef<int64_t> unitAxes);
  /// Number (i64 scalar) of entries of the integer tensor `indices` outside [-n, n): NumPy's valid range
  /// for an index into an axis of size `n` (an index value).
  mlir::Value countOutOfRange(mlir::Location loc, mlir::Value indices, mlir::Value n);
  /// Map (d0..d{rank-1}) -> the dims not in `axes`.
  mlir::AffineMap dropDimsMap(int64_t rank, llvm::ArrayRef<int64_t> axes);
};

inline bool isFloat(mlir::Type t) { return mlir::isa<mlir::FloatType>(t); }
inline mlir::Type elementOf(mlir::Value v) {
  return mlir::cast<mlir::RankedTensorType>(v.getType()).getElementType();
}

} // namespace tensorc::lowering
