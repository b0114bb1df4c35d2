// The `tensorc._tensorc` extension module: the compiler (dialect, passes, code generation; it links
// libMLIRPythonCAPI and libLLVM). Built with RTTI and exceptions (nanobind needs both), so it includes
// only MLIR C-API headers and tensorc's plain interfaces (Pipelines/CompilerApi.h,
// Target/CPU/ObjectCompiler.h, Target/CPU/OrcLoader.h); everything that touches MLIR/LLVM C++ classes
// lives in the no-RTTI library tensorc_core. The runtime is the separate module _tensorc_rt
// (RuntimeModule.cpp), which a cache hit loads alone.
#include "Bridge.h"

#include "tensorc/Target/CPU/OrcLoader.h"

#include <nanobind/nanobind.h>

namespace nb = nanobind;

void bindCompiler(nb::module_ &m, uint64_t *objectsCompiled); // CompilerBindings.cpp

NB_MODULE(_tensorc, m) {
  m.doc() = "tensorc native compiler: dialect, passes, code generation";
  nb::object runtime = nb::module_::import_("tensorc._tensorc_rt");
  nb::object capsule = runtime.attr("_bridge")();
  auto *bridge = static_cast<tensorc::python::RuntimeBridge *>(
      PyCapsule_GetPointer(capsule.ptr(), tensorc::python::kBridgeCapsule));
  if (!bridge)
    throw nb::python_error();
  bridge->setFallbackLoader(tensorc::target::cpu::orcLoader(bridge->symbols));
  bindCompiler(m, bridge->objectsCompiled);
}
