// Python bindings of the native runtime: object emission (Target/CPU/ObjectCompiler.h), the JIT-backed
// Kernel, and Function, the callable users get back from tensorc.function / tensorc.compile.
//
// This file is compiled with RTTI and exceptions (nanobind needs both), so it uses no MLIR/LLVM C++
// type: it reaches the no-RTTI runtime only through tensorc/Runtime/Api.h. The per-call path
// (Function.__call__ -> Kernel::run) is written against the CPython and NumPy C APIs directly, with no
// nanobind casting, because its whole budget is a microsecond or two.
#include <nanobind/nanobind.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

// The NumPy C-API table is a static of this translation unit (no PY_ARRAY_UNIQUE_SYMBOL), filled by
// _import_array() in bindRuntime: no other file of the module uses NumPy.
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

#include "tensorc/Checks/CheckProtocol.h"
#include "tensorc/Runtime/Api.h"
#include "tensorc/Target/CPU/ObjectCompiler.h"

#include <cstdint>
#include <cstdlib>
#include <climits>
#include <cstring>
#include <string_view>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nb = nanobind;
namespace rt = tensorc::runtime;
namespace cpu = tensorc::target::cpu;

namespace {

//===------------------------------------------------------------------------------------------------===//
// Small helpers
//===------------------------------------------------------------------------------------------------===//

/// A stack buffer for the common case, heap for the rare large one: the per-call path must not
/// allocate, but the worst case (64 inputs of rank 64) is too large for the stack.
template <typename T, size_t N>
class SmallBuffer {
public:
  explicit SmallBuffer(size_t size) {
    if (size > N) {
      large_.reset(new T[size]);
      data_ = large_.get();
    }
  }
  T *data() { return data_; }
  T &operator[](size_t i) { return data_[i]; }

private:
  T small_[N];
  std::unique_ptr<T[]> large_;
  T *data_ = small_;
};

/// Owned references to the temporary arrays made while preparing arguments (conversions, copies).
class OwnedRefs {
public:
  ~OwnedRefs() {
    for (size_t i = 0; i < count_; ++i)
      Py_DECREF(refs_[i]);
  }
  void add(PyObject *ref) { refs_[count_++] = ref; }

private:
  PyObject *refs_[rt::kMaxKernelArgs];
  size_t count_ = 0;
};

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

/// Replaces `{0}` and `{1}` in a check's message by the two values the kernel reported.
std::string formatMessage(const std::string &text, int64_t a, int64_t b) {
  std::string result;
  result.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}' &&
        (text[i + 1] == '0' || text[i + 1] == '1')) {
      result += std::to_string(text[i + 1] == '0' ? a : b);
      i += 2;
      continue;
    }
    result += text[i];
  }
  return result;
}

/// Dtypes a kernel may take or return: the ones MLIR has element types for.
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

constexpr int kMaxRank = 64;

/// Kernels whose inputs hold at least this many elements run with the GIL released, so other Python
/// threads progress meanwhile. Below it, the release/re-acquire pair would be a noticeable part of a
/// call that takes a microsecond.
constexpr int64_t kReleaseGilElements = int64_t(1) << 15;

/// memref.get_global lowers constants to descriptors whose allocated pointer is this marker.
const uintptr_t kGlobalMarker = 0xdeadbeef;

constexpr const char *kBufferCapsuleName = "tensorc.buffer";

/// Process-wide counters, exposed as stats(): they let tests (and users) check that a cache hit or a
/// second call really did no compilation work. Only touched with the GIL held.
struct Stats {
  uint64_t objectsCompiled = 0; // compile_object calls that produced an object
  uint64_t objectsLoaded = 0;   // Kernels constructed (objects linked into the JIT)
  uint64_t specializations = 0; // compile(mask) callbacks made by Functions
} stats;

void freeBufferCapsule(PyObject *capsule) {
  std::free(PyCapsule_GetPointer(capsule, kBufferCapsuleName));
}

//===------------------------------------------------------------------------------------------------===//
// Argument preparation: anything the user passes -> an aligned, C-contiguous, native-order array of
// exactly the declared dtype and rank.
//===------------------------------------------------------------------------------------------------===//

struct InputSpec {
  std::string name;
  int typenum;
  int ndim;
  PyArray_Descr *descr; // owned reference; native byte order
  /// A weakly typed Python int (NEP 50) stands for a value of this dtype in the traced program (it was
  /// cast there to a narrower integer): outside its range it raises OverflowError, as NumPy 2 does.
  /// NPY_NOTYPE when the declared dtype decides.
  int pythonIntTypenum = NPY_NOTYPE;
};

