"""tc.set_num_threads / tc.get_num_threads / TENSORC_NUM_THREADS (runtime/threads.py): the count governs
the runtime's pool (tests/runtime/test_parallel_loops.py) and the BLAS behind compiled matmuls (NumPy's
OpenBLAS, whose pool NumPy shares)."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from conftest import requires_native

import tensorc as tc

pytestmark = requires_native




def test_default_is_the_usable_cpus(monkeypatch):
    from tensorc.runtime import threads

    monkeypatch.setattr(threads, "_explicit", None)
    monkeypatch.delenv("TENSORC_NUM_THREADS", raising=False)
    assert tc.get_num_threads() == len(os.sched_getaffinity(0))
    monkeypatch.setenv("TENSORC_NUM_THREADS", "3")
    assert tc.get_num_threads() == 3
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("TENSORC_NUM_THREADS", bad)
        with pytest.raises(ValueError, match="TENSORC_NUM_THREADS"):
            tc.get_num_threads()


def test_set_num_threads_sets_the_blas_and_results_do_not_change(restore_threads):
    a, b = tc.matrix("a", "float64"), tc.matrix("b", "float64")
    f = tc.function([a, b], a @ b)
    x = np.random.default_rng(0).standard_normal((300, 200))
    y = np.random.default_rng(1).standard_normal((200, 100))
    results = []
    for n in (1, min(2, len(os.sched_getaffinity(0)))):
        tc.set_num_threads(n)
        assert tc.get_num_threads() == n
        from tensorc import _tensorc_rt

        assert _tensorc_rt.num_threads() == n
        info = tc.blas_info()
        if info["threads"] is not None:  # NumPy's OpenBLAS reports it
            assert info["threads"] == n
        results.append(f(x, y))
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)
    np.testing.assert_allclose(results[0], x @ y, rtol=1e-12)
    for bad, error in ((0, ValueError), (-2, ValueError), (1.5, TypeError), (True, TypeError), ("2", TypeError)):
        with pytest.raises(error, match="set_num_threads"):
            tc.set_num_threads(bad)


def test_environment_variable_reaches_the_blas():
    code = textwrap.dedent("""
        import json, numpy as np, tensorc as tc
        a = tc.matrix("a", "float64"); f = tc.function([a], a @ a); f(np.ones((4, 4)))
        print(json.dumps(tc.blas_info()["threads"]))
    """)
    env = dict(os.environ, TENSORC_NUM_THREADS="1", PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] in ("1", "null")
