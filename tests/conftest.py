"""Shared test helpers.

tensorc is imported as installed, or from the development build (build/dev, what
`PYTHONPATH=build/dev` gives). Tests that run compiled code are marked `requires_native` and are
skipped, with the reason, when the native module or the compiler driver is not built.

Under CI (`CI=true`, which .ci/run sets) nothing may be skipped for want of a build: a native module
that does not import fails the session before collection, and a skip fails its test unless its reason
is one a fresh machine can legitimately have (CI_SKIP_REASONS: no GPU, no ptxas, not glibc) or a known
native bug listed below. The log ends with the pass/skip/fail counts.

Compiling a graph through MLIR and LLVM takes 0.1-0.3 s, so tests share compiled functions through
`FunctionCache` wherever the same graph serves several cases (other shapes, other values).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]

try:
    import tensorc  # noqa: F401
except ImportError:
    sys.path.insert(0, str(ROOT / "build" / "dev"))
    import tensorc  # noqa: F401


def _native_problem():
    try:
        from tensorc import _tensorc, _tensorc_rt  # noqa: F401  (compiler, runtime)
        from tensorc.runtime import compiler  # noqa: F401
    except ImportError as e:
        return str(e)
    return None


NATIVE_PROBLEM = _native_problem()
requires_native = pytest.mark.skipif(NATIVE_PROBLEM is not None,
                                     reason=f"native tensorc is not built: {NATIVE_PROBLEM}")

# ---- CI: no silent skips ------------------------------------------------------------------------
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")

#: Skip reasons (prefixes) a fresh CI machine can legitimately have. Under CI any other skip fails.
CI_SKIP_REASONS = ("no GPU", "no ptxas", "not glibc")
_KNOWN_BUG_REASON = "native bug ["  # the skips of NATIVE_BUGS below, which name their bug


def _has_gpu() -> bool:
    import ctypes
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
        count = ctypes.c_int(0)
        return cuda.cuInit(0) == 0 and cuda.cuDeviceGetCount(ctypes.byref(count)) == 0 and count.value > 0
    except (OSError, AttributeError):
        return False


def _ptxas():
    import shutil
    found = shutil.which("ptxas")
    if found:
        return found
    default = "/usr/local/cuda/bin/ptxas"
    return default if os.access(default, os.X_OK) else None


requires_gpu = pytest.mark.skipif(not _has_gpu(), reason="no GPU: no CUDA driver or device on this machine")
requires_ptxas = pytest.mark.skipif(_ptxas() is None, reason="no ptxas: the CUDA toolkit is not installed")


def _ci_allows_skip(reason: str) -> bool:
    reason = reason.removeprefix("Skipped: ")
    return reason.startswith(CI_SKIP_REASONS) or reason.startswith(_KNOWN_BUG_REASON)


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def pytest_configure(config):
    if IN_CI and NATIVE_PROBLEM is not None:
        raise pytest.UsageError(
            f"CI=true, but the native tensorc module does not import ({NATIVE_PROBLEM}); every test "
            "of compiled code would be skipped. Fix the build (pip install . or cmake --build build/dev).")


def _fail_disallowed_skip(report, what: str):
    if not (IN_CI and report.skipped) or hasattr(report, "wasxfail"):
        return
    reason = _skip_reason(report)
    if _ci_allows_skip(reason):
        return
    report.outcome = "failed"
    report.longrepr = (f"{what} skipped under CI=true for a reason a CI machine should not have: {reason}\n"
                       f"(skips allowed under CI: reasons starting with {', '.join(CI_SKIP_REASONS)}, "
                       "or a known native bug of tests/conftest.py)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_disallowed_skip(outcome.get_result(), "test")


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_disallowed_skip(outcome.get_result(), "module")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not IN_CI:
        return
    # Every category, zeros included, so that the log always states how many tests were skipped.
    counts = {key: len(terminalreporter.stats.get(key, []))
              for key in ("passed", "skipped", "failed", "error", "xfailed", "xpassed")}
    terminalreporter.write_line("tensorc CI: " + ", ".join(f"{n} {key}" for key, n in counts.items())
                                + f" (exit status {int(exitstatus)})")

from tolerances import tolerance  # noqa: E402 (one table with the fuzzer)

FLOATS = [np.float32, np.float64]
INTS = [np.int32, np.int64]


def assert_close(actual, expected, loose=False):
    """Same dtype (NumPy's), same shape, values within the dtype's tolerance (NaN equals NaN)."""
    expected = np.asarray(expected)
    assert isinstance(actual, np.ndarray), f"expected an ndarray, got {type(actual).__name__}"
    assert actual.dtype == expected.dtype, f"dtype {actual.dtype}, NumPy gives {expected.dtype}"
    assert actual.shape == expected.shape, f"shape {actual.shape}, NumPy gives {expected.shape}"
    rtol, atol = tolerance(expected.dtype, loose)
    if expected.dtype.kind in "fc":
        np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True)
    else:
        np.testing.assert_array_equal(actual, expected)


def rand(shape, dtype=np.float64, low=-2.0, high=2.0, seed=0):
    """Reproducible test data of any supported dtype."""
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    if dtype.kind == "i":
        return rng.integers(int(low) - 3, int(high) + 4, size=shape).astype(dtype)
    return rng.uniform(low, high, size=shape).astype(dtype)


class FunctionCache:
    """Compiled functions shared by the cases of one test module: get(key, build) builds once."""

    def __init__(self):
        self._functions = {}

    def get(self, key, build):
        if key not in self._functions:
            self._functions[key] = build()
        return self._functions[key]


@pytest.fixture(scope="module")
def cache():
    return FunctionCache()


# ---- known bugs of the native side, in one table ------------------------------------------------
# bug id -> (what happens, description with a minimal reproducer): "abort" bugs kill the interpreter
# (an MLIR assertion) and "hang" bugs never return, so their tests are skipped; "fail" bugs raise, so
# their tests are strict xfails, which fail once the bug is fixed, as a reminder to delete the entry.
# TENSORC_RUN_KNOWN_FAILURES=1 runs them all as ordinary tests (with pytest-xdist, `-n 2`, an abort
# then costs only its worker).
NATIVE_BUGS: dict[str, tuple[str, str]] = {}

# test node id below tests/ (e.g. "frontend/test_graph.py::test_axis_arguments") -> bug id
KNOWN_NATIVE_FAILURES: dict[str, str] = {}


def pytest_collection_modifyitems(config, items):
    if os.environ.get("TENSORC_RUN_KNOWN_FAILURES") == "1":
        return
    for item in items:
        bug = KNOWN_NATIVE_FAILURES.get(item.nodeid.split("tests/", 1)[-1])
        if bug is None:
            continue
        kind, _ = NATIVE_BUGS[bug]
        reason = f"native bug [{bug}], described in NATIVE_BUGS in tests/conftest.py"
        if kind in ("abort", "hang"):
            item.add_marker(pytest.mark.skip(reason=f"{reason} (the test would {kind})"))
        else:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))


# ---- checking emitted IR against the dialect ----------------------------------------------------

def verify_ir(text: str):
    """Parse emitted IR in a context with the tensorc dialect (parsing runs the op verifiers; a
    failure raises, it never aborts). Without the native module, check that it is well-formed generic
    MLIR, unregistered ops allowed."""
    from mlir import ir
    try:
        from tensorc.dialect import new_context
    except ImportError:
        ctx = ir.Context()
        ctx.allow_unregistered_dialects = True
    else:
        ctx = new_context()
    try:
        ir.Module.parse(text, ctx)
    except ir.MLIRError as e:
        raise AssertionError(f"the dialect rejected the IR:\n{e}\n{text}") from None


@pytest.fixture
def restore_threads():
    """Puts tc.set_num_threads' count back as it was (the environment or the CPU count when unset),
    in the runtime's pool and the BLAS."""
    from tensorc.runtime import threads

    before = threads._explicit
    yield
    threads._explicit = before
    from tensorc import _tensorc_rt, get_num_threads
    from tensorc.runtime import blas

    _tensorc_rt.set_num_threads(get_num_threads())
    blas.apply_threads()
