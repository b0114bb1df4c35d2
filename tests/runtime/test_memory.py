"""Memory of compiled functions is released when nobody holds them.

Measured with glibc's own accounting, not timings: `mallinfo2()` gives the bytes malloc has handed out
and not got back (what a leak grows), and the resident set after `malloc_trim(0)` what the process
really keeps (glibc otherwise holds on to freed memory for reuse, and RSS alone cannot tell "freed but
not returned" from "leaked"). The bounds are several times what a correct runtime shows on a quiet
machine, and well below what a kernel or compile that is never released costs.
"""
import ctypes
import ctypes.util
import gc
import os
import weakref

import numpy as np
import pytest

from conftest import requires_native

pytestmark = requires_native


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
                 "fordblks", "keepcost")]


def _glibc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
    except (OSError, AttributeError):
        return None
    return libc


def _sanitizer_allocator() -> bool:
    """Whether ASan (LD_PRELOADed for a sanitized build) replaces malloc: mallinfo2 then sees nothing."""
    try:
        ctypes.CDLL(None).__asan_init  # noqa: B018
    except AttributeError:
        return False
    return True


LIBC = _glibc()
if LIBC is None:
    pytest.skip("not glibc: mallinfo2/malloc_trim are glibc's (2.33 or later)", allow_module_level=True)
if _sanitizer_allocator():
    pytest.skip("not glibc's malloc: AddressSanitizer's allocator replaces it", allow_module_level=True)
PAGE = os.sysconf("SC_PAGE_SIZE")


def malloc_in_use():
    """Bytes handed out by malloc and not freed (small chunks and mmapped ones)."""
    info = LIBC.mallinfo2()
    return info.uordblks + info.hblkhd


def trimmed_rss():
    """Resident bytes once glibc has returned every free page it holds."""
    gc.collect()
    LIBC.malloc_trim(0)
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


@pytest.fixture
def no_disk_cache(monkeypatch):
    monkeypatch.setenv("TENSORC_CACHE_DISABLE", "1")


def _small_object():
    import mlir.ir as ir

    from tensorc import _tensorc, _tensorc_rt

    with ir.Context():
        return _tensorc.compile_object(ir.Module.parse(
            "llvm.func @_mlir_ciface_main() {\n  llvm.return\n}"))


def test_kernel_unload_releases_jit_memory():
    from tensorc import _tensorc, _tensorc_rt

    obj = _small_object()

    def load():
        kernel = _tensorc_rt.Kernel(obj, "main", [], [], [])
        assert kernel.call() == ()
        return kernel

    for _ in range(50):  # the JIT itself, its first tables
        load()
    gc.collect()

    # Loaded and unloaded one at a time: nothing accumulates (measured: 0-3 bytes per kernel).
    n = 2000
    before = malloc_in_use()
    for _ in range(n):
        load()
    gc.collect()
    assert (malloc_in_use() - before) / n < 256

    # Held at once: a kernel costs its JITDylib's tables (measured 8.4 KB; 33 KB when each JITDylib
    # also got the generic platform's own LLVMContext and __dso_handle module), all freed on release.
    n = 300
    before = malloc_in_use()
    kernels = [load() for _ in range(n)]
    held = (malloc_in_use() - before) / n
    refs = [weakref.ref(k) for k in kernels]
    del kernels
    gc.collect()
    left = (malloc_in_use() - before) / n
    assert not any(r() for r in refs)
    assert held < 20 * 1024, f"{held / 1024:.1f} KB of heap per loaded kernel"
    assert left < 1024, f"{left:.0f} bytes per released kernel still allocated"


def test_deleted_functions_release_their_memory(no_disk_cache):
    import tensorc as tc

    def make(i):
        # A distinct constant per function: distinct IR, so every one is compiled and loaded.
        x = tc.vector("x", dtype="float64")
        f = tc.function([x], x * float(i + 1) + float(i))
        assert f(np.ones(3))[0] == 2 * i + 1
        return f

    for i in range(20):  # one-time costs: MLIR and LLVM tables, code pages first touched
        make(10**6 + i)
    base_rss, base_heap = trimmed_rss(), malloc_in_use()

    # 120 compiled functions alive at once (~35 KB each), then none: measured after the release,
    # 0.1-0.3 KB/function still allocated and 2-6 KB/function resident (mostly one-time costs).
    n = 120
    functions = [make(i) for i in range(n)]
    kernels = [weakref.ref(f.program.compiled[(0, False)].kernel) for f in functions]
    programs = [weakref.ref(f.program) for f in functions]
    del functions
    gc.collect()
    assert not any(r() for r in kernels), "kernels of deleted functions are still alive"
    assert not any(r() for r in programs), "programs of deleted functions are still alive"
    heap = (malloc_in_use() - base_heap) / n
    rss = (trimmed_rss() - base_rss) / n
    assert heap < 2 * 1024, f"{heap / 1024:.2f} KB/function still allocated after release"
    assert rss < 16 * 1024, f"{rss / 1024:.2f} KB/function still resident after release and malloc_trim"
