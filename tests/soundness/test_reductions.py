"""Reductions, the softmax family and reshape, checked where they used to go wrong.

- Empty and size-1 shapes: the runtime compiles one specialization per pattern of size-1 input dims
  (they become static 1 in the IR), after which slices such as x[1:] are statically empty. Reductions
  over such slices used to abort the process in linalg tiling; the risky cases also run in a
  subprocess here, so that a regression fails one test instead of killing the test worker.
- Accurate sums: float32 sums accumulate in float64; float64 sums (and the float32 sums of exp in the
  softmax family) are blocked with a pairwise tree over the blocks (cpp/lib/Conversion/TensorcToLinalg/Reductions.cpp
  and FuseRows.cpp). Errors are compared with NumPy's against math.fsum.
- Special values of softmax, log_softmax, logsumexp and the fused cross-entropy, against scipy.special.
- reshape: -1 with other sizes whose product is 0, several -1, negative sizes, size mismatches.

Compiling costs 0.1-0.3 s, so one compiled function serves many inputs wherever it can.
"""
import math
import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest
import scipy.special as sps
from conftest import FLOATS, assert_close, requires_native

import tensorc as tc

pytestmark = requires_native


def run_isolated(body: str, timeout=180):
    """Runs `body` (with np and tc imported) in a fresh interpreter; returns (returncode, stdout, stderr).
    A negative return code is a signal: -6 is an abort, e.g. an MLIR assertion."""
    build = os.path.dirname(os.path.dirname(os.path.abspath(tc.__file__)))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([build] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    code = "import warnings\nimport numpy as np\nimport tensorc as tc\nwarnings.simplefilter('ignore')\n" + \
        textwrap.dedent(body)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env)
    return p.returncode, p.stdout, p.stderr


def reference(fn, *args):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*args)


# ---- empty and size-1 shapes: never abort --------------------------------------------------------

ISOLATED = {
    # The reported reproducer: every slice is empty once the 1x1x1x1 input is specialized.
    "std_of_statically_empty_slice": """
        x = tc.tensor("float64", 4, "x")
        f = tc.function([x], tc.std(x[-3:2:-1, 5::2, 3::2], axis=3))
        r = f(np.ones((1, 1, 1, 1)))
        assert r.shape == (0, 0, 0) and r.dtype == np.float64, (r.shape, r.dtype)
        """,
    # A reduction with a row-parallel consumer of every kind, over a static 0 dim and a static 0 axis.
    "consumers_of_reductions_over_static_empty": """
        x = tc.matrix("x", "float32")
        e = x[1:]                      # (0, n) for a 1 x n input
        c = x[:, 1:]                   # (m, 0) for an m x 1 input
        outs = [tc.mean(e, axis=1), tc.var(c, axis=1), tc.any(e > 0, axis=1), tc.softmax(e, axis=1),
                tc.log_softmax(c, axis=1), tc.logsumexp(c, axis=1),
                (e - e.mean(1, keepdims=True)) / tc.sqrt(e.var(1, keepdims=True) + 1e-5)]
        f = tc.function([x], outs)
        for shape in [(1, 5), (3, 1), (1, 1)]:
            got = f(np.ones(shape, np.float32))
            assert [g.shape for g in got[:3]] == [(max(shape[0] - 1, 0),), (shape[0],), (max(shape[0] - 1, 0),)]
        print("ok")
        """,
    # Upstream tiling must never see a tile size of 0 (it is "do not tile" there).
    "fuse_rows_rejects_zero_rows": """
        import subprocess
        from tensorc.tools import tensorc_opt_path
        src = "func.func @f(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {\\n" \\
              "  %0 = tensorc.softmax %x axis = 1 : tensor<?x?xf32> -> tensor<?x?xf32>\\n" \\
              "  return %0 : tensor<?x?xf32>\\n}\\n"
        for rows in (0, -3):
            p = subprocess.run([tensorc_opt_path(), "-", "-tensorc-lower-to-linalg",
                                f"-tensorc-fuse-rows=rows={rows}"], input=src, capture_output=True, text=True)
            assert p.returncode == 1 and "rows must be at least 1" in p.stderr, (p.returncode, p.stderr)
        """,
}


