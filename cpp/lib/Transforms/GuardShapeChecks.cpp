// tensorc-guard-shape-checks: hoist argument-size checks into a prologue guarding the computation.
#include "tensorc/Transforms/Passes.h"

#include "tensorc/Checks/CheckProtocol.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/SetVector.h"

namespace tensorc {
#define GEN_PASS_DEF_GUARDSHAPECHECKS
#include "tensorc/Transforms/Passes.h.inc"
} // namespace tensorc

using namespace mlir;

namespace {
/// A check emitted by the lowering (tensorc/Checks/CheckProtocol.h): `scf.if %failed { func.call
/// @tensorc_report(...) }`.
bool isCheck(Operation *op) {
  auto ifOp = dyn_cast<scf::IfOp>(op);
  if (!ifOp || ifOp.getNumResults() != 0 || !ifOp.getElseRegion().empty())
    return false;
  for (Operation &inner : ifOp.getThenRegion().front())
    if (auto call = dyn_cast<func::CallOp>(inner))
      if (call.getCallee() == llvm::StringRef(tensorc::checks::kReportSymbol))
        return true;
  return false;
}

/// Collects the ops computing `v` if they only read argument sizes; false otherwise.
bool shapeOnlySlice(Value v, Block *entry, llvm::SetVector<Operation *> &slice) {
  if (auto arg = dyn_cast<BlockArgument>(v))
    return arg.getOwner() == entry;
  Operation *def = v.getDefiningOp();
  if (!def || def->getBlock() != entry || def->getNumRegions() != 0)
    return false;
  if (slice.contains(def))
    return true;
  // Sizes of arguments, scalars read from 0-d arguments, and pure arithmetic on them.
  bool allowed = isa<tensor::DimOp, tensor::ExtractOp>(def)
                     ? isa<BlockArgument>(def->getOperand(0)) &&
                           (isa<tensor::DimOp>(def) || cast<RankedTensorType>(def->getOperand(0).getType()).getRank() == 0)
                     : (isa<arith::ArithDialect>(def->getDialect()) && isPure(def));
  if (!allowed)
    return false;
  for (Value operand : def->getOperands())
    if (isa<tensor::DimOp, tensor::ExtractOp>(def) ? !isa<BlockArgument>(operand) && !shapeOnlySlice(operand, entry, slice)
                                : !shapeOnlySlice(operand, entry, slice))
      return false;
  slice.insert(def);
  return true;
}

/// `scf.if ok { ops... ; yield results } else { yield placeholders }` around the ops of `block` from
/// `first` to its terminator, whose operands become the if's results. When a check failed the results
/// are never looked at (the runtime raises): uninitialized tensors with 0 for every dynamic size.
/// A result of static shape with no elements holds no data: it is a `tensor.empty` before the guard
/// rather than an if result (one-shot-bufferize of an `scf.if` yielding a 0-element alloc in one
/// branch and a strided view in the other casts only one of them, and the IR no longer verifies).
scf::IfOp guardRest(Block *block, Operation *first, Value ok, Location loc) {
  Operation *term = block->getTerminator();
  OpBuilder b(first);
  SmallVector<Value> results(term->getOperands());
  SmallVector<Value> yielded;
  SmallVector<Type> types;
  SmallVector<unsigned> yieldedAt;
  for (auto [i, v] : llvm::enumerate(results)) {
    auto rt = cast<RankedTensorType>(v.getType());
    if (rt.hasStaticShape() && rt.getNumElements() == 0) {
      results[i] = b.create<tensor::EmptyOp>(loc, rt, ValueRange{});
      continue;
    }
    yielded.push_back(v);
    types.push_back(rt);
    yieldedAt.push_back(i);
  }
  auto guard = b.create<scf::IfOp>(loc, types, ok, /*withElseRegion=*/true);
  Block *thenBlock = &guard.getThenRegion().front();
  Block *elseBlock = &guard.getElseRegion().front();
  // Without results (every result statically empty) the builder has added the terminators already.
  for (Block *blk : {thenBlock, elseBlock})
    if (!blk->empty())
      blk->back().erase();
  SmallVector<Operation *> body;
  for (Operation *op = first; op != term; op = op->getNextNode())
    body.push_back(op);
  for (Operation *op : body)
    op->moveBefore(thenBlock, thenBlock->end());
  OpBuilder tb = OpBuilder::atBlockEnd(thenBlock);
  tb.create<scf::YieldOp>(loc, yielded);
  OpBuilder eb = OpBuilder::atBlockEnd(elseBlock);
  SmallVector<Value> placeholders;
  for (Type t : types) {
    auto rt = cast<RankedTensorType>(t);
    Value zero = eb.create<arith::ConstantIndexOp>(loc, 0);
    SmallVector<Value> dyn(rt.getNumDynamicDims(), zero);
    placeholders.push_back(eb.create<tensor::EmptyOp>(loc, rt, dyn));
  }
  eb.create<scf::YieldOp>(loc, placeholders);
  for (auto [k, i] : llvm::enumerate(yieldedAt))
    results[i] = guard.getResult(k);
  term->setOperands(results);
  return guard;
}

/// Checks that stay in place (their sizes come from data, or from ops whose sizes could not be
/// resolved, or they sit in a region such as the general variant's `scf.if`) still guard what
/// follows them: linalg takes loop bounds from the first operand that has each dimension, not from
/// the clamped result, so a loop entered after a failed check could read or write out of bounds.
/// Everything after such a check, in its block, runs only when it passed.
void guardAfterInlineChecks(Block *block, Location loc) {
  // Nested regions first (scf.if of the lowering; not the checks' own then-blocks).
  for (Operation &op : *block)
    if (!isCheck(&op) && isa<scf::IfOp>(op))
      for (Region &region : op.getRegions())
        for (Block &inner : region)
          guardAfterInlineChecks(&inner, loc);
  for (Operation &op : *block) {
    if (!isCheck(&op) || &op == block->getTerminator())
      continue;
    Operation *next = op.getNextNode();
    if (next == block->getTerminator())
      return;
    OpBuilder b(next);
    Value passed = b.create<arith::XOrIOp>(loc, cast<scf::IfOp>(op).getCondition(),
                                           b.create<arith::ConstantIntOp>(loc, b.getI1Type(), 1));
    scf::IfOp guard = guardRest(block, passed.getDefiningOp()->getNextNode(), passed, loc);
    return guardAfterInlineChecks(&guard.getThenRegion().front(), loc);
  }
}

struct GuardShapeChecksPass : tensorc::impl::GuardShapeChecksBase<GuardShapeChecksPass> {
  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    if (fn.isExternal() || !llvm::hasSingleElement(fn.getBody()))
      return;
    Block *entry = &fn.getBody().front();
    guardAfterInlineChecks(guardEntry(fn, entry), fn.getLoc());
  }

