// The runtime's thread pool, on which compiled parallel loops run (tensorc-parallelize-loops outlines
// the body of the outermost parallel loop of a nest and calls `tensorc_parallel_for`).
//
// No system package: plain std::thread workers. One parallel loop runs on the pool at a time; a loop
// started while another holds the pool (a second Python thread, both without the GIL), one started
// from inside a loop body, and one too small to pay for waking a worker run on the calling thread.
#ifndef TENSORC_RUNTIME_THREADPOOL_H
#define TENSORC_RUNTIME_THREADPOOL_H

#include <cstdint>

/// The body of an outlined loop: runs iterations [begin, end) of the loop; `context` holds the values
/// it uses (the layout is private to the generated code).
using TensorcLoopBody = void (*)(void *context, int64_t begin, int64_t end);

/// Runs `body(context, begin, end)` over [0, iterations) split into contiguous chunks, on the calling
/// thread and the pool's workers, and returns when every chunk has run. `workPerIteration` is the
/// generated code's estimate of one iteration's operations: loops with less work than a few tens of
/// microseconds in all stay on the calling thread. A check failed in any chunk is the caller's kernel
/// call's failure; a failed allocation in any chunk unwinds the caller once every chunk has stopped.
extern "C" void tensorc_parallel_for(TensorcLoopBody body, void *context, int64_t iterations,
                                     int64_t workPerIteration);

namespace tensorc::runtime {

/// Threads compiled loops may use, the calling one included (>= 1). Defaults to TENSORC_NUM_THREADS
/// when it is a positive integer, else the CPUs this process may run on (sched_getaffinity).
int numThreads();
/// Sets the count (n >= 1; values below 1 are taken as 1). Waits for a running loop to finish.
void setNumThreads(int n);

/// Work (in the generated code's estimate of operations) below which a loop runs on one thread, and
/// the least work a chunk is given (TENSORC_PARALLEL_MIN_WORK=k replaces the first, and the second by
/// min(k, kMinChunkWork); k = 0 sends every loop of 2 iterations or more to the pool: for tests).
inline constexpr int64_t kMinParallelWork = 1 << 16;
inline constexpr int64_t kMinChunkWork = 1 << 15;

} // namespace tensorc::runtime

#endif // TENSORC_RUNTIME_THREADPOOL_H
