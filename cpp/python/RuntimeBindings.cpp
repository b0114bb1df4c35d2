// Python bindings of the native runtime: the classes Kernel (a compiled object loaded into the JIT) and
// Function (the callable users get back from tensorc.function / tensorc.compile), and stats().
//
// The module is compiled with RTTI and exceptions (nanobind needs both), so it uses no MLIR/LLVM C++
// type: it reaches the no-RTTI runtime only through tensorc/Runtime/Api.h. What the classes do lives
// beside them: NumpyArguments (argument conversion), Kernel, Function; the compiler's entry points
// (compile_object, ...) are in CompilerBindings.cpp.
#include "Dispatcher.h"
#include "Function.h"
#include "Kernel.h"
#include "NumpyArguments.h"
#include "Stats.h"

#include "tensorc/Runtime/Api.h"
#include "tensorc/Runtime/Blas.h"
#include "tensorc/Runtime/ThreadPool.h"

#include <nanobind/nanobind.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>
#include <nanobind/stl/tuple.h>

#include <string>
#include <utility>
#include <vector>

namespace nb = nanobind;

void bindRuntime(nb::module_ &m) {
  using namespace tensorc::python;
  importNumpy();

  m.def(
      "stats",
      [] {
        nb::dict result;
        result["objects_compiled"] = stats.objectsCompiled;
        result["objects_loaded"] = stats.objectsLoaded;
        result["specializations"] = stats.specializations;
        return result;
      },
      "Process-wide counters: objects_compiled (compile_object), objects_loaded (Kernel objects "
      "linked), specializations (compile(mask) callbacks made by Functions).");
  m.def("host_id", &tensorc::runtime::hostId,
        "The host CPU as the object cache key sees it (cpuid signature, features, enabled state).");

  // The BLAS behind compiled matmuls (tensorc/runtime/blas.py finds it).
  m.def("load_blas", &tensorc::runtime::loadBlas, nb::arg("path"), nb::arg("sgemm"), nb::arg("dgemm"),
        nb::arg("int64_indices"),
        "dlopen a CBLAS library for tensorc-matmul-to-blas's gemm calls; returns '' or why it failed.");
  m.def("loaded_blas", &tensorc::runtime::loadedBlas, "Path of the BLAS in use, '' when none.");
  m.def("set_blas_threads", &tensorc::runtime::setBlasThreads, nb::arg("count"),
        "Set the BLAS's thread count; False when it has no such control (or none is loaded).");
  // The pool compiled parallel loops run on (tensorc/Runtime/ThreadPool.h).
  m.def("set_num_threads", &tensorc::runtime::setNumThreads, nb::arg("count"),
        "Threads compiled parallel loops may use, the calling one included.");
  m.def("num_threads", &tensorc::runtime::numThreads, "Threads compiled parallel loops may use.");
  m.def("blas_threads", &tensorc::runtime::blasThreads, "The BLAS's thread count, -1 when unknown.");

  nb::class_<Kernel>(m, "Kernel", nb::is_weak_referenceable(),
                     "A compiled object loaded into the process JIT, callable through the "
                     "_mlir_ciface_ entry point of one function.")
      .def(nb::init<nb::bytes, std::string, std::vector<std::pair<int, int>>,
                    std::vector<std::pair<int, int>>, std::vector<std::string>>(),
           nb::arg("object"), nb::arg("symbol"), nb::arg("in_specs"), nb::arg("out_specs"),
           nb::arg("messages") = std::vector<std::string>())
      .def(
          "call",
          [](const Kernel &self, nb::args args) {
            PyObject *result = self.call(&PyTuple_GET_ITEM(args.ptr(), 0), static_cast<size_t>(args.size()));
            if (!result)
              throw nb::python_error();
            return nb::steal<nb::tuple>(result);
          },
          "Call the kernel on arrays matching in_specs; returns a tuple of result arrays.")
      .def_prop_ro("symbol", &Kernel::symbol)
      .def_prop_ro("in_specs", &Kernel::inSpecs)
      .def_prop_ro("out_specs", &Kernel::outSpecs);

  nb::class_<Function>(m, "Function", nb::type_slots(functionSlots), nb::is_weak_referenceable(),
                       "A user-facing compiled function: checks and converts arguments, specializes "
                       "on unit dimensions through compile(mask) -> Kernel, and calls the kernel.")
      .def(nb::init<nb::list, bool, nb::object, std::string>(), nb::arg("in_specs"),
           nb::arg("single_output"), nb::arg("compile"), nb::arg("name") = "f")
      .def_prop_ro("specializations", &Function::specializations,
                   "Number of kernels compiled so far (one per unit-dimension mask).")
      .def_prop_ro("masks", &Function::masks, "Masks compiled so far, in order.")
      .def_prop_ro("name", &Function::name);

  nb::class_<Dispatcher>(m, "Dispatcher", nb::type_slots(dispatcherSlots), nb::is_weak_referenceable(),
                         "The native call path of @tc.compile: signatures seen before go straight to "
                         "their traced Function; others call the subclass's _miss(args, kwargs).")
      .def(nb::init<>())
      .def(
          "_remember",
          [](Dispatcher &self, nb::tuple args, nb::object kwargs, nb::object function, bool tupleOutput,
             std::vector<bool> staticSlots, std::vector<int> sources, std::vector<nb::object> constants) {
            PyObject *kw = kwargs.is_none() ? nullptr : kwargs.ptr();
            if (kw && !PyDict_Check(kw))
              throw nb::type_error("Dispatcher._remember: kwargs must be a dict or None");
            self.remember(args.ptr(), kw, std::move(function), tupleOutput, std::move(staticSlots),
                          std::move(sources), std::move(constants));
          },
          nb::arg("args"), nb::arg("kwargs").none(), nb::arg("function"), nb::arg("tuple_output"),
          nb::arg("static_slots"), nb::arg("sources"), nb::arg("constants"),
          "Store the plan for calls with this call's signature (Dispatcher.h).")
      .def_prop_ro("_plans", &Dispatcher::plans, "Number of signatures on the native path.")
      .def_prop_rw("_last_function", &Dispatcher::last, &Dispatcher::setLast, nb::arg("function").none(),
                   "The Function of the latest call (None before the first).");
}
