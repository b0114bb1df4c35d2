// Dispatcher: the native call path of @tc.compile. A call's signature (how many positional arguments,
// which keywords in which order, and per argument its array dtype and rank, its Python scalar type, or
// for static arguments its value) is looked up among the signatures seen before; a hit assembles the
// traced Function's arguments (a "plan": call arguments and default values in parameter order) and
// calls Function::callVector directly, with no Python frame in between. A miss calls the Python
// subclass's `_miss(args, kwargs)`, which binds, traces or reuses a trace, runs it, and hands back the
// plan for this signature (or None when the signature cannot be planned: lists converted to arrays).
//
// Keys are computed here exactly as frontend/compile.py's _key does, so that every call a plan is
// stored for would have reached the same trace through Python.
#pragma once

#include "Numpy.h"

#include <nanobind/nanobind.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tensorc::python {

class Dispatcher {
public:
  Dispatcher() = default;
  Dispatcher(const Dispatcher &) = delete;
  Dispatcher &operator=(const Dispatcher &) = delete;

  /// tp_call. Returns a new reference or null with a Python error set.
  PyObject *call(PyObject *self, PyObject *args, PyObject *kwargs);

  /// Stores the plan `_miss` returned for the call (args, kwargs): `function` is the traced Function,
  /// `tupleOutput` whether its list result becomes a tuple, `staticSlots[i]` whether call argument i
  /// (positional ones, then keywords in the call's order) is keyed by value, `sources[j]` where flat
  /// input j comes from (>= 0: that call argument; -1 - k: constants[k], a default value).
  void remember(PyObject *args, PyObject *kwargs, nanobind::object function, bool tupleOutput,
                std::vector<bool> staticSlots, std::vector<int> sources, std::vector<nanobind::object> constants);

  size_t plans() const { return entries_.size(); }
  /// The Function of the latest call (None before the first).
  nanobind::object last() const { return last_.is_valid() ? last_ : nanobind::none(); }
  void setLast(nanobind::object function) { last_ = std::move(function); }

  int traverse(visitproc visit, void *arg);
  void clear();

private:
  /// What an argument contributes to the signature when it is not static.
  struct ArgKey {
    int8_t kind = 0; // 0: not plannable, 1: array or NumPy scalar (typenum, ndim), 2 bool, 3 int, 4 float
    int typenum = 0;
    int ndim = 0;
    bool operator==(const ArgKey &o) const { return kind == o.kind && typenum == o.typenum && ndim == o.ndim; }
  };
  struct Entry {
    size_t positional;
    std::vector<nanobind::object> keywords; // names, in the call's order
    std::vector<bool> staticSlots;
    std::vector<ArgKey> keys;               // per call argument (unused for static ones)
    std::vector<nanobind::object> values;   // per call argument: the value of static ones
    std::vector<int> sources;
    std::vector<nanobind::object> constants;
    nanobind::object function;
    bool tupleOutput;
  };

  static ArgKey keyOf(PyObject *value);
  const Entry *find(PyObject *const *argv, size_t positional, PyObject *kwargs, PyObject **callArgs);

  std::vector<Entry> entries_;
  size_t lastHit_ = 0;
  nanobind::object last_;
};

/// The type slots of Dispatcher's class binding (tp_call, tp_traverse, tp_clear).
extern PyType_Slot dispatcherSlots[];

} // namespace tensorc::python
