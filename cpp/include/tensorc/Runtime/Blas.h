// The BLAS that compiled matmuls call (tensorc-matmul-to-blas): the callbacks generated code calls, and
// loading the library. Plain C++ (no MLIR or LLVM type), like Api.h: the nanobind side includes it.
//
// The library is found by Python (tensorc/runtime/blas.py: the OpenBLAS that NumPy ships, or the
// scipy-openblas32/64 packages, or TENSORC_BLAS) and opened here with dlopen; its CBLAS gemm functions
// are called through pointers. A kernel compiled for BLAS that runs before any library is loaded
// computes with the plain loops of Blas.cpp instead of crashing.
#ifndef TENSORC_RUNTIME_BLAS_H
#define TENSORC_RUNTIME_BLAS_H

#include <cstdint>
#include <string>

/// C[m, n] = sum_k A[m, k] * B[k, n] for float32 / float64, each operand given as an aligned base
/// pointer (as an integer), an element offset and the element strides of its two dims (any sign, 0
/// for a broadcast dim). Generated code calls these once per batch element.
extern "C" void tensorc_gemm_f32(int64_t m, int64_t n, int64_t k, int64_t a, int64_t aOffset, int64_t aRowStride,
                                 int64_t aColStride, int64_t b, int64_t bOffset, int64_t bRowStride,
                                 int64_t bColStride, int64_t c, int64_t cOffset, int64_t cRowStride,
                                 int64_t cColStride);
extern "C" void tensorc_gemm_f64(int64_t m, int64_t n, int64_t k, int64_t a, int64_t aOffset, int64_t aRowStride,
                                 int64_t aColStride, int64_t b, int64_t bOffset, int64_t bRowStride,
                                 int64_t bColStride, int64_t c, int64_t cOffset, int64_t cRowStride,
                                 int64_t cColStride);

namespace tensorc::runtime {

/// Opens `path` and takes its CBLAS `sgemmSymbol` and `dgemmSymbol` (`int64Indices`: the ILP64
/// interface, 64-bit sizes, as in NumPy's scipy-openblas64). Returns an empty string on success, else
/// why not; on failure the previously loaded library (if any) stays in use.
std::string loadBlas(const std::string &path, const std::string &sgemmSymbol, const std::string &dgemmSymbol,
                     bool int64Indices);

/// The library loaded by loadBlas, or "" when none is.
std::string loadedBlas();

/// Sets the loaded library's thread count (OpenBLAS's set_num_threads); false when no library is
/// loaded, it has no such control, or `count` < 1.
bool setBlasThreads(int count);
/// The loaded library's thread count, or -1 when unknown.
int blasThreads();

} // namespace tensorc::runtime

#endif // TENSORC_RUNTIME_BLAS_H
