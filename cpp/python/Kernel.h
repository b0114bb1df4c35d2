// Kernel: one compiled object loaded into the process JIT, and the knowledge of how to call its
// `_mlir_ciface_` entry point: pack the inputs' memref descriptors, run it, raise its failed run-time
// checks, and hand its result buffers to NumPy arrays without copies.
#pragma once

#include "NumpyArguments.h"

#include "tensorc/Runtime/Api.h"
#include "tensorc/Runtime/MemrefDescriptor.h"

#include <nanobind/nanobind.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tensorc::python {

struct OutputSpec {
  int typenum;
  int ndim;
  int itemsize;
  DescrRef descr;
  size_t offset; // of its descriptor in the result buffer, in int64 words
};

/// A run-time check's message, its kind taken off (Checks/CheckProtocol.h).
struct CheckMessage {
  std::string text;
  bool indexError;
  /// A broadcasting check of the default variant: a size of 1 at run time may be why it failed, and
  /// the variant compiled for run-time broadcasting answers it (Function::call retries there).
  bool broadcast;
};

class Kernel {
public:
  /// Loads `object` and looks up `_mlir_ciface_<symbol>`. `inSpecs`/`outSpecs` are (dtype number, rank)
  /// per input/result; `messages` are the module's `tensorc.checks`, indexed by check code.
  Kernel(nanobind::bytes object, std::string symbol, std::vector<std::pair<int, int>> inSpecs,
         std::vector<std::pair<int, int>> outSpecs, std::vector<std::string> messages);
  Kernel(const Kernel &) = delete;
  Kernel &operator=(const Kernel &) = delete;
  ~Kernel();

  const std::vector<InputSpec> &inputs() const { return inputs_; }
  size_t numOutputs() const { return outputs_.size(); }
  const std::string &symbol() const { return symbol_; }
  std::vector<std::pair<int, int>> inSpecs() const;
  std::vector<std::pair<int, int>> outSpecs() const;

  /// Calls the kernel on prepared inputs (exact dtype and rank, C-contiguous, aligned, native order)
  /// and stores one new array reference per output in `results`. Returns false with a Python error set;
  /// then no output memory is leaked and `results` holds nothing. When `broadcastFailed` is given, a
  /// failed Broadcast check sets it instead of raising (the caller retries with the general variant).
  bool run(PyArrayObject *const *inputs, PyObject **results, bool *broadcastFailed = nullptr) const;

  /// `Kernel.call(*args)`: prepares `args[0, nargs)` and runs; a new tuple of the results, or null with
  /// a Python error set.
  PyObject *call(PyObject *const *args, size_t nargs) const;

private:
  /// Result r's descriptor in the result buffer `out`, and its allocated pointer.
  runtime::ConstMemrefView resultDescriptor(const int64_t *out, size_t r) const;
  int64_t allocatedOf(const int64_t *out, size_t r) const;
  bool isForeign(int64_t allocated, PyArrayObject *const *inputs) const;
  void freeUnadopted(const int64_t *out, PyArrayObject *const *inputs, PyObject *const *owners) const;
  bool isBroadcastCheck(const runtime::CheckFailure &failure) const;
  void raiseCheck(const runtime::CheckFailure &failure) const;
  bool wrapOutputs(const int64_t *out, PyArrayObject *const *inputs, PyObject **results) const;

  std::string symbol_;
  std::vector<InputSpec> inputs_;
  std::vector<OutputSpec> outputs_;
  std::vector<CheckMessage> messages_;
  size_t inWords_ = 0;
  size_t outWords_ = 0;
  runtime::LoadedObject *handle_ = nullptr;
  void *entry_ = nullptr;
};

} // namespace tensorc::python
