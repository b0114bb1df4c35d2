// What the runtime module (_tensorc_rt) hands the compiler module (_tensorc) when that is imported, as
// one capsule: both are separate shared objects, loaded RTLD_LOCAL, so plain pointers are the way
// across. The compiler module registers its ORC JIT as the runtime's fallback object loader and counts
// the objects it compiles in the runtime's stats().
#pragma once

#include "tensorc/Runtime/Api.h"

#include <cstdint>

namespace tensorc::python {

struct RuntimeBridge {
  const runtime::RuntimeSymbol *symbols;
  void (*setFallbackLoader)(runtime::FallbackLoader *loader);
  uint64_t *objectsCompiled;
};

inline constexpr const char *kBridgeCapsule = "tensorc._tensorc_rt.RuntimeBridge";

} // namespace tensorc::python
