// Argument preparation: anything the user passes -> an aligned, C-contiguous, native-order array of
// exactly the declared dtype and rank, following NumPy's rules for what may be converted implicitly.
//
// Written against the CPython and NumPy C APIs with no nanobind casting: it is on the per-call path
// (Function.__call__ and Kernel.call), whose whole budget is a microsecond or two.
#pragma once

#include "Numpy.h"

#include "tensorc/Runtime/Api.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tensorc::python {

/// Highest rank a kernel input or output may have.
constexpr int kMaxRank = 64;

/// An owned reference to a dtype (released with the GIL held, as every owner here is destroyed).
class DescrRef {
public:
  DescrRef() = default;
  /// Takes over the reference `descr` (which may be null).
  explicit DescrRef(PyArray_Descr *descr) : descr_(descr) {}
  DescrRef(DescrRef &&other) noexcept : descr_(std::exchange(other.descr_, nullptr)) {}
  DescrRef &operator=(DescrRef &&other) noexcept {
    std::swap(descr_, other.descr_);
    return *this;
  }
  DescrRef(const DescrRef &) = delete;
  DescrRef &operator=(const DescrRef &) = delete;
  ~DescrRef() { Py_XDECREF(descr_); }

  PyArray_Descr *get() const { return descr_; }
  /// A new reference, for the NumPy functions that steal one.
  PyArray_Descr *newReference() const {
    Py_INCREF(descr_);
    return descr_;
  }

private:
  PyArray_Descr *descr_ = nullptr;
};

/// What an argument must be.
struct InputSpec {
  std::string name;
  int typenum;
  int ndim;
  DescrRef descr; // native byte order
  /// A weakly typed Python int (NEP 50) stands for a value of this dtype in the traced program (it was
  /// cast there to a narrower integer): outside its range it raises OverflowError, as NumPy 2 does.
  /// NPY_NOTYPE when the declared dtype decides.
  int pythonIntTypenum = NPY_NOTYPE;
};

/// The arrays one kernel call takes as inputs, in the kernel's argument order, and the references to
/// the temporaries made for them (conversions, copies), released when the call is over.
///
/// Today these are the user's arguments. Shared variables (the next issue) append their storage after
/// them: see "State" in Function.h.
class PreparedArguments {
public:
  PreparedArguments() = default;
  PreparedArguments(const PreparedArguments &) = delete;
  PreparedArguments &operator=(const PreparedArguments &) = delete;
  ~PreparedArguments() {
    for (size_t i = 0; i < ownedCount_; ++i)
      Py_DECREF(owned_[i]);
  }

  /// Appends `array`, borrowed: whoever passes it keeps it alive for the call.
  void addBorrowed(PyArrayObject *array) { arrays_[count_++] = array; }
  /// Appends `array` and takes over its reference.
  void addOwned(PyArrayObject *array) {
    owned_[ownedCount_++] = reinterpret_cast<PyObject *>(array);
    arrays_[count_++] = array;
  }

  PyArrayObject *const *arrays() const { return arrays_; }
  size_t size() const { return count_; }

private:
  PyArrayObject *arrays_[runtime::kMaxKernelArgs];
  PyObject *owned_[runtime::kMaxKernelArgs];
  size_t count_ = 0;
  size_t ownedCount_ = 0;
};

/// Fills NumPy's C-API table for every file of the module (Numpy.h). Raises the Python error on failure.
void importNumpy();

/// str(object), or "?" when that fails (the error is cleared).
std::string describe(PyObject *object);
/// str() of the dtype with number `typenum` ("float32").
std::string dtypeName(int typenum);
/// Dtypes a kernel may take or return: the ones MLIR has element types for.
bool supportedTypenum(int typenum);
/// A new reference to the dtype `typenum`; raises the Python error when NumPy has none.
DescrRef descrForTypenum(int typenum);

/// Converts (or passes through) `args[i]` for `specs[i]`, for every spec, into `prepared`. Returns false
/// with a Python error set.
bool prepareArguments(PyObject *const *args, const std::vector<InputSpec> &specs,
                      PreparedArguments &prepared);

} // namespace tensorc::python
