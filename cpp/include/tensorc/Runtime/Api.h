// Plain C++ interface of the tensorc native runtime: loading objects and calling kernels.
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
// Loading objects (Runtime/ObjectLoader.cpp): linked in the process without LLVM; an object the small
// linker does not support goes to the fallback loader, the ORC JIT of the compiler module
// (Target/CPU/OrcLoader.cpp), registered when that module is imported.
//===------------------------------------------------------------------------------------------------===//

/// A loaded object. Opaque; release it with unloadObject.
struct LoadedObject;

/// Links the ELF object `data[0, size)` into fresh memory and looks up `symbol` in it. On success
/// returns the handle and sets `*entry` to the symbol's address; on failure returns null and sets
/// `error`. Unresolved external symbols are reported here, not at call time. An object only the
/// fallback loader can link fails with an error that starts with kNeedsFallbackLoader when none is
/// registered (the Python side then imports the compiler module and tries again).
/// TENSORC_OBJECT_LOADER=orc sends every object to the fallback loader (for comparisons).
LoadedObject *loadObject(const void *data, size_t size, const std::string &symbol, void **entry,
                         std::string &error);

/// Frees the code and data of an object. No pointer into the object (code, constants) may be used
/// afterwards.
void unloadObject(LoadedObject *object);

inline constexpr const char *kNeedsFallbackLoader = "this object needs the LLVM JIT to load";

/// A definition kernels link against before the process's own symbols (the runtime's callbacks and
/// its pinned allocator). runtimeSymbols() ends with {nullptr, nullptr}.
struct RuntimeSymbol {
  const char *name;
  void *address;
};
const RuntimeSymbol *runtimeSymbols();

/// Another loader (plain function pointers: it lives in another shared object).
struct FallbackLoader {
  /// Same contract as loadObject; returns the loader's own handle.
  void *(*load)(const void *data, size_t size, const std::string &symbol, void **entry, std::string &error);
  void (*unload)(void *handle);
};
/// Registers the fallback loader (it must stay valid for the life of the process).
void setFallbackLoader(FallbackLoader *loader);

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

/// The host CPU as the object cache key sees it (Runtime/HostId.cpp): cpuid vendor, signature, feature
/// leaves and enabled register state on x86-64.
std::string hostId();

} // namespace tensorc::runtime

#endif // TENSORC_RUNTIME_API_H
