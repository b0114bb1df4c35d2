// Plain C++ interface of the tensorc native runtime.
//
// Why this header exists: the runtime's LLVM/MLIR code must be compiled without RTTI (the wheels are
// built with LLVM_ENABLE_RTTI=OFF), while the nanobind module that exposes it to Python must be compiled
// with RTTI and exceptions. This header is the only thing the two sides share, so it names no MLIR or
// LLVM type and throws nothing: every fallible function reports failure through a std::string.
#ifndef TENSORC_RUNTIME_API_H
#define TENSORC_RUNTIME_API_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace tensorc::runtime {

//===------------------------------------------------------------------------------------------------===//
// Compiling an LLVM-dialect module to native code.
//===------------------------------------------------------------------------------------------------===//

/// What optimizeAndEmit produces.
enum class EmitKind { Object, Assembly, LLVMIR };

/// An MLIR module translated to LLVM IR. It owns its own llvm::LLVMContext and no longer refers to the
/// MLIR module, so it can be optimized without holding the Python GIL.
struct TranslatedModule;
struct TranslatedModuleDeleter {
  void operator()(TranslatedModule *module) const;
};
using TranslatedModulePtr = std::unique_ptr<TranslatedModule, TranslatedModuleDeleter>;

/// Translates an LLVM-dialect module to LLVM IR for the host. `mlirOperation` is the `ptr` field of an
/// `MlirModule` or of an `MlirOperation` (both are the module's `mlir::Operation *`); anything but a
/// `builtin.module` is rejected. The caller must hold whatever lock
/// protects that module (the GIL, for modules owned by Python). Returns null and sets `error` (with the
/// MLIR diagnostics) on failure; never aborts on invalid IR because the module is verified first.
TranslatedModulePtr translateToLLVMIR(void *mlirOperation, std::string &error);

/// Runs LLVM's default per-module pipeline at `optLevel` (0..3) with the host TargetMachine (so the
/// vectorizers see the host's vector ISA) and emits `kind` into `out`. Touches no Python or MLIR state.
/// The module is consumed (optimization mutates it); calling twice on the same module is an error.
bool optimizeAndEmit(TranslatedModule &module, int optLevel, EmitKind kind, std::string &out,
                     std::string &error);

/// Host CPU name and its enabled features ("znver4 +avx,+avx2,..."), for compile-cache keys: an object
/// compiled for one CPU may use instructions that another lacks.
std::string hostCpuDescription();

/// The LLVM version the runtime is linked against ("22.1.8").
std::string llvmVersion();

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
/// `tensorc_report(code, a, b)`.
struct CheckFailure {
  int64_t code = 0;
  int64_t a = 0;
  int64_t b = 0;
};

/// CheckFailure::code when an allocation of the kernel failed (then `a` is the number of bytes asked
/// for): the runtime raises MemoryError. Buffers the kernel allocated before are not freed.
constexpr int64_t kOutOfMemoryCode = -2;

/// Most pointer arguments a kernel entry point may take (result buffer + one per input).
constexpr size_t kMaxKernelArgs = 64;

/// Calls `entry` (an `_mlir_ciface_*` function whose arguments are all pointers) with
/// `args[0, nargs)`. Returns true when the kernel reported a failed check during this call, and then
/// fills `*failure`. `nargs` must be <= kMaxKernelArgs. Safe to call without the GIL.
bool invokeKernel(void *entry, void *const *args, size_t nargs, CheckFailure *failure);

} // namespace tensorc::runtime

#endif // TENSORC_RUNTIME_API_H
