// Code generation for the host CPU: an LLVM-dialect module -> optimized object code (or assembly, or
// LLVM IR), with the host's TargetMachine.
//
// A plain C++ interface, like Runtime/Api.h and for the same reason: the implementation uses LLVM/MLIR
// classes and is built without RTTI, the nanobind module that calls it (cpp/python/CompilerBindings.cpp)
// with RTTI. So this header names no MLIR or LLVM type and throws nothing: every fallible function
// reports failure through a std::string.
#ifndef TENSORC_TARGET_CPU_OBJECTCOMPILER_H
#define TENSORC_TARGET_CPU_OBJECTCOMPILER_H

#include <memory>
#include <string>

namespace tensorc::target::cpu {

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

/// The LLVM version the compiler is linked against ("22.1.8").
std::string llvmVersion();

} // namespace tensorc::target::cpu

#endif // TENSORC_TARGET_CPU_OBJECTCOMPILER_H
