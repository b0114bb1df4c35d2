// The C functions generated code calls back into, besides `tensorc_report` (Checks/CheckProtocol.h).
// Defined in Runtime/KernelAbi.cpp; Runtime/JitLoader.cpp hands their addresses to the JIT as absolute
// symbols, so the runtime needs neither libmlir_c_runner_utils nor any symbol exported from the module.
#ifndef TENSORC_RUNTIME_KERNELABI_H
#define TENSORC_RUNTIME_KERNELABI_H

#include <atomic>
#include <csetjmp>
#include <cstddef>
#include <cstdint>

/// The kernels' `malloc`: a failed allocation unwinds to invokeKernel, which reports
/// tensorc::checks::kOutOfMemoryCode, instead of returning null to code that does not test it.
extern "C" void *tensorc_malloc(size_t size);

/// MLIR's `memrefCopy` (CRunnerUtils): copies `src` into `dst`, two `UnrankedMemref *` of the same rank
/// and sizes, any strides and offsets (tensorc/Runtime/MemrefDescriptor.h).
extern "C" void memrefCopy(int64_t elemSize, void *src, void *dst);

namespace tensorc::runtime {

/// The failures of one kernel call (invokeKernel's), as tensorc_report and tensorc_malloc record them.
struct CallState {
  std::atomic<bool> failed{false};
  std::atomic_flag lock = ATOMIC_FLAG_INIT;
  int64_t code = 0, a = 0, b = 0;
};

/// What a thread reports to and where a failed allocation of it returns to. A pool worker running
/// part of a parallel loop binds the caller's state (its failures are the call's) and its own jump
/// target (a longjmp may not cross threads).
struct CallBinding {
  CallState *state;
  std::jmp_buf *outOfMemory;
};
/// This thread's binding now.
CallBinding currentCall();
/// Binds this thread to `next`; returns the binding it replaces (to restore it).
CallBinding bindCall(CallBinding next);

} // namespace tensorc::runtime

#endif // TENSORC_RUNTIME_KERNELABI_H
