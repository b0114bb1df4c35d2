"""The BLAS that compiled float32/float64 matmuls call (tensorc-matmul-to-blas; the calls go through
cpp/lib/Runtime/Blas.cpp, which dlopens the library found here).

Where it comes from, in order:
1. ``TENSORC_BLAS``: ``none`` (or ``0``/``off``) compiles matmuls to MLIR loops instead; a path names a
   CBLAS library (symbols ``cblas_sgemm``/``cblas_dgemm``, or the ``scipy_``-prefixed names with an
   optional ``64_`` suffix of the scipy-openblas builds).
2. The OpenBLAS that NumPy's wheels ship (``numpy.libs/libscipy_openblas64_*.so``, ILP64 symbols
   ``scipy_cblas_sgemm64_``): the library NumPy's own matmul calls, so both run the same kernels and
   share one thread pool.
3. The ``scipy_openblas32`` / ``scipy_openblas64`` packages, when installed.
Without any, matmuls compile to MLIR loops (correct, several times slower), and ``tc.blas_info()``
says so. The library's identity is part of every cache key (runtime/compiler.py).
"""
from __future__ import annotations

import glob
import importlib
import os
import threading

from .. import _tensorc_rt

_lock = threading.Lock()
_state: dict = {}


#: TENSORC_BLAS values that ask for no BLAS (MLIR loops)
_OFF = ("none", "0", "off", "false")


def _candidates():
    env = os.environ.get("TENSORC_BLAS", "").strip()
    if env.lower() in _OFF:
        return
    if env:
        yield env, "TENSORC_BLAS"
        return
    import numpy

    libs = os.path.join(os.path.dirname(os.path.dirname(numpy.__file__)), "numpy.libs")
    for path in sorted(glob.glob(os.path.join(libs, "libscipy_openblas*.so*"))):
        yield path, "numpy"
    for package in ("scipy_openblas32", "scipy_openblas64"):
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        name = module.get_library()
        yield os.path.join(module.get_lib_dir(), name if name.endswith(".so") else f"lib{name}.so"), package


# (sgemm, dgemm, ILP64) spellings, most specific first.
_SYMBOLS = [("scipy_cblas_sgemm64_", "scipy_cblas_dgemm64_", True), ("scipy_cblas_sgemm", "scipy_cblas_dgemm", False),
            ("cblas_sgemm64_", "cblas_dgemm64_", True), ("cblas_sgemm", "cblas_dgemm", False)]


def _open(path: str):
    """Load `path` with the first symbol spelling it has; None and the reasons when none loads."""
    if not os.path.exists(path):
        return None, [f"{path}: no such file"]
    errors = []
    for sgemm, dgemm, ilp64 in _SYMBOLS:
        error = _tensorc_rt.load_blas(path, sgemm, dgemm, ilp64)
        if not error:
            return f"{os.path.basename(path)} ({sgemm})", []
        errors.append(error)
        if error.startswith("cannot open"):
            break
    return None, [errors[-1] if errors[-1].startswith("cannot open") else f"{path}: no CBLAS sgemm/dgemm symbols"]


def apply_threads() -> None:
    """Give the loaded BLAS the thread count the user asked for (runtime/threads.py), if any."""
    from .threads import requested

    n = requested()
    if n is not None and ensure() is not None:
        _tensorc_rt.set_blas_threads(n)


def ensure() -> str | None:
    """Load the BLAS once per process (and again when TENSORC_BLAS changes); its identity or None."""
    env = os.environ.get("TENSORC_BLAS", "")
    with _lock:
        if _state.get("env") == env:
            return _state["id"]
        found, why = None, []
        for path, source in _candidates():
            found, reasons = _open(path)
            why += reasons
            if found:
                found = f"{source}: {found}"
                break
        if env.strip() and env.strip().lower() not in _OFF and not found:
            raise RuntimeError(f"TENSORC_BLAS={env!r} cannot be used: {'; '.join(why)}")
        _state.update(env=env, id=found, why=why)
    if found:
        from .threads import requested

        if requested() is not None:
            _tensorc_rt.set_blas_threads(requested())
    return found


def info() -> dict:
    """What compiled matmuls call: {'blas': identity or None, 'path': the library, 'threads': its thread
    count (None when unknown), 'notes': [...]}."""
    found = ensure()
    threads = _tensorc_rt.blas_threads() if found else -1
    return {"blas": found, "path": _tensorc_rt.loaded_blas() if found else None,
            "threads": threads if threads > 0 else None, "notes": list(_state.get("why", []))}
