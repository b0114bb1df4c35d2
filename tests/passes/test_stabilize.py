"""tensorc-stabilize, by the numbers, through the public API.

For each rewrite a naive expression is written by hand with tc ops and evaluated where the naive float
arithmetic overflows, underflows or cancels. The default mode (FAST_RUN, stabilize on) must match a
float64 reference computed stably by hand; the same function compiled with stabilize excluded must get
those inputs wrong (inf, nan, 0, or a cancellation error), which proves that the test exercises the
rewrite; on benign inputs both modes agree. The graph IR must contain the stable op.
"""
import numpy as np
import pytest
from conftest import FLOATS, requires_native

import tensorc as tc

pytestmark = requires_native

RTOL = {np.float32: 1e-5, np.float64: 1e-6}
LN2 = np.log(2.0)

FLOATS_F64_LOG1P = [np.float32, np.float64]


@pytest.fixture(autouse=True, scope="module")
def _no_disk_cache():
    """These tests are about what the passes produce: a kernel cached on disk by an earlier build of the
    passes (the cache key does not include the native library) must not stand in for a fresh compile."""
    mp = pytest.MonkeyPatch()
    mp.setenv("TENSORC_CACHE_DISABLE", "1")
    yield
    mp.undo()


def function(inputs, outputs, mode=None):
    return tc.function(inputs, outputs, mode=mode)


def no_stabilize():
    return tc.Mode().excluding("stabilize")


def both(inputs, outputs):
    """(optimized, unoptimized) functions of one graph."""
    return function(inputs, outputs), function(inputs, outputs, mode=no_stabilize())


def close(got, want, dtype):
    """Within rtol of the float64 reference; values below the dtype's smallest normal count as equal."""
    got = np.asarray(got)
    assert got.dtype == np.dtype(dtype), f"dtype {got.dtype}, expected {np.dtype(dtype)}"
    np.testing.assert_allclose(got.astype(np.float64), want, rtol=RTOL[dtype], atol=np.finfo(dtype).tiny)


def wrong(got, want, dtype):
    """The naive evaluation is off: inf/nan where the answer is finite, or beyond the tolerance."""
    got = np.asarray(got, dtype=np.float64)
    bad = ~np.isclose(got, want, rtol=RTOL[dtype], atol=np.finfo(dtype).tiny)
    return bool(bad.any())


def check(inputs, outputs, hard, benign, reference, dtype, stable_op, naive_op=None):
    """The whole protocol for one rewrite: `hard` and `benign` are tuples of arguments, `reference`
    computes the float64 answer from them. `stable_op` must be in the optimized graph and not in the
    unoptimized one; `naive_op` (if given) must have left the optimized graph."""
    opt, naive = both(inputs, outputs)
    want = reference(*[np.asarray(a, np.float64) if np.asarray(a).dtype.kind == "f" else a for a in hard])
    close(opt(*hard), want, dtype)
    assert wrong(naive(*hard), want, dtype), "the unoptimized function is right too: the test proves nothing"
    want_b = reference(*[np.asarray(a, np.float64) if np.asarray(a).dtype.kind == "f" else a for a in benign])
    close(opt(*benign), want_b, dtype)
    close(naive(*benign), want_b, dtype)
    graph = opt.ir("graph")
    assert stable_op in graph, graph
    assert stable_op not in naive.ir("graph")
    if naive_op is not None:
        assert naive_op not in graph, graph
    return opt, naive


# ---- stable float64 references, by hand ---------------------------------------------------------

def ref_logsumexp(x, axis, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    r = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
    return r if keepdims else np.squeeze(r, axis=axis)


def ref_log_softmax(x, axis):
    m = np.max(x, axis=axis, keepdims=True)
    s = x - m
    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


def ref_softplus(x):
    # log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|))
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def ref_sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def ref_log1mexp(x):
    # Maechler: log(-expm1(x)) for -ln2 < x <= 0, log1p(-exp(x)) below
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x > -LN2, np.log(-np.expm1(x)), np.log1p(-np.exp(x)))


def randn(shape, dtype, scale=1.0, seed=0):
    return (np.random.default_rng(seed).standard_normal(shape) * scale).astype(dtype)


