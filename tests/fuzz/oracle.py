"""Run one fuzz case: NumPy, then tensorc three ways, compared; classify the outcome.

The three tensorc entry points are `tc.function` (default mode), `tc.function(mode="FAST_COMPILE")`
and `@tc.compile`; each is built once and called twice, with the two calls' inputs (same ranks and
dtypes, different shapes), so that nothing may be baked into the compiled code from the first call.

Per entry point and call the outcome is one of
  ok                                  tensorc matches NumPy
  wrong                               dtype, shape or values differ; an input was modified; an output
                                      shares memory with another output, with an input or with an
                                      output of the other call; an output is not an ndarray
  rejected                            tensorc raised where NumPy computed a result
  numpy-error-ok                      NumPy raised and tensorc raised a clear Python exception
  numpy-error-unclear                 NumPy raised, tensorc raised something else (AssertionError,
                                      RuntimeError, KeyError, an MLIR error, ...)
  numpy-error-but-tensorc-succeeded   NumPy raised, tensorc returned values
  stabilized                          (not a failure) values differ only through the rewrites that
                                      compute a formula's exact value where NumPy's step-by-step
                                      evaluation overflows or underflows (tensorc-stabilize, and
                                      canonicalize's log(exp(x)) -> x and exp(log(x)) -> x): the same
                                      graph compiled without them (UNSTABILIZED) matches NumPy on every
                                      call, and NumPy's value is inf or nan wherever they differ; e.g. log(sigmoid(-1e18)) = -1e18 where NumPy gives -inf.
and, found by the campaign runner from outside the process: crash (the process died: signal or
abort) and hang (the per-case timeout). A case's class is its worst outcome.

Comparison: the same dtype (NumPy 2 promotion, with tensorc's documented widening of float16/int8
results, see generator.py), the same shape, and values within a tolerance: exact for ints and bools,
NaN equal to NaN, signed zeros equal, inf only equal to the same inf, and for floats
|got - want| <= atol + rtol*|want| + 4*dev, where rtol/atol are 1e-5/1e-6 for float32 (1e-4/1e-5
when the output depends on a transcendental function) and 1e-12/1e-13 for float64 (1e-11/1e-12), and
`dev` is how far the NumPy result moves when the inexact steps are perturbed: the outputs of
transcendental functions by a relative 1e-6 (float32) / 1e-14 (float64), and the operands of sums,
means, products, var/std, matmul and the softmax family by eps*(2 + log2(n)) for n elements (the
accuracy of pairwise summation, which is what NumPy does); one of the perturbed runs also evaluates
sums, means and matmuls in long double (rounded back to the result dtype), so that a result that
overflows on the way in one summation order and not in another (inf in one, nan or finite in the
other) counts as ill-conditioned. Graph inputs are never perturbed (sin of a
huge input must be right), exact operations (+ - * / comparisons, casts) are never perturbed; two
more runs perturb every inexact step by its full size, one upwards and one downwards. An
element whose NumPy value changes class (finite/inf/nan) or, for ints and bools, changes at all
under the perturbation is ill-conditioned and is not compared.
"""
from __future__ import annotations

import math
import re
import traceback
import warnings

import numpy as np

from . import npref
from .generator import Case, NP_GLOBALS, subcase
from ..tolerances import tolerance

FLAVORS = ("function", "fast", "trace")
#: The default mode without the rewrites that replace NumPy's step-by-step value by the exact one.
UNSTABILIZED = 'tc.Mode().excluding("stabilize", "log-exp", "exp-log")'
NOISE_RUNS = 3
CLEAR_ERRORS = (ValueError, TypeError, IndexError, OverflowError, NotImplementedError, MemoryError)

# worst first
SEVERITY = ["crash", "hang", "wrong", "rejected", "numpy-error-but-tensorc-succeeded", "numpy-error-unclear",
            "stabilized", "numpy-error-ok", "ok"]
FAILING = {"crash", "hang", "wrong", "rejected", "numpy-error-but-tensorc-succeeded", "numpy-error-unclear"}


def worst(classes):
    classes = list(classes)
    return min(classes, key=SEVERITY.index) if classes else "ok"


def normalize_message(text: str) -> str:
    """An error message with what varies between instances of one bug removed."""
    text = re.sub(r"\(at [^)]*\)", "", text)
    text = re.sub(r"<fuzz[^>]*>(:\d+)?", "<src>", text)
    text = re.sub(r"0x[0-9a-fA-F]+", "N", text)
    text = re.sub(r"\d+(\.\d+)?(e[+-]?\d+)?", "N", text)
    text = re.sub(r"'[a-c]'|\b[a-c]\b", "X", text)  # argument names a, b, c
    text = re.sub(r"\bv\d+\b|\bvN\b", "V", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:200]


