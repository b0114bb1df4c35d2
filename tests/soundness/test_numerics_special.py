"""Elementwise math at the edges of the number line, compiled and run, against NumPy: special values
(inf, nan, signed zeros, subnormals, FLT_MAX), integer extremes, and accuracy sweeps of the float32
approximations over the whole float range.

Each (op group, dtype) is one compiled function fed a whole array of cases (compiling costs 0.1-0.3 s;
see FunctionCache in conftest.py). Exact ops are compared bit for bit, NaN payloads aside; the
transcendental functions in ulps against a float64 reference.
"""
import math

import numpy as np
import pytest
from conftest import FLOATS, INTS, requires_native

import tensorc as tc

# NumPy's references warn on the special values (invalid/overflow/divide); that is the point here.
pytestmark = [requires_native, pytest.mark.filterwarnings("ignore::RuntimeWarning")]


# ---- helpers -----------------------------------------------------------------------------------

def same_bits(got, want):
    """Elementwise: identical bit patterns (so 0.0 != -0.0), any NaN equal to any NaN."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, got.shape, want.dtype, want.shape)
    if got.dtype.kind != "f":
        return got == want
    ints = {4: np.uint32, 8: np.uint64}[got.dtype.itemsize]
    return (got.view(ints) == want.view(ints)) | (np.isnan(got) & np.isnan(want))


def assert_same_bits(got, want, *inputs):
    ok = same_bits(got, want)
    if not ok.all():
        bad = np.flatnonzero(~ok.ravel())[:8]
        rows = [tuple(np.ravel(a)[i] for a in inputs) + (np.ravel(got)[i], np.ravel(want)[i]) for i in bad]
        raise AssertionError(f"{(~ok).sum()} of {ok.size} differ from NumPy; (inputs..., got, numpy): {rows}")


def ulps(got, truth):
    """|got - truth| in ulps of got's dtype at the rounded truth; equal infinities and NaN-for-NaN are 0,
    a NaN or infinity against a finite truth is inf."""
    got = np.asarray(got)
    truth = np.asarray(truth, np.float64)
    with np.errstate(all="ignore"):
        want = truth.astype(got.dtype)
        spacing = np.spacing(np.abs(want)).astype(np.float64)
        u = np.abs(got.astype(np.float64) - truth) / spacing
    same = (np.isnan(got) & np.isnan(truth)) | (got.astype(np.float64) == truth) | (np.isinf(got) & (got == want))
    u[same] = 0
    u[np.isnan(u)] = np.inf
    return u


def assert_ulps(got, truth, bound, x, what=""):
    u = ulps(got, truth)
    i = int(np.argmax(u))
    assert u[i] <= bound, f"{what}: {u[i]:.3f} ulp (bound {bound}) at x={x[i]!r}: got {got[i]!r}, reference {truth[i]!r}"
    return float(u[i])


def log_uniform(rng, lo, hi, n, dtype=np.float32, signed=True):
    """n values with log-uniform magnitudes in [lo, hi], random signs."""
    v = 10.0 ** rng.uniform(math.log10(lo), math.log10(hi), n)
    if signed:
        v = v * rng.choice([-1.0, 1.0], n)
    with np.errstate(over="ignore"):
        v = v.astype(dtype)
    return v[np.isfinite(v)]


def specials(dtype):
    fi = np.finfo(dtype)
    return np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.0, -3.0,
                     0.3, 7.0, -7.0, 1e5, -1e5, fi.tiny, -fi.tiny, fi.tiny / 4, fi.smallest_subnormal,
                     -fi.smallest_subnormal, fi.max, -fi.max], dtype)


def grid(values):
    a, b = np.meshgrid(values, values)
    return a.ravel(), b.ravel()


def unary(cache, key, dtype, build):
    def make():
        x = tc.vector("x", np.dtype(dtype).name)
        return tc.function([x], build(x))
    return cache.get((key, np.dtype(dtype).name), make)


def binary(cache, key, dtype, build):
    def make():
        x, y = tc.vector("x", np.dtype(dtype).name), tc.vector("y", np.dtype(dtype).name)
        return tc.function([x, y], build(x, y))
    return cache.get((key, np.dtype(dtype).name), make)


# ---- item 3: integer // and % never trap --------------------------------------------------------

@pytest.mark.parametrize("dtype", INTS)
def test_int_floordiv_mod_extremes_and_zero(cache, dtype):
    info = np.iinfo(dtype)
    a, b = grid(np.array([info.min, info.min + 1, -7, -2, -1, 0, 1, 2, 7, info.max - 1, info.max], dtype))
    f = binary(cache, "floordiv-mod", dtype, lambda x, y: [x // y, x % y])
    q, r = f(a, b)
    with np.errstate(all="ignore"):
        assert_same_bits(q, a // b, a, b)   # INT_MIN // -1 == INT_MIN (wraps), x // 0 == 0
        assert_same_bits(r, a % b, a, b)    # INT_MIN % -1 == 0, x % 0 == 0


@pytest.mark.parametrize("dtype", INTS)
def test_int_floordiv_mod_scalars(dtype):
    # 0-d operands take the scalar path of the lowering (shape arithmetic), which must not trap either.
    x, y = tc.scalar("x", np.dtype(dtype).name), tc.scalar("y", np.dtype(dtype).name)
    f = tc.function([x, y], [x // y, x % y])
    info = np.iinfo(dtype)
    for a, b in [(info.min, -1), (5, 0), (-5, 0), (0, 0), (-7, 2)]:
        q, r = f(dtype(a), dtype(b))
        with np.errstate(all="ignore"):
            assert q == np.floor_divide(dtype(a), dtype(b)) and r == np.remainder(dtype(a), dtype(b)), (a, b, q, r)


# ---- item 8: float // and % are NumPy's npy_divmod, bit for bit ----------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
def test_float_floordiv_mod_special_grid(cache, dtype):
    a, b = grid(specials(dtype))
    f = binary(cache, "floordiv-mod", dtype, lambda x, y: [x // y, x % y])
    q, r = f(a, b)
    with np.errstate(all="ignore"):
        assert_same_bits(q, np.floor_divide(a, b), a, b)
        assert_same_bits(r, np.remainder(a, b), a, b)


@pytest.mark.parametrize("dtype", FLOATS)
def test_float_floordiv_mod_random(cache, dtype):
    rng = np.random.default_rng(8)
    a = log_uniform(rng, 1e-3, 1e6, 20000, dtype)
    b = log_uniform(rng, 1e-3, 1e3, a.size, dtype)
    f = binary(cache, "floordiv-mod", dtype, lambda x, y: [x // y, x % y])
    q, r = f(a, b)
    assert_same_bits(q, np.floor_divide(a, b), a, b)
    assert_same_bits(r, np.remainder(a, b), a, b)
    # the reported cases
    one = np.array([1.0, -2.5], dtype)
    q, _ = f(one, np.array([-np.inf, np.inf], dtype))
    assert_same_bits(q, np.array([-1.0, -1.0], dtype), one)


def _bounded_quotient_cases(dtype, rng):
    """Pairs with |a| < 2^24 |b| (float32) or 2^52 |b| (float64), all finite but b, which may be +-inf:
    the domain of the vectorized fmod (math-approx versions the loop on it)."""
    lim = 2.0 ** (24 if dtype == np.float32 else 52)
    fi = np.finfo(dtype)
    n = 40000
    b = log_uniform(rng, float(fi.tiny), float(fi.max) / 4, n, dtype)
    ratio = 10.0 ** rng.uniform(-8, math.log10(lim) - 0.01, b.size) * rng.choice([-1.0, 1.0], b.size)
    with np.errstate(all="ignore"):
        a = (b.astype(np.float64) * ratio).astype(dtype)
    # exact multiples and their neighbours (quotients at and next to integers)
    k = rng.integers(-1000, 1000, 4000).astype(dtype)
    bk = log_uniform(rng, 1e-3, 1e3, k.size, dtype)
    ak = k * bk
    extra_a = np.concatenate([ak, np.nextafter(ak, dtype(np.inf)), np.nextafter(ak, dtype(-np.inf)),
                              np.array([0.0, -0.0, 5.0, -5.0, 0.0, -0.0, 3.0, -3.0, fi.smallest_subnormal * 3], dtype)])
    extra_b = np.concatenate([bk, bk, bk, np.array([3.0, 3.0, np.inf, -np.inf, -np.inf, np.inf, -7.0, 7.0,
                                                    fi.smallest_subnormal * 2], dtype)])
    a, b = np.concatenate([a, extra_a]), np.concatenate([b, extra_b])
    keep = np.isfinite(a) & (np.abs(a.astype(np.float64)) < lim * np.abs(b.astype(np.float64)))
    return a[keep], b[keep]


@pytest.mark.parametrize("dtype", FLOATS)
def test_float_floordiv_mod_bounded_quotients(cache, dtype):
    # The loop's fast version (exact fmod in f64, vectorized) must match NumPy bit for bit, and give the
    # same bits as the general version (libm fmod), which one element with a huge quotient selects.
    a, b = _bounded_quotient_cases(dtype, np.random.default_rng(13))
    f = binary(cache, "floordiv-mod", dtype, lambda x, y: [x // y, x % y])
    q, r = f(a, b)
    with np.errstate(all="ignore"):
        assert_same_bits(q, np.floor_divide(a, b), a, b)
        assert_same_bits(r, np.remainder(a, b), a, b)
    q2, r2 = f(np.append(a, dtype(1e30)), np.append(b, dtype(1e-30)))
    assert_same_bits(q2[:-1], q, a, b)
    assert_same_bits(r2[:-1], r, a, b)


# ---- item 5: float32 sin/cos over the whole range --------------------------------------------------

def _sin_cos_inputs(rng):
    logu = log_uniform(rng, 1e-45, 3.4e38, 300000)
    bits = rng.integers(0, 2**32, 300000, dtype=np.uint64).astype(np.uint32).view(np.float32)
    bits = bits[np.isfinite(bits)]
    k = np.concatenate([np.arange(-3000, 3000), np.round(10.0 ** rng.uniform(3, 38, 3000))])
    near = (k * (np.pi / 2)).astype(np.float32)
    near = near[np.isfinite(near)]
    near = np.concatenate([near, np.nextafter(near, np.float32(np.inf)), np.nextafter(near, np.float32(-np.inf))])
    return np.concatenate([logu, bits, near, specials(np.float32)])


# Below 2^17 in magnitude, float32 sin/cos run an all-float32 expansion (at most 0.71 ulp measured
# against float64 libm; the analysis bounds it near 0.75); above, a float64 Payne-Hanek one that was
# correctly rounded in every case measured. NumPy's own float32 sin/cos are up to ~1.5 ulp off.
F32_LIMIT = 2.0**17
F32_ULPS = 0.75


def test_sin_cos_float32_whole_range(cache):
    f = unary(cache, "sin-cos", np.float32, lambda x: [tc.sin(x), tc.cos(x)])
    x = _sin_cos_inputs(np.random.default_rng(5))
    s, c = f(x)
    xd = x.astype(np.float64)
    small = ~(np.abs(xd) >= F32_LIMIT)  # NaN included
    for name, got, ref in [("sin", s, np.sin(xd)), ("cos", c, np.cos(xd))]:
        assert_ulps(got[small], ref[small], F32_ULPS, x[small], name + " vs float64, |x| < 2^17")
        # Correctly rounded above the limit (0.5 ulp, plus a little for the float64 reference's own rounding).
        assert_ulps(got[~small], ref[~small], 0.501, x[~small], name + " vs float64, |x| >= 2^17")
    # Against NumPy's float32 sin/cos, which are themselves up to ~1.5 ulp off.
    assert_ulps(s, np.sin(x).astype(np.float64), 2.0, x, "sin vs np.sin")
    assert_ulps(c, np.cos(x).astype(np.float64), 2.0, x, "cos vs np.cos")


def test_sin_cos_float32_near_multiples_of_half_pi(cache):
    # The float32 reduction's hard cases: x next to k*pi/2 for every k it serves, where r = x - k*pi/2
    # is tiny and all its bits come from the three-part pi/2.
    f = unary(cache, "sin-cos", np.float32, lambda x: [tc.sin(x), tc.cos(x)])
    near = (np.arange(1, int(F32_LIMIT * 2 / np.pi) + 1) * (np.pi / 2)).astype(np.float32)
    x = [near]
    for direction in (np.inf, -np.inf):
        v = near
        for _ in range(3):
            v = np.nextafter(v, np.float32(direction))
            x.append(v)
    x = np.concatenate(x)
    x = x[np.abs(x) < F32_LIMIT]
    s, c = f(x)
    assert_ulps(s, np.sin(x.astype(np.float64)), F32_ULPS, x, "sin near k*pi/2")
    assert_ulps(c, np.cos(x.astype(np.float64)), F32_ULPS, x, "cos near k*pi/2")


def test_sin_cos_float32_both_loop_versions(cache):
    # Each block of a loop whose operands are all below 2^17 in magnitude runs the float32 expansion
    # only; any other block chooses per element (math-approx versions the loop). Both give the same bits
    # for the same value, so a value's result does not depend on its neighbours.
    f = unary(cache, "sin-cos", np.float32, lambda x: [tc.sin(x), tc.cos(x)])
    rng = np.random.default_rng(12)
    k = np.concatenate([np.arange(-50000, 50000), np.round(10.0 ** rng.uniform(5, 10.6, 50000))])
    near = (k * (np.pi / 2)).astype(np.float32)
    x = np.concatenate([log_uniform(rng, 1e-45, 2.0**36 * 0.999, 300000), near,
                        np.nextafter(near, np.float32(np.inf)), np.nextafter(near, np.float32(-np.inf))])
    fast = f(x[np.abs(x) < F32_LIMIT])
    slow = f(np.append(x, np.float32(1e30)))
    small = np.abs(x) < F32_LIMIT
    for name, ref, got_fast, got_slow in zip(["sin", "cos"], [np.sin, np.cos], fast, slow):
        truth = ref(x.astype(np.float64))
        assert_ulps(got_slow[:-1][small], truth[small], F32_ULPS, x[small], name + " (float32)")
        assert_ulps(got_slow[:-1][~small], truth[~small], 0.501, x[~small], name + " (Payne-Hanek)")
        assert_same_bits(got_slow[:-1][small], got_fast, x[small])
    # 2-d: each row is one innermost loop, versioned on its own
    g = cache.get(("sin-2d", "float32"), lambda: (lambda m: tc.function([m], [tc.sin(m), tc.cos(m)]))(tc.matrix("m", "float32")))
    m = x[:4000].reshape(4, 1000).copy()
    m[2, 7] = np.float32(3e38)
    s2, c2 = g(m)
    assert_same_bits(s2, np.concatenate([f(row)[0] for row in m]).reshape(m.shape), m)
    assert_same_bits(c2, np.concatenate([f(row)[1] for row in m]).reshape(m.shape), m)


def test_sin_cos_float32_reported_cases_and_specials(cache):
    f = unary(cache, "sin-cos", np.float32, lambda x: [tc.sin(x), tc.cos(x)])
    fmax = np.finfo(np.float32).max
    x = np.array([1e10, 1e5, fmax, -fmax, 0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45, -1e-45,
                  np.finfo(np.float32).tiny, -np.finfo(np.float32).tiny], np.float32)
    s, c = f(x)
    np.testing.assert_allclose(c[0], np.cos(np.float32(1e10)), rtol=2e-7)   # was 1.0
    np.testing.assert_allclose(s[1], np.sin(np.float32(1e5)), rtol=2e-7)    # was 10% off
    np.testing.assert_allclose(s[2:4], np.sin(x[2:4]), rtol=2e-7)            # was -inf
    assert_same_bits(s[4:], np.sin(x[4:]), x[4:])   # sin(-0) = -0, sin(+-inf) = nan, sin(tiny) = tiny
    assert_same_bits(c[4:], np.cos(x[4:]), x[4:])


@pytest.mark.parametrize("dtype", FLOATS)
def test_sin_cos_odd_even(cache, dtype):
    f = unary(cache, "sin-cos", dtype, lambda x: [tc.sin(x), tc.cos(x)])
    x = log_uniform(np.random.default_rng(6), 1e-30, float(np.finfo(dtype).max) / 2, 20000, dtype, signed=False)
    s, c = f(np.concatenate([x, -x]))
    n = x.size
    assert_same_bits(s[n:], -s[:n], x)
    assert_same_bits(c[n:], c[:n], x)


def test_sin_cos_float64_is_libm(cache):
    f = unary(cache, "sin-cos", np.float64, lambda x: [tc.sin(x), tc.cos(x)])
    x = np.concatenate([log_uniform(np.random.default_rng(7), 1e-300, 1e308, 20000, np.float64), specials(np.float64)])
    s, c = f(x)
    # NumPy's float64 sin/cos may be its own SIMD code rather than libm: a few ulps apart at most.
    assert_ulps(s, np.sin(x), 4.0, x, "sin vs np.sin")
    assert_ulps(c, np.cos(x), 4.0, x, "cos vs np.cos")
    exact = ~np.isfinite(x) | (x == 0)
    assert_same_bits(s[exact], np.sin(x[exact]), x[exact])
    assert_same_bits(c[exact], np.cos(x[exact]), x[exact])


# ---- item 6: log of subnormals, exp/expm1 at the limits, tanh/sigmoid/softplus tails --------------

def _log_family(x):
    return [tc.log(x), tc.log1p(x)]


@pytest.mark.parametrize("dtype", FLOATS)
def test_log_of_subnormals(cache, dtype):
    f = unary(cache, "log-family", dtype, _log_family)
    fi = np.finfo(dtype)
    rng = np.random.default_rng(9)
    sub = np.concatenate([log_uniform(rng, float(fi.smallest_subnormal), float(fi.tiny), 20000, dtype, signed=False),
                          np.array([fi.smallest_subnormal, fi.tiny / 4, fi.tiny, fi.tiny * 2], dtype)])
    log, log1p = f(sub)
    # float32 log(FLT_MIN/4) was -87.3365 (= log(FLT_MIN)) for every subnormal
    assert_ulps(log, np.log(sub.astype(np.float64)), 1.0, sub, "log")
    assert_same_bits(log1p, np.log1p(sub), sub)  # log1p(x) = x for tiny x
    if dtype == np.float32:
        np.testing.assert_allclose(log[[-4, -3]], [-103.27893, -88.72284], rtol=1e-6)


@pytest.mark.parametrize("dtype", FLOATS)
def test_log_family_specials(cache, dtype):
    f = unary(cache, "log-family", dtype, _log_family)
    x = specials(dtype)
    log, log1p = f(x)
    with np.errstate(all="ignore"):
        assert_ulps(log, np.log(x.astype(np.float64)), 1.0, x, "log")
        assert_ulps(log1p, np.log1p(x.astype(np.float64)), 2.0, x, "log1p")
        want_log, want_log1p = np.log(x), np.log1p(x)
    # the exact cases: log(+-0) = -inf, log(<0) = nan, log(inf) = inf, log1p(-1) = -inf, signed zeros
    exact = ~np.isfinite(want_log) | (want_log == 0)
    assert_same_bits(log[exact], want_log[exact], x[exact])
    exact = ~np.isfinite(want_log1p) | (want_log1p == 0)
    assert_same_bits(log1p[exact], want_log1p[exact], x[exact])


def _exp_family(x):
    return [tc.exp(x), tc.expm1(x), tc.tanh(x), tc.sigmoid(x), tc.softplus(x)]


def _exp_family_reference(x):
    xd = x.astype(np.float64)
    with np.errstate(all="ignore"):
        e = np.exp(-np.abs(xd))
        sigmoid = np.where(xd >= 0, 1 / (1 + e), e / (1 + e))
        return [np.exp(xd), np.expm1(xd), np.tanh(xd), sigmoid, np.logaddexp(0, xd)]


def test_exp_family_float32_limits(cache):
    f = unary(cache, "exp-family", np.float32, _exp_family)
    x = np.concatenate([np.linspace(-104, -85, 40001, dtype=np.float32),   # subnormal results of exp
                        np.linspace(85, 89, 40001, dtype=np.float32),      # up to and past overflow
                        log_uniform(np.random.default_rng(10), 1e-40, 120, 40000), specials(np.float32)])
    got = f(x)
    names = ["exp", "expm1", "tanh", "sigmoid", "softplus"]
    # exp: within 1 ulp of float64 everywhere, subnormal results included (no flush to zero), and
    # overflow exactly where float32 overflows; the others within a few ulps (upstream polynomials).
    for name, g, truth, bound in zip(names, got, _exp_family_reference(x), [1.0, 3.0, 4.5, 3.0, 3.0]):
        assert_ulps(g, truth, bound, x, name)
    exp = got[0]
    assert exp[0] == 0 and 0 < exp[4000] < np.finfo(np.float32).tiny  # e^-104 rounds to 0, e^-102 does not
    assert np.isinf(exp[x >= 88.8]).all() and np.isfinite(exp[x <= 88.72]).all()


def test_exp_family_float64_limits(cache):
    f = unary(cache, "exp-family", np.float64, _exp_family)
    x = np.concatenate([np.linspace(-746, -700, 4001), np.linspace(700, 710, 4001),
                        log_uniform(np.random.default_rng(11), 1e-300, 800, 20000, np.float64), specials(np.float64)])
    got = f(x)
    # libm here, and NumPy's own SIMD float64 functions as the reference: a couple of ulps apart
    for name, g, truth, bound in zip(["exp", "expm1", "tanh", "sigmoid", "softplus"], got,
                                     _exp_family_reference(x), [2.0, 2.0, 3.0, 3.0, 3.0]):
        assert_ulps(g, truth, bound, x, name)


@pytest.mark.parametrize("dtype", FLOATS)
def test_exp_family_specials_exact(cache, dtype):
    f = unary(cache, "exp-family", dtype, _exp_family)
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan], dtype)
    exp, expm1, tanh, sigmoid, softplus = f(x)
    assert_same_bits(exp, np.array([1, 1, np.inf, 0, np.nan], dtype), x)
    assert_same_bits(expm1, np.array([0.0, -0.0, np.inf, -1, np.nan], dtype), x)
    assert_same_bits(tanh, np.array([0.0, -0.0, 1, -1, np.nan], dtype), x)
    assert_same_bits(sigmoid, np.array([0.5, 0.5, 1, 0, np.nan], dtype), x)
    assert_same_bits(softplus[2:], np.array([np.inf, 0, np.nan], dtype), x[2:])


def test_erf_specials(cache):
    for dtype in FLOATS:
        f = unary(cache, "erf", dtype, tc.erf)
        x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-40, -1e-40, 3.0, -3.0, 10.0, -10.0], dtype)
        want = np.array([math.erf(v) for v in x.astype(np.float64)]).astype(dtype)
        got = f(x)
        assert_same_bits(got[:5], want[:5], x[:5])   # erf(-0) = -0 (float32 gave +0)
        assert_ulps(got, want.astype(np.float64), 4.0, x, "erf")


# ---- item 7: logaddexp -------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
def test_logaddexp_inf_nan_grid(cache, dtype):
    v = np.array([-np.inf, np.inf, np.nan, 0.0, -0.0, 1.0, -1.0, 30.0, -30.0, 1e30, -1e30,
                  np.finfo(dtype).max, -np.finfo(dtype).max], dtype)
    a, b = grid(v)
    got = binary(cache, "logaddexp", dtype, tc.logaddexp)(a, b)
    with np.errstate(all="ignore"):
        want = np.logaddexp(a, b)
    exact = ~np.isfinite(want) | ~np.isfinite(a) | ~np.isfinite(b)
    assert_same_bits(got[exact], want[exact], a[exact], b[exact])   # logaddexp(inf, inf) = inf, (-inf, -inf) = -inf
    assert_ulps(got, want.astype(np.float64), 2.0, a, "logaddexp")


# ---- item 10: integer power ----------------------------------------------------------------------

@pytest.mark.parametrize("dtype", INTS)
def test_int_pow_constant_negative_exponent_raises_at_trace_time(dtype):
    x = tc.vector("x", np.dtype(dtype).name)
    for exponent in (-1, dtype(-2), np.array([2, -1], dtype)):
        with pytest.raises(ValueError, match="Integers to negative integer powers are not allowed"):
            x ** exponent
    with pytest.raises(ValueError, match="Integers to negative integer powers are not allowed"):
        tc.power(3, tc.constant(np.array([-3], dtype)))
    x ** 0, x ** 3, x ** -1.0  # fine: non-negative, and a float exponent gives a float loop


@pytest.mark.parametrize("dtype", INTS)
def test_int_pow_run_time_negative_exponent_raises(cache, dtype):
    f = binary(cache, "pow", dtype, lambda x, y: x ** y)
    with pytest.raises(ValueError, match=r"tensorc\.pow: Integers to negative integer powers are not allowed .*test_numerics_special\.py"):
        f(np.array([2, 0, 1], dtype), np.array([1, -1, 3], dtype))   # 0 ** -1 must not trap either
    a = np.array([0, 0, 1, -1, 2, 2, -2, 3, 7, np.iinfo(dtype).max, np.iinfo(dtype).min], dtype)
    b = np.array([0, 5, 0, 7, 10, np.iinfo(dtype).bits - 1, np.iinfo(dtype).bits - 1, 40, 30, 2, 2], dtype)
    np.testing.assert_array_equal(f(a, b), a ** b)   # 0 ** 0 == 1; overflow wraps as in NumPy
    assert f(np.zeros(0, dtype), np.zeros(0, dtype)).shape == (0,)


# ---- the rest of the elementwise float ops at special values -------------------------------------

def _exact_unary(x):
    return [tc.sqrt(x), tc.floor(x), tc.ceil(x), abs(x), tc.sign(x), -x, x * x]


@pytest.mark.parametrize("dtype", FLOATS)
def test_exact_unary_specials(cache, dtype):
    x = specials(dtype)
    got = unary(cache, "exact-unary", dtype, _exact_unary)(x)
    with np.errstate(all="ignore"):
        want = [np.sqrt(x), np.floor(x), np.ceil(x), np.abs(x), np.sign(x), -x, x * x]
    for g, w in zip(got, want):
        assert_same_bits(g, w, x)   # sign(-0.0) is 0.0, sign(nan) is nan


def _exact_binary(x, y):
    return [x + y, x - y, x * y, x / y, tc.maximum(x, y), tc.minimum(x, y), tc.clip(x, y, 2.0),
            x < y, x <= y, x == y, x != y]


@pytest.mark.parametrize("dtype", FLOATS)
def test_exact_binary_specials(cache, dtype):
    a, b = grid(specials(dtype))
    got = binary(cache, "exact-binary", dtype, _exact_binary)(a, b)
    with np.errstate(all="ignore"):
        want = [a + b, a - b, a * b, a / b, np.maximum(a, b), np.minimum(a, b), np.clip(a, b, dtype(2.0)),
                a < b, a <= b, a == b, a != b]
    for g, w in zip(got, want):
        # maximum/minimum propagate NaN from either side; of two zeros the second is returned, as NumPy
        assert_same_bits(g, w, a, b)


@pytest.mark.parametrize("dtype", FLOATS)
def test_float_pow_specials(cache, dtype):
    a, b = grid(specials(dtype))
    got = binary(cache, "pow", dtype, lambda x, y: x ** y)(a, b)
    with np.errstate(all="ignore"):
        want = np.power(a, b)
    exact = ~np.isfinite(want) | (want == 0) | (np.abs(want) == 1)
    assert_same_bits(got[exact], want[exact], a[exact], b[exact])   # C99 pow special cases
    assert_ulps(got, want.astype(np.float64), 1.0, a, "pow")


def test_int_pow_scalar_exponent_checked():
    # A 0-d exponent takes the scalar path of the lowering; the check and the clamp apply there too.
    x, n = tc.vector("x", "int64"), tc.scalar("n", "int64")
    f = tc.function([x, n], x ** n)
    np.testing.assert_array_equal(f(np.array([2, 0, -3]), 3), np.array([2, 0, -3]) ** 3)
    with pytest.raises(ValueError, match="Integers to negative integer powers are not allowed"):
        f(np.array([0, 2]), -1)
