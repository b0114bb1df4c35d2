// The gemm callbacks of compiled matmuls and the BLAS library behind them (tensorc/Runtime/Blas.h).
//
// tensorc-matmul-to-blas passes each operand's strides as they are at run time. CBLAS wants every
// matrix with one unit stride and a leading dimension at least as large as the other size; an operand
// in row-major order is passed as is, one in column-major order as the transpose of a row-major one,
// and anything else (negative or zero strides, both strides > 1) is first copied into a row-major
// buffer. The result likewise: row-major C is written directly, column-major C is computed as
// C^T = B^T A^T, any other layout through a temporary.
#include "tensorc/Runtime/Blas.h"

#include <algorithm>

#include <dlfcn.h>

#include <atomic>
#include <iterator>
#include <mutex>
#include <vector>

namespace {
constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;

template <class Int, class T>
using GemmFn = void (*)(int, int, int, Int, Int, Int, T, const T *, Int, const T *, Int, T, T *, Int);

struct Library {
  std::string path;
  bool int64Indices = false;
  void *sgemm = nullptr, *dgemm = nullptr;
  void (*setThreads)(int) = nullptr; // OpenBLAS's thread-count control, when the library has one
  int (*getThreads)() = nullptr;
};

/// OpenBLAS's thread-count functions, as its builds spell them (scipy-openblas prefixes and suffixes).
constexpr const char *kSetThreads[] = {"scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
                                       "openblas_set_num_threads64_", "openblas_set_num_threads"};
constexpr const char *kGetThreads[] = {"scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads",
                                       "openblas_get_num_threads64_", "openblas_get_num_threads"};
std::mutex libraryMutex;
/// Published once complete; never freed (kernels of other threads may be calling through it).
std::atomic<const Library *> library{nullptr};

/// A matrix of `rows` x `cols` elements at `p` with element strides (`rs`, `cs`), as CBLAS sees it.
template <class T> struct Operand {
  const T *p;
  int64_t ld;
  bool transposed; // stored column-major: CBLAS reads it as the transpose of a row-major matrix
};

/// The CBLAS view of a strided matrix, or false when it has none (then it is copied).
template <class T> bool cblasView(const T *p, int64_t rows, int64_t cols, int64_t rs, int64_t cs, Operand<T> &out) {
  if (cs == 1 && (rs >= std::max<int64_t>(cols, 1) || rows == 1)) {
    out = {p, std::max<int64_t>(rows == 1 ? cols : rs, 1), false};
    return true;
  }
  if (rs == 1 && (cs >= std::max<int64_t>(rows, 1) || cols == 1)) {
    out = {p, std::max<int64_t>(cols == 1 ? rows : cs, 1), true};
    return true;
  }
  return false;
}

template <class T> void copyRowMajor(const T *p, int64_t rows, int64_t cols, int64_t rs, int64_t cs, T *dst) {
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      dst[i * cols + j] = p[i * rs + j * cs];
}

/// The same product without a library: the loops LLVM would have generated (k outside n, so the inner
/// loop streams rows of B and C), accumulating in T like the BLAS.
template <class T>
void plainGemm(int64_t m, int64_t n, int64_t k, const T *a, int64_t ars, int64_t acs, const T *b, int64_t brs,
               int64_t bcs, T *c, int64_t crs, int64_t ccs) {
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j)
      c[i * crs + j * ccs] = T(0);
    for (int64_t l = 0; l < k; ++l) {
      T x = a[i * ars + l * acs];
      for (int64_t j = 0; j < n; ++j)
        c[i * crs + j * ccs] += x * b[l * brs + j * bcs];
    }
  }
}

template <class T> void *symbolOf(const Library &lib);
template <> void *symbolOf<float>(const Library &lib) { return lib.sgemm; }
template <> void *symbolOf<double>(const Library &lib) { return lib.dgemm; }

template <class Int, class T>
void callRowMajor(void *fn, int64_t m, int64_t n, int64_t k, const Operand<T> &a, const Operand<T> &b, T *c,
                  int64_t ldc) {
  reinterpret_cast<GemmFn<Int, T>>(fn)(kRowMajor, a.transposed ? kTrans : kNoTrans, b.transposed ? kTrans : kNoTrans,
                                       Int(m), Int(n), Int(k), T(1), a.p, Int(a.ld), b.p, Int(b.ld), T(0), c,
                                       Int(ldc));
}

