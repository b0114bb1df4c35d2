// Plain C++ entry points into the dialect and passes, for the RTTI-enabled nanobind module, which must not
// include MLIR C++ headers (docs/TOOLCHAIN.md in shared: the -fno-rtti split).
#pragma once

namespace tensorc::api {
/// Registers and loads the tensorc dialect (and every upstream dialect the passes produce) into the
/// MLIRContext behind `mlirContextPtr` (an MlirContext's opaque pointer). Idempotent.
void registerDialect(void *mlirContextPtr);
/// Registers tensorc's passes and pipelines in MLIR's global pass registry. Idempotent.
void registerPasses();
} // namespace tensorc::api
