// Kernel (Kernel.h).
#include "Kernel.h"

#include "Capsule.h"
#include "Stats.h"

#include "tensorc/Checks/CheckProtocol.h"
#include "tensorc/Runtime/MemrefDescriptor.h"

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace nb = nanobind;
namespace rt = tensorc::runtime;

namespace tensorc::python {

namespace {

/// Kernels whose inputs hold at least this many elements run with the GIL released, so other Python
/// threads progress meanwhile. Below it, the release/re-acquire pair would be a noticeable part of a
/// call that takes a microsecond.
constexpr int64_t kReleaseGilElements = int64_t(1) << 15;

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

private:
  T small_[N];
  std::unique_ptr<T[]> large_;
  T *data_ = small_;
};

void checkSpec(int typenum, int ndim, const char *what) {
  if (!supportedTypenum(typenum))
    throw std::invalid_argument(std::string("Kernel: unsupported ") + what + " dtype number " +
                                std::to_string(typenum));
  if (ndim < 0 || ndim > kMaxRank)
    throw std::invalid_argument(std::string("Kernel: ") + what + " rank " + std::to_string(ndim) +
                                " is out of range [0, " + std::to_string(kMaxRank) + "]");
}

/// The length of "<kind><separator>" when `message` starts with it, else 0.
size_t kindPrefixLength(std::string_view message, std::string_view kind) {
  const std::string_view separator = checks::kKindSeparator;
  const bool match = message.size() >= kind.size() + separator.size() &&
                     message.substr(0, kind.size()) == kind &&
                     message.substr(kind.size(), separator.size()) == separator;
  return match ? kind.size() + separator.size() : 0;
}

/// Takes a check's message apart (Checks/CheckProtocol.h): "IndexError: ..." raises IndexError,
/// "Broadcast: ..." is a broadcasting check of the default variant, anything else raises ValueError.
CheckMessage parseCheckMessage(const std::string &message) {
  if (size_t prefix = kindPrefixLength(message, checks::kIndexErrorKind))
    return {message.substr(prefix), /*indexError=*/true, /*broadcast=*/false};
  if (size_t prefix = kindPrefixLength(message, checks::kBroadcastKind))
    return {message.substr(prefix), /*indexError=*/false, /*broadcast=*/true};
  return {message, /*indexError=*/false, /*broadcast=*/false};
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

/// (dtype number, rank) of each spec, as Kernel's constructor takes them.
template <typename Spec>
std::vector<std::pair<int, int>> typenumsAndRanks(const std::vector<Spec> &specs) {
  std::vector<std::pair<int, int>> result;
  for (const Spec &spec : specs)
    result.emplace_back(spec.typenum, spec.ndim);
  return result;
}

} // namespace

Kernel::Kernel(nb::bytes object, std::string symbol, std::vector<std::pair<int, int>> inSpecs,
               std::vector<std::pair<int, int>> outSpecs, std::vector<std::string> messages)
    : symbol_(std::move(symbol)) {
  if (symbol_.empty())
    throw std::invalid_argument("Kernel: empty symbol name");
  if (inSpecs.size() + (outSpecs.empty() ? 0 : 1) > rt::kMaxKernelArgs)
    throw std::invalid_argument("Kernel: at most " + std::to_string(rt::kMaxKernelArgs) +
                                " pointer arguments (inputs + 1 result buffer) are supported");
  for (auto [typenum, ndim] : inSpecs) {
    checkSpec(typenum, ndim, "input");
    inputs_.push_back({"arg" + std::to_string(inputs_.size()), typenum, ndim, descrForTypenum(typenum)});
    inWords_ += rt::memrefDescriptorWords(ndim);
  }
  for (auto [typenum, ndim] : outSpecs) {
    checkSpec(typenum, ndim, "output");
    DescrRef descr = descrForTypenum(typenum);
    const int itemsize = static_cast<int>(PyDataType_ELSIZE(descr.get()));
    outputs_.push_back({typenum, ndim, itemsize, std::move(descr), outWords_});
    outWords_ += rt::memrefDescriptorWords(ndim);
  }
  for (const std::string &text : messages)
    messages_.push_back(parseCheckMessage(text));

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
  if (!handle)
    throw std::runtime_error(error);
  handle_ = handle;
  entry_ = entry;
  ++stats.objectsLoaded;
}

Kernel::~Kernel() { rt::unloadObject(handle_); }

std::vector<std::pair<int, int>> Kernel::inSpecs() const { return typenumsAndRanks(inputs_); }

std::vector<std::pair<int, int>> Kernel::outSpecs() const { return typenumsAndRanks(outputs_); }

bool Kernel::run(PyArrayObject *const *inputs, PyObject **results, bool *broadcastFailed) const {
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

  // One identity-layout memref descriptor per input.
  int64_t elements = 0;
  for (size_t i = 0; i < inputs_.size(); ++i) {
    PyArrayObject *arr = inputs[i];
    rt::MemrefView descriptor(in, inputs_[i].ndim);
    elements += descriptor.setContiguous(PyArray_DATA(arr), PyArray_DIMS(arr));
    argv[nargs++] = in;
    in += rt::memrefDescriptorWords(inputs_[i].ndim);
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

PyObject *Kernel::call(PyObject *const *args, size_t nargs) const {
  if (nargs != inputs_.size()) {
    PyErr_Format(PyExc_TypeError, "kernel '%s' takes %zu arguments but %zu were given", symbol_.c_str(),
                 inputs_.size(), nargs);
    return nullptr;
  }
  PreparedArguments prepared;
  if (!prepareArguments(args, inputs_, prepared))
    return nullptr;
  PyObject *results[rt::kMaxKernelArgs];
  if (!run(prepared.arrays(), results))
    return nullptr;
  PyObject *tuple = PyTuple_New(static_cast<Py_ssize_t>(outputs_.size()));
  if (!tuple) {
    for (size_t r = 0; r < outputs_.size(); ++r)
      Py_DECREF(results[r]);
    return nullptr;
  }
  for (size_t r = 0; r < outputs_.size(); ++r)
    PyTuple_SET_ITEM(tuple, static_cast<Py_ssize_t>(r), results[r]);
  return tuple;
}

rt::ConstMemrefView Kernel::resultDescriptor(const int64_t *out, size_t r) const {
  return {out + outputs_[r].offset, outputs_[r].ndim};
}

int64_t Kernel::allocatedOf(const int64_t *out, size_t r) const {
  return resultDescriptor(out, r).allocated();
}

/// Whether result memory at `allocated` is not ours to free: a constant global, one of the inputs
/// (the kernel returned an input or a view of it), or nothing.
bool Kernel::isForeign(int64_t allocated, PyArrayObject *const *inputs) const {
  if (allocated == 0 || static_cast<uintptr_t>(allocated) == rt::kGlobalAllocatedMarker)
    return true;
  for (size_t i = 0; i < inputs_.size(); ++i)
    if (allocated == reinterpret_cast<int64_t>(PyArray_DATA(inputs[i])))
      return true;
  return false;
}

/// Frees every distinct buffer of the results that the runtime owns and that no array adopted
/// (`owners[r]` non-null means result r's array owns its buffer through that capsule).
void Kernel::freeUnadopted(const int64_t *out, PyArrayObject *const *inputs,
                           PyObject *const *owners) const {
  for (size_t r = 0; r < outputs_.size(); ++r) {
    const int64_t allocated = allocatedOf(out, r);
    if (isForeign(allocated, inputs))
      continue;
    bool handled = false; // adopted by some array, or already freed for an earlier result
    for (size_t q = 0; q < outputs_.size() && !handled; ++q)
      handled = allocatedOf(out, q) == allocated && ((owners && owners[q]) || q < r);
    if (!handled)
      std::free(reinterpret_cast<void *>(allocated));
  }
}

bool Kernel::isBroadcastCheck(const rt::CheckFailure &failure) const {
  return failure.code >= 0 && static_cast<uint64_t>(failure.code) < messages_.size() &&
         messages_[static_cast<size_t>(failure.code)].broadcast;
}

void Kernel::raiseCheck(const rt::CheckFailure &failure) const {
  if (failure.code == checks::kOutOfMemoryCode) {
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
bool Kernel::wrapOutputs(const int64_t *out, PyArrayObject *const *inputs, PyObject **results) const {
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
    const rt::ConstMemrefView descriptor = resultDescriptor(out, done);
    const int64_t allocated = descriptor.allocated();
    const int rank = spec.ndim;
    npy_intp dims[kMaxRank], strides[kMaxRank];
    bool empty = false;
    for (int k = 0; k < rank; ++k) {
      if (descriptor.size(k) < 0) {
        PyErr_Format(PyExc_RuntimeError, "kernel '%s' returned a negative size for result %zu",
                     symbol_.c_str(), done);
        return fail();
      }
      dims[k] = static_cast<npy_intp>(descriptor.size(k));
      strides[k] = static_cast<npy_intp>(descriptor.stride(k) * spec.itemsize);
      empty |= dims[k] == 0;
    }
    char *data = descriptor.data(spec.itemsize);

    // Every returned array owns its memory: a buffer that an earlier result already adopted (the
    // kernel returned one tensor twice, or views of one allocation) is copied for this one.
    bool adoptedBefore = false;
    for (size_t q = 0; q < done && !adoptedBefore; ++q)
      adoptedBefore = owners[q] && allocatedOf(out, q) == allocated;
    if (empty || adoptedBefore || isForeign(allocated, inputs)) {
      // Memory we may not keep (an input, a constant inside the JIT'ed object, another result's
      // buffer) or nothing worth keeping: hand out a fresh array. An owned buffer left unadopted is
      // freed at the end.
      PyObject *result;
      if (empty) {
        result = PyArray_Empty(rank, dims, spec.descr.newReference(), 0);
      } else if (descriptor.aligned() == 0) {
        PyErr_Format(PyExc_RuntimeError, "kernel '%s' returned no buffer for result %zu", symbol_.c_str(),
                     done);
        return fail();
      } else {
        PyObject *view = PyArray_NewFromDescr(&PyArray_Type, spec.descr.newReference(), rank, dims,
                                              strides, data, 0, nullptr);
        result = view ? PyArray_NewCopy(reinterpret_cast<PyArrayObject *>(view), NPY_CORDER) : nullptr;
        Py_XDECREF(view);
      }
      if (!result)
        return fail();
      results[done] = result;
      continue;
    }

    PyObject *owner = newBufferOwner(reinterpret_cast<void *>(allocated));
    if (!owner)
      return fail();
    PyObject *result = PyArray_NewFromDescr(&PyArray_Type, spec.descr.newReference(), rank, dims, strides,
                                            data, NPY_ARRAY_WRITEABLE, nullptr);
    if (!result) {
      // Dropping the fresh capsule would free the buffer, which freeUnadopted then frees again.
      disownBuffer(owner);
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

} // namespace tensorc::python
