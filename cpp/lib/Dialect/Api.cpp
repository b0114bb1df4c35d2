#include "tensorc/Dialect/Api.h"

#include "tensorc/Dialect/TensorcDialect.h"
#include "tensorc/Passes/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"

void tensorc::api::registerDialect(void *mlirContextPtr) {
  auto *ctx = static_cast<mlir::MLIRContext *>(mlirContextPtr);
  mlir::DialectRegistry registry;
  registry.insert<tensorc::TensorcDialect>();
  ctx->appendDialectRegistry(registry);
  ctx->getOrLoadDialect<tensorc::TensorcDialect>();
}

void tensorc::api::registerPasses() { tensorc::registerAllPassesAndPipelines(); }

std::map<std::string, std::vector<std::string>> tensorc::api::rewriteNames() {
  return {{"canonicalize", tensorc::canonicalizeRewriteNames()},
          {"stabilize", tensorc::stabilizeRewriteNames()},
          {"specialize", tensorc::specializeRewriteNames()}};
}
