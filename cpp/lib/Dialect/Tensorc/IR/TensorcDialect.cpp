// Dialect registration, folders and the per-op verifiers that are not shared rules.
#include "tensorc/Dialect/Tensorc/IR/TensorcDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace tensorc;

#include "tensorc/Dialect/Tensorc/IR/TensorcDialect.cpp.inc"

void TensorcDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "tensorc/Dialect/Tensorc/IR/TensorcOps.cpp.inc"
      >();
}

Operation *TensorcDialect::materializeConstant(OpBuilder &builder, Attribute value, Type type,
                                               Location loc) {
  if (auto elements = dyn_cast<ElementsAttr>(value))
    if (elements.getType() == type)
      return builder.create<ConstantOp>(loc, type, elements);
  return nullptr;
}

namespace {
std::string shapeStr(RankedTensorType t) {
  std::string s = "(";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(t.getShape(), os, [&](int64_t d) {
    if (ShapedType::isDynamic(d))
      os << "?";
    else
      os << d;
  });
  os << ")";
  return s;
}
LogicalResult checkAxis(Operation *op, int64_t axis, int64_t rank, StringRef what = "axis") {
  if (axis < 0 || axis >= rank)
    return op->emitOpError() << what << " " << axis << " is out of range for rank " << rank;
  return success();
}
/// The result must have `expected` as its shape, up to dynamic dimensions on either side.
/// The result has the shape the operands give (static sizes agree where both are static) and, when
/// `elementType` is given, that element type.
LogicalResult checkResultShape(Operation *op, ArrayRef<int64_t> expected, Type elementType = {}) {
  auto result = cast<RankedTensorType>(op->getResult(0).getType());
  if (elementType && result.getElementType() != elementType)
    return op->emitOpError() << "result element type " << result.getElementType() << " should be "
                             << elementType;
  if (result.getRank() != (int64_t)expected.size())
    return op->emitOpError() << "result rank " << result.getRank() << " should be " << expected.size();
  for (auto [i, pair] : llvm::enumerate(llvm::zip(result.getShape(), expected)))
    if (!dimsCompatible(std::get<0>(pair), std::get<1>(pair)))
      return op->emitOpError() << "result dimension " << i << " is " << std::get<0>(pair)
                               << " but the operands give " << std::get<1>(pair);
  return success();
}
unsigned countDynamic(RankedTensorType t) {
  return llvm::count_if(t.getShape(), ShapedType::isDynamic);
}
} // namespace

//===----------------------------------------------------------------------===//
// Shared rules
//===----------------------------------------------------------------------===//
LogicalResult tensorc::verifyUnary(Operation *op) {
  auto x = rankedOf(op->getOperand(0));
  return checkResultShape(op, x.getShape(), x.getElementType());
}

static LogicalResult verifyBroadcastOperands(Operation *op, ValueRange operands, Type resultElt) {
  auto result = cast<RankedTensorType>(op->getResult(0).getType());
  int64_t rank = result.getRank();
  for (Value v : operands)
    if (rankedOf(v).getRank() != rank)
      return op->emitOpError() << "operands must have the result's rank " << rank
                               << " (insert tensorc.expand_dims), got " << rankedOf(v);
  SmallVector<int64_t> expected;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t size = 1; // every operand static 1 so far
    bool dynamic = false;
    for (Value v : operands) {
      int64_t s = rankedOf(v).getDimSize(d);
      if (s == 1)
        continue;
      if (ShapedType::isDynamic(s)) {
        dynamic = true;
        continue;
      }
      if (size != 1 && size != s) {
        std::string shapes;
        llvm::raw_string_ostream os(shapes);
        llvm::interleave(operands, os, [&](Value o) { os << shapeStr(rankedOf(o)); }, " and ");
        return op->emitOpError() << "operands of shapes " << shapes << " cannot be broadcast (axis "
                                 << d << ")";
      }
      size = s;
    }
    expected.push_back(dynamic && size == 1 ? ShapedType::kDynamic : size);
  }
  return checkResultShape(op, expected, resultElt);
}