@pytest.mark.parametrize("name", sorted(ISOLATED))
def test_risky_cases_in_a_subprocess(name):
    rc, out, err = run_isolated(ISOLATED[name])
    assert rc == 0, f"exit status {rc} (negative: killed by signal {-rc})\n{err[-3000:]}"


# Slices of a rank-4 input. With inputs of size 1 in several dims they are statically empty: rev_empty
# on 1x1x1x1 (and 1x3x1x4), drop1 wherever dim 2 is 1; head0 always (its last dim is 0).
SLICES = {
    "rev_empty": np.s_[-3:2:-1, 5::2, 3::2],
    "drop1": np.s_[:, :, 1:, :],
    "head0": np.s_[..., :0],
}
SHAPES = [(1, 1, 1, 1), (1, 3, 1, 4), (4, 1, 1, 5)]
# (slice, axis): over the empty axis, over a non-empty axis with other dims empty, over several axes.
REDUCED = [("rev_empty", 3), ("rev_empty", None), ("drop1", 2), ("drop1", 3), ("head0", -1), ("head0", (0, 2))]
ROWWISE = [("rev_empty", -1), ("drop1", 2), ("drop1", -1), ("head0", -1), ("head0", 0)]
GROUPS = {  # one compiled function per group and dtype
    "sum_mean_prod": [(op, sl, a) for op in ("sum", "mean", "prod") for sl, a in REDUCED],
    "var_std": [(op, sl, a) for op in ("var", "std") for sl, a in REDUCED],
    "any_all_logsumexp": [(op, sl, a) for op in ("any", "all", "logsumexp") for sl, a in REDUCED],
    "softmax_family": [(op, sl, a) for op in ("softmax", "log_softmax", "layernorm") for sl, a in ROWWISE],
}


def _layernorm(lib, v, axis):
    m = lib.mean(v, axis=axis, keepdims=True)
    d = v - m
    return d / lib.sqrt(lib.mean(d * d, axis=axis, keepdims=True) + 1e-5)


def _softmax_ref(name, v, axis):
    # softmax/log_softmax over an empty axis give an empty result (scipy raises there: np.amax of an
    # empty axis); see cpp/lib/Conversion/TensorcToLinalg/Reductions.cpp.
    if v.size == 0:
        return np.empty_like(v)
    return getattr(sps, name)(v, axis=axis)


def _build(op, v, axis, lib):
    if op in ("any", "all"):
        return getattr(lib, op)(v > 0.5, axis=axis)
    if op == "logsumexp":
        if lib is tc:
            return tc.logsumexp(v, axis=axis)
        # scipy: -inf over an empty axis; log(sum(exp)) has that and the shape where scipy 1.17 fails
        return sps.logsumexp(v, axis=axis) if v.size else np.log(np.sum(np.exp(v), axis=axis))
    if op in ("softmax", "log_softmax"):
        return getattr(tc, op)(v, axis=axis) if lib is tc else _softmax_ref(op, v, axis)
    if op == "layernorm":
        return _layernorm(lib, v, axis)
    return getattr(lib, op)(v, axis=axis)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("group", sorted(GROUPS))
def test_reductions_over_empty_and_size1_slices(group, dtype, cache):
    cases = GROUPS[group]
    x = tc.tensor(dtype, 4, "x")
    f = cache.get(("slices", group, dtype), lambda: tc.function(
        [x], [_build(op, x[SLICES[sl]], axis, tc) for op, sl, axis in cases]))
    for shape in SHAPES:
        data = np.random.default_rng(sum(shape)).random(shape).astype(dtype)
        for got, (op, sl, axis) in zip(f(data), cases):
            want = np.asarray(reference(_build, op, data[SLICES[sl]], axis, np))
            if want.dtype.kind == "f":
                want = want.astype(dtype)
            try:
                assert_close(got, want, loose=op in ("var", "std", "prod", "logsumexp", "softmax",
                                                     "log_softmax", "layernorm"))
            except AssertionError as e:
                raise AssertionError(f"{op} of x[{sl}] axis={axis}, input {shape}: {e}") from None


