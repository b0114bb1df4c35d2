// The thread pool of compiled parallel loops (tensorc/Runtime/ThreadPool.h).
//
// A loop is split into at most numThreads() contiguous chunks of its iteration space; the caller and
// the workers take chunks from one atomic counter, so a worker that wakes late just finds fewer left.
// Workers spin briefly after a loop before they sleep: softmax and layernorm lower to several loops in
// a row, and waking a sleeping thread through the kernel costs tens of microseconds.
//
// Failures: a check failed in a chunk is recorded in the caller's call state (KernelAbi.cpp binds the
// worker to it); a failed allocation longjmps to the frame of the chunk runner on its own thread
// (a longjmp cannot cross threads), which stops taking chunks; the caller unwinds once all have stopped.
#include "tensorc/Runtime/ThreadPool.h"

#include "tensorc/Runtime/KernelAbi.h"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csetjmp>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define TENSORC_PAUSE() _mm_pause()
#else
#define TENSORC_PAUSE() std::this_thread::yield()
#endif

namespace tensorc::runtime {
namespace {

/// How long an idle worker, or a caller waiting for the last chunk, spins before it blocks.
constexpr auto kSpin = std::chrono::microseconds(100);

/// One parallel loop.
struct Job {
  TensorcLoopBody body = nullptr;
  void *context = nullptr;
  int64_t iterations = 0;
  int64_t chunks = 0;
  CallState *state = nullptr;
  std::atomic<int64_t> next{0};
  std::atomic<bool> outOfMemory{false};
  int64_t begin(int64_t chunk) const { return iterations / chunks * chunk + std::min(chunk, iterations % chunks); }
};

/// Runs chunks of `job` until none is left, bound to the job's call (a failed allocation sets
/// job.outOfMemory).
/// Kept apart from anything with a destructor: setjmp's frame must stay plain.
void runChunks(Job &job) {
  std::jmp_buf outOfMemory;
  const CallBinding outer = bindCall({job.state, &outOfMemory});
  if (setjmp(outOfMemory) == 0) {
    for (int64_t c = job.next.fetch_add(1, std::memory_order_relaxed); c < job.chunks;
         c = job.next.fetch_add(1, std::memory_order_relaxed))
      job.body(job.context, job.begin(c), job.begin(c + 1));
  } else {
    job.outOfMemory.store(true, std::memory_order_relaxed);
    job.next.store(job.chunks, std::memory_order_relaxed); // the others stop taking chunks too
  }
  bindCall(outer);
}

/// Set on the pool's workers and on a thread inside tensorc_parallel_for: a loop started there runs
/// on that thread (the pool is busy with the loop around it).
thread_local bool insideLoop = false;

class Pool {
public:
  explicit Pool(int threads) : threads_(std::max(threads, 1)) {}

  /// Never destroyed while the process runs (see pool()); a fork child abandons it.
  int threads() const { return threads_; }

  /// Runs `job` on the workers and the calling thread; false when the pool is busy (run it serially).
  bool run(Job &job) {
    std::unique_lock<std::mutex> busy(submit_, std::try_to_lock);
    if (!busy.owns_lock())
      return false;
    startWorkers();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &job;
      pending_.store(static_cast<int>(workers_.size()), std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    runChunks(job);
    // Wait for every worker to have left the job (it lives on the caller's stack).
    const auto until = std::chrono::steady_clock::now() + kSpin;
    while (pending_.load(std::memory_order_acquire) != 0 && std::chrono::steady_clock::now() < until)
      TENSORC_PAUSE();
    if (pending_.load(std::memory_order_acquire) != 0) {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [&] { return pending_.load(std::memory_order_acquire) == 0; });
    }
    return true;
  }

  /// Stops and joins the workers (a new count starts new ones on the next loop).
  void resize(int threads) {
    std::lock_guard<std::mutex> busy(submit_);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (std::thread &t : workers_)
      t.join();
    workers_.clear();
    stop_ = false;
    threads_ = std::max(threads, 1);
  }

private:
  void startWorkers() {
    while (static_cast<int>(workers_.size()) < threads_ - 1)
      workers_.emplace_back([this, seen = generation_.load()] { work(seen); });
  }

