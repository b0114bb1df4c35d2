// Function: the callable users get back from tensorc.function / tensorc.compile. It binds and checks
// the arguments, picks (or compiles, through the Python callback `compile(mask)`) the Kernel specialized
// for the arguments' unit dimensions, and calls it.
//
// Calling a Function goes straight to its tp_call slot (functionSlots) with no nanobind casting: the
// whole per-call path is written against the CPython and NumPy C APIs.
//
// State (the next issue: shared variables and in-place outputs). A Function will own state that lives
// across calls: the storage of its shared variables (learnable parameters), which the kernel takes as
// inputs after the user's arguments and which `updates=` overwrites in place, through destination
// buffers, once all outputs are computed; and in-place outputs, results written into the buffer of an
// argument or of a shared variable instead of a fresh one. Its place is marked in Function::call:
//   1. after prepareArguments, the storage arrays are appended to the same PreparedArguments (borrowed:
//      the Function keeps them alive), so Kernel::run keeps one input list;
//   2. after the kernel ran and before the results are handed out, the updates are committed (all or
//      none: a failed check must leave every shared variable as it was).
// compileSpecialization checks a kernel's inputs against the Function's; it will count the shared
// inputs too. Nothing of this exists yet.
#pragma once

#include "NumpyArguments.h"

#include <nanobind/nanobind.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tensorc::python {

class Function {
public:
  /// `inSpecs`: one (name, dtype, ndim) or (name, dtype, ndim, python_int_dtype) per argument (see
  /// InputSpec); `compile(mask[, general=True])` returns the Kernel for a unit-dimension mask.
  Function(nanobind::list inSpecs, bool singleOutput, nanobind::object compile, std::string name);
  Function(const Function &) = delete;
  Function &operator=(const Function &) = delete;

  size_t specializations() const { return kernels_.size(); }
  std::vector<uint64_t> masks() const;
  const std::string &name() const { return name_; }

  /// The whole per-call path. Returns a new reference or null with a Python error set.
  PyObject *call(PyObject *args, PyObject *kwargs);
  /// The same with the arguments already bound, in order (the Dispatcher of @tc.compile calls this).
  PyObject *callVector(PyObject *const *argv, size_t given);

  /// For the GC (tp_traverse / tp_clear): the compile callback typically closes over the graph, which
  /// may refer back to the Function.
  int traverse(visitproc visit, void *arg);
  void clear();

private:
  struct Entry {
    uint64_t mask;
    bool general; // the variant compiled for run-time broadcasting
    nanobind::object kernel;
  };

  PyObject *lookup(uint64_t mask, bool general);
  PyObject *compileSpecialization(uint64_t mask, bool general);
  uint64_t unitDimensionMask(PyArrayObject *const *arrays) const;
  std::string signature() const;
  void raiseArgumentCount(size_t given) const;
  bool bindKeywords(PyObject *const *args, size_t given, PyObject *kwargs, PyObject **bound) const;

  std::string name_;
  bool singleOutput_;
  nanobind::object compile_;
  std::vector<InputSpec> inputs_;
  int totalRank_ = 0;
  std::vector<Entry> kernels_;
  size_t last_ = 0;
};

/// The type slots of Function's class binding (tp_call, tp_traverse, tp_clear).
extern PyType_Slot functionSlots[];

} // namespace tensorc::python