PyArray_Descr *descrForTypenum(int typenum) {
  PyArray_Descr *descr = PyArray_DescrFromType(typenum);
  if (!descr)
    throw nb::python_error();
  return descr;
}

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
  const char kind = PyDataType_ISBOOL(spec.descr)       ? 'b'
                    : PyDataType_ISUNSIGNED(spec.descr) ? 'u'
                    : PyDataType_ISSIGNED(spec.descr)   ? 'i'
                    : PyDataType_ISFLOAT(spec.descr)    ? 'f'
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
    Py_INCREF(spec.descr);
    // Out-of-range Python ints raise OverflowError here, as in NumPy 2.
    array = PyArray_FromAny(object, spec.descr, 0, 0, NPY_ARRAY_CARRAY, nullptr);
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
  if (!PyArray_EquivTypes(have, spec.descr) &&
      !PyArray_CanCastTypeTo(have, spec.descr, NPY_SAFE_CASTING)) {
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
  Py_INCREF(spec.descr);
  PyObject *ready = PyArray_FromArray(arr, spec.descr, NPY_ARRAY_C_CONTIGUOUS | NPY_ARRAY_ALIGNED);
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

/// Prepares all arguments. Returns false with a Python error set.
bool prepareArguments(PyObject *const *args, const std::vector<InputSpec> &specs,
                      PyArrayObject **arrays, OwnedRefs &owned) {
  for (size_t i = 0; i < specs.size(); ++i) {
    if (usableAsIs(args[i], specs[i])) {
      arrays[i] = reinterpret_cast<PyArrayObject *>(args[i]);
      continue;
    }
    PyArrayObject *converted = convertArgument(args[i], specs[i]);
    if (!converted)
      return false;
    owned.add(reinterpret_cast<PyObject *>(converted));
    arrays[i] = converted;
  }
  return true;
}

//===------------------------------------------------------------------------------------------------===//
// Kernel: one loaded object and the knowledge of how to call its entry point.
//===------------------------------------------------------------------------------------------------===//

struct OutputSpec {
  int typenum;
  int ndim;
  int itemsize;
  PyArray_Descr *descr; // owned reference
  size_t offset;        // of its descriptor in the result buffer, in int64 words
};

struct CheckMessage {
  std::string text;
  bool indexError;
  /// A broadcasting check of the default variant: a size of 1 at run time may be why it failed, and
  /// the variant compiled for run-time broadcasting answers it (Function::call retries there).
  bool broadcast;
};

/// The error-kind prefixes of check messages (the lowering's Checks::require writes them).
constexpr std::string_view kIndexErrorPrefix = "IndexError: ";
constexpr std::string_view kBroadcastPrefix = "Broadcast: ";

class Kernel {
public:
  Kernel(nb::bytes object, std::string symbol, std::vector<std::pair<int, int>> inSpecs,
         std::vector<std::pair<int, int>> outSpecs, std::vector<std::string> messages)
      : symbol_(std::move(symbol)) {
    if (symbol_.empty())
      throw std::invalid_argument("Kernel: empty symbol name");
    if (inSpecs.size() + (outSpecs.empty() ? 0 : 1) > rt::kMaxKernelArgs)
      throw std::invalid_argument("Kernel: at most " + std::to_string(rt::kMaxKernelArgs) +
                                  " pointer arguments (inputs + 1 result buffer) are supported");
    try {
      for (auto [typenum, ndim] : inSpecs) {
        checkSpec(typenum, ndim, "input");
        inputs_.push_back({"arg" + std::to_string(inputs_.size()), typenum, ndim,
                           descrForTypenum(typenum)});
      }
      for (auto [typenum, ndim] : outSpecs) {
        checkSpec(typenum, ndim, "output");
        PyArray_Descr *descr = descrForTypenum(typenum);
        outputs_.push_back({typenum, ndim, static_cast<int>(PyDataType_ELSIZE(descr)), descr, outWords_});
        outWords_ += 3 + 2 * static_cast<size_t>(ndim);
      }
    } catch (...) {
      releaseDescrs();
      throw;
    }
    for (size_t i = 0; i < inputs_.size(); ++i)
      inWords_ += 3 + 2 * static_cast<size_t>(inputs_[i].ndim);
    for (std::string &text : messages) {
      std::string_view view(text);
      const bool indexError = view.substr(0, kIndexErrorPrefix.size()) == kIndexErrorPrefix;
      const bool broadcast = view.substr(0, kBroadcastPrefix.size()) == kBroadcastPrefix;
      const size_t skip = indexError ? kIndexErrorPrefix.size() : broadcast ? kBroadcastPrefix.size() : 0;
      messages_.push_back({text.substr(skip), indexError, broadcast});
    }

    std::string error;
    void *entry = nullptr;
    rt::LoadedObject *handle;
    const void *data = object.data();
    const size_t size = object.size();
    {
      // Linking touches no Python state (the bytes stay alive: the caller holds them).
      nb::gil_scoped_release release;
      handle = rt::loadObject(data, size, "_mlir_ciface_" + symbol_, &entry, error);
    }
    if (!handle) {
      releaseDescrs();
      throw std::runtime_error(error);
    }
    handle_ = handle;
    entry_ = entry;
    ++stats.objectsLoaded;
  }

  Kernel(const Kernel &) = delete;
  Kernel &operator=(const Kernel &) = delete;

  ~Kernel() {
    rt::unloadObject(handle_);
    releaseDescrs();
  }

  const std::vector<InputSpec> &inputs() const { return inputs_; }
  size_t numOutputs() const { return outputs_.size(); }
  const std::string &symbol() const { return symbol_; }

  std::vector<std::pair<int, int>> inSpecs() const {
    std::vector<std::pair<int, int>> specs;
    for (const InputSpec &spec : inputs_)
      specs.emplace_back(spec.typenum, spec.ndim);
    return specs;
  }
  std::vector<std::pair<int, int>> outSpecs() const {
    std::vector<std::pair<int, int>> specs;
    for (const OutputSpec &spec : outputs_)
      specs.emplace_back(spec.typenum, spec.ndim);
    return specs;
  }

  /// Calls the kernel on prepared inputs (exact dtype and rank, C-contiguous, aligned, native order)
  /// and stores one new array reference per output in `results`. Returns false with a Python error set;
  /// then no output memory is leaked and `results` holds nothing. When `broadcastFailed` is given, a
  /// failed Broadcast check sets it instead of raising (the caller retries with the general variant).
  bool run(PyArrayObject *const *inputs, PyObject **results, bool *broadcastFailed = nullptr) const {
    SmallBuffer<int64_t, 512> words(outWords_ + inWords_);
    int64_t *out = words.data();
    int64_t *in = out + outWords_;
    void *argv[rt::kMaxKernelArgs];
    size_t nargs = 0;
    if (!outputs_.empty()) {
      // A descriptor the kernel forgot to fill must read as "no buffer", not as stack garbage.
      std::memset(out, 0, outWords_ * sizeof(int64_t));
      argv[nargs++] = out;
    }

    // One identity-layout memref descriptor per input: allocated = aligned = data, offset 0, the
    // shape, and the row-major strides (computed, not numpy's: numpy leaves strides of size-1 and
    // empty dimensions unspecified, MLIR's identity layout requires the canonical ones).
    int64_t elements = 0;
    for (size_t i = 0; i < inputs_.size(); ++i) {
      PyArrayObject *arr = inputs[i];
      const int rank = inputs_[i].ndim;
      int64_t *d = in;
      in += 3 + 2 * rank;
      const auto data = reinterpret_cast<int64_t>(PyArray_DATA(arr));
      d[0] = data;
      d[1] = data;
      d[2] = 0;
      const npy_intp *shape = PyArray_DIMS(arr);
      int64_t stride = 1;
      for (int k = rank - 1; k >= 0; --k) {
        d[3 + k] = shape[k];
        d[3 + rank + k] = stride;
        stride *= shape[k];
      }
      elements += stride;
      argv[nargs++] = d;
    }

    rt::CheckFailure failure;
    bool failed;
    if (elements >= kReleaseGilElements) {
      Py_BEGIN_ALLOW_THREADS failed = rt::invokeKernel(entry_, argv, nargs, &failure);
      Py_END_ALLOW_THREADS
    } else {
      failed = rt::invokeKernel(entry_, argv, nargs, &failure);
    }

    if (failed) {
      freeUnadopted(out, inputs, nullptr);
      if (broadcastFailed && isBroadcastCheck(failure)) {
        *broadcastFailed = true;
        return false;
      }
      raiseCheck(failure);
      return false;
    }
    return wrapOutputs(out, inputs, results);
  }

private:
  static void checkSpec(int typenum, int ndim, const char *what) {
    if (!supportedTypenum(typenum))
      throw std::invalid_argument(std::string("Kernel: unsupported ") + what + " dtype number " +
                                  std::to_string(typenum));
    if (ndim < 0 || ndim > kMaxRank)
      throw std::invalid_argument(std::string("Kernel: ") + what + " rank " + std::to_string(ndim) +
                                  " is out of range [0, " + std::to_string(kMaxRank) + "]");
  }

  void releaseDescrs() {
    for (InputSpec &spec : inputs_)
      Py_CLEAR(spec.descr);
    for (OutputSpec &spec : outputs_)
      Py_CLEAR(spec.descr);
  }

  /// Whether result memory at `allocated` is not ours to free: a constant global, one of the inputs
  /// (the kernel returned an input or a view of it), or nothing.
  bool isForeign(int64_t allocated, PyArrayObject *const *inputs) const {
    if (allocated == 0 || static_cast<uintptr_t>(allocated) == kGlobalMarker)
      return true;
    for (size_t i = 0; i < inputs_.size(); ++i)
      if (allocated == reinterpret_cast<int64_t>(PyArray_DATA(inputs[i])))
        return true;
    return false;
  }

  /// Frees every distinct buffer of the results that the runtime owns and that no array adopted
  /// (`owners[r]` non-null means result r's array owns its buffer through that capsule).
  void freeUnadopted(const int64_t *out, PyArrayObject *const *inputs,
                     PyObject *const *owners) const {
    for (size_t r = 0; r < outputs_.size(); ++r) {
      const int64_t allocated = out[outputs_[r].offset];
      if (isForeign(allocated, inputs))
        continue;
      bool handled = false; // adopted by some array, or already freed for an earlier result
      for (size_t q = 0; q < outputs_.size() && !handled; ++q)
        handled = out[outputs_[q].offset] == allocated && ((owners && owners[q]) || q < r);
      if (!handled)
        std::free(reinterpret_cast<void *>(allocated));
    }
  }

  bool isBroadcastCheck(const rt::CheckFailure &failure) const {
    return failure.code >= 0 && static_cast<uint64_t>(failure.code) < messages_.size() &&
           messages_[static_cast<size_t>(failure.code)].broadcast;
  }

  void raiseCheck(const rt::CheckFailure &failure) const {
    if (failure.code == tensorc::checks::kOutOfMemoryCode) {
      PyErr_Format(PyExc_MemoryError, "Unable to allocate %lld bytes for an array of the compiled function",
                   static_cast<long long>(failure.a));
      return;
    }
    if (failure.code < 0 || static_cast<uint64_t>(failure.code) >= messages_.size()) {
      PyErr_Format(PyExc_ValueError, "runtime check %lld failed (values %lld, %lld)",
                   static_cast<long long>(failure.code), static_cast<long long>(failure.a),
                   static_cast<long long>(failure.b));
      return;
    }
    const CheckMessage &message = messages_[static_cast<size_t>(failure.code)];
    std::string text = formatMessage(message.text, failure.a, failure.b);
    PyErr_SetString(message.indexError ? PyExc_IndexError : PyExc_ValueError, text.c_str());
  }

  /// Turns result descriptors into arrays that own the kernel's malloc'd buffers (no copy). The array's
  /// base is a capsule that frees the *allocated* pointer (the data pointer may be aligned past it).
  bool wrapOutputs(const int64_t *out, PyArrayObject *const *inputs, PyObject **results) const {
    // owners[r]: the capsule through which result r's array owns its buffer; null when result r is a
    // fresh array (a copy, or empty) that owns nothing of the kernel's.
    PyObject *owners[rt::kMaxKernelArgs];
    for (size_t r = 0; r < outputs_.size(); ++r)
      owners[r] = nullptr;
    size_t done = 0;
    auto fail = [&]() {
      // Arrays [0, done) first: their capsules free the buffers they adopted; then whatever no array
      // adopted. freeUnadopted only tests `owners` entries for null, so the capsules this frees are
      // never dereferenced.
      for (size_t q = 0; q < done; ++q)
        Py_CLEAR(results[q]);
      freeUnadopted(out, inputs, owners);
      return false;
    };

    for (; done < outputs_.size(); ++done) {
      const OutputSpec &spec = outputs_[done];
      const int64_t *d = out + spec.offset;
      const int64_t allocated = d[0];
      const int rank = spec.ndim;
      npy_intp dims[kMaxRank], strides[kMaxRank];
      bool empty = false;
      for (int k = 0; k < rank; ++k) {
        if (d[3 + k] < 0) {
          PyErr_Format(PyExc_RuntimeError, "kernel '%s' returned a negative size for result %zu",
                       symbol_.c_str(), done);
          return fail();
        }
        dims[k] = static_cast<npy_intp>(d[3 + k]);
        strides[k] = static_cast<npy_intp>(d[3 + rank + k] * spec.itemsize);
        empty |= dims[k] == 0;
      }
      char *data = reinterpret_cast<char *>(d[1]) + d[2] * spec.itemsize;

      // Every returned array owns its memory: a buffer that an earlier result already adopted (the
      // kernel returned one tensor twice, or views of one allocation) is copied for this one.
      bool adoptedBefore = false;
      for (size_t q = 0; q < done && !adoptedBefore; ++q)
        adoptedBefore = owners[q] && out[outputs_[q].offset] == allocated;
      if (empty || adoptedBefore || isForeign(allocated, inputs)) {
        // Memory we may not keep (an input, a constant inside the JIT'ed object, another result's
        // buffer) or nothing worth keeping: hand out a fresh array. An owned buffer left unadopted is
        // freed at the end.
        PyObject *result;
        Py_INCREF(spec.descr);
        if (empty) {
          result = PyArray_Empty(rank, dims, spec.descr, 0);
        } else if (d[1] == 0) {
          Py_DECREF(spec.descr);
          PyErr_Format(PyExc_RuntimeError, "kernel '%s' returned no buffer for result %zu",
                       symbol_.c_str(), done);
          return fail();
        } else {
          PyObject *view = PyArray_NewFromDescr(&PyArray_Type, spec.descr, rank, dims, strides, data,
                                                0, nullptr);
          result = view ? PyArray_NewCopy(reinterpret_cast<PyArrayObject *>(view), NPY_CORDER)
                        : nullptr;
          Py_XDECREF(view);
        }
        if (!result)
          return fail();
        results[done] = result;
        continue;
      }

      PyObject *owner = PyCapsule_New(reinterpret_cast<void *>(allocated), kBufferCapsuleName,
                                      freeBufferCapsule);
      if (!owner)
        return fail();
      Py_INCREF(spec.descr);
      PyObject *result = PyArray_NewFromDescr(&PyArray_Type, spec.descr, rank, dims, strides, data,
                                              NPY_ARRAY_WRITEABLE, nullptr);
      if (!result) {
        // Dropping the fresh capsule would free the buffer, which freeUnadopted then frees again.
        PyCapsule_SetDestructor(owner, nullptr);
        Py_DECREF(owner);
        return fail();
      }
      // Steals `owner` (even on failure, when it also drops the array): from here the array frees
      // the buffer through the capsule.
      if (PyArray_SetBaseObject(reinterpret_cast<PyArrayObject *>(result), owner) < 0) {
        owners[done] = owner; // adopted: destroying `result` below releases it
        results[done] = result;
        ++done;
        return fail();
      }
      owners[done] = owner; // borrowed: the array holds it
      results[done] = result;
    }
    freeUnadopted(out, inputs, owners);
    return true;
  }

  std::string symbol_;
  std::vector<InputSpec> inputs_;
  std::vector<OutputSpec> outputs_;
  std::vector<CheckMessage> messages_;
  size_t inWords_ = 0;
  size_t outWords_ = 0;
  rt::LoadedObject *handle_ = nullptr;
  void *entry_ = nullptr;
};

PyObject *kernelCall(Kernel &kernel, PyObject *const *args, size_t nargs) {
  const auto &specs = kernel.inputs();
  if (nargs != specs.size()) {
    PyErr_Format(PyExc_TypeError, "kernel '%s' takes %zu arguments but %zu were given",
                 kernel.symbol().c_str(), specs.size(), nargs);
    return nullptr;
  }
  PyArrayObject *arrays[rt::kMaxKernelArgs];
  OwnedRefs owned;
  if (!prepareArguments(args, specs, arrays, owned))
    return nullptr;
  PyObject *results[rt::kMaxKernelArgs];
  if (!kernel.run(arrays, results))
    return nullptr;
  PyObject *tuple = PyTuple_New(static_cast<Py_ssize_t>(kernel.numOutputs()));
  if (!tuple) {
    for (size_t r = 0; r < kernel.numOutputs(); ++r)
      Py_DECREF(results[r]);
    return nullptr;
  }
  for (size_t r = 0; r < kernel.numOutputs(); ++r)
    PyTuple_SET_ITEM(tuple, static_cast<Py_ssize_t>(r), results[r]);
  return tuple;
}

//===------------------------------------------------------------------------------------------------===//
// Function: checks arguments, picks (or compiles) the kernel specialized for the arguments' unit
// dimensions, calls it.
//===------------------------------------------------------------------------------------------------===//

PyTypeObject *kernelType = nullptr;

class Function {
public:
  Function(nb::list inSpecs, bool singleOutput, nb::object compile, std::string name)
      : name_(std::move(name)), singleOutput_(singleOutput), compile_(std::move(compile)) {
    if (!PyCallable_Check(compile_.ptr()))
      throw nb::type_error("Function: `compile` must be callable");
    if (inSpecs.size() > rt::kMaxKernelArgs - 1)
      throw std::invalid_argument("Function: at most " + std::to_string(rt::kMaxKernelArgs - 1) +
                                  " inputs are supported");
    try {
      for (nb::handle item : inSpecs) {
        // (name, dtype, ndim) or (name, dtype, ndim, python_int_dtype): see InputSpec.
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
        PyArray_Descr *descr = nullptr;
        if (!PyArray_DescrConverter(dtype.ptr(), &descr))
          throw nb::python_error();
        if (!PyArray_ISNBO(descr->byteorder)) {
          // Kernels compute in native order; a '>f4' spec means float32 (arguments are converted).
          PyArray_Descr *native = PyArray_DescrFromType(descr->type_num);
          Py_DECREF(descr);
          if (!native)
            throw nb::python_error();
          descr = native;
        }
        inputs_.push_back({argName, descr->type_num, ndim, descr});
        if (pythonIntDtype.is_valid() && !pythonIntDtype.is_none()) {
          PyArray_Descr *range = nullptr;
          if (!PyArray_DescrConverter(pythonIntDtype.ptr(), &range))
            throw nb::python_error();
          inputs_.back().pythonIntTypenum = range->type_num;
          Py_DECREF(range);
        }
        if (!supportedTypenum(descr->type_num))
          throw std::invalid_argument("Function: argument '" + argName + "' has unsupported dtype " +
                                      describe(reinterpret_cast<PyObject *>(descr)));
        if (ndim < 0 || ndim > kMaxRank)
          throw std::invalid_argument("Function: argument '" + argName + "' has rank " +
                                      std::to_string(ndim) + ", out of range [0, " +
                                      std::to_string(kMaxRank) + "]");
        totalRank_ += ndim;
      }
    } catch (...) {
      for (InputSpec &spec : inputs_)
        Py_CLEAR(spec.descr);
      throw;
    }
  }

  Function(const Function &) = delete;
  Function &operator=(const Function &) = delete;

  ~Function() {
    for (InputSpec &spec : inputs_)
      Py_CLEAR(spec.descr);
  }

  size_t specializations() const { return kernels_.size(); }
  std::vector<uint64_t> masks() const {
    std::vector<uint64_t> result;
    for (const Entry &entry : kernels_)
      result.push_back(entry.mask);
    return result;
  }
  const std::string &name() const { return name_; }

  /// The whole per-call path. Returns a new reference or null with a Python error set.
  PyObject *call(PyObject *args, PyObject *kwargs) {
    const size_t n = inputs_.size();
    const auto given = static_cast<size_t>(PyTuple_GET_SIZE(args));
    PyObject *const *argv = &PyTuple_GET_ITEM(args, 0);
    PyObject *bound[rt::kMaxKernelArgs];
    if (kwargs && PyDict_GET_SIZE(kwargs) != 0) {
      if (!bindKeywords(argv, given, kwargs, bound))
        return nullptr;
      argv = bound;
    } else if (given != n) {
      raiseArgumentCount(given);
      return nullptr;
    }

    PyArrayObject *arrays[rt::kMaxKernelArgs];
    OwnedRefs owned;
    if (!prepareArguments(argv, inputs_, arrays, owned))
      return nullptr;

    // Bit (offset_i + d) is set when dimension d of input i has size 1: kernels are specialized on
    // which dimensions broadcast, so each such pattern is compiled once.
    uint64_t mask = 0;
    if (totalRank_ <= 64) {
      int bit = 0;
      for (size_t i = 0; i < n; ++i) {
        const npy_intp *shape = PyArray_DIMS(arrays[i]);
        for (int d = 0; d < inputs_[i].ndim; ++d, ++bit)
          if (shape[d] == 1)
            mask |= uint64_t(1) << bit;
      }
    }

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
      const bool ok = kernel.run(arrays, results, general ? nullptr : &broadcastFailed);
      outputs = kernel.numOutputs();
      Py_DECREF(kernelObject);
      if (ok)
        break;
      if (!broadcastFailed || general)
        return nullptr;
    }

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

  int traverse(visitproc visit, void *arg) {
    Py_VISIT(compile_.ptr());
    for (const Entry &entry : kernels_)
      Py_VISIT(entry.kernel.ptr());
    return 0;
  }

  void clear() {
    compile_ = nb::object();
    kernels_.clear();
    last_ = 0;
  }

private:
  struct Entry {
    uint64_t mask;
    bool general; // the variant compiled for run-time broadcasting
    nb::object kernel;
  };

  PyObject *lookup(uint64_t mask, bool general) {
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
  PyObject *compileSpecialization(uint64_t mask, bool general) {
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
    if (!PyObject_TypeCheck(result, kernelType) || !nb::inst_ready(kernelObject)) {
      PyErr_Format(PyExc_TypeError, "%s(): compile(mask) must return a tensorc Kernel, got %s",
                   name_.c_str(), Py_TYPE(result)->tp_name);
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
      PyErr_Format(PyExc_RuntimeError, "%s(): expected a kernel with one result, got %zu",
                   name_.c_str(), kernel.numOutputs());
      return nullptr;
    }
    // A re-entrant call may have compiled the same mask meanwhile: keep the first.
    if (PyObject *existing = lookup(mask, general))
      return existing;
    kernels_.push_back({mask, general, kernelObject});
    last_ = kernels_.size() - 1;
    return kernelObject.ptr();
  }

  std::string signature() const {
    std::string names;
    for (const InputSpec &spec : inputs_)
      names += (names.empty() ? "" : ", ") + spec.name;
    return names;
  }

  void raiseArgumentCount(size_t given) const {
    const size_t n = inputs_.size();
    PyErr_Format(PyExc_TypeError, "%s() takes %zu argument%s (%s) but %zu %s given", name_.c_str(),
                 n, n == 1 ? "" : "s", signature().c_str(), given, given == 1 ? "was" : "were");
  }

  /// Python-style binding of positional and keyword arguments (the slow path: only with keywords).
  bool bindKeywords(PyObject *const *args, size_t given, PyObject *kwargs, PyObject **bound) const {
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
        PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%s'", name_.c_str(),
                     keyName);
        return false;
      }
      if (bound[index]) {
        PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", name_.c_str(),
                     keyName);
        return false;
      }
      bound[index] = value;
    }
    for (size_t i = 0; i < n; ++i) {
      if (!bound[i]) {
        PyErr_Format(PyExc_TypeError, "%s() missing argument '%s'", name_.c_str(),
                     inputs_[i].name.c_str());
        return false;
      }
    }
    return true;
  }

  std::string name_;
  bool singleOutput_;
  nb::object compile_;
  std::vector<InputSpec> inputs_;
  int totalRank_ = 0;
  std::vector<Entry> kernels_;
  size_t last_ = 0;
};

