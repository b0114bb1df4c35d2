// Plain C++ entry points into the dialect and passes, for the RTTI-enabled nanobind module, which must not
// include MLIR C++ headers (docs/TOOLCHAIN.md in shared: the -fno-rtti split).
#pragma once

#include <map>
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
} // namespace tensorc::api
