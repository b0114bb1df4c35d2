#include "tensorc/Pipelines/CompilerApi.h"

#include "tensorc/Dialect/Tensorc/IR/TensorcDialect.h"
#include "tensorc/Dialect/Tensorc/Transforms/Passes.h"
#include "tensorc/Pipelines/Pipelines.h"

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

std::vector<std::string> tensorc::api::optimizationPassNames() { return tensorc::optimizationPassNames(); }

std::vector<std::pair<std::string, std::string>> tensorc::api::backendStages(const std::string &backend) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const tensorc::Stage &s : tensorc::backendStages(backend))
    out.emplace_back(s.name, s.pipeline);
  return out;
}

std::vector<std::string> tensorc::api::backendNames() { return tensorc::backendNames(); }