# ---- log-softmax ----------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
def test_log_of_softmax(dtype):
    x = tc.matrix("x", dtype)
    hard = (randn((8, 10), dtype, 1000),)  # softmax underflows to 0: log gives -inf
    benign = (randn((8, 10), dtype),)
    check([x], tc.log(tc.softmax(x, axis=1)), hard, benign, lambda a: ref_log_softmax(a, 1), dtype,
          "tensorc.log_softmax", naive_op="tensorc.softmax")


@pytest.mark.parametrize("dtype", FLOATS)
def test_log_of_softmax_through_movement(dtype):
    """log(softmax(x)) seen through transpose, slicing and advanced indexing."""
    x = tc.matrix("x", dtype)
    y = tc.vector("y", "int64")
    sm = tc.softmax(x, axis=1)
    outs = [tc.log(tc.transpose(sm)), tc.log(sm[1:7:2, ::-1]), tc.log(sm[tc.arange(y.shape[0]), y])]

    def ref(a, labels):
        ls = ref_log_softmax(a, 1)
        return [ls.T, ls[1:7:2, ::-1], ls[np.arange(len(labels)), labels]]

    opt, naive = both([x, y], outs)
    labels = np.random.default_rng(1).integers(0, 10, 8)
    for data, hard in [(randn((8, 10), dtype, 1000), True), (randn((8, 10), dtype), False)]:
        want = ref(data.astype(np.float64), labels)
        got_opt, got_naive = opt(data, labels), naive(data, labels)
        for o, n, w in zip(got_opt, got_naive, want):
            close(o, w, dtype)
            if hard:
                assert wrong(n, w, dtype)
            else:
                close(n, w, dtype)
    graph = opt.ir("graph")
    assert "tensorc.log_softmax" in graph and "tensorc.softmax " not in graph, graph


# ---- softmax cross-entropy (W2) -------------------------------------------------------------------

def ref_cross_entropy(x, labels):
    return ref_logsumexp(x, 1) - x[np.arange(len(labels)), labels]


@pytest.mark.parametrize("dtype", FLOATS)
def test_cross_entropy_mean(dtype):
    """The W2 loss as DESIGN.md writes it: -mean(log(softmax(x))[arange(len(y)), y])."""
    x = tc.matrix("x", dtype)
    y = tc.vector("y", "int64")
    loss = -tc.mean(tc.log(tc.softmax(x, axis=1))[tc.arange(y.shape[0]), y])
    rng = np.random.default_rng(2)
    labels = rng.integers(0, 10, 64)
    hard = (randn((64, 10), dtype, 1000, seed=3), labels)
    benign = (randn((64, 10), dtype, seed=4), labels)
    opt, naive = check([x, y], loss, hard, benign, lambda a, l: np.mean(ref_cross_entropy(a, l)), dtype,
                       "tensorc.softmax_cross_entropy", naive_op="tensorc.log")
    assert np.isinf(naive(*hard))  # log(0) = -inf, negated
    assert np.isfinite(opt(*hard))
    # A batch of one: the runtime specializes size-1 dimensions, so arange's length is a constant 1.
    one = (hard[0][:1], labels[:1])
    close(opt(*one), np.mean(ref_cross_entropy(one[0].astype(np.float64), one[1])), dtype)
    assert "tensorc.softmax_cross_entropy" in opt.ir("graph") and "tensor<1xi64>" in opt.ir("graph")


@pytest.mark.parametrize("labels_dtype", ["int32", "int64"])
def test_cross_entropy_rows_and_sum(labels_dtype):
    """n from x.shape[0], int32 labels (cast by the frontend), per-row losses and their sum; negative
    labels count from the end as in NumPy."""
    dtype = np.float32
    x = tc.matrix("x", dtype)
    y = tc.vector("y", labels_dtype)
    ls = tc.log(tc.softmax(x, axis=1))
    per_row = -ls[tc.arange(x.shape[0]), y]
    total = -tc.sum(ls[tc.arange(y.shape[0]), y])
    opt, naive = both([x, y], [per_row, total])
    labels = np.random.default_rng(5).integers(-10, 10, 32).astype(labels_dtype)
    for scale, hard in [(1000, True), (1, False)]:
        data = randn((32, 10), dtype, scale, seed=6)
        want = ref_cross_entropy(data.astype(np.float64), labels)
        (r_opt, t_opt), (r_naive, t_naive) = opt(data, labels), naive(data, labels)
        close(r_opt, want, dtype)
        close(t_opt, np.sum(want), dtype)
        if hard:
            assert np.isinf(r_naive).any() and np.isinf(t_naive)
        else:
            close(r_naive, want, dtype)
            close(t_naive, np.sum(want), dtype)
    graph = opt.ir("graph")
    # Both losses become softmax_cross_entropy(x, y), which tensorc-merge then keeps once.
    assert "tensorc.softmax_cross_entropy" in graph and "tensorc.gather" not in graph, graph


