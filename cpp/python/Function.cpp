// Function (Function.h).
#include "Function.h"

#include "Kernel.h"
#include "Stats.h"

#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>

#include <exception>
#include <stdexcept>
#include <tuple>

namespace nb = nanobind;
namespace rt = tensorc::runtime;

namespace tensorc::python {

namespace {

/// One entry of Function's in_specs: (name, dtype, ndim) or (name, dtype, ndim, python_int_dtype).
InputSpec inputSpecFromPython(nb::handle item) {
  std::tuple<std::string, nb::object, int> spec;
  std::tuple<std::string, nb::object, int, nb::object> spec4;
  nb::object pythonIntDtype;
  if (nb::try_cast(item, spec4)) {
    spec = {std::get<0>(spec4), std::get<1>(spec4), std::get<2>(spec4)};
    pythonIntDtype = std::get<3>(spec4);
  } else if (!nb::try_cast(item, spec)) {
    throw nb::type_error("Function: in_specs entries must be (name: str, dtype, ndim: int) or "
                         "(name, dtype, ndim, python_int_dtype)");
  }
  auto &[argName, dtype, ndim] = spec;
  PyArray_Descr *converted = nullptr;
  if (!PyArray_DescrConverter(dtype.ptr(), &converted))
    throw nb::python_error();
  DescrRef descr(converted);
  if (!PyArray_ISNBO(descr.get()->byteorder)) {
    // Kernels compute in native order; a '>f4' spec means float32 (arguments are converted).
    descr = DescrRef(PyArray_DescrFromType(descr.get()->type_num));
    if (!descr.get())
      throw nb::python_error();
  }
  const int typenum = descr.get()->type_num;
  InputSpec result{argName, typenum, ndim, std::move(descr)};
  if (pythonIntDtype.is_valid() && !pythonIntDtype.is_none()) {
    PyArray_Descr *range = nullptr;
    if (!PyArray_DescrConverter(pythonIntDtype.ptr(), &range))
      throw nb::python_error();
    result.pythonIntTypenum = range->type_num;
    Py_DECREF(range);
  }
  if (!supportedTypenum(typenum))
    throw std::invalid_argument("Function: argument '" + argName + "' has unsupported dtype " +
                                describe(reinterpret_cast<PyObject *>(result.descr.get())));
  if (ndim < 0 || ndim > kMaxRank)
    throw std::invalid_argument("Function: argument '" + argName + "' has rank " + std::to_string(ndim) +
                                ", out of range [0, " + std::to_string(kMaxRank) + "]");
  return result;
}

} // namespace

Function::Function(nb::list inSpecs, bool singleOutput, nb::object compile, std::string name)
    : name_(std::move(name)), singleOutput_(singleOutput), compile_(std::move(compile)) {
  if (!PyCallable_Check(compile_.ptr()))
    throw nb::type_error("Function: `compile` must be callable");
  if (inSpecs.size() > rt::kMaxKernelArgs - 1)
    throw std::invalid_argument("Function: at most " + std::to_string(rt::kMaxKernelArgs - 1) +
                                " inputs are supported");
  for (nb::handle item : inSpecs) {
    inputs_.push_back(inputSpecFromPython(item));
    totalRank_ += inputs_.back().ndim;
  }
}

std::vector<uint64_t> Function::masks() const {
  std::vector<uint64_t> result;
  for (const Entry &entry : kernels_)
    result.push_back(entry.mask);
  return result;
}

PyObject *Function::call(PyObject *args, PyObject *kwargs) {
  const size_t n = inputs_.size();
  const auto given = static_cast<size_t>(PyTuple_GET_SIZE(args));
  PyObject *const *argv = &PyTuple_GET_ITEM(args, 0);
  PyObject *bound[rt::kMaxKernelArgs];
  if (kwargs && PyDict_GET_SIZE(kwargs) != 0) {
    if (!bindKeywords(argv, given, kwargs, bound))
      return nullptr;
    argv = bound;
  }
  return callVector(argv, argv == bound ? n : given);
}

PyObject *Function::callVector(PyObject *const *argv, size_t given) {
  if (given != inputs_.size()) {
    raiseArgumentCount(given);
    return nullptr;
  }
  PreparedArguments prepared;
  if (!prepareArguments(argv, inputs_, prepared))
    return nullptr;
  // State hook 1 (Function.h): the storage of shared variables joins `prepared` here.
  const uint64_t mask = unitDimensionMask(prepared.arrays());

  // The default variant first; when one of its Broadcast checks fails (a size computed at run time
  // is 1, or the mask could not describe the inputs), the variant compiled for run-time broadcasting
  // (`general`) decides: it computes, or raises the real error.
  PyObject *results[rt::kMaxKernelArgs];
  size_t outputs = 0;
  bool broadcastFailed = false;
  for (bool general : {false, true}) {
    PyObject *kernelObject = lookup(mask, general);
    if (!kernelObject) {
      kernelObject = compileSpecialization(mask, general);
      if (!kernelObject)
        return nullptr;
    }
    // Held for the call: the compile callback of a re-entrant call, or the GC clearing this
    // Function, must not free the kernel under our feet.
    Py_INCREF(kernelObject);
    Kernel &kernel = *nb::inst_ptr<Kernel>(kernelObject);
    const bool ok = kernel.run(prepared.arrays(), results, general ? nullptr : &broadcastFailed);
    outputs = kernel.numOutputs();
    Py_DECREF(kernelObject);
    if (ok)
      break;
    if (!broadcastFailed || general)
      return nullptr;
  }
  // State hook 2 (Function.h): updates of shared variables are committed here, all or none.

  if (singleOutput_)
    return results[0];
  PyObject *list = PyList_New(static_cast<Py_ssize_t>(outputs));
  if (!list) {
    for (size_t r = 0; r < outputs; ++r)
      Py_DECREF(results[r]);
    return nullptr;
  }
  for (size_t r = 0; r < outputs; ++r)
    PyList_SET_ITEM(list, static_cast<Py_ssize_t>(r), results[r]);
  return list;
}

/// Bit (offset_i + d) is set when dimension d of input i has size 1: kernels are specialized on which
/// dimensions broadcast, so each such pattern is compiled once. 0 when the inputs have more than 64
/// dimensions in all (the general variant then handles what the default one cannot).
uint64_t Function::unitDimensionMask(PyArrayObject *const *arrays) const {
  uint64_t mask = 0;
  if (totalRank_ > 64)
    return mask;
  int bit = 0;
  for (size_t i = 0; i < inputs_.size(); ++i) {
    const npy_intp *shape = PyArray_DIMS(arrays[i]);
    for (int d = 0; d < inputs_[i].ndim; ++d, ++bit)
      if (shape[d] == 1)
        mask |= uint64_t(1) << bit;
  }
  return mask;
}

int Function::traverse(visitproc visit, void *arg) {
  Py_VISIT(compile_.ptr());
  for (const Entry &entry : kernels_)
    Py_VISIT(entry.kernel.ptr());
  return 0;
}

void Function::clear() {
  compile_ = nb::object();
  kernels_.clear();
  last_ = 0;
}

PyObject *Function::lookup(uint64_t mask, bool general) {
  // Almost every Function sees one or two masks; remember the last hit and scan otherwise.
  if (last_ < kernels_.size() && kernels_[last_].mask == mask && kernels_[last_].general == general)
    return kernels_[last_].kernel.ptr();
  for (size_t i = 0; i < kernels_.size(); ++i) {
    if (kernels_[i].mask == mask && kernels_[i].general == general) {
      last_ = i;
      return kernels_[i].kernel.ptr();
    }
  }
  return nullptr;
}

/// Calls compile(mask) for the default variant, compile(mask, general=True) for the general one.
PyObject *Function::compileSpecialization(uint64_t mask, bool general) {
  if (!compile_.is_valid()) {
    PyErr_Format(PyExc_RuntimeError, "%s(): this function was cleared and can no longer compile",
                 name_.c_str());
    return nullptr;
  }
  nb::object compile = compile_; // the callback may clear this Function
  ++stats.specializations;
  PyObject *maskObject = PyLong_FromUnsignedLongLong(mask);
  if (!maskObject)
    return nullptr;
  PyObject *result;
  if (general) {
    PyObject *kwargs = Py_BuildValue("{s:O}", "general", Py_True);
    PyObject *args = kwargs ? PyTuple_Pack(1, maskObject) : nullptr;
    result = args ? PyObject_Call(compile.ptr(), args, kwargs) : nullptr;
    Py_XDECREF(args);
    Py_XDECREF(kwargs);
  } else {
    result = PyObject_CallOneArg(compile.ptr(), maskObject);
  }
  Py_DECREF(maskObject);
  if (!result)
    return nullptr;
  nb::object kernelObject = nb::steal(result);
  if (!nb::isinstance<Kernel>(kernelObject) || !nb::inst_ready(kernelObject)) {
    PyErr_Format(PyExc_TypeError, "%s(): compile(mask) must return a tensorc Kernel, got %s", name_.c_str(),
                 Py_TYPE(result)->tp_name);
    return nullptr;
  }
  const Kernel &kernel = *nb::inst_ptr<Kernel>(kernelObject);
  // A kernel whose signature differs from the function's would read or write out of bounds.
  if (kernel.inputs().size() != inputs_.size()) {
    PyErr_Format(PyExc_RuntimeError, "%s(): compiled kernel takes %zu inputs, the function %zu",
                 name_.c_str(), kernel.inputs().size(), inputs_.size());
    return nullptr;
  }
  for (size_t i = 0; i < inputs_.size(); ++i) {
    const InputSpec &k = kernel.inputs()[i];
    if (k.ndim != inputs_[i].ndim || !PyArray_EquivTypenums(k.typenum, inputs_[i].typenum)) {
      PyErr_Format(PyExc_RuntimeError,
                   "%s(): compiled kernel input %zu is %s of rank %d, argument '%s' is %s of rank %d",
                   name_.c_str(), i, dtypeName(k.typenum).c_str(), k.ndim, inputs_[i].name.c_str(),
                   dtypeName(inputs_[i].typenum).c_str(), inputs_[i].ndim);
      return nullptr;
    }
  }
  if (singleOutput_ && kernel.numOutputs() != 1) {
    PyErr_Format(PyExc_RuntimeError, "%s(): expected a kernel with one result, got %zu", name_.c_str(),
                 kernel.numOutputs());
    return nullptr;
  }
  // A re-entrant call may have compiled the same mask meanwhile: keep the first.
  if (PyObject *existing = lookup(mask, general))
    return existing;
  kernels_.push_back({mask, general, kernelObject});
  last_ = kernels_.size() - 1;
  return kernelObject.ptr();
}

std::string Function::signature() const {
  std::string names;
  for (const InputSpec &spec : inputs_)
    names += (names.empty() ? "" : ", ") + spec.name;
  return names;
}

void Function::raiseArgumentCount(size_t given) const {
  const size_t n = inputs_.size();
  PyErr_Format(PyExc_TypeError, "%s() takes %zu argument%s (%s) but %zu %s given", name_.c_str(), n,
               n == 1 ? "" : "s", signature().c_str(), given, given == 1 ? "was" : "were");
}

/// Python-style binding of positional and keyword arguments (the slow path: only with keywords).
bool Function::bindKeywords(PyObject *const *args, size_t given, PyObject *kwargs, PyObject **bound) const {
  const size_t n = inputs_.size();
  if (given > n) {
    raiseArgumentCount(given);
    return false;
  }
  for (size_t i = 0; i < n; ++i)
    bound[i] = i < given ? args[i] : nullptr;
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  while (PyDict_Next(kwargs, &pos, &key, &value)) {
    const char *keyName = PyUnicode_Check(key) ? PyUnicode_AsUTF8(key) : nullptr;
    if (!keyName) {
      PyErr_Clear();
      PyErr_Format(PyExc_TypeError, "%s() keywords must be strings", name_.c_str());
      return false;
    }
    size_t index = n;
    for (size_t i = 0; i < n; ++i)
      if (inputs_[i].name == keyName)
        index = i;
    if (index == n) {
      PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%s'", name_.c_str(), keyName);
      return false;
    }
    if (bound[index]) {
      PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", name_.c_str(), keyName);
      return false;
    }
    bound[index] = value;
  }
  for (size_t i = 0; i < n; ++i) {
    if (!bound[i]) {
      PyErr_Format(PyExc_TypeError, "%s() missing argument '%s'", name_.c_str(), inputs_[i].name.c_str());
      return false;
    }
  }
  return true;
}

//===------------------------------------------------------------------------------------------------===//
// Type slots: calling a Function goes straight to tp_call (no attribute lookup of __call__, no
// nanobind argument casting), and the GC can see the compile callback and kernels it holds.
//===------------------------------------------------------------------------------------------------===//

namespace {

PyObject *functionTpCall(PyObject *self, PyObject *args, PyObject *kwargs) {
  if (!nb::inst_ready(self)) {
    PyErr_SetString(PyExc_TypeError, "Function is not initialized");
    return nullptr;
  }
  try {
    return nb::inst_ptr<Function>(self)->call(args, kwargs);
  } catch (nb::python_error &error) {
    error.restore();
  } catch (const std::exception &error) {
    PyErr_SetString(PyExc_RuntimeError, error.what());
  }
  return nullptr;
}

int functionTpTraverse(PyObject *self, visitproc visit, void *arg) {
  Py_VISIT(Py_TYPE(self));
  if (!nb::inst_ready(self))
    return 0;
  return nb::inst_ptr<Function>(self)->traverse(visit, arg);
}

int functionTpClear(PyObject *self) {
  if (nb::inst_ready(self))
    nb::inst_ptr<Function>(self)->clear();
  return 0;
}

} // namespace

PyType_Slot functionSlots[] = {
    {Py_tp_call, reinterpret_cast<void *>(functionTpCall)},
    {Py_tp_traverse, reinterpret_cast<void *>(functionTpTraverse)},
    {Py_tp_clear, reinterpret_cast<void *>(functionTpClear)},
    {0, nullptr},
};

} // namespace tensorc::python
