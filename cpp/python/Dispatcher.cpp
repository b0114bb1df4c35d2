// Dispatcher (Dispatcher.h).
#include "Dispatcher.h"

#include "Function.h"
#include "NumpyArguments.h"

#include "tensorc/Runtime/Api.h"

#include <exception>
#include <vector>

namespace nb = nanobind;
namespace rt = tensorc::runtime;

namespace tensorc::python {

Dispatcher::ArgKey Dispatcher::keyOf(PyObject *value) {
  ArgKey key;
  if (PyArray_Check(value)) {
    PyArray_Descr *descr = PyArray_DESCR(reinterpret_cast<PyArrayObject *>(value));
    if (PyArray_ISNBO(descr->byteorder) && supportedTypenum(descr->type_num))
      key = {1, descr->type_num, PyArray_NDIM(reinterpret_cast<PyArrayObject *>(value))};
  } else if (PyBool_Check(value)) {
    key.kind = 2;
  } else if (PyLong_CheckExact(value)) {
    key.kind = 3;
  } else if (PyFloat_CheckExact(value)) {
    key.kind = 4;
  } else if (PyArray_IsScalar(value, Generic)) {
    PyArray_Descr *descr = PyArray_DescrFromScalar(value);
    if (descr && PyArray_ISNBO(descr->byteorder) && supportedTypenum(descr->type_num))
      key = {1, descr->type_num, 0};
    Py_XDECREF(descr);
  }
  return key;
}

/// The entry for this call, with `callArgs` filled (positional arguments, then keyword values in the
/// call's order), or null.
const Dispatcher::Entry *Dispatcher::find(PyObject *const *argv, size_t positional, PyObject *kwargs,
                                          PyObject **callArgs) {
  const size_t keywords = kwargs ? static_cast<size_t>(PyDict_GET_SIZE(kwargs)) : 0;
  if (positional + keywords > rt::kMaxKernelArgs)
    return nullptr;
  for (size_t i = 0; i < positional; ++i)
    callArgs[i] = argv[i];
  PyObject *names[rt::kMaxKernelArgs];
  if (keywords) {
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    size_t k = 0;
    while (PyDict_Next(kwargs, &pos, &key, &value)) {
      names[k] = key;
      callArgs[positional + k++] = value;
    }
  }
  const size_t total = positional + keywords;
  ArgKey keys[rt::kMaxKernelArgs];
  bool computed[rt::kMaxKernelArgs] = {};
  auto matches = [&](const Entry &entry) {
    if (entry.positional != positional || entry.keywords.size() != keywords)
      return false;
    for (size_t k = 0; k < keywords; ++k) {
      PyObject *expected = entry.keywords[k].ptr();
      if (names[k] != expected && (!PyUnicode_Check(names[k]) || PyUnicode_Compare(names[k], expected) != 0)) {
        PyErr_Clear();
        return false;
      }
    }
    for (size_t i = 0; i < total; ++i) {
      if (entry.staticSlots[i]) {
        PyObject *value = entry.values[i].ptr();
        if (callArgs[i] == value)
          continue;
        if (Py_TYPE(callArgs[i]) != Py_TYPE(value))
          return false;
        const int equal = PyObject_RichCompareBool(callArgs[i], value, Py_EQ);
        if (equal != 1) {
          PyErr_Clear();
          return false;
        }
        continue;
      }
      if (!computed[i]) {
        keys[i] = keyOf(callArgs[i]);
        computed[i] = true;
      }
      if (keys[i].kind == 0 || !(keys[i] == entry.keys[i]))
        return false;
    }
    return true;
  };
  if (lastHit_ < entries_.size() && matches(entries_[lastHit_]))
    return &entries_[lastHit_];
  for (size_t e = 0; e < entries_.size(); ++e) {
    if (e != lastHit_ && matches(entries_[e])) {
      lastHit_ = e;
      return &entries_[e];
    }
  }
  return nullptr;
}

PyObject *Dispatcher::call(PyObject *self, PyObject *args, PyObject *kwargs) {
  const auto positional = static_cast<size_t>(PyTuple_GET_SIZE(args));
  PyObject *callArgs[rt::kMaxKernelArgs];
  const Entry *entry = find(&PyTuple_GET_ITEM(args, 0), positional, kwargs, callArgs);
  if (!entry) // the Python path: bind, trace (or reuse a trace), run, and remember the plan
    return PyObject_CallMethod(self, "_miss", "OO", args, kwargs ? kwargs : Py_None);

  PyObject *flat[rt::kMaxKernelArgs];
  const size_t count = entry->sources.size();
  for (size_t j = 0; j < count; ++j) {
    const int source = entry->sources[j];
    flat[j] = source >= 0 ? callArgs[source] : entry->constants[static_cast<size_t>(-1 - source)].ptr();
  }
  // Held for the call: it may re-enter (a compile callback) and add entries or clear this Dispatcher,
  // which would release the Function and the default values `flat` borrows.
  nb::object function = entry->function;
  std::vector<nb::object> defaults(entry->constants.begin(), entry->constants.end());
  const bool tupleOutput = entry->tupleOutput;
  last_ = function;
  PyObject *result = nb::inst_ptr<Function>(function.ptr())->callVector(flat, count);
  if (!result || !tupleOutput)
    return result;
  PyObject *tuple = PyList_AsTuple(result);
  Py_DECREF(result);
  return tuple;
}

void Dispatcher::remember(PyObject *args, PyObject *kwargs, nb::object function, bool tupleOutput,
                          std::vector<bool> staticSlots, std::vector<int> sources,
                          std::vector<nb::object> constants) {
  if (!nb::isinstance<Function>(function) || !nb::inst_ready(function))
    throw nb::type_error("Dispatcher.remember: `function` must be a tensorc Function");
  const auto positional = static_cast<size_t>(PyTuple_GET_SIZE(args));
  const size_t keywords = kwargs ? static_cast<size_t>(PyDict_GET_SIZE(kwargs)) : 0;
  const size_t total = positional + keywords;
  if (total > rt::kMaxKernelArgs || staticSlots.size() != total ||
      sources.size() > rt::kMaxKernelArgs)
    throw std::invalid_argument("Dispatcher.remember: the plan does not fit the call");
  Entry entry{positional, {}, std::move(staticSlots), {}, {}, std::move(sources), std::move(constants),
              std::move(function), tupleOutput};
  std::vector<PyObject *> values(args ? &PyTuple_GET_ITEM(args, 0) : nullptr,
                                 args ? &PyTuple_GET_ITEM(args, 0) + positional : nullptr);
  if (keywords) {
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(kwargs, &pos, &key, &value)) {
      entry.keywords.push_back(nb::borrow(key));
      values.push_back(value);
    }
  }
  for (int source : entry.sources)
    if (source >= static_cast<int>(total) || (source < 0 && static_cast<size_t>(-1 - source) >= entry.constants.size()))
      throw std::invalid_argument("Dispatcher.remember: a source is out of range");
  for (size_t i = 0; i < total; ++i) {
    if (entry.staticSlots[i]) {
      entry.keys.push_back({});
      entry.values.push_back(nb::borrow(values[i]));
      continue;
    }
    const ArgKey key = keyOf(values[i]);
    if (key.kind == 0)
      return; // an argument the fast path cannot key: this signature stays on the Python path
    entry.keys.push_back(key);
    entry.values.push_back(nb::object());
  }
  entries_.push_back(std::move(entry));
  lastHit_ = entries_.size() - 1;
}