LogicalResult tensorc::verifyBroadcasting(Operation *op, bool resultIsBool) {
  Type elt = rankedOf(op->getOperand(0)).getElementType();
  if (rankedOf(op->getOperand(1)).getElementType() != elt)
    return op->emitOpError() << "operand element types differ (" << elt << " vs "
                             << rankedOf(op->getOperand(1)).getElementType()
                             << "); insert tensorc.cast";
  Type resultElt = resultIsBool ? Type(IntegerType::get(op->getContext(), 1)) : elt;
  return verifyBroadcastOperands(op, op->getOperands(), resultElt);
}

LogicalResult tensorc::verifyReduction(Operation *op, ArrayRef<int64_t> axes, bool keepdims) {
  auto x = rankedOf(op->getOperand(0));
  for (auto [i, a] : llvm::enumerate(axes)) {
    if (failed(checkAxis(op, a, x.getRank())))
      return failure();
    if (i > 0 && axes[i - 1] >= a)
      return op->emitOpError("axes must be sorted and unique");
  }
  SmallVector<int64_t> expected;
  for (int64_t d = 0; d < x.getRank(); ++d) {
    if (llvm::is_contained(axes, d)) {
      if (keepdims)
        expected.push_back(1);
    } else {
      expected.push_back(x.getDimSize(d));
    }
  }
  return checkResultShape(op, expected);
}

//===----------------------------------------------------------------------===//
// Per-op verifiers and folders
//===----------------------------------------------------------------------===//
LogicalResult SelectOp::verify() {
  Type elt = rankedOf(getLhs()).getElementType();
  if (rankedOf(getRhs()).getElementType() != elt)
    return emitOpError() << "value operands have different element types";
  return verifyBroadcastOperands(*this, getOperands(), elt);
}

LogicalResult CastOp::verify() {
  auto x = rankedOf(getX());
  return checkResultShape(*this, x.getShape(), getType().getElementType());
}

LogicalResult ConstantOp::verify() {
  if (getValue().getType() != getType())
    return emitOpError() << "value type " << getValue().getType() << " differs from result type "
                         << getType();
  return success();
}
OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult FillOp::verify() {
  if (getDynamicDims().size() != countDynamic(getType()))
    return emitOpError() << "expects " << countDynamic(getType())
                         << " size operands (one per dynamic dimension), got " << getDynamicDims().size();
  if (getValue().getType() != getType().getElementType())
    return emitOpError() << "value type " << getValue().getType() << " differs from element type "
                         << getType().getElementType();
  return success();
}

LogicalResult ArangeOp::verify() {
  if (getType().getRank() != 1)
    return emitOpError("result must be 1-D");
  return success();
}

LogicalResult DimOp::verify() { return checkAxis(*this, getAxis(), rankedOf(getX()).getRank()); }
OpFoldResult DimOp::fold(FoldAdaptor) {
  int64_t size = rankedOf(getX()).getDimSize(getAxis());
  if (ShapedType::isDynamic(size))
    return {};
  return DenseElementsAttr::get(getType(), llvm::ArrayRef<int64_t>{size});
}

LogicalResult BroadcastToOp::verify() {
  auto x = rankedOf(getX());
  auto r = getType();
  if (x.getRank() != r.getRank())
    return emitOpError("operand must have the result's rank (insert tensorc.expand_dims)");
  if (getDynamicDims().size() != countDynamic(r))
    return emitOpError() << "expects " << countDynamic(r) << " size operands, got "
                         << getDynamicDims().size();
  if (x.getElementType() != r.getElementType())
    return emitOpError("element types differ");
  for (int64_t d = 0; d < r.getRank(); ++d) {
    int64_t s = x.getDimSize(d), t = r.getDimSize(d);
    if (s != 1 && !dimsCompatible(s, t))
      return emitOpError() << "cannot broadcast " << shapeStr(x) << " to " << shapeStr(r);
  }
  return success();
}

static LogicalResult verifySoftmaxLike(Operation *op, int64_t axis) {
  auto x = rankedOf(op->getOperand(0));
  if (failed(checkAxis(op, axis, x.getRank())))
    return failure();
  return checkResultShape(op, x.getShape(), x.getElementType());
}
LogicalResult SoftmaxOp::verify() { return verifySoftmaxLike(*this, getAxis()); }
LogicalResult LogSoftmaxOp::verify() { return verifySoftmaxLike(*this, getAxis()); }

