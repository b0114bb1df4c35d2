// Process-wide counters, exposed as `_tensorc_rt.stats()`: they let tests (and users) check that a cache hit
// or a second call really did no compilation work. Only touched with the GIL held.
#pragma once

#include <cstdint>

namespace tensorc::python {

struct Stats {
  uint64_t objectsCompiled = 0; // compile_object calls that produced an object (CompilerBindings.cpp, through Bridge.h)
  uint64_t objectsLoaded = 0;   // Kernels constructed: objects loaded (Kernel.cpp)
  uint64_t specializations = 0; // compile(mask) callbacks made by Functions (Function.cpp)
};

inline Stats stats;

} // namespace tensorc::python
