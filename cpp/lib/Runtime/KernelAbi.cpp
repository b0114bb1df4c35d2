// The native side of the kernel ABI: the functions generated code calls back into (runtime checks,
// strided memref copies) and the trampoline that calls a kernel with a run-time number of arguments.
//
// These are resolved by the JIT as absolute symbols (see JitLoader.cpp), so the runtime needs neither
// libmlir_c_runner_utils nor any symbol exported from this shared object.
#include "tensorc/Runtime/KernelAbi.h"

#include "tensorc/Checks/CheckProtocol.h"
#include "tensorc/Runtime/Api.h"
#include "tensorc/Runtime/MemrefDescriptor.h"

#include <array>
#include <atomic>
#include <csetjmp>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>

namespace {
using tensorc::runtime::CallBinding;
using tensorc::runtime::CallState;

/// This thread's own kernel call, and what it is bound to now: its own call, or on a pool worker the call
/// of the thread that started the parallel loop (Runtime/ThreadPool.cpp), so that a check failed on a
/// worker is raised by the caller. Thread-local because kernels run without the GIL: two threads may
/// run (the same or different) kernels at once, and each call must see only its own failures.
thread_local CallState ownState;
thread_local CallBinding binding{nullptr, nullptr};

CallState &currentState() { return binding.state ? *binding.state : ownState; }

/// Records a failure in `state`: the first one of a call is kept (later ones are usually consequences
/// of it), except that running out of memory always wins (it ends the call). Workers of one call may
/// report at once, hence the lock; failures are rare, so a spin lock is enough.
void record(CallState &state, int64_t code, int64_t a, int64_t b, bool overrides) {
  while (state.lock.test_and_set(std::memory_order_acquire)) {
  }
  if (!state.failed.load(std::memory_order_relaxed) || overrides) {
    state.code = code;
    state.a = a;
    state.b = b;
    state.failed.store(true, std::memory_order_relaxed);
  }
  state.lock.clear(std::memory_order_release);
}

/// Copies one row of `count` elements between possibly strided locations (strides in elements).
template <typename Element>
void copyRow(char *dst, const char *src, int64_t count, int64_t dstStride, int64_t srcStride) {
  // Element-typed loads and stores: a memcpy call per element would dominate strided copies.
  auto *d = reinterpret_cast<Element *>(dst);
  auto *s = reinterpret_cast<const Element *>(src);
  for (int64_t i = 0; i < count; ++i)
    std::memcpy(d + i * dstStride, s + i * srcStride, sizeof(Element));
}

void copyRowAnySize(char *dst, const char *src, int64_t count, int64_t dstStride, int64_t srcStride,
                    int64_t elemSize) {
  if (dstStride == 1 && srcStride == 1) {
    // memmove, not memcpy: memref.copy forbids overlap, but a wrong program must not turn into
    // undefined behaviour inside the runtime.
    std::memmove(dst, src, static_cast<size_t>(count * elemSize));
    return;
  }
  switch (elemSize) {
  case 1:
    return copyRow<uint8_t>(dst, src, count, dstStride, srcStride);
  case 2:
    return copyRow<uint16_t>(dst, src, count, dstStride, srcStride);
  case 4:
    return copyRow<uint32_t>(dst, src, count, dstStride, srcStride);
  case 8:
    return copyRow<uint64_t>(dst, src, count, dstStride, srcStride);
  default:
    for (int64_t i = 0; i < count; ++i)
      std::memmove(dst + i * dstStride * elemSize, src + i * srcStride * elemSize,
                   static_cast<size_t>(elemSize));
  }
}

using Caller = void (*)(void *, void *const *);

/// Calls `fn` with exactly sizeof...(I) pointer arguments taken from `args`.
template <size_t... I>
void callWithIndices(void *fn, void *const *args, std::index_sequence<I...>) {
  using Fn = void (*)(decltype(static_cast<void>(I), static_cast<void *>(nullptr))...);
  reinterpret_cast<Fn>(fn)(args[I]...);
}

template <size_t N>
void callWithArity(void *fn, void *const *args) {
  callWithIndices(fn, args, std::make_index_sequence<N>{});
}

template <size_t... N>
constexpr std::array<Caller, sizeof...(N)> makeCallers(std::index_sequence<N...>) {
  return {&callWithArity<N>...};
}

/// One trampoline per arity: a C++ call needs its argument count at compile time, a kernel's is only
/// known when it is loaded.
constexpr std::array<Caller, tensorc::runtime::kMaxKernelArgs + 1> kCallers =
    makeCallers(std::make_index_sequence<tensorc::runtime::kMaxKernelArgs + 1>{});

} // namespace

