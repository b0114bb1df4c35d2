// Plain C++ entry points into the dialect and passes, for the RTTI-enabled nanobind module, which must not
// include MLIR C++ headers (docs/TOOLCHAIN.md: the -fno-rtti split).
#pragma once

#include <map>
#include <utility>
#include <string>
#include <vector>

namespace tensorc::api {
/// Registers and loads the tensorc dialect (and every upstream dialect the passes produce) into the
/// MLIRContext behind `mlirContextPtr` (an MlirContext's opaque pointer). Idempotent.
void registerDialect(void *mlirContextPtr);
/// Registers tensorc's passes and pipelines in MLIR's global pass registry. Idempotent.
void registerPasses();
/// Pattern pass name ("canonicalize", "stabilize", "specialize") -> names of its rewrites.
std::map<std::string, std::vector<std::string>> rewriteNames();
/// Passes a mode can include or exclude by name (Pipelines.h).
std::vector<std::string> optimizationPassNames();
/// The stages of `backend` in order, as (stage name, named pipeline); empty for an unknown backend.
std::vector<std::pair<std::string, std::string>> backendStages(const std::string &backend);
/// The backends that have stages ("cpu").
std::vector<std::string> backendNames();
} // namespace tensorc::api