  /// Hoists the checks that only read argument sizes to the top and runs the rest under them.
  /// Returns the block that holds the computation (the guard's, or `entry` when nothing moved).
  Block *guardEntry(func::FuncOp fn, Block *entry) {
    llvm::SetVector<Operation *> prologue;
    SmallVector<scf::IfOp> hoisted;
    for (Operation &op : *entry) {
      if (!isCheck(&op))
        continue;
      llvm::SetVector<Operation *> slice;
      // The then-block's call operands must be computable in the prologue too.
      bool ok = shapeOnlySlice(cast<scf::IfOp>(op).getCondition(), entry, slice);
      cast<scf::IfOp>(op).getThenRegion().walk([&](Operation *inner) {
        for (Value operand : inner->getOperands())
          if (operand.getParentBlock() == entry && !shapeOnlySlice(operand, entry, slice))
            ok = false;
      });
      if (!ok)
        continue;
      prologue.insert(slice.begin(), slice.end());
      hoisted.push_back(cast<scf::IfOp>(op));
    }
    if (hoisted.empty())
      return entry;
    // Move the prologue (in original order, so operands stay defined first) and the checks to the top.
    SmallVector<Operation *> ordered(prologue.begin(), prologue.end());
    llvm::sort(ordered, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
    // The first op that stays under the guard; prologue ops already before it keep their order.
    llvm::SmallPtrSet<Operation *, 8> checkSet;
    for (scf::IfOp check : hoisted)
      checkSet.insert(check);
    Operation *anchor = &entry->front();
    while (prologue.contains(anchor) || checkSet.contains(anchor))
      anchor = anchor->getNextNode();
    OpBuilder b(fn.getContext());
    for (Operation *op : ordered)
      op->moveBefore(anchor);
    for (scf::IfOp check : hoisted)
      check->moveBefore(anchor);
    b.setInsertionPoint(anchor);
    Location loc = fn.getLoc();
    Value allOk = b.create<arith::ConstantIntOp>(loc, b.getI1Type(), 1);
    Value trueV = b.create<arith::ConstantIntOp>(loc, b.getI1Type(), 1);
    for (scf::IfOp check : hoisted)
      allOk = b.create<arith::AndIOp>(loc, allOk, b.create<arith::XOrIOp>(loc, check.getCondition(), trueV));

    // Everything from the anchor to the terminator runs under the guard.
    return &guardRest(entry, anchor, allOk, loc).getThenRegion().front();
  }
};
} // namespace