def describe_error(e: BaseException) -> str:
    msg = str(e)
    if len(msg) > 1500:
        msg = msg[:1500] + " ..."
    return f"{type(e).__name__}: {msg}"


# ---- the NumPy side ---------------------------------------------------------------------------------

def _perturb(x, delta, rng, direction=0):
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    if x.size == 0 or delta == 0:
        return x
    u = np.full(x.shape, float(direction)) if direction else rng.uniform(-1.0, 1.0, x.shape)
    with np.errstate(all="ignore"):
        return (x.astype(np.float64) * (1.0 + delta * u)).astype(x.dtype)


def _eps(dt):
    return float(np.finfo(dt).eps) if np.dtype(dt).kind == "f" else float(np.finfo(np.float64).eps)


# sums and matmuls, which can be evaluated in long double (x86: 80 bits, range 1e4932) on the way
_WIDENABLE = {"reduce_sum", "reduce_mean", "matmul", "dot"}


def numpy_run(case: Case, call: int, noise_seed=None, scale=False, direction=0):
    """The outputs NumPy computes for one call (np.asarray'd), or the exception it raised.
    With noise_seed, the inexact steps are perturbed (see the module docstring); with scale too, sums
    and matmuls are also evaluated in long double and rounded back, which exposes results that depend
    on the summation order through an intermediate overflow. With direction (+1 or -1) every
    perturbation is its full size that way, so that a value at a rounding boundary is pushed across
    it (a float32 tanh 1 ulp below 1.0, cast to int, is 0 or 1: seed 16520)."""
    rng = np.random.default_rng(noise_seed) if noise_seed is not None else None
    env = {i.name: i.data[call] for i in case.inputs}
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for node in case.needed():
            local = env
            wide = rng is not None and scale and node.noise and node.op in _WIDENABLE
            if rng is not None and node.noise and node.noise[0] == "in":
                local = dict(env)
                for a in node.args:
                    v = np.asarray(env[a])
                    dt = v.dtype if v.dtype.kind == "f" else np.float64
                    local[a] = _perturb(v, _eps(dt) * (2 + math.log2(max(v.size, 1))), rng, direction)
                    if wide:  # unperturbed: a perturbed FLT_MAX could round to inf (seed 19425)
                        local[a] = v.astype(np.longdouble)
            try:
                value = eval(node.np, NP_GLOBALS, dict(local))
            except Exception as e:  # noqa: BLE001
                return e, node.name
            if wide:
                # sums of finite terms that overflow in one order and not in another (inf in one, nan in
                # another): in the wider range of long double nothing overflows on the way
                out_dt = eval(node.np, NP_GLOBALS, dict(env)).dtype
                value = np.asarray(value).astype(out_dt)
            if rng is not None and node.noise and node.noise[0] == "out":
                v = np.asarray(value)
                if v.dtype.kind == "f":
                    value = _perturb(v, 1e-6 if v.dtype == np.float32 else 1e-14, rng, direction)
            if rng is not None and node.noise and node.noise[0] == "in" and node.op.split(":")[0] in (
                    "softmax", "log_softmax", "logsumexp", "reduce_var", "reduce_std"):
                v = np.asarray(value)
                if v.dtype.kind == "f":
                    value = _perturb(v, 1e-6 if v.dtype == np.float32 else 1e-14, rng, direction)
            env[node.name] = value
    return [np.asarray(env[o]) for o in case.outputs], None


class Reference:
    """NumPy's results for one call, and the perturbed results that measure their conditioning."""

    def __init__(self, case: Case, call: int):
        self.outputs, self.error_node = numpy_run(case, call)
        self.error = self.outputs if isinstance(self.outputs, BaseException) else None
        self.noisy = []
        if self.error is None:
            # NOISE_RUNS random perturbations, then one at full size upwards and one downwards
            for k, direction in [(k, 0) for k in range(NOISE_RUNS)] + [(NOISE_RUNS, 1), (NOISE_RUNS + 1, -1)]:
                out, _ = numpy_run(case, call, noise_seed=1000 * case.seed + 10 * call + k, scale=(k == 0),
                                   direction=direction)
                if isinstance(out, BaseException):
                    continue
                self.noisy.append(out)


def _classes(x):
    """0 finite, 1 +inf, 2 -inf, 3 nan."""
    c = np.zeros(x.shape, np.int8)
    c[np.isposinf(x)] = 1
    c[np.isneginf(x)] = 2
    c[np.isnan(x)] = 3
    return c