# ---- x - logsumexp(x) -----------------------------------------------------------------------------

@pytest.mark.parametrize("keepdims", [True, False])
def test_sub_logsumexp(keepdims):
    """x - logsumexp(x) cancels when |x| is large (x and lse agree in their leading digits); log_softmax
    subtracts the max first, exactly. keepdims=False goes through expand_dims."""
    dtype = np.float32
    x = tc.matrix("x", dtype)
    lse = tc.logsumexp(x, axis=1, keepdims=keepdims)
    out = x - (lse if keepdims else tc.expand_dims(lse, 1))
    hard = (1e6 + randn((6, 5), dtype, seed=7).astype(np.float64).astype(dtype),)
    benign = (randn((6, 5), dtype, seed=8),)
    check([x], out, hard, benign, lambda a: ref_log_softmax(a, 1), dtype, "tensorc.log_softmax",
          naive_op="tensorc.logsumexp")


@pytest.mark.parametrize("keepdims", [True, False])
def test_sub_logsumexp_rewrites(keepdims):
    """The part of test_sub_logsumexp that does not depend on log_softmax's lowering: the rewrite fires
    and both modes agree with the reference on benign inputs."""
    dtype = np.float64
    x = tc.matrix("x", dtype)
    lse = tc.logsumexp(x, axis=1, keepdims=keepdims)
    opt, naive = both([x], x - (lse if keepdims else tc.expand_dims(lse, 1)))
    data = randn((6, 5), dtype, seed=8)
    close(opt(data), ref_log_softmax(data, 1), dtype)
    close(naive(data), ref_log_softmax(data, 1), dtype)
    graph = opt.ir("graph")
    assert "tensorc.log_softmax" in graph and "tensorc.logsumexp" not in graph, graph
    assert "tensorc.logsumexp" in naive.ir("graph")


# ---- log(sum(exp(x))) ---------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
def test_logsumexp(dtype):
    x = tc.matrix("x", dtype)
    outs = [tc.log(tc.sum(tc.exp(x), axis=1)), tc.log(tc.sum(tc.exp(x), axis=0, keepdims=True))]
    opt, naive = both([x], outs)
    big = 800 if dtype == np.float64 else 100  # exp overflows to inf, or underflows to 0 (log(0) = -inf)
    for data, hard in [(randn((5, 7), dtype, seed=9) + big, True), (randn((5, 7), dtype, seed=9) - 2 * big, True),
                       (randn((5, 7), dtype, seed=10), False)]:
        wants = [ref_logsumexp(data.astype(np.float64), 1), ref_logsumexp(data.astype(np.float64), 0, True)]
        for o, n, w in zip(opt(data), naive(data), wants):
            close(o, w, dtype)
            if hard:
                assert np.isinf(n).all()
            else:
                close(n, w, dtype)
    assert "tensorc.logsumexp" in opt.ir("graph") and "tensorc.exp" not in opt.ir("graph")


# ---- exp(log_softmax(x)) --------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
def test_exp_log_softmax(dtype):
    """Stable as written, and not rewritten into softmax, whose special values differ: on a row with
    +inf, exp(log_softmax) is 0 beside the nan (SciPy's log_softmax is -inf there) where softmax is nan
    for the whole row (fuzz seed 14206)."""
    x = tc.matrix("x", dtype)
    opt, naive = both([x], tc.exp(tc.log_softmax(x, axis=0)))
    special = np.array([[np.inf, 1.0], [1.0, 2.0], [2.0, -np.inf]], dtype)
    for data in [randn((6, 4), dtype, 1000), randn((6, 4), dtype)]:
        want = np.exp(ref_log_softmax(data.astype(np.float64), 0))
        close(opt(data), want, dtype)
        close(naive(data), want, dtype)
    e = np.exp([1.0, 2.0])
    want = np.array([[np.nan, e[0] / e.sum()], [0, e[1] / e.sum()], [0, 0]])
    for f in (opt, naive):
        np.testing.assert_allclose(f(special).astype(np.float64), want, rtol=RTOL[dtype])
    graph = opt.ir("graph")
    assert "tensorc.log_softmax" in graph and "tensorc.softmax " not in graph, graph