RAISING = ["max", "min", "argmax", "argmin"]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("op", RAISING)
def test_empty_max_min_argmax_argmin_raise_like_numpy(op, dtype, cache):
    """NumPy raises ValueError for these over an empty axis, whatever the other sizes; so does tensorc,
    statically empty (x[:, :, 1:] with a size-1 dim 2) or empty at run time (a 0 in the input)."""
    x = tc.tensor(dtype, 4, "x")
    f = cache.get(("raising", op, dtype), lambda: tc.function(
        [x], [getattr(tc, op)(x[:, :, 1:, :], axis=2), getattr(tc, op)(x[..., :2], axis=-1)]))
    for shape in [(1, 3, 1, 4), (2, 1, 1, 1), (3, 2, 5, 0), (3, 0, 5, 3), (3, 2, 5, 3), (1, 1, 4, 1)]:
        data = np.random.default_rng(3).random(shape).astype(dtype)
        wants = []
        for sl, axis in [(np.s_[:, :, 1:, :], 2), (np.s_[..., :2], -1)]:
            try:
                wants.append(getattr(np, op)(data[sl], axis=axis))
            except ValueError:
                wants.append(ValueError)
        if any(w is ValueError for w in wants):
            with pytest.raises(ValueError):
                f(data)
        else:
            for got, want in zip(f(data), wants):
                assert_close(got, want)


# ---- accurate sums -------------------------------------------------------------------------------

def _ulp(value, dtype):
    return float(np.spacing(np.array(abs(value), dtype=dtype)))


def test_float32_sum_of_2_to_31_ones():
    """The reported case: a float32 sum of 2**31 elements came out as 2**29 (each vector lane of a
    sequential sum stops growing at 2**24; this fused form gave 2**30, and a mean of 0.5); NumPy's
    pairwise sum gets 2**31. tc.ones is fused into the sum, so no 8 GB array is made."""
    n = tc.scalar("n", "int64")
    f = tc.function([n], [tc.sum(tc.ones((n,), dtype="float32")), tc.mean(tc.ones((n,), dtype="float32")),
                          tc.sum(tc.full((n,), 0.1, dtype="float32")), tc.sum(tc.ones((n,), dtype="float64"))])
    total, mean, tenth, total64 = f(np.int64(2 ** 31))
    assert total == np.float32(2 ** 31) and total.dtype == np.float32
    assert mean == np.float32(1.0)
    exact = 2 ** 31 * float(np.float32(0.1))
    assert abs(float(tenth) - exact) <= 0.5 * _ulp(exact, np.float32)
    assert total64 == 2.0 ** 31


@pytest.fixture(scope="module")
def sums(cache):
    def build(dtype):
        x = tc.vector("x", dtype)
        return tc.function([x], [tc.sum(x), tc.mean(x)])
    return lambda dtype: cache.get(("sums", dtype), lambda: build(dtype))


def _errors(f, v):
    exact = math.fsum(v.astype(np.float64).tolist())
    got = float(f(v)[0])
    return abs(got - exact), abs(float(np.sum(v)) - exact), exact


def test_float32_sum_of_many_ones(sums):
    n = 2 ** 26
    v = np.ones(n, np.float32)
    total, mean = sums(np.float32)(v)
    assert total == np.sum(v) == n and mean == 1.0


@pytest.mark.parametrize("kind", ["uniform", "normal", "lognormal"])
def test_float32_large_sum_at_least_as_accurate_as_numpy(kind, sums):
    rng = np.random.default_rng(11)
    n = 2 ** 24 + 7
    v = {"uniform": lambda: rng.random(n, dtype=np.float32),
         "normal": lambda: rng.standard_normal(n, dtype=np.float32),
         "lognormal": lambda: np.exp(2 * rng.standard_normal(n, dtype=np.float32))}[kind]()
    err, err_np, exact = _errors(sums(np.float32), v)
    # float64 accumulation: the correctly rounded sum, up to float64 rounding at a midpoint
    assert err <= max(err_np, 0.5001 * _ulp(exact, np.float32)), (err, err_np)


