"""Compiled loops on the runtime's thread pool (tensorc-parallelize-loops + Runtime/ThreadPool.cpp):
results do not depend on the thread count (bit for bit: no reduction is split across threads), checks
failed on a worker are raised by the caller, small inputs stay on the calling thread, the pool follows
tc.set_num_threads / TENSORC_NUM_THREADS, and it survives concurrent callers and fork."""
import os
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest
from conftest import requires_native

import tensorc as tc

pytestmark = requires_native

COUNTS = (1, 2, 3)  # 3 > the CPUs of a 2-core machine: oversubscribed, still exact




def _per_count(f, *args):
    out = []
    for n in COUNTS:
        tc.set_num_threads(n)
        out.append(f(*args))
    return out


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_results_do_not_depend_on_the_thread_count(dtype, restore_threads):
    rng = np.random.default_rng(0)
    x = tc.matrix("x", dtype)
    b = tc.vector("b", dtype)
    f = tc.function([x, b], [tc.tanh(x * 2 + b) - 1,        # elementwise with a broadcast
                             tc.softmax(x + b, axis=-1),     # fuse-rows' row blocks
                             x.sum(axis=1),                  # a reduction along the kept rows
                             x.sum(axis=0),                  # a reduction across rows
                             x.max(axis=1),
                             (x - x.mean(axis=1, keepdims=True)) / tc.sqrt(x.var(axis=1, keepdims=True) + 1e-5),
                             x.sum()])                       # a full reduction (one thread)
    xv = rng.standard_normal((1537, 301)).astype(dtype)
    bv = rng.standard_normal(301).astype(dtype)
    results = _per_count(f, xv, bv)
    for other in results[1:]:
        for r0, r in zip(results[0], other):
            np.testing.assert_array_equal(r0, r)
    rtol = 1e-5 if dtype == "float32" else 1e-12
    mu = xv.mean(axis=1, keepdims=True)
    expected = [np.tanh(xv * 2 + bv) - 1, _softmax(xv + bv), xv.sum(axis=1), xv.sum(axis=0), xv.max(axis=1),
                (xv - mu) / np.sqrt(xv.var(axis=1, keepdims=True) + 1e-5), xv.sum()]
    for r, e in zip(results[0], expected):
        np.testing.assert_allclose(r, e, rtol=rtol, atol=rtol * 10)


@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (1, 1), (3, 7), (4096, 1), (1, 70000)])
def test_small_empty_and_skewed_shapes(shape, restore_threads):
    x = tc.matrix("x", "float64")
    f = tc.function([x], [tc.exp(x) + 1, tc.softmax(x, axis=1)])
    xv = np.random.default_rng(1).standard_normal(shape)
    for n in COUNTS:
        tc.set_num_threads(n)
        e, s = f(xv)
        np.testing.assert_allclose(e, np.exp(xv) + 1, rtol=1e-12)
        if xv.size:
            np.testing.assert_allclose(s, _softmax(xv, axis=1), rtol=1e-12)
        assert s.shape == shape


def test_a_check_failed_on_a_worker_is_raised_by_the_caller(restore_threads):
    x = tc.vector("x", "float32")
    i = tc.vector("i", "int64")
    f = tc.function([x, i], tc.exp(x[i]) + 1)
    xv = np.arange(10, dtype=np.float32)
    n = 1 << 20
    for bad_at in (0, n // 2 + 3, n - 1):  # first chunk (the caller's), a worker's, the last one
        idx = np.zeros(n, np.int64)
        idx[bad_at] = 10
        for count in COUNTS:
            tc.set_num_threads(count)
            with pytest.raises(IndexError):
                f(xv, idx)
    idx = np.random.default_rng(2).integers(-10, 10, n)
    np.testing.assert_allclose(f(xv, idx), np.exp(xv[idx]) + 1, rtol=1e-6)


def test_concurrent_callers(restore_threads):
    tc.set_num_threads(2)
    x = tc.matrix("x", "float32")
    f = tc.function([x], tc.softmax(x * 3, axis=1))
    data = [np.random.default_rng(k).standard_normal((2000, 257)).astype(np.float32) for k in range(4)]
    expected = [f(d) for d in data]
    errors = []

    def work(k):
        try:
            for _ in range(5):
                np.testing.assert_array_equal(f(data[k]), expected[k])
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors


def _run(code, **env):
    full = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    full.pop("TENSORC_PARALLEL_MIN_WORK", None)  # the default thresholds (a suite run may lower them)
    full.update(env)
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=full, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


def test_every_loop_on_the_pool_gives_the_same_results(restore_threads):
    # TENSORC_PARALLEL_MIN_WORK=0: loops of two iterations or more go to the pool (chunks of one row).
    out = _run("""
        import numpy as np, tensorc as tc
        x = tc.matrix("x", "float64"); i = tc.vector("i", "int64")
        f = tc.function([x, i], [tc.softmax(x, axis=1), x[i].sum(axis=1), tc.log_softmax(x.T, axis=0)])
        v = np.random.default_rng(3).standard_normal((37, 11)); idx = np.array([0, 36, 5, 5, -1])
        runs = []
        for n in (1, 2, 3):
            tc.set_num_threads(n); runs.append(f(v, idx))
        same = all(np.array_equal(a, b) for r in runs[1:] for a, b in zip(runs[0], r))
        try:
            f(v, np.array([0, 37])); print("no error")
        except IndexError:
            print(same)
    """, TENSORC_PARALLEL_MIN_WORK="0")
    assert out == "True"


def test_pool_threads_start_for_large_loops_only():
    # Linux: /proc/self/task lists the process's threads. NumPy's OpenBLAS starts its own at import.
    out = _run("""
        import os, numpy as np, tensorc as tc
        tc.set_num_threads(4)
        x = tc.vector("x", "float32"); f = tc.function([x], tc.exp(x) * 2)
        tasks = lambda: len(os.listdir("/proc/self/task"))
        before = tasks()
        f(np.ones(1000, np.float32)); f(np.ones(8, np.float32))
        small = tasks()
        f(np.ones(1 << 22, np.float32))
        print(before, small, tasks())
    """)
    before, small, large = map(int, out.split())
    assert small == before  # W1 at 1K, W6: no thread was woken, none started
    assert large == before + 3  # the caller and 3 workers


def test_environment_variable_sets_the_pool():
    assert _run("""
        from tensorc import _tensorc_rt
        print(_tensorc_rt.num_threads())
    """, TENSORC_NUM_THREADS="3") == "3"


def test_fork_child_gets_a_pool_of_its_own():
    out = _run("""
        import os, numpy as np, tensorc as tc
        tc.set_num_threads(2)
        x = tc.vector("x", "float64"); f = tc.function([x], tc.sin(x) + 1)
        v = np.linspace(0, 1, 1 << 21)
        f(v)  # the parent's workers are running
        pid = os.fork()
        if pid == 0:
            ok = np.allclose(f(v), np.sin(v) + 1)
            os._exit(0 if ok else 3)
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status))
    """)
    assert out == "0"


def test_excluding_parallelize_keeps_loops_on_the_calling_thread():
    x = tc.vector("x", "float32")
    on = tc.function([x], tc.exp(x))
    off = tc.function([x], tc.exp(x), mode=tc.Mode().excluding("parallelize"))
    v = np.linspace(0, 1, 100000, dtype=np.float32)
    np.testing.assert_array_equal(on(v), off(v))
    assert "tensorc_parallel_for" in on.ir("llvm")
    assert "tensorc_parallel_for" not in off.ir("llvm")
