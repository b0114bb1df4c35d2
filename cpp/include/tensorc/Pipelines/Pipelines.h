// The named pipelines, the compilation stages of each backend, and the registration of every tensorc
// pass (Pipelines.cpp). This is the only definition of them: tensorc-opt, the Python package
// (tensorc.passes.pipelines asks for the stages) and the tests all use these names.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tensorc {
/// Registers every tensorc pass and the named pipelines in MLIR's global registry, where both
/// tensorc-opt and `mlir.passmanager.PassManager.parse` find them. Idempotent.
void registerAllPassesAndPipelines();

/// A compilation stage: its name (what `f.ir(stage)` shows after it) and the named pipeline producing
/// it from the previous stage. Every stage pipeline takes the same options (a compilation mode):
/// `optimizer=FAST_RUN|FAST_COMPILE include=a,b exclude=c dynamic-broadcast=true`.
struct Stage {
  std::string name;
  std::string pipeline;
};
/// The stages of `backend` ("cpu"), in order; empty for an unknown backend.
std::vector<Stage> backendStages(const std::string &backend);
/// The backends that have stages.
std::vector<std::string> backendNames();
/// Names a mode can include or exclude as a whole pass (the rewrites inside the pattern passes are
/// named by tensorc::{canonicalize,stabilize,specialize}RewriteNames()).
std::vector<std::string> optimizationPassNames();
} // namespace tensorc