@pytest.mark.parametrize("case", ["big_then_ones", "alternating", "tiny_after_huge"])
def test_float32_ill_conditioned_sums(case, sums):
    """A float32 loop loses every 1.0 added to 1e8 (its ulp is 8); NumPy's pairwise sum loses those of
    the first block only; tensorc must do at least as well."""
    n = 2 ** 20
    if case == "big_then_ones":
        v = np.concatenate([[1e8], np.ones(n)]).astype(np.float32)
    elif case == "alternating":
        v = np.tile(np.array([1e8, 1.0, -1e8, 1.0], np.float32), n // 4)
    else:
        v = np.concatenate([[3e38], np.full(n, 1e30), [-3e38]]).astype(np.float32)
    err, err_np, exact = _errors(sums(np.float32), v)
    assert err <= err_np and err <= 0.5001 * _ulp(exact, np.float32), (err, err_np, exact)


def test_float64_sum_error_does_not_grow_linearly(sums):
    """[1.0] + [2**-53] * n in float64: each 2**-53 added to a running sum near 1 is lost, so a
    sequential sum (per vector lane) loses n / lanes of them, and the error grows with n. Blocked sums
    lose at most those of one block's lane: the error stays bounded as n grows 16-fold."""
    f = sums(np.float64)
    errs = []
    for n in (2 ** 18, 2 ** 22):
        v = np.concatenate([[1.0], np.full(n, 2.0 ** -53)])
        err, err_np, exact = _errors(f, v)
        errs.append(err)
        assert err <= 64 * 2.0 ** -53, (n, err / 2.0 ** -53)  # a sequential sum: n/32 * 2**-53
    assert errs[1] <= 2 * errs[0] + 2.0 ** -52


@pytest.mark.parametrize("kind", ["uniform", "normal"])
def test_float64_large_sum_close_to_numpy(kind, sums):
    """Blocks of 1024 plus a pairwise tree: errors like NumPy's pairwise sums, a few units of
    eps * sum(|x|) at most."""
    rng = np.random.default_rng(5)
    n = 2 ** 23 + 3
    v = rng.random(n) if kind == "uniform" else rng.standard_normal(n)
    err, err_np, exact = _errors(sums(np.float64), v)
    scale = np.finfo(np.float64).eps * float(np.abs(v).sum())
    assert err <= 4 * scale, (err / scale, err_np / scale)
    mean = float(sums(np.float64)(v)[1])
    assert abs(mean - exact / n) <= 4 * scale / n + 1e-300


@pytest.mark.parametrize("dtype", FLOATS)
def test_sums_over_non_last_and_several_axes(dtype, cache):
    x = tc.tensor3("x", dtype)
    axes = [0, 1, 2, (0, 2), (1, 2), (0, 1), None]
    f = cache.get(("axes", dtype), lambda: tc.function([x], [tc.sum(x, axis=a) for a in axes] +
                                                        [tc.mean(x, axis=a) for a in axes]))
    rng = np.random.default_rng(8)
    data = (rng.random((40, 200, 130)) + 10).astype(dtype)  # positive: the sums have no cancellation
    exact = data.astype(np.longdouble)
    eps = np.finfo(dtype).eps
    results = f(data)
    for got, a in zip(results[:len(axes)], axes):
        want = np.sum(exact, axis=a)
        err = np.max(np.abs(got.astype(np.longdouble) - want) / want)
        err_np = np.max(np.abs(np.sum(data, axis=a).astype(np.longdouble) - want) / want)
        if dtype == np.float32:  # correctly rounded: at most half an ulp
            assert err <= max(err_np, 0.51 * eps), (a, err / eps, err_np / eps)
        else:
            assert err <= max(4 * err_np, 4 * eps), (a, err / eps, err_np / eps)
    for got, a in zip(results[len(axes):], axes):
        want = np.mean(exact, axis=a)
        err = np.max(np.abs(got.astype(np.longdouble) - want) / want)
        err_np = np.max(np.abs(np.mean(data, axis=a).astype(np.longdouble) - want) / want)
        if dtype == np.float32:
            assert err <= max(err_np, 0.51 * eps), (a, err / eps, err_np / eps)
        else:
            assert err <= max(4 * err_np, 4 * eps), (a, err / eps, err_np / eps)


def test_float32_var_std_with_large_offset(cache):
    """var and std are means: float64 accumulation for float32, as accurate as NumPy's or better."""
    x = tc.vector("x", "float32")
    f = cache.get("varstd", lambda: tc.function([x], [tc.var(x), tc.std(x), tc.mean(x)]))
    v = (1e4 + np.random.default_rng(2).standard_normal(2 ** 22)).astype(np.float32)
    exact = v.astype(np.float64)
    want = [exact.var(), exact.std(), exact.mean()]
    mine = f(v)
    numpy32 = [v.var(), v.std(), v.mean()]
    for got, w, n32 in zip(mine, want, numpy32):
        assert abs(float(got) - w) <= max(abs(float(n32) - w), 0.51 * _ulp(w, np.float32)), (got, w, n32)


@pytest.mark.parametrize("dtype", FLOATS)
def test_long_rows_of_the_softmax_family(dtype, cache):
    """Rows far longer than a block: the sums of exp are blocked (float64 partials)."""
    x = tc.matrix("x", dtype)
    f = cache.get(("longrows", dtype), lambda: tc.function(
        [x], [tc.logsumexp(x, axis=1), tc.softmax(x, axis=1), tc.log_softmax(x, axis=0), tc.logsumexp(x)]))
    data = np.random.default_rng(4).standard_normal((3, 3 * 2 ** 18 + 5)).astype(dtype)
    d64 = data.astype(np.float64)
    lse, sm, lsm0, lse_all = f(data)
    tol = 1e-6 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(lse, sps.logsumexp(d64, axis=1), rtol=tol)
    np.testing.assert_allclose(sm.astype(np.float64).sum(axis=1), 1.0, rtol=20 * tol)
    np.testing.assert_allclose(lsm0, sps.log_softmax(d64, axis=0), rtol=10 * tol, atol=10 * tol)
    np.testing.assert_allclose(lse_all, sps.logsumexp(d64), rtol=tol)


def test_float64_sums_blocked_without_fusion_too():
    """Accuracy does not depend on the mode: FAST_COMPILE (no fusion) still blocks float sums."""
    x = tc.vector("x", "float64")
    f = tc.function([x], tc.sum(x), mode="FAST_COMPILE")
    v = np.concatenate([[1.0], np.full(2 ** 20, 2.0 ** -53)])
    assert abs(float(f(v)) - math.fsum(v)) <= 64 * 2.0 ** -53


# ---- special values of the softmax family ------------------------------------------------------------

inf, nan = np.inf, np.nan
SPECIAL_ROWS = [
    [inf, 1, 2], [-inf, 1, 2], [-inf, -inf, -inf], [nan, 1, 2], [inf, inf, 1], [inf, -inf, 1],
    [-inf, -inf, inf], [1, nan, inf], [3e38, 3e38, -3e38], [-3e38, 3e38, 0], [1e4, 0, -1e4], [1, 2, 3],
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("op", ["softmax", "log_softmax", "logsumexp"])
def test_softmax_family_special_values_match_scipy(op, dtype):
    """softmax: a row with +inf, a row of -inf only or a NaN is all NaN (scipy subtracts the plain max);
    log_softmax and logsumexp replace a non-finite max by 0, as scipy does. Every axis form."""
    x = tc.matrix("x", dtype)
    forms = [(op, -1), (op, 0), (op, None)] + ([(op, (0, 1))] if op == "logsumexp" else [])
    f = tc.function([x], [getattr(tc, o)(x, axis=axis) for o, axis in forms])
    for rows in [SPECIAL_ROWS, [r[::-1] for r in SPECIAL_ROWS], [SPECIAL_ROWS[0]], [SPECIAL_ROWS[2]]]:
        data = np.array(rows, dtype=dtype)
        for got, (op, axis) in zip(f(data), forms):
            want = reference(getattr(sps, op), data, axis)
            assert_close(got, np.asarray(want, dtype=dtype), loose=True)


def test_softmax_family_of_empty_rows(cache):
    """An empty row: softmax and log_softmax give an empty result (scipy raises, from np.amax of an
    empty axis; tensorc rewrites x - logsumexp(x), NumPy's empty result, into log_softmax);
    logsumexp gives -inf, as scipy does."""
    x = tc.matrix("x", "float64")
    f = cache.get("empty_rows", lambda: tc.function(
        [x], [tc.softmax(x, axis=1), tc.log_softmax(x, axis=1), tc.logsumexp(x, axis=1), tc.logsumexp(x),
              x - tc.logsumexp(x, axis=1, keepdims=True), tc.softmax(x, axis=0)]))
    for shape in [(3, 0), (0, 4), (0, 0)]:
        data = np.zeros(shape)
        sm, lsm, lse, lse_all, sub, sm0 = f(data)
        assert sm.shape == lsm.shape == sub.shape == sm0.shape == shape
        assert_close(lse, sps.logsumexp(data, axis=1))
        assert lse_all == -np.inf


@pytest.mark.parametrize("dtype", FLOATS)
def test_softmax_cross_entropy_special_values(dtype):
    """The fused op (from -log_softmax(x)[arange(n), y]) has scipy's values of -log_softmax(x)[y]
    (computed as (max - x[y]) + log(sum), exact where logsumexp(x) - x[y] cancels); rows where the
    float64 reference overflows the dtype are left out."""
    x = tc.matrix("x", dtype)
    y = tc.vector("y", "int64")
    f = tc.function([x, y], -tc.log_softmax(x, axis=1)[tc.arange(y.shape[0]), y])
    assert "tensorc.softmax_cross_entropy" in f.ir("graph")
    data = np.array(SPECIAL_ROWS, dtype=dtype)
    for label in range(3):
        labels = np.full(len(SPECIAL_ROWS), label, dtype=np.int64)
        got = f(data, labels)
        d64 = data.astype(np.float64)
        want = reference(lambda: -sps.log_softmax(d64, axis=1)[np.arange(len(labels)), labels])
        keep = ~(np.isfinite(want) & (np.abs(want) > np.finfo(dtype).max))
        assert_close(got[keep], want[keep].astype(dtype), loose=True)


# ---- reshape -------------------------------------------------------------------------------------

def test_reshape_errors_at_trace_time():
    x = tc.vector("x", "float64")
    for shape in [(-1, 0), (0, -1), (3, 0, -1), (-1, 0, 5)]:  # -1 is ambiguous: NumPy raises
        with pytest.raises(ValueError, match="ambiguous"):
            tc.reshape(x, shape)
    with pytest.raises(ValueError, match="only specify one unknown"):
        tc.reshape(x, (-1, -1))
    with pytest.raises(ValueError, match="negative"):
        tc.reshape(x, (-2, 3))  # NumPy 2.4 reads any negative size as unknown; tensorc only -1
    c = tc.constant(np.zeros(6))
    with pytest.raises(ValueError, match="cannot reshape"):
        tc.reshape(c, (4, -1))
    with pytest.raises(ValueError, match="cannot reshape"):
        tc.reshape(tc.constant(np.zeros(0)), (-1, 0))


def test_reshape_errors_at_run_time(cache):
    x = tc.vector("x", "float64")
    m = tc.matrix("m", "float64")
    f = cache.get("reshape_rt", lambda: tc.function(
        [x, m], [tc.reshape(x, (-1, m.shape[1])), tc.reshape(x, (m.shape[0], m.shape[1]))]))
    for xs, ms in [((0,), (2, 0)), ((6,), (2, 0)), ((6,), (4, 4))]:
        with pytest.raises(ValueError, match="cannot reshape"):
            f(np.zeros(xs), np.zeros(ms))
    a, b = f(np.arange(6.0), np.zeros((2, 3)))
    assert_close(a, np.arange(6.0).reshape(-1, 3))
    assert_close(b, np.arange(6.0).reshape(2, 3))


def test_zero_size_reshapes_numpy_allows(cache):
    m = tc.matrix("m", "float64")
    shapes = [(-1,), (0, 5), (5, 0, 7), (3, 0), (0,), (2, -1), (0, 7, 1)]
    f = cache.get("reshape0", lambda: tc.function([m], [tc.reshape(m, s) for s in shapes]))
    data = np.zeros((2, 0))
    for got, s in zip(f(data), shapes):
        assert_close(got, data.reshape(s))
    with pytest.raises(ValueError, match="cannot reshape"):
        f(np.zeros((2, 3)))  # (0, 5) of 6 elements
