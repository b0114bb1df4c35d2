// Argument preparation (NumpyArguments.h). This file also holds the module's NumPy C-API table.
#define TENSORC_NUMPY_DEFINE_API
#include "NumpyArguments.h"

#include <nanobind/nanobind.h>

#include <climits>

namespace nb = nanobind;

namespace tensorc::python {

void importNumpy() {
  if (_import_array() < 0)
    throw nb::python_error();
}

std::string describe(PyObject *object) {
  PyObject *text = PyObject_Str(object);
  if (!text) {
    PyErr_Clear();
    return "?";
  }
  const char *utf8 = PyUnicode_AsUTF8(text);
  std::string result = utf8 ? utf8 : "?";
  if (!utf8)
    PyErr_Clear();
  Py_DECREF(text);
  return result;
}

std::string dtypeName(int typenum) {
  PyArray_Descr *descr = PyArray_DescrFromType(typenum);
  if (!descr) {
    PyErr_Clear();
    return "dtype#" + std::to_string(typenum);
  }
  std::string name = describe(reinterpret_cast<PyObject *>(descr));
  Py_DECREF(descr);
  return name;
}

bool supportedTypenum(int typenum) {
  switch (typenum) {
  case NPY_BOOL:
  case NPY_BYTE:
  case NPY_UBYTE:
  case NPY_SHORT:
  case NPY_USHORT:
  case NPY_INT:
  case NPY_UINT:
  case NPY_LONG:
  case NPY_ULONG:
  case NPY_LONGLONG:
  case NPY_ULONGLONG:
  case NPY_HALF:
  case NPY_FLOAT:
  case NPY_DOUBLE:
  case NPY_CFLOAT:
  case NPY_CDOUBLE:
    return true;
  default:
    return false;
  }
}

DescrRef descrForTypenum(int typenum) {
  PyArray_Descr *descr = PyArray_DescrFromType(typenum);
  if (!descr)
    throw nb::python_error();
  return DescrRef(descr);
}

namespace {

/// Whether the Python int `object` fits spec.pythonIntTypenum; raises NumPy 2's OverflowError if not.
bool checkPythonIntRange(PyObject *object, const InputSpec &spec) {
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(object, &overflow);
  if (v == -1 && PyErr_Occurred())
    return false;
  long long lo = LLONG_MIN, hi = LLONG_MAX;
  switch (spec.pythonIntTypenum) {
  case NPY_INT8: lo = INT8_MIN, hi = INT8_MAX; break;
  case NPY_INT16: lo = INT16_MIN, hi = INT16_MAX; break;
  case NPY_INT32: lo = INT32_MIN, hi = INT32_MAX; break;
  case NPY_UINT8: lo = 0, hi = UINT8_MAX; break;
  case NPY_UINT16: lo = 0, hi = UINT16_MAX; break;
  case NPY_UINT32: lo = 0, hi = UINT32_MAX; break;
  default: break;
  }
  if (overflow == 0 && v >= lo && v <= hi)
    return true;
  std::string value = describe(object);
  PyErr_Format(PyExc_OverflowError, "argument '%s': Python integer %s out of bounds for %s", spec.name.c_str(),
               value.c_str(), dtypeName(spec.pythonIntTypenum).c_str());
  return false;
}

/// Converts `object` to an array acceptable for `spec`, following NumPy's own promotion rules for what
/// is allowed implicitly: same dtype, or a `can_cast(..., 'safe')` conversion; Python scalars are weakly
/// typed (NEP 50) so `x + 1.0` style calls work on float32 inputs. Returns a new reference or null with
/// a Python error set.
PyArrayObject *convertArgument(PyObject *object, const InputSpec &spec) {
  const char kind = PyDataType_ISBOOL(spec.descr.get())       ? 'b'
                    : PyDataType_ISUNSIGNED(spec.descr.get()) ? 'u'
                    : PyDataType_ISSIGNED(spec.descr.get())   ? 'i'
                    : PyDataType_ISFLOAT(spec.descr.get())    ? 'f'
                                                        : 'c';
  PyObject *array = nullptr;
  const char *pythonScalar = nullptr;
  bool weakAllowed = false;
  // NumPy scalars first: np.float64 subclasses Python float, but it is strongly typed.
  if (PyArray_IsScalar(object, Generic)) {
    array = PyArray_FromScalar(object, nullptr);
  } else if (PyBool_Check(object)) {
    // Python bool is not weak in NEP 50: it behaves as np.bool_, which casts safely to everything.
    array = PyArray_FromAny(object, nullptr, 0, 0, 0, nullptr);
  } else if (PyLong_Check(object)) {
    pythonScalar = "int";
    weakAllowed = kind != 'b';
  } else if (PyFloat_Check(object)) {
    pythonScalar = "float";
    weakAllowed = kind == 'f' || kind == 'c';
  } else if (PyComplex_Check(object)) {
    pythonScalar = "complex";
    weakAllowed = kind == 'c';
  } else if (PyArray_Check(object)) {
    Py_INCREF(object);
    array = object;
  } else {
    array = PyArray_FromAny(object, nullptr, 0, 0, 0, nullptr);
  }

  if (pythonScalar) {
    if (spec.pythonIntTypenum != NPY_NOTYPE && PyLong_Check(object) && !checkPythonIntRange(object, spec))
      return nullptr;
    if (spec.ndim != 0) {
      PyErr_Format(PyExc_TypeError, "argument '%s': expected a %d-d array, got a Python %s",
                   spec.name.c_str(), spec.ndim, pythonScalar);
      return nullptr;
    }
    if (!weakAllowed) {
      PyErr_Format(PyExc_TypeError, "argument '%s': expected %s, got Python %s (no silent downcast)",
                   spec.name.c_str(), dtypeName(spec.typenum).c_str(), pythonScalar);
      return nullptr;
    }
    // Out-of-range Python ints raise OverflowError here, as in NumPy 2.
    array = PyArray_FromAny(object, spec.descr.newReference(), 0, 0, NPY_ARRAY_CARRAY, nullptr);
  }
  if (!array) {
    // Keep NumPy's exception type (OverflowError, ValueError for ragged lists...) but say which
    // argument it is about.
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    std::string message = value ? describe(value) : "conversion failed";
    PyErr_Format(type ? type : PyExc_TypeError, "argument '%s': %s", spec.name.c_str(),
                 message.c_str());
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(traceback);
    return nullptr;
  }

  auto *arr = reinterpret_cast<PyArrayObject *>(array);
  // What NumPy made of something that was not an array (None, a str, a dict, a list): the messages
  // name the Python type, not the 0-d object array it became.
  const bool fromPython = !PyArray_Check(object) && !PyArray_IsScalar(object, Generic);
  if (fromPython && !supportedTypenum(PyArray_TYPE(arr))) {
    PyErr_Format(PyExc_TypeError, "argument '%s': expected a %d-d %s array, got %s",
                 spec.name.c_str(), spec.ndim, dtypeName(spec.typenum).c_str(), Py_TYPE(object)->tp_name);
    Py_DECREF(array);
    return nullptr;
  }
  if (PyArray_NDIM(arr) != spec.ndim) {
    if (fromPython)
      PyErr_Format(PyExc_TypeError, "argument '%s': expected a %d-d array, got a %s that NumPy turns into a %d-d array",
                   spec.name.c_str(), spec.ndim, Py_TYPE(object)->tp_name, PyArray_NDIM(arr));
    else
      PyErr_Format(PyExc_TypeError, "argument '%s': expected a %d-d array, got %d-d",
                   spec.name.c_str(), spec.ndim, PyArray_NDIM(arr));
    Py_DECREF(array);
    return nullptr;
  }
  PyArray_Descr *have = PyArray_DESCR(arr);
  if (!PyArray_EquivTypes(have, spec.descr.get()) &&
      !PyArray_CanCastTypeTo(have, spec.descr.get(), NPY_SAFE_CASTING)) {
    std::string got = describe(reinterpret_cast<PyObject *>(have));
    std::string want = dtypeName(spec.typenum);
    if (fromPython)
      PyErr_Format(PyExc_TypeError,
                   "argument '%s': expected %s, got %s: NumPy turns this %s into an array of %s (no silent "
                   "downcast); pass np.asarray(value, dtype=np.%s)",
                   spec.name.c_str(), want.c_str(), got.c_str(), Py_TYPE(object)->tp_name, got.c_str(),
                   want.c_str());
    else
      PyErr_Format(PyExc_TypeError, "argument '%s': expected %s, got %s (no silent downcast)",
                   spec.name.c_str(), want.c_str(), got.c_str());
    Py_DECREF(array);
    return nullptr;
  }
  // Copies only when needed: other dtype, byte-swapped, misaligned or not C-contiguous. A caller's
  // array is never written to: the copy, not the original, is what the kernel sees.
  PyObject *ready =
      PyArray_FromArray(arr, spec.descr.newReference(), NPY_ARRAY_C_CONTIGUOUS | NPY_ARRAY_ALIGNED);
  Py_DECREF(array);
  return reinterpret_cast<PyArrayObject *>(ready);
}

/// The per-call fast path: an ndarray that already has the right rank, dtype and layout is used as is.
inline bool usableAsIs(PyObject *object, const InputSpec &spec) {
  if (!PyArray_Check(object))
    return false;
  auto *arr = reinterpret_cast<PyArrayObject *>(object);
  return PyArray_NDIM(arr) == spec.ndim && PyArray_TYPE(arr) == spec.typenum &&
         PyArray_CHKFLAGS(arr, NPY_ARRAY_C_CONTIGUOUS | NPY_ARRAY_ALIGNED) &&
         PyArray_ISNOTSWAPPED(arr);
}

} // namespace

bool prepareArguments(PyObject *const *args, const std::vector<InputSpec> &specs,
                      PreparedArguments &prepared) {
  for (size_t i = 0; i < specs.size(); ++i) {
    if (usableAsIs(args[i], specs[i])) {
      prepared.addBorrowed(reinterpret_cast<PyArrayObject *>(args[i]));
      continue;
    }
    PyArrayObject *converted = convertArgument(args[i], specs[i]);
    if (!converted)
      return false;
    prepared.addOwned(converted);
  }
  return true;
}

} // namespace tensorc::python
