// Python bindings of the compiler side: dialect and pass registration, and code generation (an
// LLVM-dialect module -> host object code, assembly or LLVM IR; Target/CPU/ObjectCompiler.h).
#include <nanobind/nanobind.h>
#include <nanobind/stl/map.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <stdexcept>
#include <string>

#include "tensorc/Pipelines/CompilerApi.h"

#include "Capsule.h"
#include "tensorc/Target/CPU/ObjectCompiler.h"

namespace nb = nanobind;
namespace cpu = tensorc::target::cpu;
using tensorc::python::capiPointer;

namespace {

/// The MlirContext pointer of an mlir.ir.Context.
void *contextPointer(nb::handle context) {
  return capiPointer(context, "mlir.ir.Context", {MLIR_PYTHON_CAPSULE_CONTEXT});
}

/// The MlirModule / MlirOperation pointer (both the module's Operation *) of an mlir.ir.Module or of
/// its Operation.
void *modulePointer(nb::handle module) {
  return capiPointer(module, "mlir.ir.Module", {MLIR_PYTHON_CAPSULE_MODULE, MLIR_PYTHON_CAPSULE_OPERATION});
}

/// Translates `module` (an mlir.ir.Module or its Operation) with the GIL held, then optimizes and emits
/// `kind` with the GIL released. Raises ValueError for a bad opt_level, RuntimeError with the MLIR/LLVM
/// diagnostics on failure.
std::string emit(nb::handle module, int optLevel, cpu::EmitKind kind) {
  if (optLevel < 0 || optLevel > 3)
    throw nb::value_error("opt_level must be 0, 1, 2 or 3");
  void *operation = modulePointer(module);
  std::string error;
  cpu::TranslatedModulePtr translated = cpu::translateToLLVMIR(operation, error);
  if (!translated)
    throw std::runtime_error(error);
  std::string out;
  bool ok;
  {
    // LLVM optimization and codegen touch no Python or MLIR state: let other threads run.
    nb::gil_scoped_release release;
    ok = cpu::optimizeAndEmit(*translated, optLevel, kind, out, error);
  }
  if (!ok)
    throw std::runtime_error(error);
  return out;
}

} // namespace

void bindCompiler(nb::module_ &m, uint64_t *objectsCompiled) {
  // Code generation: an LLVM-dialect module -> host object code, assembly or LLVM IR.
  m.def(
      "compile_object",
      [objectsCompiled](nb::handle module, int optLevel) {
        std::string object = emit(module, optLevel, cpu::EmitKind::Object);
        ++*objectsCompiled; // the runtime module's stats() (Bridge.h)
        return nb::bytes(object.data(), object.size());
      },
      nb::arg("module"), nb::arg("opt_level") = 3,
      "Compile an LLVM-dialect mlir.ir.Module to a host ELF object (bytes), optimized at opt_level "
      "with the host CPU's features. Raises RuntimeError with MLIR/LLVM diagnostics on failure.");
  m.def(
      "emit_assembly",
      [](nb::handle module, int optLevel) { return emit(module, optLevel, cpu::EmitKind::Assembly); },
      nb::arg("module"), nb::arg("opt_level") = 3,
      "Like compile_object, but return the optimized host assembly as text.");
  m.def(
      "emit_llvm_ir",
      [](nb::handle module, int optLevel) { return emit(module, optLevel, cpu::EmitKind::LLVMIR); },
      nb::arg("module"), nb::arg("opt_level") = 3,
      "Like compile_object, but return the optimized LLVM IR as text.");
  m.def("host_cpu", &cpu::hostCpuDescription,
        "Host CPU name and enabled features, as used for code generation (a cache-key part).");
  m.def("llvm_version", &cpu::llvmVersion, "Version of the LLVM the runtime is linked against.");

  // The dialect and the passes.
  m.def(
      "register_dialect",
      [](nb::handle ctx) { tensorc::api::registerDialect(contextPointer(ctx)); },
      nb::arg("context"), "Register and load the tensorc dialect into an mlir.ir.Context.");
  m.def("register_passes", &tensorc::api::registerPasses,
        "Register tensorc's passes and pipelines in MLIR's global pass registry.");
  m.def("rewrite_names", &tensorc::api::rewriteNames,
        "Pattern pass -> names of the rewrites it can enable or disable by name.");
  m.def("optimization_pass_names", &tensorc::api::optimizationPassNames,
        "Passes a compilation mode can include or exclude by name.");
  m.def("backend_stages", &tensorc::api::backendStages, nb::arg("backend"),
        "The compilation stages of a backend, in order: (stage name, named pipeline) pairs.");
  m.def("backend_names", &tensorc::api::backendNames, "The backends that have compilation stages.");
}