// Type slots of Function: calling it goes straight to tp_call (no attribute lookup of __call__, no
// nanobind argument casting), and the GC can see the compile callback and kernels it holds (the
// callback typically closes over the graph, which may refer back to the Function).
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

PyType_Slot functionSlots[] = {
    {Py_tp_call, reinterpret_cast<void *>(functionTpCall)},
    {Py_tp_traverse, reinterpret_cast<void *>(functionTpTraverse)},
    {Py_tp_clear, reinterpret_cast<void *>(functionTpClear)},
    {0, nullptr},
};

//===------------------------------------------------------------------------------------------------===//
// Compilation entry points
//===------------------------------------------------------------------------------------------------===//

/// The MlirModule / MlirOperation pointer of an `mlir.ir.Module` (or `Operation`), taken from its
/// `_CAPIPtr` capsule. The capsule name is checked: a capsule of another kind would be reinterpreted.
void *mlirOperationPointer(nb::handle module) {
  nb::object capsule = nb::getattr(module, "_CAPIPtr", nb::none());
  if (capsule.is_none() || !PyCapsule_CheckExact(capsule.ptr()))
    throw nb::type_error("expected an mlir.ir.Module");
  const char *name = PyCapsule_GetName(capsule.ptr());
  if (!name || (std::strcmp(name, "mlir.ir.Module._CAPIPtr") != 0 &&
                std::strcmp(name, "mlir.ir.Operation._CAPIPtr") != 0)) {
    PyErr_Clear();
    throw nb::type_error(("expected an mlir.ir.Module, got a capsule named '" +
                          std::string(name ? name : "") + "'")
                             .c_str());
  }
  void *pointer = PyCapsule_GetPointer(capsule.ptr(), name);
  if (!pointer)
    throw nb::python_error();
  return pointer;
}