def compare(got, want, noisy, transcendental):
    """None when `got` matches NumPy's `want`, else (kind, detail)."""
    if not isinstance(got, np.ndarray):
        return "type", f"returned a {type(got).__name__}, not an ndarray"
    if got.dtype != want.dtype:
        return "dtype", f"dtype {got.dtype}, NumPy gives {want.dtype}"
    if got.shape != want.shape:
        return "shape", f"shape {got.shape}, NumPy gives {want.shape}"
    if want.size == 0:
        return None
    stable = np.ones(want.shape, bool)
    noisy = [np.asarray(n) for n in noisy if np.shape(n) == want.shape]
    if want.dtype.kind == "f":
        wc = _classes(want)
        dev = np.zeros(want.shape, np.float64)
        for n in noisy:
            nc = _classes(n)
            stable &= nc == wc
            with np.errstate(all="ignore"):
                d = np.abs(n.astype(np.float64) - want.astype(np.float64))
            dev = np.maximum(dev, np.where((nc == 0) & (wc == 0), d, 0.0))
        gc = _classes(got)
        rtol, atol = tolerance(want.dtype, transcendental)
        with np.errstate(all="ignore"):
            w64 = want.astype(np.float64)
            diff = np.abs(got.astype(np.float64) - w64)
            limit = atol + rtol * np.abs(w64) + 4 * dev
        bad = (gc != wc) | ((gc == 0) & (wc == 0) & ~(diff <= limit))
    else:
        for n in noisy:
            if n.dtype == want.dtype:
                stable &= n == want
        bad = got != want
    bad &= stable
    if not bad.any():
        return None
    idx = tuple(int(i) for i in np.argwhere(bad)[0])
    g, w = got[idx], want[idx]
    # "value-nonfinite": NumPy's value is inf or nan wherever they differ (its evaluation overflowed or
    # underflowed there); only such differences can be "stabilized" (run_case).
    kind = "value-nonfinite" if want.dtype.kind == "f" and (wc[bad] != 0).all() else "value"
    return kind, (f"{int(bad.sum())} of {want.size} elements differ; first at {idx}: tensorc {g!r}, "
                     f"NumPy {w!r}")


# ---- the tensorc side -------------------------------------------------------------------------------

def _tc():
    import tensorc as tc
    return tc


def build(case: Case, flavor: str):
    """The compiled callable for an entry point (f or g); raises what tensorc raises."""
    tc = _tc()
    env = {"np": np, "tc": tc, "ref": npref, "nan": np.nan, "inf": np.inf, "__builtins__": __builtins__}
    if flavor == "trace":
        src, name = case.trace_source(), "g"
    elif flavor == "unstabilized":  # the default mode without the exact-value rewrites (see run_case)
        src, name = case.function_source(mode_expr=UNSTABILIZED), "f"
    else:
        src, name = case.function_source("FAST_COMPILE" if flavor == "fast" else None), "f"
    code = compile(src, f"<fuzz-{case.seed}-{flavor}>", "exec")
    exec(code, env)
    return env[name]


def _snapshot(arr):
    base = arr.base if isinstance(arr.base, np.ndarray) else None
    return arr.copy(order="K"), (base.copy() if base is not None else None)


def _unchanged(arr, snap):
    copy, base_copy = snap
    if arr.tobytes() != copy.tobytes():
        return False
    if base_copy is not None and arr.base.tobytes() != base_copy.tobytes():
        return False
    return True


def _scribble(out):
    if out.dtype == np.bool_:
        np.logical_not(out, out=out)
    else:
        out[...] = 77


class Outcome:
    __slots__ = ("flavor", "call", "cls", "kind", "detail", "signature", "error")

    def __init__(self, flavor, call, cls, kind="", detail="", error=None):
        self.flavor, self.call, self.cls, self.kind, self.detail = flavor, call, cls, kind, detail
        self.error = error
        self.signature = ""

    def as_dict(self):
        return {"flavor": self.flavor, "call": self.call, "class": self.cls, "kind": self.kind,
                "detail": self.detail, "signature": self.signature}


def _error_outcome(flavor, call, ref_error, err, where):
    clear = isinstance(err, CLEAR_ERRORS)
    if ref_error is not None:
        cls = "numpy-error-ok" if clear else "numpy-error-unclear"
        detail = f"NumPy: {describe_error(ref_error)} | tensorc ({where}): {describe_error(err)}"
        return Outcome(flavor, call, cls, type(err).__name__, detail, err)
    return Outcome(flavor, call, "rejected", type(err).__name__, f"tensorc ({where}): {describe_error(err)}", err)


