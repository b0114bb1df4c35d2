"""Float matmuls call a real BLAS (tensorc-matmul-to-blas -> Runtime/Blas.cpp -> the OpenBLAS that
NumPy ships): every form NumPy's matmul accepts, against NumPy, with the library and without it."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tensorc as tc
from conftest import requires_native

pytestmark = requires_native

FLOATS = ["float32", "float64"]
RTOL = {"float32": 2e-5, "float64": 1e-12}


def rand(shape, dtype, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def close(got, want, dtype):
    assert got.dtype == want.dtype and got.shape == want.shape
    scale = max(1.0, float(np.abs(want).max())) if want.size else 1.0
    np.testing.assert_allclose(got, want, rtol=RTOL[dtype], atol=RTOL[dtype] * scale)


def test_numpy_openblas_is_found():
    info = tc.blas_info()
    assert info["blas"] and "openblas" in info["path"].lower(), info


@pytest.mark.parametrize("dtype", FLOATS)
def test_every_form_and_layout(dtype):
    a, b = tc.matrix("a", dtype), tc.matrix("b", dtype)
    forms = [tc.function([a, b], e) for e in (a @ b, a.T @ b, a @ b.T, a.T @ b.T)]
    for f in forms:
        assert f"tensorc_gemm_f{dtype[-2:]}(" in f.ir("lowered")
    for m, k, n in [(3, 4, 5), (1, 7, 1), (130, 70, 90), (64, 64, 64), (1, 1, 1), (777, 13, 2)]:
        x, y = rand((m, k), dtype), rand((k, n), dtype, 1)
        xt, yt = np.ascontiguousarray(x.T), np.ascontiguousarray(y.T)
        for f, args in zip(forms, [(x, y), (xt, y), (x, yt), (xt, yt)]):
            close(f(*args), x @ y, dtype)


@pytest.mark.parametrize("dtype", FLOATS)
def test_views_with_any_strides(dtype):
    # Column-major, negative, every-other and broadcast (stride 0) operands; the runtime copies what
    # CBLAS cannot take as it is.
    a, b = tc.matrix("a", dtype), tc.matrix("b", dtype)
    f = tc.function([a, b], a @ b)
    x, y = rand((9, 16), dtype), rand((16, 10), dtype, 1)
    views = [(x, y), (np.asfortranarray(x), np.asfortranarray(y)), (x[::-1], y[:, ::-1]), (x[::2, ::2], y[::2]),
             (np.broadcast_to(x[:1], (9, 16)), np.broadcast_to(y[:, :1], (16, 10)))]
    for u, v in views:
        close(f(u, v), u @ v, dtype)


@pytest.mark.parametrize("dtype", FLOATS)
def test_vectors_batches_and_broadcast_batches(dtype):
    x, w, v = tc.tensor3("x", dtype), tc.matrix("w", dtype), tc.vector("v", dtype)
    t4 = tc.tensor4("t", dtype)
    f = tc.function([x, w, v, t4], [x @ w, w @ x, w @ v, v @ w, x @ v, v @ x, v @ v, tc.swapaxes(x, 1, 2) @ x,
                                    t4 @ x, tc.dot(w, v)])
    X, W, V = rand((4, 6, 6), dtype), rand((6, 6), dtype, 1), rand(6, dtype, 2)
    T = rand((2, 1, 6, 6), dtype, 3)
    want = [X @ W, W @ X, W @ V, V @ W, X @ V, V @ X, V @ V, np.swapaxes(X, 1, 2) @ X, T @ X, np.dot(W, V)]
    for g, w_ in zip(f(X, W, V, T), want):
        close(np.asarray(g), np.asarray(w_), dtype)


@pytest.mark.parametrize("dtype", FLOATS)
def test_empty_and_zero_contraction(dtype):
    a, b = tc.matrix("a", dtype), tc.matrix("b", dtype)
    f = tc.function([a, b], a @ b)
    for m, k, n in [(0, 3, 2), (3, 0, 2), (3, 2, 0), (0, 0, 0)]:
        x, y = np.ones((m, k), dtype), np.ones((k, n), dtype)
        got = f(x, y)
        np.testing.assert_array_equal(got, x @ y)  # k = 0: zeros, never uninitialized memory


@pytest.mark.parametrize("dtype", FLOATS)
def test_special_values_propagate(dtype):
    a, b = tc.matrix("a", dtype), tc.matrix("b", dtype)
    f = tc.function([a, b], a @ b)
    x = np.array([[np.inf, 1.0], [np.nan, 0.0], [1.0, 2.0]], dtype)
    y = np.array([[1.0, 0.0], [2.0, np.inf]], dtype)
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(f(x, y), x @ y)


def test_integer_matmul_stays_in_mlir():
    a, b = tc.matrix("a", "int64"), tc.matrix("b", "int64")
    f = tc.function([a, b], a @ b)
    x = np.arange(12).reshape(3, 4)
    np.testing.assert_array_equal(f(x, x.T), x @ x.T)
    assert "tensorc_gemm" not in f.ir("lowered")


def _run(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})


def test_without_blas_matmuls_compile_to_loops(tmp_path):
    # TENSORC_BLAS=none: the MLIR loops, same results; the cache keeps the two kinds of objects apart.
    code = """
        import numpy as np, tensorc as tc
        a, b = tc.matrix("a", "float64"), tc.tensor3("b", "float64")
        f = tc.function([a, b], [a @ a.T, b @ a])
        x = np.random.default_rng(0).standard_normal((5, 5)); y = np.random.default_rng(1).standard_normal((2, 3, 5))
        got = f(x, y)
        assert np.allclose(got[0], x @ x.T, rtol=1e-12) and np.allclose(got[1], y @ x, rtol=1e-12)
        print(tc.blas_info()["blas"], "tensorc_gemm" in f.ir("lowered"))
    """
    cache = str(tmp_path / "cache")
    without = _run(code, TENSORC_BLAS="none", TENSORC_CACHE_DIR=cache)
    assert without.returncode == 0 and without.stdout.split() == ["None", "False"], without.stderr[-2000:]
    with_blas = _run(code, TENSORC_CACHE_DIR=cache)
    assert with_blas.returncode == 0 and with_blas.stdout.split()[-1] == "True", with_blas.stderr[-2000:]


def test_a_bad_tensorc_blas_is_a_clear_error():
    result = _run("""
        import numpy as np, tensorc as tc
        a = tc.matrix("a")
        try:
            tc.function([a], a @ a)(np.ones((2, 2), np.float32))
        except RuntimeError as e:
            print("RuntimeError:", e)
    """, TENSORC_BLAS="/nonexistent/libblas.so")
    assert "TENSORC_BLAS='/nonexistent/libblas.so' cannot be used" in result.stdout, result.stdout + result.stderr


def test_matmul_with_an_operand_folded_into_its_body():
    # Fusion folds a fill operand into the matmul's body as a constant; such an op is no longer a
    # product of its operands and stays as loops (fuzz seed 595: dot(zeros_like(a), a) read garbage).
    a, m = tc.vector("a", "float64"), tc.matrix("m", "float32")
    f = tc.function([a, m], [tc.dot(tc.zeros_like(a), a), tc.ones_like(m) @ m, m @ tc.full_like(m, 2.0)])
    x, y = np.array([3.0, 1.0, 1.0, 4.0, -2.0, 4.0, -4.0]), rand((3, 3), "float32")
    got = f(x, y)
    assert got[0] == 0.0
    close(got[1], np.ones_like(y) @ y, "float32")
    close(got[2], y @ np.full_like(y, 2.0), "float32")


@pytest.mark.parametrize("dtype", FLOATS + ["int64"])
def test_transposed_operands_are_read_in_place(dtype):
    # tensorc-fuse folds the transposes into the matmul's maps: no transposed copy is made, and BLAS
    # gets the column-major operand as it is (ints: the loops read it by columns).
    a, b, v, t = tc.matrix("a", dtype), tc.matrix("b", dtype), tc.vector("v", dtype), tc.tensor3("t", dtype)
    cases = [
        ([a, b], a.T @ b, lambda x, y: x.T @ y, [(7, 5), (7, 3)]),
        ([a, b], a @ b.T, lambda x, y: x @ y.T, [(4, 6), (5, 6)]),
        ([a, b], a.T @ b.T, lambda x, y: x.T @ y.T, [(6, 4), (5, 6)]),
        ([a, v], a.T @ v, lambda x, y: x.T @ y, [(6, 4), (6,)]),
        ([v, a], v @ a.T, lambda x, y: x @ y.T, [(6,), (3, 6)]),
        ([t, b], tc.transpose(t, (0, 2, 1)) @ b, lambda x, y: x.transpose(0, 2, 1) @ y, [(2, 5, 3), (5, 4)]),
        ([t, b], b.T @ t, lambda x, y: y.T @ x, [(2, 5, 3), (5, 4)]),  # b.T is reshaped to 3-D first
        ([a, b], a.T @ b, lambda x, y: x.T @ y, [(0, 5), (0, 3)]),
        ([a, b], a.T @ b, lambda x, y: x.T @ y, [(1, 1), (1, 3)]),
        ([a, b], a.T @ b, lambda x, y: x.T @ y, [(260, 130), (260, 70)]),  # row-blocked (256 rows)
    ]
    for i, (inputs, out, ref, shapes) in enumerate(cases):
        f = tc.function(inputs, out)
        args = [(rand(s, "float64", j) * 3).astype(dtype) for j, s in enumerate(shapes)]
        flipped = [x[::-1] if x.ndim and x.shape[0] > 1 else x for x in args]  # negative strides
        for xs in (args, flipped):
            want = ref(*xs)
            if dtype == "int64":
                np.testing.assert_array_equal(f(*xs), want)
            else:
                close(f(*xs), want, dtype)
        if i != 6:  # b.T @ t: the transpose feeds the reshape to 3-D, not the matmul
            assert "linalg.transpose" not in f.ir("optimized")
        if dtype != "int64":
            assert f"tensorc_gemm_f{dtype[-2:]}(" in f.ir("lowered")
