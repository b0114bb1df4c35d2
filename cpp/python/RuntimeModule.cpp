// The `tensorc._tensorc_rt` extension module: the runtime (Function, Dispatcher, Kernel, argument
// conversion, the object loader, BLAS). It links neither MLIR nor LLVM, so a process whose kernels all
// come from the disk cache starts without them (issue 8: a cache hit in milliseconds). The compiler is
// the module _tensorc (Module.cpp); it takes the bridge below when it is imported.
#include "Bridge.h"
#include "Stats.h"

#include <nanobind/nanobind.h>

namespace nb = nanobind;

void bindRuntime(nb::module_ &m); // RuntimeBindings.cpp

NB_MODULE(_tensorc_rt, m) {
  m.doc() = "tensorc native runtime: compiled functions, kernels, object loading";
  bindRuntime(m);
  m.attr("NEEDS_FALLBACK_LOADER") = tensorc::runtime::kNeedsFallbackLoader;
  m.def(
      "_bridge",
      [] {
        static tensorc::python::RuntimeBridge bridge{tensorc::runtime::runtimeSymbols(),
                                                     &tensorc::runtime::setFallbackLoader,
                                                     &tensorc::python::stats.objectsCompiled};
        return nb::steal(PyCapsule_New(&bridge, tensorc::python::kBridgeCapsule, nullptr));
      },
      "For the compiler module (cpp/python/Bridge.h).");
}
