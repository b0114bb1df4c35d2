// The ORC JIT as the runtime's fallback object loader (Target/CPU/OrcLoader.cpp). Plain C++: the
// compiler module (nanobind, RTTI) includes it to register the loader with the runtime module.
#ifndef TENSORC_TARGET_CPU_ORCLOADER_H
#define TENSORC_TARGET_CPU_ORCLOADER_H

#include "tensorc/Runtime/Api.h"

namespace tensorc::target::cpu {

/// The loader; `symbols` (the runtime module's runtimeSymbols()) are defined for every object it
/// links. The first call's table is the one used.
runtime::FallbackLoader *orcLoader(const runtime::RuntimeSymbol *symbols);

} // namespace tensorc::target::cpu

#endif // TENSORC_TARGET_CPU_ORCLOADER_H