  void work(uint64_t seen) {
    insideLoop = true;
    while (true) {
      const auto until = std::chrono::steady_clock::now() + kSpin;
      while (generation_.load(std::memory_order_acquire) == seen && std::chrono::steady_clock::now() < until)
        TENSORC_PAUSE();
      Job *job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || generation_.load(std::memory_order_acquire) != seen; });
        if (stop_)
          return;
        seen = generation_.load(std::memory_order_acquire);
        job = job_;
      }
      runChunks(*job);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(mutex_); // the caller may be between its test and its wait
        done_.notify_one();
      }
    }
  }

  int threads_;
  std::mutex submit_; // held by the loop that runs on the pool
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> pending_{0}; // workers that have not left the current job
  Job *job_ = nullptr;
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

/// The environment variable `name` as a whole decimal integer >= `least`; nullopt when it is unset or
/// anything else (the caller's default applies).
std::optional<long long> envInteger(const char *name, long long least) {
  const char *env = std::getenv(name);
  if (!env)
    return std::nullopt;
  char *end = nullptr;
  const long long n = std::strtoll(env, &end, 10); // saturates out of range
  if (end == env || *end != '\0' || n < least)
    return std::nullopt;
  return n;
}

int defaultThreads() {
  if (std::optional<long long> n = envInteger("TENSORC_NUM_THREADS", 1))
    return static_cast<int>(std::min<long long>(*n, 1024));
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    return std::max(CPU_COUNT(&set), 1);
  return std::max(static_cast<int>(std::thread::hardware_concurrency()), 1);
}

/// kMinParallelWork, or TENSORC_PARALLEL_MIN_WORK when set to an integer >= 0 (tests and the fuzz
/// campaign set 0 to send every loop with two iterations or more to the pool). Read once.
int64_t minParallelWork() {
  static const int64_t value =
      static_cast<int64_t>(envInteger("TENSORC_PARALLEL_MIN_WORK", 0).value_or(kMinParallelWork));
  return value;
}

std::mutex poolMutex;
std::atomic<Pool *> current{nullptr};

/// The pool, created on first use. A fork child starts with no pool: the parent's workers do not exist
/// there (the old object is abandoned, its locks may be held).
Pool &pool() {
  Pool *p = current.load(std::memory_order_acquire);
  if (p)
    return *p;
  std::lock_guard<std::mutex> lock(poolMutex);
  if (!(p = current.load(std::memory_order_relaxed))) {
    static std::once_flag atfork;
    std::call_once(atfork, [] {
      pthread_atfork(nullptr, nullptr, [] {
        new (&poolMutex) std::mutex();
        current.store(nullptr, std::memory_order_relaxed);
      });
    });
    p = new Pool(defaultThreads());
    current.store(p, std::memory_order_release);
  }
  return *p;
}

} // namespace

int numThreads() { return pool().threads(); }

void setNumThreads(int n) { pool().resize(n); }

} // namespace tensorc::runtime

extern "C" void tensorc_parallel_for(TensorcLoopBody body, void *context, int64_t iterations,
                                     int64_t workPerIteration) {
  using namespace tensorc::runtime;
  if (iterations <= 0)
    return;
  const int64_t perIteration = std::max<int64_t>(workPerIteration, 1);
  // The total work, saturated (a product of sizes may not fit).
  const int64_t work = iterations > INT64_MAX / perIteration ? INT64_MAX : iterations * perIteration;
  const int64_t minWork = minParallelWork();
  if (insideLoop || work < minWork) {
    body(context, 0, iterations);
    return;
  }
  Pool &p = pool();
  const int64_t chunks = std::min<int64_t>({p.threads(), iterations, std::max<int64_t>(minWork ? work / std::min(kMinChunkWork, minWork) : work, 1)});
  if (chunks <= 1) {
    body(context, 0, iterations);
    return;
  }
  Job job;
  job.body = body;
  job.context = context;
  job.iterations = iterations;
  job.chunks = chunks;
  const CallBinding caller = currentCall();
  job.state = caller.state;
  insideLoop = true;
  const bool ran = p.run(job);
  insideLoop = false;
  if (!ran) {
    body(context, 0, iterations);
    return;
  }
  if (job.outOfMemory.load(std::memory_order_relaxed))
    std::longjmp(*caller.outOfMemory, 1); // the caller's own failed allocation would have done the same
}