int Dispatcher::traverse(visitproc visit, void *arg) {
  for (const Entry &entry : entries_) {
    Py_VISIT(entry.function.ptr());
    for (const nb::object &value : entry.values)
      Py_VISIT(value.ptr());
    for (const nb::object &value : entry.constants)
      Py_VISIT(value.ptr());
  }
  Py_VISIT(last_.ptr());
  return 0;
}

void Dispatcher::clear() {
  std::vector<Entry> entries;
  entries.swap(entries_); // released after the member is consistent again
  lastHit_ = 0;
  nb::object last = std::move(last_);
}

namespace {

PyObject *dispatcherTpCall(PyObject *self, PyObject *args, PyObject *kwargs) {
  if (!nb::inst_ready(self)) {
    PyErr_SetString(PyExc_TypeError, "Dispatcher is not initialized");
    return nullptr;
  }
  try {
    return nb::inst_ptr<Dispatcher>(self)->call(self, args, kwargs);
  } catch (nb::python_error &error) {
    error.restore();
  } catch (const std::exception &error) {
    PyErr_SetString(PyExc_RuntimeError, error.what());
  }
  return nullptr;
}

int dispatcherTpTraverse(PyObject *self, visitproc visit, void *arg) {
  Py_VISIT(Py_TYPE(self));
  if (!nb::inst_ready(self))
    return 0;
  return nb::inst_ptr<Dispatcher>(self)->traverse(visit, arg);
}

int dispatcherTpClear(PyObject *self) {
  if (nb::inst_ready(self))
    nb::inst_ptr<Dispatcher>(self)->clear();
  return 0;
}

} // namespace

PyType_Slot dispatcherSlots[] = {
    {Py_tp_call, reinterpret_cast<void *>(dispatcherTpCall)},
    {Py_tp_traverse, reinterpret_cast<void *>(dispatcherTpTraverse)},
    {Py_tp_clear, reinterpret_cast<void *>(dispatcherTpClear)},
    {0, nullptr},
};

} // namespace tensorc::python
