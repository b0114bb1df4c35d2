// The `tensorc._tensorc` extension module. Built with RTTI and exceptions (nanobind needs both), so it
// includes only MLIR C-API headers and tensorc's plain interfaces (Pipelines/CompilerApi.h, Runtime/Api.h,
// Target/CPU/ObjectCompiler.h, Checks/CheckProtocol.h, Runtime/MemrefDescriptor.h); everything that touches
// MLIR/LLVM C++ classes lives in the no-RTTI library tensorc_core.
#include <nanobind/nanobind.h>

namespace nb = nanobind;

void bindCompiler(nb::module_ &m); // CompilerBindings.cpp: dialect, passes, object code generation
void bindRuntime(nb::module_ &m);  // RuntimeBindings.cpp: the Kernel and Function classes, stats()

NB_MODULE(_tensorc, m) {
  m.doc() = "tensorc native core: dialect, passes, JIT runtime";
  bindCompiler(m);
  bindRuntime(m);
}