template <class T>
void gemm(int64_t m, int64_t n, int64_t k, const T *a, int64_t ars, int64_t acs, const T *b, int64_t brs,
          int64_t bcs, T *c, int64_t crs, int64_t ccs) {
  if (m <= 0 || n <= 0)
    return;
  const Library *lib = library.load(std::memory_order_acquire);
  if (k <= 0 || !lib) {
    plainGemm(m, n, k, a, ars, acs, b, brs, bcs, c, crs, ccs);
    return;
  }
  // C^T = B^T A^T turns a column-major C into a row-major one.
  if (ccs != 1 && crs == 1) { // C^T (n x m) = B^T (n x k) A^T (k x m); C^T has unit column stride
    gemm<T>(n, m, k, b, bcs, brs, a, acs, ars, c, ccs, crs);
    return;
  }
  std::vector<T> aCopy, bCopy, cTemp;
  Operand<T> av, bv;
  if (!cblasView(a, m, k, ars, acs, av)) {
    aCopy.resize(size_t(m * k));
    copyRowMajor(a, m, k, ars, acs, aCopy.data());
    av = {aCopy.data(), std::max<int64_t>(k, 1), false};
  }
  if (!cblasView(b, k, n, brs, bcs, bv)) {
    bCopy.resize(size_t(k * n));
    copyRowMajor(b, k, n, brs, bcs, bCopy.data());
    bv = {bCopy.data(), std::max<int64_t>(n, 1), false};
  }
  bool direct = ccs == 1 && (crs >= n || m == 1);
  T *out = c;
  int64_t ldc = m == 1 ? n : crs;
  if (!direct) {
    cTemp.resize(size_t(m * n));
    out = cTemp.data();
    ldc = n;
  }
  void *fn = symbolOf<T>(*lib);
  if (lib->int64Indices)
    callRowMajor<int64_t>(fn, m, n, k, av, bv, out, ldc);
  else
    callRowMajor<int32_t>(fn, m, n, k, av, bv, out, ldc);
  if (!direct)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        c[i * crs + j * ccs] = out[i * n + j];
}

template <class T>
void gemmEntry(int64_t m, int64_t n, int64_t k, int64_t a, int64_t ao, int64_t ars, int64_t acs, int64_t b,
               int64_t bo, int64_t brs, int64_t bcs, int64_t c, int64_t co, int64_t crs, int64_t ccs) {
  gemm<T>(m, n, k, reinterpret_cast<const T *>(a) + ao, ars, acs, reinterpret_cast<const T *>(b) + bo, brs, bcs,
          reinterpret_cast<T *>(c) + co, crs, ccs);
}
} // namespace

extern "C" void tensorc_gemm_f32(int64_t m, int64_t n, int64_t k, int64_t a, int64_t ao, int64_t ars, int64_t acs,
                                 int64_t b, int64_t bo, int64_t brs, int64_t bcs, int64_t c, int64_t co, int64_t crs,
                                 int64_t ccs) {
  gemmEntry<float>(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs);
}

extern "C" void tensorc_gemm_f64(int64_t m, int64_t n, int64_t k, int64_t a, int64_t ao, int64_t ars, int64_t acs,
                                 int64_t b, int64_t bo, int64_t brs, int64_t bcs, int64_t c, int64_t co, int64_t crs,
                                 int64_t ccs) {
  gemmEntry<double>(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs);
}

std::string tensorc::runtime::loadBlas(const std::string &path, const std::string &sgemmSymbol,
                                       const std::string &dgemmSymbol, bool int64Indices) {
  std::lock_guard<std::mutex> lock(libraryMutex);
  const Library *current = library.load();
  if (current && current->path == path)
    return "";
  // RTLD_LOCAL: the library's symbols must not take over those of other extension modules. NumPy has
  // usually opened it already; dlopen then returns the same handle. It is never closed.
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return std::string("cannot open ") + path + ": " + dlerror();
  auto *lib = new Library{path, int64Indices, dlsym(handle, sgemmSymbol.c_str()), dlsym(handle, dgemmSymbol.c_str())};
  if (!lib->sgemm || !lib->dgemm) {
    std::string missing = !lib->sgemm ? sgemmSymbol : dgemmSymbol;
    delete lib;
    return path + " has no symbol " + missing;
  }
  for (size_t i = 0; i < std::size(kSetThreads) && !lib->setThreads; ++i) {
    lib->setThreads = reinterpret_cast<void (*)(int)>(dlsym(handle, kSetThreads[i]));
    lib->getThreads = reinterpret_cast<int (*)()>(dlsym(handle, kGetThreads[i]));
  }
  library.store(lib, std::memory_order_release); // the previous one is leaked on purpose (see above)
  return "";
}

bool tensorc::runtime::setBlasThreads(int count) {
  const Library *lib = library.load();
  if (!lib || !lib->setThreads || count < 1)
    return false;
  lib->setThreads(count);
  return true;
}

int tensorc::runtime::blasThreads() {
  const Library *lib = library.load();
  return lib && lib->getThreads ? lib->getThreads() : -1;
}

std::string tensorc::runtime::loadedBlas() {
  const Library *lib = library.load();
  return lib ? lib->path : std::string();
}
