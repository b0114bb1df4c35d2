// The module's capsules, both ways: reading the C-API pointer out of an `mlir.ir` object, and making the
// capsule through which a NumPy array owns a kernel's result buffer.
#pragma once

#include <nanobind/nanobind.h>

#include "mlir-c/Bindings/Python/Interop.h"

#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>

namespace tensorc::python {

/// The raw pointer behind the C-API capsule (`_CAPIPtr`) of an `mlir.ir` object, which must be one of
/// `capsuleNames` (MLIR_PYTHON_CAPSULE_*, e.g. MLIR_PYTHON_CAPSULE_CONTEXT). The capsule's name is
/// checked: a capsule of another kind would be reinterpreted. Raises TypeError saying it expected
/// `expected` ("mlir.ir.Module").
inline void *capiPointer(nanobind::handle object, const char *expected,
                         std::initializer_list<const char *> capsuleNames) {
  namespace nb = nanobind;
  nb::object capsule = nb::getattr(object, MLIR_PYTHON_CAPI_PTR_ATTR, nb::none());
  if (capsule.is_none() || !PyCapsule_CheckExact(capsule.ptr()))
    throw nb::type_error((std::string("expected an ") + expected).c_str());
  const char *name = PyCapsule_GetName(capsule.ptr());
  bool known = false;
  for (const char *capsuleName : capsuleNames)
    known |= name && std::strcmp(name, capsuleName) == 0;
  if (!known) {
    PyErr_Clear();
    throw nb::type_error((std::string("expected an ") + expected + ", got a capsule named '" +
                          (name ? name : "") + "'")
                             .c_str());
  }
  void *pointer = PyCapsule_GetPointer(capsule.ptr(), name);
  if (!pointer)
    throw nb::python_error();
  return pointer;
}

/// Name of the capsules that own result buffers.
inline constexpr const char *kBufferCapsuleName = "tensorc.buffer";

/// A new capsule that owns `allocated`, a buffer the kernel malloc'd, and frees it with std::free when
/// it dies: the base object of the array that adopts the buffer. Null with a Python error on failure.
inline PyObject *newBufferOwner(void *allocated) {
  return PyCapsule_New(allocated, kBufferCapsuleName,
                       [](PyObject *capsule) { std::free(PyCapsule_GetPointer(capsule, kBufferCapsuleName)); });
}

/// Makes `owner` (from newBufferOwner) forget its buffer: destroying it then frees nothing.
inline void disownBuffer(PyObject *owner) { PyCapsule_SetDestructor(owner, nullptr); }

} // namespace tensorc::python