LogicalResult MatmulOp::verify() {
  auto a = rankedOf(getLhs()), b = rankedOf(getRhs());
  if (a.getElementType() != b.getElementType())
    return emitOpError("operand element types differ; insert tensorc.cast");
  if (a.getRank() < 1 || b.getRank() < 1)
    return emitOpError("operands must have rank >= 1");
  int64_t ka = a.getDimSize(a.getRank() - 1);
  int64_t kb = b.getRank() == 1 ? b.getDimSize(0) : b.getDimSize(b.getRank() - 2);
  if (!dimsCompatible(ka, kb))
    return emitOpError() << "contraction sizes differ: " << shapeStr(a) << " @ " << shapeStr(b);
  // Batch dimensions: right-aligned, broadcast like elementwise ops.
  int64_t ba = std::max<int64_t>(a.getRank() - 2, 0), bb = std::max<int64_t>(b.getRank() - 2, 0);
  int64_t nb = std::max(ba, bb);
  SmallVector<int64_t> expected;
  for (int64_t i = 0; i < nb; ++i) {
    int64_t da = i - (nb - ba) >= 0 ? a.getDimSize(i - (nb - ba)) : 1;
    int64_t db = i - (nb - bb) >= 0 ? b.getDimSize(i - (nb - bb)) : 1;
    if (da == 1)
      expected.push_back(db);
    else if (db == 1)
      expected.push_back(da);
    else if (!dimsCompatible(da, db))
      return emitOpError() << "batch dimensions cannot be broadcast: " << shapeStr(a) << " @ "
                           << shapeStr(b);
    else
      expected.push_back(ShapedType::isDynamic(da) ? db : da);
  }
  if (a.getRank() >= 2)
    expected.push_back(a.getDimSize(a.getRank() - 2));
  if (b.getRank() >= 2)
    expected.push_back(b.getDimSize(b.getRank() - 1));
  return checkResultShape(*this, expected, a.getElementType());
}

LogicalResult TransposeOp::verify() {
  auto x = rankedOf(getX());
  ArrayRef<int64_t> perm = getPermutation();
  if ((int64_t)perm.size() != x.getRank())
    return emitOpError() << "permutation has " << perm.size() << " entries for rank " << x.getRank();
  SmallVector<bool> seen(perm.size(), false);
  SmallVector<int64_t> expected;
  for (int64_t p : perm) {
    if (p < 0 || p >= x.getRank() || seen[p])
      return emitOpError("permutation is not a permutation of the dimensions");
    seen[p] = true;
    expected.push_back(x.getDimSize(p));
  }
  return checkResultShape(*this, expected, x.getElementType());
}

LogicalResult ReshapeOp::verify() {
  auto x = rankedOf(getX());
  auto r = getType();
  if (getDynamicDims().size() != countDynamic(r))
    return emitOpError() << "expects " << countDynamic(r) << " size operands, got "
                         << getDynamicDims().size();
  if (x.getElementType() != r.getElementType())
    return emitOpError("element types differ");
  if (x.hasStaticShape() && r.hasStaticShape() && x.getNumElements() != r.getNumElements())
    return emitOpError() << "cannot reshape " << shapeStr(x) << " (" << x.getNumElements()
                         << " elements) to " << shapeStr(r) << " (" << r.getNumElements() << ")";
  return success();
}

LogicalResult ExpandDimsOp::verify() {
  auto x = rankedOf(getX());
  int64_t rank = x.getRank() + getAxes().size();
  SmallVector<int64_t> expected;
  for (auto [i, a] : llvm::enumerate(getAxes())) {
    if (failed(checkAxis(*this, a, rank)))
      return failure();
    if (i > 0 && getAxes()[i - 1] >= a)
      return emitOpError("axes must be sorted and unique");
  }
  for (int64_t d = 0, s = 0; d < rank; ++d)
    expected.push_back(llvm::is_contained(getAxes(), d) ? 1 : x.getDimSize(s++));
  return checkResultShape(*this, expected, x.getElementType());
}