/// Called by generated code when a runtime check fails (shape mismatch, index out of range...).
extern "C" void tensorc_report(int64_t code, int64_t a, int64_t b) { record(currentState(), code, a, b, false); }

/// The kernels' allocator. Generated code does not test what malloc returns, so a failed allocation
/// (np.zeros((n, n)) with a size that fits a pointer but not the machine) would write through null:
/// instead it unwinds to the frame bound to this thread (invokeKernel, or on a pool worker the loop
/// runner of ThreadPool.cpp), which reports checks::kOutOfMemoryCode. The generated code has no cleanups
/// to run, so jumping over its frames is safe; what it had allocated before leaks.
extern "C" void *tensorc_malloc(size_t size) {
  void *p = std::malloc(size);
  if (!p && size != 0) {
    record(currentState(), tensorc::checks::kOutOfMemoryCode, static_cast<int64_t>(size), 0, true);
    std::longjmp(*binding.outOfMemory, 1);
  }
  return p;
}

/// Same contract as MLIR's `memrefCopy` in CRunnerUtils: copy `src` into `dst`, both of the same rank
/// and sizes, any strides and offsets. Lowered `memref.copy` calls it when either side is not
/// contiguous (for example returning a strided slice through an identity-layout function boundary).
/// The arguments are `UnrankedMemref *` (MemrefDescriptor.h), declared `void *` in KernelAbi.h.
extern "C" void memrefCopy(int64_t elemSize, void *srcOpaque, void *dstOpaque) {
  using tensorc::runtime::ConstMemrefView;
  using tensorc::runtime::UnrankedMemref;
  const ConstMemrefView src = static_cast<const UnrankedMemref *>(srcOpaque)->view();
  const ConstMemrefView dst = static_cast<const UnrankedMemref *>(dstOpaque)->view();
  const int64_t rank = src.rank();
  const char *srcBase = src.data(elemSize);
  char *dstBase = dst.data(elemSize);
  if (rank == 0) {
    std::memmove(dstBase, srcBase, static_cast<size_t>(elemSize));
    return;
  }
  const int64_t *sizes = src.sizes();
  const int64_t *srcStrides = src.strides();
  const int64_t *dstStrides = dst.strides();
  for (int64_t d = 0; d < rank; ++d)
    if (sizes[d] <= 0)
      return;

  // Odometer over all dimensions but the innermost; each step copies one innermost row.
  constexpr int64_t kSmallRank = 16;
  int64_t smallIndex[kSmallRank] = {0};
  std::unique_ptr<int64_t[]> largeIndex;
  int64_t *index = smallIndex;
  if (rank > kSmallRank) {
    largeIndex.reset(new int64_t[rank]());
    index = largeIndex.get();
  }
  const int64_t inner = rank - 1;
  const char *srcRow = srcBase;
  char *dstRow = dstBase;
  while (true) {
    copyRowAnySize(dstRow, srcRow, sizes[inner], dstStrides[inner], srcStrides[inner], elemSize);
    int64_t d = inner - 1;
    for (; d >= 0; --d) {
      if (++index[d] < sizes[d]) {
        srcRow += srcStrides[d] * elemSize;
        dstRow += dstStrides[d] * elemSize;
        break;
      }
      // Wrap this dimension and carry into the next outer one.
      srcRow -= (sizes[d] - 1) * srcStrides[d] * elemSize;
      dstRow -= (sizes[d] - 1) * dstStrides[d] * elemSize;
      index[d] = 0;
    }
    if (d < 0)
      return;
  }
}

namespace tensorc::runtime {

bool invokeKernel(void *entry, void *const *args, size_t nargs, CheckFailure *failure) {
  if (nargs > kMaxKernelArgs) {
    // Callers validate arities when a kernel is loaded; never index past the trampoline table.
    *failure = CheckFailure{-1, static_cast<int64_t>(nargs), static_cast<int64_t>(kMaxKernelArgs)};
    return true;
  }
  CallState &state = ownState;
  state.failed.store(false, std::memory_order_relaxed);
  std::jmp_buf outOfMemory;
  const CallBinding outer = bindCall({&state, &outOfMemory});
  if (setjmp(outOfMemory) == 0)
    kCallers[nargs](entry, args);
  bindCall(outer);
  if (!state.failed.load(std::memory_order_relaxed))
    return false;
  state.failed.store(false, std::memory_order_relaxed);
  failure->code = state.code;
  failure->a = state.a;
  failure->b = state.b;
  return true;
}

CallBinding currentCall() { return {&currentState(), binding.outOfMemory}; }

CallBinding bindCall(CallBinding next) {
  const CallBinding previous = binding;
  binding = next;
  return previous;
}

} // namespace tensorc::runtime