def run_flavor(case: Case, flavor: str, refs, progress=None, calls=(0, 1)):
    """Outcomes of one entry point, one per call."""
    outcomes = []
    progress and progress(f"{flavor}:build")
    try:
        fn = build(case, flavor)
        build_error = None
    except Exception as e:  # noqa: BLE001
        fn, build_error = None, e
        build_tb = traceback.format_exc(limit=-3)
    previous = []  # outputs of the earlier call, which the later one must not share memory with
    for call in calls:
        ref = refs[call]
        if build_error is not None:
            o = _error_outcome(flavor, call, ref.error, build_error, "building")
            if o.cls != "numpy-error-ok":
                o.detail += "\n" + build_tb
            outcomes.append(o)
            continue
        args = [i.argument(call) for i in case.inputs]
        snaps = [_snapshot(a) for a in args]
        progress and progress(f"{flavor}:call{call}")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = fn(*args)
            error = None
        except Exception as e:  # noqa: BLE001
            got, error = None, e
        progress and progress(f"{flavor}:check{call}")
        modified = [i.name for i, a, s in zip(case.inputs, args, snaps) if not _unchanged(a, s)]
        if modified:
            outcomes.append(Outcome(flavor, call, "wrong", "input-modified", f"inputs {modified} were written to"))
            continue
        if error is not None:
            o = _error_outcome(flavor, call, ref.error, error, "calling")
            if o.cls == "rejected":
                o.detail += "\n" + "".join(traceback.format_exception(error, limit=-3))
            outcomes.append(o)
            continue
        if ref.error is not None:
            outcomes.append(Outcome(flavor, call, "numpy-error-but-tensorc-succeeded", type(ref.error).__name__,
                                    f"NumPy: {describe_error(ref.error)} | tensorc returned "
                                    f"{_short(got)}"))
            continue
        outcomes.append(check_outputs(case, flavor, call, got, ref, args, snaps, previous))
    return outcomes


def _short(got):
    try:
        return "; ".join(f"{np.asarray(g).dtype}{np.shape(g)} {np.array2string(np.asarray(g), threshold=8)}"
                         for g in got)[:300]
    except Exception:  # noqa: BLE001
        return repr(got)[:300]


def check_outputs(case, flavor, call, got, ref, args, snaps, previous):
    if not isinstance(got, list) or len(got) != len(ref.outputs):
        return Outcome(flavor, call, "wrong", "type", f"returned {type(got).__name__} {got!r:.200}, expected a "
                       f"list of {len(ref.outputs)} arrays")
    for k, (g, w) in enumerate(zip(got, ref.outputs)):
        noisy = [n[k] for n in ref.noisy]
        bad = compare(g, w, noisy, case.transcendental(case.outputs[k]))
        if bad is not None:
            kind, detail = bad
            return Outcome(flavor, call, "wrong", kind, f"output {k} ({case.outputs[k]}): {detail}")
    # memory: outputs own their memory
    for i in range(len(got)):
        for j in range(i + 1, len(got)):
            if got[i].size and got[j].size and np.shares_memory(got[i], got[j]):
                return Outcome(flavor, call, "wrong", "aliasing",
                               f"outputs {i} ({case.outputs[i]}) and {j} ({case.outputs[j]}) share memory")
        for name, a in zip((x.name for x in case.inputs), args):
            if got[i].size and a.size and np.shares_memory(got[i], a):
                return Outcome(flavor, call, "wrong", "aliasing", f"output {i} shares memory with input {name}")
        for p in previous:
            if got[i].size and p.size and np.shares_memory(got[i], p):
                return Outcome(flavor, call, "wrong", "aliasing",
                               f"output {i} shares memory with an output of the previous call")
    # writing into one output changes nothing else
    for i, g in enumerate(got):
        if not g.size or not g.flags.writeable:
            continue
        others = [(j, o.copy()) for j, o in enumerate(got) if j != i]
        _scribble(g)
        for j, copy in others:
            if got[j].tobytes() != copy.tobytes():
                return Outcome(flavor, call, "wrong", "aliasing",
                               f"writing into output {i} changed output {j}")
        if not all(_unchanged(a, s) for a, s in zip(args, snaps)):
            return Outcome(flavor, call, "wrong", "aliasing", f"writing into output {i} changed an input")
    previous.extend(got)
    return Outcome(flavor, call, "ok")


