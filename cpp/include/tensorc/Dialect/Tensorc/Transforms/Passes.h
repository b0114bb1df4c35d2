// Graph optimizations on tensorc ops (Passes.td beside this file): canonicalize, merge, stabilize,
// specialize.
#pragma once

#include "mlir/Pass/Pass.h"

#include <string>
#include <vector>

namespace tensorc {
#define GEN_PASS_DECL
#include "tensorc/Dialect/Tensorc/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tensorc/Dialect/Tensorc/Transforms/Passes.h.inc"

/// Names of the rewrites that each pattern pass can enable or disable by name (modes in Python).
std::vector<std::string> canonicalizeRewriteNames();
std::vector<std::string> stabilizeRewriteNames();
std::vector<std::string> specializeRewriteNames();
} // namespace tensorc