# ---- softmax as NumPy code spells it ---------------------------------------------------------------

def _naive_softmax(x, axis):
    e = np.exp(x)
    return e / e.sum(axis, keepdims=True)


def _shifted_softmax(x, axis):
    e = np.exp(x - x.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


def _softmax_indexed(x, axis):  # the row sum put back by indexing: s[:, None] (axis 1) / s[None] (axis 0)
    e = np.exp(x - (x.max(axis)[:, None] if axis in (1, -1) else x.max(axis)[None]))
    s = e.sum(axis)
    return e / (s[:, None] if axis in (1, -1) else s[None])


def _softmax_reshaped(x, axis):  # s.reshape(-1, 1) / s.reshape(1, -1)
    e = np.exp(x)
    s = e.sum(axis)
    return e / (s.reshape(-1, 1) if axis in (1, -1) else s.reshape(1, -1))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("spelling", [_naive_softmax, _shifted_softmax, _softmax_indexed, _softmax_reshaped])
def test_spelled_softmax(dtype, spelling):
    """Both spellings become tensorc.softmax: right at logits x1000, where the naive one gives nan."""
    x = tc.matrix("x", dtype)
    for axis in (1, 0, -1):
        opt, naive = both([x], spelling(x, axis))
        assert "tensorc.softmax" in opt.ir("graph") and "tensorc.exp" not in opt.ir("graph"), opt.ir("graph")
        for scale in (1, 1000):
            data = randn((6, 5), dtype, scale)
            want = np.exp(ref_log_softmax(data.astype(np.float64), axis))
            close(opt(data), want, dtype)
        if spelling in (_naive_softmax, _softmax_reshaped):  # the shifted ones are stable as written
            assert np.isnan(naive(randn((6, 5), dtype, 1000))).any()


@pytest.mark.parametrize("spelling", [_naive_softmax, _shifted_softmax])
def test_spelled_softmax_cross_entropy(spelling):
    """W2 in NumPy spelling, -log(p[arange(n), y]).mean(): one softmax_cross_entropy, finite at x1000."""
    x, y = tc.matrix("x", np.float32), tc.vector("y", "int64")
    p = spelling(x, -1)
    f = function([x, y], -tc.log(p[tc.arange(x.shape[0]), y]).mean())
    assert "tensorc.softmax_cross_entropy" in f.ir("graph"), f.ir("graph")
    data, labels = randn((64, 10), np.float32, 1000), np.arange(64) % 10
    want = -ref_log_softmax(data.astype(np.float64), 1)[np.arange(64), labels].mean()
    np.testing.assert_allclose(f(data, labels), want, rtol=1e-5)


# ---- log_softmax, logsumexp, sigmoid, logaddexp as NumPy code spells them -------------------------

def _naive_log_softmax(x, axis):
    return x - np.log(np.sum(np.exp(x), axis, keepdims=True))


def _shifted_log_softmax(x, axis):
    m = x.max(axis, keepdims=True)
    return x - m - np.log(np.sum(np.exp(x - m), axis, keepdims=True))


def _log_of_spelled_softmax(x, axis):
    return np.log(_naive_softmax(x, axis))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("spelling", [_naive_log_softmax, _shifted_log_softmax, _log_of_spelled_softmax])
def test_spelled_log_softmax(dtype, spelling):
    """Every spelling becomes one tensorc.log_softmax (of x, or of x - max where NumPy's evaluation of
    the shifted form differs on rows holding +inf): right at x1000, where the naive ones fail."""
    x = tc.matrix("x", dtype)
    for axis in (1, 0):
        opt, naive = both([x], spelling(x, axis))
        graph = opt.ir("graph")
        assert graph.count("tensorc.log_softmax") == 1 and "tensorc.exp " not in graph, graph
        for scale in (1, 1000):
            data = randn((6, 5), dtype, scale)
            close(opt(data), ref_log_softmax(data.astype(np.float64), axis), dtype)
        if spelling in (_naive_log_softmax, _log_of_spelled_softmax):
            assert not np.isfinite(naive(randn((6, 5), dtype, 1000))).all()
        special = np.array([[np.inf, 1, 2], [-np.inf, -np.inf, -np.inf], [0, np.nan, 1], [0, 1, 2]], dtype)
        if axis == 0:
            special = special.T.copy()
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            np.testing.assert_allclose(opt(special), naive(special), rtol=RTOL[dtype])


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("keepdims", [True, False])
def test_spelled_logsumexp(dtype, keepdims):
    """log(sum(exp(x - m))) + m with m the max, and the max-free spelling: one tensorc.logsumexp, no exp;
    finite at x1000, and NumPy's values on rows of -inf, holding +inf or nan."""
    x = tc.matrix("x", dtype)
    m = x.max(1, keepdims=keepdims)
    shifted = m if keepdims else m[:, None]
    for expr in [np.log(np.sum(np.exp(x - shifted), 1, keepdims=keepdims)) + m,
                 m + np.log(np.sum(np.exp(x - shifted), 1, keepdims=keepdims)),
                 np.log(np.sum(np.exp(x), 1, keepdims=keepdims))]:
        opt, naive = both([x], expr)
        graph = opt.ir("graph")
        assert graph.count("tensorc.logsumexp") == 1 and "tensorc.exp " not in graph, graph
        for scale in (1, 1000):
            data = randn((6, 5), dtype, scale)
            close(opt(data), ref_logsumexp(data.astype(np.float64), 1, keepdims), dtype)
        special = np.array([[np.inf, 1, 2], [-np.inf, -np.inf, -np.inf], [0, np.nan, 1], [0, 1, 2]], dtype)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            np.testing.assert_allclose(opt(special), naive(special), rtol=RTOL[dtype])


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("spelling", [lambda x: 1 / (1 + np.exp(-x)), lambda x: 1.0 / (np.exp(-x) + 1),
                                      lambda x: (1 + np.exp(-x)) ** -1, lambda x: np.reciprocal(1 + np.exp(-x))])
def test_spelled_sigmoid(dtype, spelling):
    x = tc.vector("x", dtype)
    opt, naive = both([x], spelling(x))
    assert "tensorc.sigmoid" in opt.ir("graph") and "tensorc.exp" not in opt.ir("graph"), opt.ir("graph")
    data = np.array([-1000, -100, -20, -1, 0, 0.5, 20, 100, 1000], dtype)
    with np.errstate(over="ignore"):
        close(opt(data), ref_sigmoid(data.astype(np.float64)), dtype)


@pytest.mark.parametrize("dtype", FLOATS)
def test_spelled_logaddexp(dtype):
    """log(exp(a) + exp(b)) computed as np.logaddexp: finite at +-1000, and its special values."""
    a, b = tc.vector("a", dtype), tc.vector("b", dtype)
    opt, naive = both([a, b], np.log(np.exp(a) + np.exp(b)))
    assert "tensorc.log %" not in opt.ir("graph"), opt.ir("graph")
    xs = np.array([1000, -1000, 0, 3, -np.inf, np.inf, -np.inf, np.inf, np.nan, 89, -105], dtype)
    ys = np.array([999, -1001, 0, -2, -np.inf, np.inf, np.inf, 1.0, 1.0, 89, -105], dtype)
    with np.errstate(invalid="ignore"):  # the nan operand
        want = np.logaddexp(xs.astype(np.float64), ys.astype(np.float64))
    got = opt(xs, ys)
    np.testing.assert_allclose(got.astype(np.float64), want, rtol=RTOL[dtype])
    assert not np.isfinite(naive(xs[:2], ys[:2])).all()  # inf at +1000, -inf at -1000


# ---- log1p, expm1 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS_F64_LOG1P)
def test_log1p(dtype):
    x = tc.vector("x", dtype)
    tiny = np.array([1e-10, -1e-10, 1e-17, 3e-20], dtype)  # 1 + x rounds to 1: log gives 0
    benign = np.array([0.5, 1.0, 10.0, -0.5], dtype)
    for expr in [tc.log(1 + x), tc.log(x + 1)]:
        opt, naive = check([x], expr, (tiny,), (benign,), np.log1p, dtype, "tensorc.log1p", naive_op="tensorc.log ")
        assert (naive(tiny)[2:] == 0).all()


@pytest.mark.parametrize("dtype", FLOATS_F64_LOG1P)
def test_expm1(dtype):
    x = tc.vector("x", dtype)
    tiny = np.array([1e-10, -1e-10, 1e-17, -3e-20], dtype)  # exp(x) rounds to 1: the difference is 0
    benign = np.array([0.5, 1.0, 10.0, -2.0], dtype)
    opt, naive = check([x], tc.exp(x) - 1, (tiny,), (benign,), np.expm1, dtype, "tensorc.expm1",
                       naive_op="tensorc.exp ")
    assert (naive(tiny)[2:] == 0).all()


# ---- sigmoid family -------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
def test_log_sigmoid(dtype):
    x = tc.vector("x", dtype)
    hard = np.array([-200.0, -800.0, -50.0, 3.0, 10.0], dtype)  # sigmoid underflows to 0: log gives -inf
    benign = np.array([-5.0, -3.0, -1.0, 0.0, 1.0, 2.0], dtype)
    opt, naive = check([x], tc.log(tc.sigmoid(x)), (hard,), (benign,), lambda a: -ref_softplus(-a), dtype,
                       "tensorc.softplus", naive_op="tensorc.sigmoid")
    assert np.isneginf(naive(hard)[1])


@pytest.mark.parametrize("dtype", FLOATS)
def test_log_one_minus_sigmoid(dtype):
    x = tc.vector("x", dtype)
    hard = np.array([200.0, 800.0, 40.0, -3.0], dtype)  # 1 - sigmoid(x) is 1 - 1 = 0: log gives -inf
    benign = np.array([-3.0, -1.0, 0.0, 2.0, 5.0], dtype)
    opt, naive = check([x], tc.log(1 - tc.sigmoid(x)), (hard,), (benign,), lambda a: -ref_softplus(a), dtype,
                       "tensorc.softplus", naive_op="tensorc.sigmoid")
    assert np.isneginf(naive(hard)[:3]).all()


@pytest.mark.parametrize("dtype", FLOATS)
def test_one_minus_sigmoid(dtype):
    x = tc.vector("x", dtype)
    hard = np.array([50.0, 80.0, 40.0, -3.0], dtype)  # 1 - sigmoid(x) cancels to 0 (true value ~1e-22)
    benign = np.array([-3.0, -1.0, 0.0, 2.0, 5.0], dtype)
    opt, naive = check([x], 1 - tc.sigmoid(x), (hard,), (benign,), lambda a: ref_sigmoid(-a), dtype,
                       "tensorc.neg", naive_op="tensorc.sub")
    assert (naive(hard)[:3] == 0).all() and (opt(hard)[:3] > 0).all()


@pytest.mark.parametrize("dtype", FLOATS)
def test_exp_ratio_sigmoid(dtype):
    x = tc.vector("x", dtype)
    big = 1000.0 if dtype == np.float64 else 100.0
    hard = np.array([big, 2 * big, -30.0, 1.0], dtype)  # exp overflows: inf / inf = nan
    benign = np.array([-10.0, -1.0, 0.0, 2.0, 10.0], dtype)
    opt, naive = check([x], tc.exp(x) / (1 + tc.exp(x)), (hard,), (benign,), ref_sigmoid, dtype,
                       "tensorc.sigmoid", naive_op="tensorc.exp")
    assert np.isnan(naive(hard)[:2]).all()


@pytest.mark.parametrize("dtype", FLOATS_F64_LOG1P)
@pytest.mark.parametrize("form", ["log1p", "log"])
def test_softplus(dtype, form):
    """log1p(exp(x)) and log(1 + exp(x)) (which goes through log1p first) for x in [-100, 100]."""
    x = tc.vector("x", dtype)
    expr = tc.log1p(tc.exp(x)) if form == "log1p" else tc.log(1 + tc.exp(x))
    grid = np.linspace(-100, 100, 201)
    if dtype == np.float64:
        grid = np.concatenate([grid, [-1000.0, 800.0, 1000.0]])  # f64 exp overflows only beyond 709
    hard = grid.astype(dtype)
    benign = np.linspace(-5, 5, 21).astype(dtype)
    opt, naive = check([x], expr, (hard,), (benign,), ref_softplus, dtype, "tensorc.softplus",
                       naive_op="tensorc.exp")
    assert np.isinf(naive(hard)).any()


# ---- log1mexp -------------------------------------------------------------------------------------

LOG1MEXP_FORMS = {
    "log(1 - exp(x))": lambda x: tc.log(1 - tc.exp(x)),
    "log(-expm1(x))": lambda x: tc.log(-tc.expm1(x)),
    "log1p(-exp(x))": lambda x: tc.log1p(-tc.exp(x)),
}


@pytest.mark.parametrize("dtype", FLOATS_F64_LOG1P)
@pytest.mark.parametrize("form", list(LOG1MEXP_FORMS))
def test_log1mexp(dtype, form):
    """Each naive form fails somewhere: near 0 (1 - exp(x) rounds to 0: -inf) or far below
    (1 - exp(-50) rounds to 1: 0 instead of -2e-22)."""
    x = tc.vector("x", dtype)
    hard = np.array([-1e-20, -1e-10, -50.0, -100.0, -0.5, -3.0], dtype)
    benign = np.array([-0.3, -0.7, -1.0, -2.0, -5.0], dtype)
    check([x], LOG1MEXP_FORMS[form](x), (hard,), (benign,), ref_log1mexp, dtype, "tensorc.log1mexp")


# ---- modes ----------------------------------------------------------------------------------------

def test_rewrite_names_and_exclusion():
    """Every rewrite has a name that modes accept; excluding one rewrite leaves the others on."""
    names = tc.rewrite_names()["stabilize"]
    for n in ["log-softmax", "sub-logsumexp", "logsumexp", "spelled-softmax", "softmax-shift",
              "spelled-sigmoid", "spelled-logaddexp", "log1p", "expm1", "log-sigmoid",
              "log-one-minus-sigmoid", "one-minus-sigmoid", "exp-ratio-sigmoid", "softplus", "log1mexp",
              "softmax-cross-entropy"]:
        assert n in names
    x = tc.vector("x", np.float64)
    f = function([x], [tc.log(1 + x), tc.exp(x) - 1], mode=tc.Mode().excluding("log1p"))
    graph = f.ir("graph")
    assert "tensorc.log1p" not in graph and "tensorc.expm1" in graph, graph


def test_fast_compile_and_single_rewrite():
    """FAST_COMPILE does not stabilize; including one rewrite by name turns on that rewrite alone."""
    x = tc.matrix("x", np.float32)
    outs = [tc.log(tc.softmax(x, axis=1)), tc.log(1 + x)]
    data = randn((4, 6), np.float32, 1000)
    fast = function([x], outs, mode="FAST_COMPILE")
    assert "tensorc.log_softmax" not in fast.ir("graph") and np.isneginf(fast(data)[0]).any()
    one = function([x], outs, mode=tc.Mode(optimizer="FAST_COMPILE", include=("log-softmax",)))
    graph = one.ir("graph")
    assert "tensorc.log_softmax" in graph and "tensorc.log1p" not in graph, graph
    close(one(data)[0], ref_log_softmax(data.astype(np.float64), 1), np.float32)


def test_spelled_layernorm_is_the_same_graph():
    """Mean and variance spelled out (np.mean of squared deviations, ** 2) give the graph tc.mean and
    tc.var give, op for op, so tensorc-fuse-rows blocks it by rows the same way."""
    import re

    x, g = tc.matrix("x", np.float32), tc.vector("g", np.float32)
    mu = tc.mean(x, axis=-1, keepdims=True)
    with_ops = (x - mu) / tc.sqrt(tc.var(x, axis=-1, keepdims=True) + 1e-5) * g
    smu = np.mean(x, axis=-1, keepdims=True)
    spelled = (x - smu) / np.sqrt(np.mean((x - smu) ** 2, axis=-1, keepdims=True) + 1e-5) * g
    graphs = []
    for expr in (with_ops, spelled):
        f = function([x, g], expr)
        data = randn((8, 16), np.float32)
        want = (data - data.mean(-1, keepdims=True)) / np.sqrt(data.var(-1, keepdims=True) + 1e-5)
        close(f(data, np.ones(16, np.float32)), want, np.float32)
        body = f.ir("graph").split("func.func")[1]
        graphs.append([re.sub(r"\s*loc\(.*", "", line) for line in body.splitlines() if "tensorc." in line])
    assert graphs[0] == graphs[1]
