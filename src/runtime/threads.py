"""How many threads tensorc's compiled code may use: `tc.set_num_threads(n)` / `tc.get_num_threads()`.

The count defaults to `TENSORC_NUM_THREADS`, else the CPUs this process may run on
(`os.sched_getaffinity`). It governs two pools:

- the runtime's own (cpp/lib/Runtime/ThreadPool.cpp), on which the outermost parallel loop of each
  compiled loop nest runs (elementwise code, reductions along kept axes, fuse-rows' row blocks of
  softmax / layernorm / cross-entropy, matmul epilogues outside the gemm's row blocks); loops with
  little work (W1 at 1K elements, W6) stay on the calling thread. Each element is computed by one
  thread in the same order whatever the count, so results do not depend on it: float reductions are
  never split across threads (a reduction over a whole array runs on one thread);
- the BLAS behind compiled matmuls (runtime/blas.py), which is NumPy's own OpenBLAS: its thread pool
  is shared with NumPy's matmul, so a count set here (or through TENSORC_NUM_THREADS) applies to
  NumPy's matmuls too, and without either tensorc leaves the library's count as it is (OpenBLAS: every
  CPU, or OPENBLAS_NUM_THREADS).
"""
from __future__ import annotations

import os

_explicit: int | None = None  # set_num_threads' count; None: the environment or the CPU count decides


def _from_env() -> int | None:
    value = os.environ.get("TENSORC_NUM_THREADS", "").strip()
    if not value:
        return None
    try:
        n = int(value)
    except ValueError:
        raise ValueError(f"TENSORC_NUM_THREADS={value!r} is not a positive integer") from None
    if n < 1:
        raise ValueError(f"TENSORC_NUM_THREADS={value!r} is not a positive integer")
    return n


def requested() -> int | None:
    """The count the user asked for (set_num_threads, else TENSORC_NUM_THREADS), or None."""
    return _explicit if _explicit is not None else _from_env()


def get_num_threads() -> int:
    """The threads tensorc's compiled code may use."""
    n = requested()
    return n if n is not None else len(os.sched_getaffinity(0))


def set_num_threads(n: int) -> None:
    """Let compiled code use `n` threads, the calling one included (its loops and the BLAS behind its
    matmuls: see the module docstring). Takes effect for the next call, compiled functions included."""
    global _explicit
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"set_num_threads: n must be an int, got {type(n).__name__}")
    if n < 1:
        raise ValueError(f"set_num_threads: n must be >= 1, got {n}")
    _explicit = n
    from .. import _tensorc_rt
    from . import blas

    _tensorc_rt.set_num_threads(n)

    blas.apply_threads()