LogicalResult SqueezeOp::verify() {
  auto x = rankedOf(getX());
  SmallVector<int64_t> expected;
  for (auto [i, a] : llvm::enumerate(getAxes())) {
    if (failed(checkAxis(*this, a, x.getRank())))
      return failure();
    if (i > 0 && getAxes()[i - 1] >= a)
      return emitOpError("axes must be sorted and unique");
    if (!dimsCompatible(x.getDimSize(a), 1))
      return emitOpError() << "cannot squeeze axis " << a << " of size " << x.getDimSize(a);
  }
  for (int64_t d = 0; d < x.getRank(); ++d)
    if (!llvm::is_contained(getAxes(), d))
      expected.push_back(x.getDimSize(d));
  return checkResultShape(*this, expected, x.getElementType());
}

LogicalResult ConcatenateOp::verify() {
  if (getXs().empty())
    return emitOpError("needs at least one operand");
  auto first = rankedOf(getXs()[0]);
  if (failed(checkAxis(*this, getAxis(), first.getRank())))
    return failure();
  SmallVector<int64_t> expected(first.getShape());
  for (Value v : getXs().drop_front()) {
    auto t = rankedOf(v);
    if (t.getRank() != first.getRank() || t.getElementType() != first.getElementType())
      return emitOpError() << "operands must share rank and element type: " << first << " vs " << t;
    for (int64_t d = 0; d < t.getRank(); ++d) {
      if (d == getAxis()) {
        expected[d] = ShapedType::isDynamic(expected[d]) || t.isDynamicDim(d) ? ShapedType::kDynamic
                                                                               : expected[d] + t.getDimSize(d);
      } else if (!dimsCompatible(expected[d], t.getDimSize(d))) {
        return emitOpError() << "operand shapes " << shapeStr(first) << " and " << shapeStr(t)
                             << " differ outside axis " << getAxis();
      } else if (ShapedType::isDynamic(expected[d])) {
        expected[d] = t.getDimSize(d);
      }
    }
  }
  return checkResultShape(*this, expected, first.getElementType());
}

LogicalResult SliceOp::verify() {
  auto x = rankedOf(getX());
  size_t rank = x.getRank();
  if (getStarts().size() != rank || getStops().size() != rank || getSteps().size() != rank)
    return emitOpError() << "starts, stops and steps need one entry per dimension (" << rank << ")";
  if (llvm::is_contained(getSteps(), 0))
    return emitOpError("slice step cannot be zero");
  if (getType().getRank() != (int64_t)rank || getType().getElementType() != x.getElementType())
    return emitOpError("result must have the operand's rank and element type");
  return success();
}

LogicalResult GatherOp::verify() {
  auto x = rankedOf(getX());
  int64_t k = getIndices().size();
  if (k < 1)
    return emitOpError("needs at least one index tensor");
  if (getAxis() < 0 || getAxis() + k > x.getRank())
    return emitOpError() << "axes " << getAxis() << ".." << getAxis() + k - 1
                         << " are out of range for rank " << x.getRank();
  auto idx = rankedOf(getIndices()[0]);
  for (Value v : getIndices().drop_front()) {
    auto t = rankedOf(v);
    if (t.getRank() != idx.getRank())
      return emitOpError("index tensors must have one shape (broadcast them first)");
    for (int64_t d = 0; d < t.getRank(); ++d)
      if (!dimsCompatible(t.getDimSize(d), idx.getDimSize(d)))
        return emitOpError("index tensors must have one shape (broadcast them first)");
  }
  SmallVector<int64_t> expected(x.getShape().take_front(getAxis()));
  llvm::append_range(expected, idx.getShape());
  llvm::append_range(expected, x.getShape().drop_front(getAxis() + k));
  return checkResultShape(*this, expected, x.getElementType());
}

LogicalResult SoftmaxCrossEntropyOp::verify() {
  auto x = rankedOf(getLogits()), y = rankedOf(getLabels());
  if (x.getRank() != 2 || y.getRank() != 1)
    return emitOpError() << "expects 2-D logits and 1-D labels, got " << x << " and " << y;
  return checkResultShape(*this, y.getShape(), x.getElementType());
}

#define GET_OP_CLASSES
#include "tensorc/Dialect/Tensorc/IR/TensorcOps.cpp.inc"
