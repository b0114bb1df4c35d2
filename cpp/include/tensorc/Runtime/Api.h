// Plain C++ interface of the tensorc native runtime: loading objects into the JIT and calling kernels.
// (Compiling modules to objects is code generation: tensorc/Target/CPU/ObjectCompiler.h.)
//
// Why this header exists: the runtime's LLVM/MLIR code must be compiled without RTTI (the wheels are
// built with LLVM_ENABLE_RTTI=OFF), while the nanobind module that exposes it to Python must be compiled
// with RTTI and exceptions. This header is the runtime's side of what the two share (with
// MemrefDescriptor.h and Checks/CheckProtocol.h), so it names no MLIR or LLVM type and throws nothing:
// every fallible function reports failure through a std::string.
#ifndef TENSORC_RUNTIME_API_H
#define TENSORC_RUNTIME_API_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace tensorc::runtime {

//===------------------------------------------------------------------------------------------------===//
// Loading objects into the process-wide JIT.
//===------------------------------------------------------------------------------------------------===//

/// An object linked into its own JITDylib. Opaque; release it with unloadObject.
struct LoadedObject;

/// Links the ELF object `data[0, size)` into a fresh JITDylib of the process-wide ORC LLJIT and looks up
/// `symbol` in it. On success returns the handle and sets `*entry` to the symbol's address; on failure
/// returns null and sets `error`. Unresolved external symbols are reported here, not at call time.
LoadedObject *loadObject(const void *data, size_t size, const std::string &symbol, void **entry,
                         std::string &error);

/// Frees the code and data of an object. No pointer into the object (code, constants) may be used
/// afterwards.
void unloadObject(LoadedObject *object);

//===------------------------------------------------------------------------------------------------===//
// Calling kernels.
//===------------------------------------------------------------------------------------------------===//

/// The first failed runtime check of a kernel call, as reported by the generated code through
/// `tensorc_report(code, a, b)` (tensorc/Checks/CheckProtocol.h). `code` is
/// tensorc::checks::kOutOfMemoryCode when an allocation of the kernel failed (then `a` is the number of
/// bytes asked for): the runtime raises MemoryError. Buffers the kernel allocated before are not freed.
struct CheckFailure {
  int64_t code = 0;
  int64_t a = 0;
  int64_t b = 0;
};

/// Most pointer arguments a kernel entry point may take (result buffer + one per input).
constexpr size_t kMaxKernelArgs = 64;

/// Calls `entry` (an `_mlir_ciface_*` function whose arguments are all pointers) with
/// `args[0, nargs)`. Returns true when the kernel reported a failed check during this call, and then
/// fills `*failure`. `nargs` must be <= kMaxKernelArgs. Safe to call without the GIL.
bool invokeKernel(void *entry, void *const *args, size_t nargs, CheckFailure *failure);

} // namespace tensorc::runtime

#endif // TENSORC_RUNTIME_API_H
