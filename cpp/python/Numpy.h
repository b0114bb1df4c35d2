// The NumPy C API for the files of the module: include this header, never <numpy/arrayobject.h>.
//
// NumPy's C API is a table of function pointers that import_array() fills at run time. Every file that
// calls it must see the same table: PY_ARRAY_UNIQUE_SYMBOL names one global for the whole module, and
// NO_IMPORT_ARRAY makes every file but one declare it instead of defining it. A file that included
// NumPy's header on its own would get a private table that nobody fills, and its first NumPy call would
// jump through a null pointer. The one file that defines the table (TENSORC_NUMPY_DEFINE_API before any
// include) is NumpyArguments.cpp, whose importNumpy() fills it when the module is loaded.
#pragma once

#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#define PY_ARRAY_UNIQUE_SYMBOL tensorc_PyArray_API
#ifndef TENSORC_NUMPY_DEFINE_API
#define NO_IMPORT_ARRAY
#endif
#include <numpy/arrayobject.h>
