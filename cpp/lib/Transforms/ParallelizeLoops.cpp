// tensorc-parallelize-loops: the outermost scf.parallel of each loop nest runs on the runtime's thread
// pool (Passes.td has the picture; the runtime side is Runtime/ThreadPool.cpp).
//
// The outlined body gets its values through a context of 8-byte slots on the caller's stack: integers,
// indices and floats take one slot, a memref its whole LLVM descriptor (the struct the memref lowers
// to, moved across with unrealized casts that reconcile-unrealized-casts folds away once
// finalize-memref-to-llvm has run). Constants are cloned into the body instead, so the body's loops
// keep their constant steps and bounds for LLVM's vectorizer.
#include "tensorc/Transforms/Passes.h"

#include "tensorc/Checks/CheckProtocol.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

namespace tensorc {
#define GEN_PASS_DEF_PARALLELIZELOOPS
#include "tensorc/Transforms/Passes.h.inc"
} // namespace tensorc

using namespace mlir;

namespace {
constexpr llvm::StringLiteral kRuntimeFunction = "tensorc_parallel_for";
/// Marks an outlined body (its loops are never outlined again).
constexpr llvm::StringLiteral kBodyAttr = "tensorc.parallel_body";
/// Trip count assumed for a loop whose bound the caller cannot compute.
constexpr int64_t kUnknownTrips = 16;

bool isConstant(Value v) { return v.getDefiningOp() && v.getDefiningOp()->hasTrait<OpTrait::ConstantLike>(); }

/// Slots (8 bytes each) a value of type `t` takes in the context; 0 when it cannot travel there.
int64_t slotsOf(Type t) {
  if (isa<IndexType>(t) || isa<FloatType>(t))
    return 1;
  if (auto i = dyn_cast<IntegerType>(t))
    return i.getWidth() <= 64 ? 1 : 0;
  if (auto m = dyn_cast<MemRefType>(t)) {
    if (!m.isStrided() || m.getMemorySpace())
      return 0;
    return 3 + 2 * m.getRank(); // allocated and aligned pointers, offset, sizes, strides
  }
  return 0;
}

/// Whether `loop` can run on the pool: no results, no calls but the run-time checks' report.
bool outlinable(scf::ParallelOp loop) {
  if (loop.getNumResults() != 0)
    return false;
  WalkResult calls = loop.walk([](Operation *op) {
    if (auto call = dyn_cast<func::CallOp>(op))
      if (call.getCallee() != llvm::StringRef(tensorc::checks::kReportSymbol.data(), tensorc::checks::kReportSymbol.size()))
        return WalkResult::interrupt();
    if (isa<CallOpInterface>(op) && !isa<func::CallOp>(op))
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return !calls.wasInterrupted();
}

/// The trip count of a loop from lb to ub by step (> 0): ceil(max(ub - lb, 0) / step), folded where
/// the bounds are constants.
Value tripCount(OpBuilder &b, Location loc, Value lb, Value ub, Value step, Value zero) {
  Value span = b.createOrFold<arith::MaxSIOp>(loc, b.createOrFold<arith::SubIOp>(loc, ub, lb), zero);
  return b.createOrFold<arith::CeilDivSIOp>(loc, span, step);
}

/// Builds, before `loop`, the estimate of the operations of one iteration of its first dimension.
class WorkEstimate {
public:
  WorkEstimate(OpBuilder &b, scf::ParallelOp loop) : b_(b), loop_(loop), loc_(loop.getLoc()) {}

  Value perIteration() {
    Value body = ofBlock(*loop_.getBody());
    for (unsigned d = 1; d < loop_.getNumLoops(); ++d)
      body = mul(body, trips(loop_.getLowerBound()[d], loop_.getUpperBound()[d], loop_.getStep()[d]));
    return body;
  }

private:
  Value constant(int64_t v) {
    Value &c = constants_[v];
    if (!c)
      c = b_.create<arith::ConstantIndexOp>(loc_, v);
    return c;
  }
  Value mul(Value a, Value c) { return b_.createOrFold<arith::MulIOp>(loc_, a, c); }
  Value add(Value a, Value c) { return b_.createOrFold<arith::AddIOp>(loc_, a, c); }

  /// `v` as the caller sees it: itself when defined before the loop, the constant bound of an
  /// affine.min inside it, else null.
  Value known(Value v) {
    if (!loop_->isAncestor(v.getParentRegion()->getParentOp()))
      return v;
    if (auto min = v.getDefiningOp<affine::AffineMinOp>())
      for (AffineExpr e : min.getAffineMap().getResults())
        if (auto c = dyn_cast<AffineConstantExpr>(e))
          return constant(c.getValue());
    return nullptr;
  }

  Value trips(Value lb, Value ub, Value step) {
    Value l = known(lb), u = known(ub), s = known(step);
    if (!l || !u || !s)
      return constant(kUnknownTrips);
    return tripCount(b_, loc_, l, u, s, constant(0));
  }

  Value ofBlock(Block &block) {
    int64_t plain = 0;
    Value nested = constant(0);
    for (Operation &op : block) {
      if (auto f = dyn_cast<scf::ForOp>(op)) {
        nested = add(nested, mul(trips(f.getLowerBound(), f.getUpperBound(), f.getStep()), ofBlock(*f.getBody())));
      } else if (auto p = dyn_cast<scf::ParallelOp>(op)) {
        Value t = ofBlock(*p.getBody());
        for (unsigned d = 0; d < p.getNumLoops(); ++d)
          t = mul(t, trips(p.getLowerBound()[d], p.getUpperBound()[d], p.getStep()[d]));
        nested = add(nested, t);
      } else if (op.getNumRegions() != 0) {
        // scf.if, scf.while (its trip count unknown): each region counted once, a while's as many
        // times as an unknown loop's.
        Value t = constant(0);
        for (Region &r : op.getRegions())
          for (Block &b : r)
            t = add(t, ofBlock(b));
        nested = add(nested, isa<scf::WhileOp>(op) ? mul(t, constant(kUnknownTrips)) : t);
      } else if (!op.hasTrait<OpTrait::ConstantLike>()) {
        ++plain;
      }
    }
    return add(nested, constant(plain));
  }

  OpBuilder &b_;
  scf::ParallelOp loop_;
  Location loc_;
  llvm::DenseMap<int64_t, Value> constants_;
};

/// Names of the storage a memref of the caller views (see kMemrefRootAttr): "arg<N>" for a view of
/// the caller's argument N, "alloc<K>" for one of its allocations (numbered as met), none otherwise.
class RootNames {
public:
  explicit RootNames(func::FuncOp caller) : entry_(&caller.getBody().front()) {}

  std::optional<std::string> of(Value m) {
    while (auto view = m.getDefiningOp<ViewLikeOpInterface>())
      m = view.getViewSource();
    if (auto arg = dyn_cast<BlockArgument>(m))
      if (arg.getOwner() == entry_)
        return "arg" + std::to_string(arg.getArgNumber());
    if (m.getDefiningOp<memref::AllocOp>() || m.getDefiningOp<memref::AllocaOp>()) {
      auto [it, fresh] = allocs_.try_emplace(m, allocs_.size());
      return "alloc" + std::to_string(it->second);
    }
    return std::nullopt;
  }

private:
  Block *entry_;
  llvm::DenseMap<Value, size_t> allocs_;
};

struct ParallelizeLoopsPass : tensorc::impl::ParallelizeLoopsBase<ParallelizeLoopsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    LLVMTypeConverter converter(&getContext());
    SmallVector<scf::ParallelOp> loops;
    for (auto f : module.getOps<func::FuncOp>()) {
      if (f.isExternal() || f->hasAttr(kBodyAttr))
        continue;
      f.walk<WalkOrder::PreOrder>([&](scf::ParallelOp loop) {
        if (outlinable(loop))
          loops.push_back(loop);
        return WalkResult::skip(); // loops inside stay sequential in the body
      });
    }
    if (loops.empty())
      return;
    std::map<std::string, int> counts;
    for (scf::ParallelOp loop : loops)
      outline(loop, converter, counts);
  }

  /// The runtime's entry point, declared once.
  func::FuncOp runtimeFunction(OpBuilder &b) {
    ModuleOp module = getOperation();
    if (auto f = module.lookupSymbol<func::FuncOp>(kRuntimeFunction))
      return f;
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    auto ptr = LLVM::LLVMPointerType::get(&getContext());
    auto i64 = b.getI64Type();
    auto f = b.create<func::FuncOp>(module.getLoc(), kRuntimeFunction, b.getFunctionType({ptr, ptr, i64, i64}, {}));
    f.setPrivate();
    return f;
  }

  void outline(scf::ParallelOp loop, const LLVMTypeConverter &converter, std::map<std::string, int> &counts) {
    // The values the loop uses from outside (its bounds among them), constants apart.
    llvm::SetVector<Value> used;
    getUsedValuesDefinedAbove(loop.getRegion(), used);
    for (Value v : loop->getOperands())
      used.insert(v);
    SmallVector<Value> captured, constants;
    int64_t slots = 0;
    for (Value v : used) {
      if (isConstant(v)) {
        constants.push_back(v);
        continue;
      }
      const int64_t n = slotsOf(v.getType());
      if (n == 0)
        return; // not outlined: a value the context cannot hold
      captured.push_back(v);
      slots += n;
    }
    MLIRContext *ctx = &getContext();
    Location loc = loop.getLoc();
    auto parent = loop->getParentOfType<func::FuncOp>();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i64 = IntegerType::get(ctx, 64);
    OpBuilder b(ctx);

    // The body: func.func private @<f>_parallel_<k>(%ctx, %begin, %end).
    b.setInsertionPointAfter(parent);
    const std::string name = (parent.getSymName() + "_parallel_" + llvm::Twine(counts[parent.getSymName().str()]++)).str();
    auto body = b.create<func::FuncOp>(loc, name, b.getFunctionType({ptr, i64, i64}, {}));
    body.setPrivate();
    body->setAttr(kBodyAttr, b.getUnitAttr());
    Block *entry = body.addEntryBlock();
    b.setInsertionPointToStart(entry);
    IRMapping map;
    for (Value c : constants)
      map.map(c, b.clone(*c.getDefiningOp())->getResult(0));
    Value context = entry->getArgument(0);
    RootNames roots(parent);
    int64_t slot = 0;
    SmallVector<std::pair<Value, Type>> stored; // the value to store (caller side) and its slot type
    for (Value v : captured) {
      Type t = v.getType();
      Value at = slotAddress(b, loc, context, slot);
      if (isa<MemRefType>(t)) {
        Type descriptor = converter.convertType(t);
        Value d = b.create<LLVM::LoadOp>(loc, descriptor, at);
        auto rebuilt = b.create<UnrealizedConversionCastOp>(loc, t, d);
        if (std::optional<std::string> root = roots.of(v))
          rebuilt->setAttr(tensorc::kMemrefRootAttr, b.getStringAttr(*root));
        map.map(v, rebuilt.getResult(0));
        stored.push_back({v, descriptor});
      } else if (isa<IndexType>(t)) {
        Value w = b.create<LLVM::LoadOp>(loc, i64, at);
        map.map(v, b.create<arith::IndexCastOp>(loc, t, w));
        stored.push_back({v, i64});
      } else {
        map.map(v, b.create<LLVM::LoadOp>(loc, t, at));
        stored.push_back({v, t});
      }
      slot += slotsOf(t);
    }
    // Iterations [begin, end) of the first dimension: lb + begin * step up to min(lb + end * step, ub).
    Value lb = map.lookupOrDefault(loop.getLowerBound()[0]);
    Value ub = map.lookupOrDefault(loop.getUpperBound()[0]);
    Value step = map.lookupOrDefault(loop.getStep()[0]);
    auto index = b.getIndexType();
    Value begin = b.create<arith::IndexCastOp>(loc, index, entry->getArgument(1));
    Value end = b.create<arith::IndexCastOp>(loc, index, entry->getArgument(2));
    Value first = b.create<arith::AddIOp>(loc, lb, b.create<arith::MulIOp>(loc, begin, step));
    Value last = b.create<arith::MinSIOp>(loc, b.create<arith::AddIOp>(loc, lb, b.create<arith::MulIOp>(loc, end, step)), ub);
    auto copy = cast<scf::ParallelOp>(b.clone(*loop, map));
    copy->setOperand(0, first);
    copy->setOperand(loop.getNumLoops(), last);
    b.create<func::ReturnOp>(loc);

    // The caller: the context (in the entry block, so a loop around this one does not grow the stack),
    // the stores, the trip count and the work estimate, the call.
    OpBuilder c(ctx);
    c.setInsertionPointToStart(&parent.getBody().front());
    Value one = c.create<LLVM::ConstantOp>(loc, i64, c.getI64IntegerAttr(1));
    Value contextInCaller =
        c.create<LLVM::AllocaOp>(loc, ptr, LLVM::LLVMArrayType::get(i64, std::max<int64_t>(slots, 1)), one, 8);
    c.setInsertionPoint(loop);
    slot = 0;
    for (auto [v, t] : stored) {
      Value at = slotAddress(c, loc, contextInCaller, slot);
      Value value = v;
      if (isa<MemRefType>(v.getType()))
        value = c.create<UnrealizedConversionCastOp>(loc, t, v).getResult(0);
      else if (isa<IndexType>(v.getType()))
        value = c.create<arith::IndexCastOp>(loc, i64, v);
      c.create<LLVM::StoreOp>(loc, value, at);
      slot += slotsOf(v.getType());
    }
    Value work = WorkEstimate(c, loop).perIteration();
    Value iterations = tripCount(c, loc, loop.getLowerBound()[0], loop.getUpperBound()[0], loop.getStep()[0],
                                 c.create<arith::ConstantIndexOp>(loc, 0));
    Value fn = c.create<func::ConstantOp>(loc, body.getFunctionType(), SymbolRefAttr::get(body));
    Value fnPtr = c.create<UnrealizedConversionCastOp>(loc, ptr, fn).getResult(0);
    func::FuncOp runtime = runtimeFunction(c);
    c.create<func::CallOp>(loc, runtime,
                           ValueRange{fnPtr, contextInCaller, c.create<arith::IndexCastOp>(loc, i64, iterations),
                                      c.create<arith::IndexCastOp>(loc, i64, work)});
    loop.erase();
  }

  static Value slotAddress(OpBuilder &b, Location loc, Value base, int64_t slot) {
    if (slot == 0)
      return base;
    return b.create<LLVM::GEPOp>(loc, LLVM::LLVMPointerType::get(b.getContext()), b.getI64Type(), base,
                                 ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(slot)});
  }
};
} // namespace
