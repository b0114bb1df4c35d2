// The C functions generated code calls back into, besides `tensorc_report` (Checks/CheckProtocol.h).
// Defined in Runtime/KernelAbi.cpp; Runtime/JitLoader.cpp hands their addresses to the JIT as absolute
// symbols, so the runtime needs neither libmlir_c_runner_utils nor any symbol exported from the module.
#ifndef TENSORC_RUNTIME_KERNELABI_H
#define TENSORC_RUNTIME_KERNELABI_H

#include <cstddef>
#include <cstdint>

/// The kernels' `malloc`: a failed allocation unwinds to invokeKernel, which reports
/// tensorc::checks::kOutOfMemoryCode, instead of returning null to code that does not test it.
extern "C" void *tensorc_malloc(size_t size);

/// MLIR's `memrefCopy` (CRunnerUtils): copies `src` into `dst`, two `UnrankedMemref *` of the same rank
/// and sizes, any strides and offsets (tensorc/Runtime/MemrefDescriptor.h).
extern "C" void memrefCopy(int64_t elemSize, void *src, void *dst);

#endif // TENSORC_RUNTIME_KERNELABI_H