std::string emit(nb::handle module, int optLevel, cpu::EmitKind kind) {
  if (optLevel < 0 || optLevel > 3)
    throw nb::value_error("opt_level must be 0, 1, 2 or 3");
  void *operation = mlirOperationPointer(module);
  std::string error;
  cpu::TranslatedModulePtr translated = cpu::translateToLLVMIR(operation, error);
  if (!translated)
    throw std::runtime_error(error);
  std::string out;
  bool ok;
  {
    // LLVM optimization and codegen touch no Python or MLIR state: let other threads run.
    nb::gil_scoped_release release;
    ok = cpu::optimizeAndEmit(*translated, optLevel, kind, out, error);
  }
  if (!ok)
    throw std::runtime_error(error);
  return out;
}

} // namespace

void bindRuntime(nb::module_ &m) {
  if (_import_array() < 0)
    throw nb::python_error();

  m.def(
      "compile_object",
      [](nb::handle module, int optLevel) {
        std::string object = emit(module, optLevel, cpu::EmitKind::Object);
        ++stats.objectsCompiled;
        return nb::bytes(object.data(), object.size());
      },
      nb::arg("module"), nb::arg("opt_level") = 3,
      "Compile an LLVM-dialect mlir.ir.Module to a host ELF object (bytes), optimized at opt_level "
      "with the host CPU's features. Raises RuntimeError with MLIR/LLVM diagnostics on failure.");
  m.def(
      "emit_assembly",
      [](nb::handle module, int optLevel) { return emit(module, optLevel, cpu::EmitKind::Assembly); },
      nb::arg("module"), nb::arg("opt_level") = 3,
      "Like compile_object, but return the optimized host assembly as text.");
  m.def(
      "emit_llvm_ir",
      [](nb::handle module, int optLevel) { return emit(module, optLevel, cpu::EmitKind::LLVMIR); },
      nb::arg("module"), nb::arg("opt_level") = 3,
      "Like compile_object, but return the optimized LLVM IR as text.");
  m.def("host_cpu", &cpu::hostCpuDescription,
        "Host CPU name and enabled features, as used for code generation (a cache-key part).");
  m.def("llvm_version", &cpu::llvmVersion, "Version of the LLVM the runtime is linked against.");
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

  auto kernel =
      nb::class_<Kernel>(m, "Kernel", nb::is_weak_referenceable(),
                         "A compiled object loaded into the process JIT, callable through the "
                         "_mlir_ciface_ entry point of one function.")
          .def(nb::init<nb::bytes, std::string, std::vector<std::pair<int, int>>,
                        std::vector<std::pair<int, int>>, std::vector<std::string>>(),
               nb::arg("object"), nb::arg("symbol"), nb::arg("in_specs"), nb::arg("out_specs"),
               nb::arg("messages") = std::vector<std::string>())
          .def(
              "call",
              [](Kernel &self, nb::args args) {
                PyObject *result = kernelCall(self, &PyTuple_GET_ITEM(args.ptr(), 0),
                                              static_cast<size_t>(args.size()));
                if (!result)
                  throw nb::python_error();
                return nb::steal<nb::tuple>(result);
              },
              "Call the kernel on arrays matching in_specs; returns a tuple of result arrays.")
          .def_prop_ro("symbol", &Kernel::symbol)
          .def_prop_ro("in_specs", &Kernel::inSpecs)
          .def_prop_ro("out_specs", &Kernel::outSpecs);
  kernelType = reinterpret_cast<PyTypeObject *>(kernel.ptr());

  nb::class_<Function>(m, "Function", nb::type_slots(functionSlots), nb::is_weak_referenceable(),
                       "A user-facing compiled function: checks and converts arguments, specializes "
                       "on unit dimensions through compile(mask) -> Kernel, and calls the kernel.")
      .def(nb::init<nb::list, bool, nb::object, std::string>(), nb::arg("in_specs"),
           nb::arg("single_output"), nb::arg("compile"), nb::arg("name") = "f")
      .def_prop_ro("specializations", &Function::specializations,
                   "Number of kernels compiled so far (one per unit-dimension mask).")
      .def_prop_ro("masks", &Function::masks, "Masks compiled so far, in order.")
      .def_prop_ro("name", &Function::name);
}
