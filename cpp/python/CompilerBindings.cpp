// Python bindings of the compiler side: dialect and pass registration.
#include <nanobind/nanobind.h>
#include <nanobind/stl/map.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <string>

#include "tensorc/Pipelines/CompilerApi.h"

namespace nb = nanobind;

/// The raw pointer behind an `mlir.ir` object's C-API capsule (e.g. "mlir.ir.Context._CAPIPtr").
void *capiPointer(nb::handle obj, const char *kind) {
  nb::object capsule = nb::getattr(obj, "_CAPIPtr", nb::none());
  std::string expected = std::string("mlir.ir.") + kind + "._CAPIPtr";
  if (capsule.is_none() || !PyCapsule_CheckExact(capsule.ptr()))
    throw nb::type_error(("expected an mlir.ir." + std::string(kind)).c_str());
  const char *name = PyCapsule_GetName(capsule.ptr());
  if (!name || expected != name)
    throw nb::type_error(("expected an mlir.ir." + std::string(kind) + ", got capsule " +
                          (name ? name : "<unnamed>")).c_str());
  return PyCapsule_GetPointer(capsule.ptr(), name);
}

void bindCompiler(nb::module_ &m) {
  m.def(
      "register_dialect",
      [](nb::handle ctx) { tensorc::api::registerDialect(capiPointer(ctx, "Context")); },
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
