// Run-time checks of the lowering: the emitting side of the protocol in tensorc/Checks/CheckProtocol.h.
#include "Lowering.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace tensorc;
using namespace tensorc::lowering;

//===----------------------------------------------------------------------===//
// Checks
//===----------------------------------------------------------------------===//
static std::string locationText(Location loc) {
  if (auto f = dyn_cast<FileLineColLoc>(loc))
    return llvm::formatv("{0}:{1}", f.getFilename().getValue(), f.getLine()).str();
  if (auto n = dyn_cast<NameLoc>(loc))
    return locationText(n.getChildLoc());
  if (auto c = dyn_cast<CallSiteLoc>(loc))
    return locationText(c.getCallee());
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations()) {
      std::string s = locationText(inner);
      if (!s.empty())
        return s;
    }
  return "";
}

Checks::Checks(ModuleOp module) : module(module) {
  MLIRContext *ctx = module.getContext();
  if (auto existing = module->getAttrOfType<ArrayAttr>(StringRef(checks::kMessagesAttr)))
    for (Attribute s : existing)
      messages.push_back(cast<StringAttr>(s).getValue().str());
  // Declared before the conversion runs: patterns only add ops inside the functions they rewrite.
  if (module.lookupSymbol<func::FuncOp>(StringRef(checks::kReportSymbol)))
    return;
  OpBuilder mb(ctx);
  mb.setInsertionPointToStart(module.getBody());
  auto i64 = mb.getI64Type();
  reportFn = mb.create<func::FuncOp>(module.getLoc(), StringRef(checks::kReportSymbol),
                                     FunctionType::get(ctx, {i64, i64, i64}, {}));
  reportFn.setPrivate();
}

void Checks::require(OpBuilder &b, Location loc, Operation *op, Value ok, StringRef what, Value a,
                     Value bVal, StringRef errorKind) {
  auto i64 = b.getI64Type();
  int64_t code = messages.size();
  std::string where = locationText(op->getLoc());
  std::string msg = (errorKind.empty() ? "" : (errorKind + StringRef(checks::kKindSeparator)).str()) +
                    op->getName().getStringRef().str() + ": " + what.str() +
                    (where.empty() ? "" : " (at " + where + ")");
  messages.push_back(msg);
  auto asI64 = [&](Value v) -> Value {
    if (!v)
      return b.create<arith::ConstantIntOp>(loc, i64, 0);
    if (v.getType().isIndex())
      return b.create<arith::IndexCastOp>(loc, i64, v);
    if (v.getType() != i64)
      return b.create<arith::ExtSIOp>(loc, i64, v);
    return v;
  };
  Value av = asI64(a), bv = asI64(bVal);
  Value failed = b.create<arith::XOrIOp>(loc, ok, b.create<arith::ConstantIntOp>(loc, b.getI1Type(), 1));
  auto ifOp = b.create<scf::IfOp>(loc, failed, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
  Value codeV = b.create<arith::ConstantIntOp>(loc, i64, code);
  b.create<func::CallOp>(loc, StringRef(checks::kReportSymbol), TypeRange{}, ValueRange{codeV, av, bv});
}

void Checks::finish() {
  if (messages.empty()) {
    if (reportFn)
      reportFn.erase();
    return;
  }
  SmallVector<Attribute> attrs;
  for (auto &m : messages)
    attrs.push_back(StringAttr::get(module.getContext(), m));
  module->setAttr(StringRef(checks::kMessagesAttr), ArrayAttr::get(module.getContext(), attrs));
}