def signature(case: Case, o: Outcome) -> str:
    if o.cls == "wrong" and o.kind == "aliasing":
        m = re.match(r"outputs \d+ \((\w+)\) and \d+ \((\w+)\)", o.detail)
        if m:
            return "wrong:aliasing:" + ("the same value returned twice" if m.group(1) == m.group(2)
                                        else "outputs share memory")
        return "wrong:aliasing:" + normalize_message(o.detail)
    if o.cls == "wrong":
        out_op = ""
        m = re.search(r"\((v\d+|[abc])\)", o.detail)
        if m:
            name = m.group(1)
            node = next((n for n in case.nodes if n.name == name), None)
            out_op = node.op.split(":")[0] if node else "input"
        return f"wrong:{o.kind}:{out_op}"
    if o.cls in ("rejected", "numpy-error-unclear", "numpy-error-but-tensorc-succeeded"):
        msg = o.detail.split("\n")[0]
        if "CompileError" in msg:  # the MLIR diagnostic is on a later line
            diag = next((ln for ln in o.detail.split("\n") if "error:" in ln), "")
            msg += " " + re.sub(r'^.*?error: "[^"]*":\d+:\d+: ', "", diag)
        if o.cls == "numpy-error-but-tensorc-succeeded":
            msg = msg.split(" | ")[0]
        else:
            msg = msg.split(" | ")[-1]
        return f"{o.cls}:{normalize_message(msg)}"
    return o.cls


def run_case(case: Case, progress=None, flavors=FLAVORS, calls=(0, 1)):
    """All outcomes of a case, with signatures; and the case's class."""
    refs = {c: Reference(case, c) for c in calls}
    outcomes = []
    for flavor in flavors:
        outcomes += run_flavor(case, flavor, refs, progress, calls)
    # Values that differ in the default mode (function, trace) but not once the exact-value rewrites are
    # left out (UNSTABILIZED) differ by such a rewrite: "stabilized", reported but not failing.
    differ = [o for o in outcomes if o.cls == "wrong" and o.kind.startswith("value") and o.flavor in ("function", "trace")]
    if differ and all(o.kind == "value-nonfinite" for o in differ):
        plain = run_flavor(case, "unstabilized", refs, progress, calls)
        if all(p.cls == "ok" for p in plain):
            for o in differ:
                o.cls = "stabilized"
                o.detail = "differs from NumPy only through tensorc-stabilize: " + o.detail
    for o in outcomes:
        o.signature = signature(case, o)
    return outcomes, worst(o.cls for o in outcomes)


def findings(case: Case, outcomes):
    """The failing outcomes grouped by signature: [{class, signature, where, detail, reproducer}]."""
    groups = {}
    for o in outcomes:
        if o.cls not in FAILING:
            continue
        g = groups.setdefault(o.signature, {"class": o.cls, "signature": o.signature, "where": [],
                                            "detail": o.detail, "flavor": o.flavor, "call": o.call})
        g["where"].append(f"{o.flavor}:call{o.call}")
    for g in groups.values():
        g["reproducer"] = reproducer(case, g["flavor"], g["call"])
    return list(groups.values())


# ---- reproducers --------------------------------------------------------------------------------------

def reproducer(case: Case, flavor: str, call: int) -> str:
    """Python source a human can paste (from the repository root) to see the finding."""
    lines = ["import numpy as np", "import tensorc as tc", "from numpy import nan, inf"]
    if case.uses_ref():
        lines.append("from tests.fuzz import npref as ref")
    if case.uses_make_case():
        lines.append("from tests.fuzz.generator import make_case")
    lines.append("")
    if flavor == "trace":
        lines.append(case.trace_source())
        fn = "g"
    else:
        lines.append(case.function_source("FAST_COMPILE" if flavor == "fast" else None))
        fn = "f"
    lines.append(case.numpy_source())
    for c in range(call + 1):
        names = ", ".join(f"{i.name}{c}" for i in case.inputs)
        lines.append(f"# call {c}")
        lines.append(case.inputs_source(c, suffix=str(c)).rstrip("\n"))
        if c < call:
            lines += ["try:", f"    {fn}({names})", "except Exception as e:", "    print('call 0:', repr(e))"]
            continue
        lines += [
            "try:",
            f"    got = {fn}({names})",
            "except Exception as e:",
            "    got = e",
            "try:",
            "    with np.errstate(all='ignore'):",
            f"        want = numpy_version({names})",
            "except Exception as e:",
            "    want = e",
            "print('tensorc:', got)",
            "print('NumPy:  ', want)",
        ]
    return "\n".join(lines) + "\n"


def subcase_outputs(case: Case, output: str) -> Case:
    return subcase(case, [output])
