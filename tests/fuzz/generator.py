"""Random well-typed tensorc programs, from a seed.

`make_case(seed)` returns a `Case`: 1-3 inputs (rank 0-4, dtypes float32/float64/int32/int64/bool),
input data for two calls with different shapes (same ranks and dtypes), and a DAG of 1-12 nodes.
Each node is one expression, written three ways:

  np  NumPy code on arrays (the reference; NumPy 2 promotion, Python scalars weak),
  tc  tensorc on symbolic inputs (`tc.function`), using tc.* functions,
  tr  the body of a `@tc.compile` traced function, using NumPy functions/ufuncs/methods on the traced
      values where tensorc dispatches them (numpy_dispatch.py) and tc.* where NumPy has no function.

Operators, methods and indexing are the same text in all three. The generator evaluates each
candidate node with NumPy on the data of both calls as it goes, so it knows every shape and value:
it keeps mostly nodes that NumPy accepts on both calls; with a small probability it keeps one node
that NumPy rejects (then the case is a "NumPy error" case: tensorc must raise too) and stops there.

What the generator covers: broadcasting between inputs that share dimension symbols (sizes 0, 1 and
up, size-1 dims that are 1 in both calls, that are 1 in one call only, and that arise at run time
from slicing a dynamic dim such as x[:, -2:2:3]); special values (inf, -inf, nan, -0.0, subnormals,
huge values, INT_MIN/INT_MAX); arithmetic (+ - * / // % ** maximum minimum), comparisons, logical
and bitwise ops, ~, unary math (exp log log1p expm1 sqrt tanh sin cos square abs negative sign floor
ceil sigmoid softplus erf), logaddexp, where, clip, astype; reductions (sum prod mean max min any all
var std argmax argmin, ufunc.reduce) with axis None / int / negative / tuple / () and keepdims;
softmax, log_softmax, logsumexp; matmul / @ / dot in every rank combination (1-D, 2-D, batched with
broadcasting); reshape (with -1 and symbolic sizes), ravel, transpose/.T/swapaxes/moveaxis,
expand_dims and None indexing, squeeze(axis), concatenate/stack (axis None too), broadcast_to;
basic indexing (ints, negative steps, out-of-range bounds, Ellipsis); gathers (constant index arrays
and lists, `p[arange(n), labels]`, index arrays computed in the graph, non-adjacent index arrays);
creation (zeros/ones/full/arange with symbolic sizes, *_like); x.shape[k] and x.size as operands;
Python scalars (weak), NumPy scalars and small constant arrays as operands; outputs that are inputs,
duplicates of another output, or intermediate values; inputs in C, Fortran, negative-stride and
strided layouts; once in a while a large 1-D input (up to ~1M elements) for long reductions.

Excluded, each because tensorc documents it as unsupported or as differing from NumPy (README.md,
docs/DIALECT.md, the module docstrings of src/frontend):
  - dtypes other than float32/float64/int32/int64/bool as inputs (the corpus in
    tests/soundness/test_bad_inputs.py checks that they are refused);
  - where NumPy would compute in float16/int8/... (only with bool operands: np.exp(bool),
    bool // bool, ...), tensorc documents widening to float32/int32 (dtypes.py): the NumPy side
    casts those bool operands to the widened dtype (`b.astype(np.float32)`) so that both compute in
    the same dtype;
  - squeeze() without an axis (documented: removes only dimensions known to be 1 when the graph is
    built), boolean-mask indexing, symbolic slice bounds, one-argument where, tc.dot with a
    second operand of rank >= 3, order= other than "C" (all documented NotImplementedError or
    different semantics);
  - default dtypes of creation functions (tc.zeros defaults to float32, NumPy to float64): the
    generator always passes dtype= to zeros/ones/full/arange with float values;
  - float -> int casts of nan, inf or out-of-range values (undefined in NumPy too), mean(dtype=int)
    of an empty axis included (NumPy casts 0/0 = nan to int there): a cast is only
    generated when every value being cast is finite and in range in both calls, and full/full_like
    of an integer dtype only with fill values that fit.
Nothing is excluded because tensorc gets it wrong today.
"""
from __future__ import annotations

import math
import random
import warnings
from dataclasses import dataclass, field

import numpy as np

from . import npref

SUPPORTED = tuple(np.dtype(t) for t in ("float32", "float64", "int32", "int64", "bool"))
WIDEN = {np.dtype("float16"): np.dtype("float32"), np.dtype("int8"): np.dtype("int32"),
         np.dtype("int16"): np.dtype("int32"), np.dtype("uint8"): np.dtype("int32"),
         np.dtype("uint16"): np.dtype("int32"), np.dtype("uint32"): np.dtype("int64"),
         np.dtype("uint64"): np.dtype("int64")}
DTYPE_NAMES = {np.dtype("float32"): "float32", np.dtype("float64"): "float64", np.dtype("int32"): "int32",
               np.dtype("int64"): "int64", np.dtype("bool"): "bool_"}

MAX_ELEMENTS = 3_000_000      # a node whose result is larger is not generated (outer products of big inputs)
P_NUMPY_ERROR = 0.12          # probability of keeping a node NumPy rejects
NAMES = ("a", "b", "c")

# Evaluation namespace of the NumPy side (what the reproducers import).
NP_GLOBALS = {"np": np, "ref": npref, "nan": np.nan, "inf": np.inf, "__builtins__": __builtins__}

TRANSCENDENTAL = {"exp", "log", "log1p", "expm1", "tanh", "sin", "cos", "sigmoid", "softplus", "erf",
                  "logaddexp", "power", "softmax", "log_softmax", "logsumexp", "sqrt", "var", "std"}


def dtype_expr(dt) -> str:
    return "np." + DTYPE_NAMES[np.dtype(dt)]


def tc_dtype(dt) -> str:
    return repr(np.dtype(dt).name)


# ---- literals ---------------------------------------------------------------------------------------

def float_lit(v: float) -> str:
    if math.isnan(v):
        return "np.nan"
    if math.isinf(v):
        return "np.inf" if v > 0 else "(-np.inf)"
    text = repr(float(v))
    return f"({text})" if text.startswith("-") else text


def int_lit(v: int) -> str:
    return f"({v})" if v < 0 else str(v)


def scalar_lit(v) -> str:
    if isinstance(v, bool):
        return repr(v)
    if isinstance(v, int):
        return int_lit(v)
    return float_lit(v)


def _elem(v, kind) -> str:
    if kind == "b":
        return "True" if v else "False"
    if kind in "iu":
        return str(int(v))
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(v)


def array_lit(arr: np.ndarray) -> str:
    """np.array(...) source that rebuilds `arr` exactly (values, dtype, shape)."""
    arr = np.asarray(arr)
    kind = arr.dtype.kind
    flat = ", ".join(_elem(v, kind) for v in arr.reshape(-1))
    dt = dtype_expr(arr.dtype)
    if arr.ndim == 0:
        return f"np.array({_elem(arr.reshape(-1)[0], kind)}, dtype={dt})"
    if arr.ndim == 1 and arr.size:
        return f"np.array([{flat}], dtype={dt})"
    return f"np.array([{flat}], dtype={dt}).reshape({arr.shape})"


# ---- data model -------------------------------------------------------------------------------------

#: The largest matmul result the generator makes (elements): an outer product of two of the large
#: 1-D-derived inputs (72056 x 8 @ 8 x 72056 is 5e9 elements, 20 GB) would only measure the machine.
MAX_MATMUL_RESULT = 1 << 22


@dataclass
class Input:
    name: str
    dtype: np.dtype
    ndim: int
    data: list            # one array per call
    layouts: list         # "C", "F", "rev", "strided" per call

    def argument(self, call: int) -> np.ndarray:
        """The array passed to the compiled function: the data, in the call's layout."""
        return with_layout(self.data[call], self.layouts[call])


def with_layout(arr: np.ndarray, layout: str) -> np.ndarray:
    if layout == "F":
        return np.asfortranarray(arr)
    if layout == "rev":      # a negative-stride view with the same values
        return np.ascontiguousarray(arr[::-1])[::-1]
    if layout == "strided":  # a view with stride 2 on the last axis
        return np.repeat(arr, 2, axis=-1)[..., ::2]
    return np.array(arr, order="C", copy=True)


def layout_source(expr: str, layout: str) -> str:
    if layout == "F":
        return f"np.asfortranarray({expr})"
    if layout == "rev":
        return f"np.ascontiguousarray({expr}[::-1])[::-1]"
    if layout == "strided":
        return f"np.repeat({expr}, 2, axis=-1)[..., ::2]"
    return expr


@dataclass
class Node:
    name: str
    op: str                 # a short name for signatures ("add", "reduce_sum", ...)
    args: list              # names of the values it reads
    np: str                 # the three renderings
    tc: str
    tr: str
    noise: tuple = ()       # ("out",) inexact elementwise result; ("in", n) reduction/matmul over its args
    error: list = None      # per call: None, or the exception NumPy raised


@dataclass
class Case:
    seed: int
    inputs: list
    nodes: list
    outputs: list
    values: list = field(default_factory=list, repr=False)  # per call: {name: NumPy value}

    @property
    def numpy_error(self) -> bool:
        return any(n.error is not None and any(e is not None for e in n.error) for n in self.nodes)

    def needed(self, outputs=None) -> list:
        """Nodes the outputs depend on, in order."""
        outputs = self.outputs if outputs is None else outputs
        by_name = {n.name: n for n in self.nodes}
        keep, stack = set(), list(outputs)
        while stack:
            name = stack.pop()
            if name in by_name and name not in keep:
                keep.add(name)
                stack.extend(by_name[name].args)
        return [n for n in self.nodes if n.name in keep]

    def transcendental(self, output: str) -> bool:
        return any(n.op.split(":")[0] in TRANSCENDENTAL for n in self.needed([output]))

    # ---- sources ----
    def _body(self, flavor: str, indent: str) -> list:
        return [f"{indent}{n.name} = {getattr(n, flavor)}" for n in self.needed()]

    def _outs(self) -> str:
        return "[" + ", ".join(self.outputs) + "]"

    def numpy_source(self) -> str:
        names = ", ".join(i.name for i in self.inputs)
        lines = [f"def numpy_version({names}):"] + self._body("np", "    ") + [f"    return {self._outs()}"]
        return "\n".join(lines) + "\n"

    def function_source(self, mode=None, mode_expr=None) -> str:
        """tc.function source; `mode` a preset name, or `mode_expr` the source of a tc.Mode."""
        lines = [f"{i.name} = tc.tensor(dtype={tc_dtype(i.dtype)}, ndim={i.ndim}, name={i.name!r})"
                 for i in self.inputs]
        lines += self._body("tc", "")
        names = ", ".join(i.name for i in self.inputs)
        mode_arg = f", mode={mode_expr}" if mode_expr else (f", mode={mode!r}" if mode else "")
        lines.append(f"f = tc.function([{names}], {self._outs()}{mode_arg})")
        return "\n".join(lines) + "\n"

    def trace_source(self) -> str:
        names = ", ".join(i.name for i in self.inputs)
        lines = ["@tc.compile", f"def g({names}):"] + self._body("tr", "    ") + [f"    return {self._outs()}"]
        return "\n".join(lines) + "\n"

    def inputs_source(self, call: int, suffix: str = "") -> str:
        lines = []
        for k, i in enumerate(self.inputs):
            arr = i.data[call]
            if arr.size > 256:
                expr = f"make_case({self.seed}).inputs[{k}].data[{call}]"
            else:
                expr = array_lit(arr)
            lines.append(f"{i.name}{suffix} = {layout_source(expr, i.layouts[call])}")
        return "\n".join(lines) + "\n"

    def uses_make_case(self) -> bool:
        return any(i.data[c].size > 256 for i in self.inputs for c in (0, 1))

    def uses_ref(self) -> bool:
        return any("ref." in n.np for n in self.needed())

    def summary(self) -> str:
        ins = ", ".join(f"{i.name}: {i.dtype} {i.data[0].shape}/{i.data[1].shape}" for i in self.inputs)
        return f"seed {self.seed}: {len(self.needed())} nodes; inputs {ins}"


# ---- values ------------------------------------------------------------------------------------------

F32_SPECIAL = [np.inf, -np.inf, np.nan, -0.0, 0.0, 1e-45, 1e-40, -3e-42, 1.1754944e-38, 3.4028235e38,
               -3.4028235e38, 1e30, -1e30, 1e10, 1e5, -2.5e4, 88.8, 89.5, -104.0, 0.5, -0.5, 1.5, -2.5,
               16777216.0, 1.0, -1.0]
F64_SPECIAL = [np.inf, -np.inf, np.nan, -0.0, 0.0, 5e-324, 1e-310, -2e-315, 2.2250738585072014e-308,
               1.7976931348623157e308, -1.7976931348623157e308, 1e300, -1e300, 1e100, 1e16, 1e5, 710.0,
               -745.5, 0.5, -0.5, 1.5, -2.5, 9007199254740993.0, 1.0, -1.0]


def int_specials(dt):
    info = np.iinfo(dt)
    return [info.min, info.max, info.min + 1, info.max - 1, -1, 0, 1, 2, -2, 1 << 16, -(1 << 15)]


class Generator:
    def __init__(self, seed: int):
        self.seed = seed
        self.rng = random.Random(seed)
        self.nrng = np.random.default_rng(seed)
        self.values = []      # available values: (name, dtype, [v0, v1], is_input)
        self.envs = [{}, {}]  # per call: name -> NumPy value
        self.nodes = []
        self.inputs = []
        self.error_node = None

    # ---- random helpers ----
    def chance(self, p) -> bool:
        return self.rng.random() < p

    def choice(self, seq):
        return self.rng.choice(seq)

    def wchoice(self, pairs):
        items, weights = zip(*pairs)
        return self.rng.choices(items, weights)[0]

    # ---- inputs ----
    def make_inputs(self):
        rng = self.rng
        nsym = 3
        sizes = [0, 1, 2, 3, 4, 5, 6, 7]
        weights = [4, 12, 20, 22, 18, 12, 7, 5]
        sym = [[rng.choices(sizes, weights)[0] for _ in range(nsym)] for _ in range(2)]
        if sym[0] == sym[1]:
            k = rng.randrange(nsym)
            sym[1][k] = rng.choice([s for s in sizes if s != sym[0][k]])
        n_inputs = rng.choice([1, 1, 2, 2, 2, 3, 3])
        same_dtype = self.chance(0.45)
        dt0 = self.random_dtype()
        big = self.chance(0.03)
        order = list(range(nsym))
        rng.shuffle(order)
        for k in range(n_inputs):
            dt = dt0 if same_dtype else self.random_dtype()
            ndim = rng.choices([0, 1, 2, 3, 4], [7, 25, 36, 20, 12])[0]
            dims = []
            for j in range(ndim):  # j counts from the right, so trailing dims tend to agree
                if self.chance(0.15):
                    dims.append(None)  # a literal 1 in both calls
                elif self.chance(0.75):
                    dims.append(order[j % nsym])
                else:
                    dims.append(rng.randrange(nsym))
            dims.reverse()
            shapes = [tuple(1 if d is None else sym[c][d] for d in dims) for c in (0, 1)]
            if big and k == 0:
                dt = self.choice([np.dtype("float32")] * 3 + [np.dtype("float64"), np.dtype("int32")])
                ndim = self.choice([1, 1, 2])
                if ndim == 1:
                    shapes = [(rng.randint(60_000, 300_000),), (rng.randint(300_000, 1_100_000),)]
                else:
                    shapes = [(rng.randint(2, 9), rng.randint(20_000, 120_000)),
                              (rng.randint(2, 9), rng.randint(20_000, 120_000))]
            data = [self.random_array(dt, shapes[c], big and k == 0) for c in (0, 1)]
            layouts = [self.random_layout(ndim) for _ in (0, 1)]
            name = NAMES[k]
            self.inputs.append(Input(name, dt, ndim, data, layouts))
            self.add_value(name, dt, data, True)

    def random_dtype(self):
        return np.dtype(self.wchoice([("float32", 30), ("float64", 25), ("int32", 12), ("int64", 15),
                                      ("bool", 14)]))

    def random_layout(self, ndim):
        if ndim == 0:
            return "C"
        return self.wchoice([("C", 70), ("F", 10 if ndim >= 2 else 0), ("rev", 10), ("strided", 10)])

    def random_array(self, dt, shape, big=False):
        nrng = self.nrng
        n = int(np.prod(shape))
        if dt.kind == "b":
            return nrng.random(shape) < self.rng.random()
        if big:
            if dt.kind == "f":
                return nrng.random(shape).astype(dt)
            return nrng.integers(-1000, 1000, shape).astype(dt)
        if dt.kind == "f":
            mode = self.wchoice([("normal", 35), ("uniform", 20), ("ints", 20), ("positive", 17), ("wide", 8)])
            if mode == "normal":
                a = nrng.normal(0, 1.5, shape)
            elif mode == "uniform":
                a = nrng.uniform(-3, 3, shape)
            elif mode == "ints":
                a = nrng.integers(-4, 5, shape).astype(np.float64)
            elif mode == "positive":
                a = nrng.uniform(0.05, 4, shape)
            else:
                a = np.sign(nrng.normal(size=shape)) * 10.0 ** nrng.uniform(-30, 30, shape)
            a = np.asarray(a).astype(dt)
            if n and self.chance(0.35):
                specials = F32_SPECIAL if dt == np.float32 else F64_SPECIAL
                k = self.rng.randint(1, max(1, n // 3))
                flat = a.reshape(-1)
                for pos in nrng.choice(n, size=k, replace=False):
                    flat[pos] = self.choice(specials)
                a = flat.reshape(shape)
            return a
        mode = self.wchoice([("small", 60), ("positive", 20), ("wide", 10), ("tiny", 10)])
        info = np.iinfo(dt)
        if mode == "small":
            a = nrng.integers(-5, 6, shape)
        elif mode == "positive":
            a = nrng.integers(0, 9, shape)
        elif mode == "tiny":
            a = nrng.integers(-1, 2, shape)
        else:
            a = nrng.integers(info.min, info.max, shape, endpoint=True, dtype=dt)
        a = np.asarray(a).astype(dt)
        if n and self.chance(0.25):
            k = self.rng.randint(1, max(1, n // 3))
            flat = a.reshape(-1)
            for pos in nrng.choice(n, size=k, replace=False):
                flat[pos] = self.choice(int_specials(dt))
            a = flat.reshape(shape)
        return a

    # ---- the pool of values ----
    def add_value(self, name, dt, vals, is_input=False):
        self.values.append((name, np.dtype(dt), vals, is_input))
        for c in (0, 1):
            self.envs[c][name] = vals[c]

    def shapes(self, name):
        return [np.shape(self.envs[c][name]) for c in (0, 1)]

    def dtype(self, name):
        for n, dt, _, _ in self.values:
            if n == name:
                return dt
        raise KeyError(name)

    def pick(self, pred=None, exclude=()):
        cands = [v for v in self.values if v[0] not in exclude and (pred is None or pred(v))]
        if not cands:
            return None
        weights = [1.0 + (4.0 if i >= len(cands) - 2 else 0.0) for i in range(len(cands))]
        return self.rng.choices(cands, weights)[0][0]

    def pick_kind(self, kinds, min_ndim=0, exclude=()):
        return self.pick(lambda v: v[1].kind in kinds and np.ndim(v[2][0]) >= min_ndim, exclude)

    def ndim(self, name):
        return np.ndim(self.envs[0][name])

    def sizes(self, name, axis):
        """The size of `axis` of a value in both calls."""
        return [self.shapes(name)[c][axis] for c in (0, 1)]

    # ---- scalars ----
    def weak_scalar(self, kind):
        if kind == "f":
            return float_lit(self.wchoice([(0.5, 8), (2.0, 8), (-1.5, 6), (3.0, 5), (0.0, 4), (-0.0, 2),
                                           (1e-3, 3), (1.0, 4), (-1.0, 3), (1e30, 2), (1e300, 1),
                                           (np.nan, 2), (np.inf, 2), (-np.inf, 1), (2.5, 4), (0.1, 3)]))
        if kind == "i":
            return int_lit(self.wchoice([(0, 4), (1, 6), (2, 8), (-1, 6), (3, 6), (-3, 4), (7, 3),
                                         (2**31 - 1, 2), (-2**31, 2), (2**31, 1), (2**62, 1), (-2**63, 1),
                                         (2**63, 1)]))
        return self.choice(["True", "False"])

    def operand_scalar(self, dt):
        """A Python scalar of the operand's kind (usually), or a NumPy scalar, for binary ops."""
        r = self.rng.random()
        if r < 0.7:
            kind = dt.kind if self.chance(0.8) else self.choice("fib")
            return self.weak_scalar(kind)
        if r < 0.85:
            t = self.choice(["float32", "float64", "int32", "int64"])
            kind = "f" if t.startswith("f") else "i"
            v = self.weak_scalar(kind)
            if kind == "i" and v.strip("()").lstrip("-").isdigit() and abs(int(v.strip("()"))) > 2**31 - 1:
                v = "2"
            return f"np.{t}({v})"
        return None  # caller uses a constant array

    def constant_array(self, like):
        """A small constant that broadcasts with `like` in both calls."""
        s0, s1 = self.shapes(like)
        dims = []
        for a, b in zip(s0, s1):
            dims.append(a if a == b and self.chance(0.7) else 1)
        keep = self.rng.randint(0, len(dims))
        dims = dims[len(dims) - keep:]
        if self.chance(0.15):
            dims = [1] + dims
        dt = self.dtype(like) if self.chance(0.7) else self.random_dtype()
        arr = self.random_array(dt, tuple(dims))
        return array_lit(arr)

    # ---- accepting nodes ----
    def emit(self, op, args, np_, tc_=None, tr_=None, noise=(), check=None):
        """Evaluate a candidate with NumPy on both calls; keep it (True) or not (False)."""
        tc_ = np_ if tc_ is None else tc_
        tr_ = np_ if tr_ is None else tr_
        name = f"v{len(self.nodes)}"
        results, errors = self.evaluate(np_, args)
        widened = None
        if not any(errors):
            dts = {np.result_type(r) for r in results}
            bad = [dt for dt in dts if dt not in SUPPORTED]
            if bad:
                target = WIDEN.get(bad[0])
                if target is None:
                    return False
                widened = self.widen(np_, args, target)
                results, errors = self.evaluate(widened, args)
                if any(errors) or any(np.result_type(r) != target for r in results):
                    return False
        if any(errors):
            if self.error_node is not None or not self.chance(P_NUMPY_ERROR):
                return False
            if any(isinstance(e, (MemoryError,)) for e in errors if e is not None):
                return False
        else:
            if any(np.size(r) > MAX_ELEMENTS for r in results):
                return False
            if len({np.result_type(r) for r in results}) != 1:
                return False
            if check is not None and not check(results):
                return False
        node = Node(name, op, list(args), widened or np_, tc_, tr_, tuple(noise),
                    errors if any(errors) else None)
        self.nodes.append(node)
        if any(errors):
            self.error_node = node
        else:
            self.add_value(name, np.result_type(results[0]), results)
        return True

    def widen(self, expr, args, target):
        # Only bool operands make NumPy pick float16/int8 loops: cast those, as tensorc does.
        out = expr
        for a in sorted(args, key=len, reverse=True):
            if self.dtype(a) == np.bool_:
                out = _replace_name(out, a, f"{a}.astype({dtype_expr(target)})")
        return out

    def evaluate(self, expr, args):
        results, errors = [], []
        code = compile(expr, "<node>", "eval")
        for c in (0, 1):
            try:
                with np.errstate(all="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    r = eval(code, NP_GLOBALS, dict(self.envs[c]))
                if isinstance(r, (list, tuple)):
                    raise TypeError("node evaluated to a sequence")
                results.append(r)
                errors.append(None)
            except Exception as e:  # noqa: BLE001 (NumPy's error is the point)
                results.append(None)
                errors.append(e)
        return results, errors

    # ---- the program ----
    def build(self) -> Case:
        self.make_inputs()
        n_nodes = self.rng.randint(1, 12)
        ops = [(self.g_binary, 20), (self.g_compare, 6), (self.g_logic, 5), (self.g_unary, 16),
               (self.g_logaddexp, 2), (self.g_where, 4), (self.g_clip, 3), (self.g_cast, 4),
               (self.g_reduce, 15), (self.g_softmax, 5), (self.g_matmul, 7), (self.g_reshape, 5),
               (self.g_transpose, 4), (self.g_expand, 4), (self.g_squeeze, 2), (self.g_concat, 4),
               (self.g_broadcast_to, 2), (self.g_slice, 9), (self.g_gather, 6), (self.g_creation, 3),
               (self.g_shape_scalar, 3)]
        for _ in range(n_nodes):
            for _attempt in range(40):
                gen = self.wchoice(ops)
                try:
                    ok = gen()
                except _Skip:
                    ok = False
                if ok:
                    break
            if self.error_node is not None:
                break
        if not self.nodes:  # always at least one node
            a = self.values[0][0]
            self.emit("copy", [a], f"{a}[...]")
        return self.finish()

    def finish(self) -> Case:
        last = self.nodes[-1].name
        outputs = [last]
        pool = [v[0] for v in self.values]
        used = {a for n in self.nodes for a in n.args}
        sinks = [n.name for n in self.nodes[:-1] if n.name not in used and n.error is None]
        if sinks and self.chance(0.5):  # keep dead ends alive: more of the graph is compiled
            outputs += self.rng.sample(sinks, min(len(sinks), self.rng.randint(1, 2)))
        if self.chance(0.25):
            outputs.append(self.choice(pool + [last]))  # may be an input, or a duplicate
        if self.error_node is None:
            self.rng.shuffle(outputs)
        case = Case(self.seed, self.inputs, self.nodes, outputs)
        case.values = self.envs
        return case

    # ---- operand selection ----
    def partner(self, a, kinds="fib", exclude=()):
        """A value that broadcasts with `a` in both calls (usually), or any value."""
        def ok(v):
            if v[1].kind not in kinds or v[0] in exclude:
                return False
            try:
                for c in (0, 1):
                    np.broadcast_shapes(np.shape(self.envs[c][a]), np.shape(v[2][c]))
            except ValueError:
                return False
            return True
        if self.chance(0.9):
            b = self.pick(ok)
            if b is not None:
                return b
        return self.pick(lambda v: v[1].kind in kinds)

    def second_operand(self, a):
        """(text, args) of a second operand for a binary op."""
        r = self.rng.random()
        if r < 0.55:
            b = self.partner(a)
            return b, [b]
        if r < 0.9:
            s = self.operand_scalar(self.dtype(a))
            if s is not None:
                return s, []
        return self.constant_array(a), []

    # ---- op generators (each returns whether a node was added) ----
    def g_binary(self):
        a = self.pick()
        op, sym, fn = self.choice([("add", "+", "add"), ("sub", "-", "subtract"), ("mul", "*", "multiply"),
                                   ("div", "/", "true_divide"), ("floordiv", "//", "floor_divide"),
                                   ("mod", "%", "remainder"), ("power", "**", "power"),
                                   ("max", None, "maximum"), ("min", None, "minimum")])
        b, args = self.second_operand(a)
        if op == "power" and self.dtype(a).kind in "ib" and not args and self.chance(0.7):
            b = self.choice(["0", "1", "2", "3", "5"])
        x, y = a, b
        if not args and self.chance(0.3):
            x, y = b, a  # scalar on the left: 2 - x, 1 // x
        args = [a] + args
        noise = ("out",) if op in ("power",) else ()
        if sym is not None and self.chance(0.8):
            text = f"{x} {sym} {y}"
            return self.emit(op, args, text, noise=noise)
        tcname = {"remainder": "mod"}.get(fn, fn) if self.chance(0.5) else fn
        return self.emit(op, args, f"np.{fn}({x}, {y})", f"tc.{tcname}({x}, {y})", f"np.{fn}({x}, {y})",
                         noise=noise)

    def g_compare(self):
        a = self.pick()
        sym, fn = self.choice([("==", "equal"), ("!=", "not_equal"), ("<", "less"), ("<=", "less_equal"),
                               (">", "greater"), (">=", "greater_equal")])
        b, args = self.second_operand(a)
        x, y = (a, b) if args or self.chance(0.7) else (b, a)
        if self.chance(0.75):
            return self.emit("cmp:" + fn, [a] + args, f"{x} {sym} {y}")
        return self.emit("cmp:" + fn, [a] + args, f"np.{fn}({x}, {y})", f"tc.{fn}({x}, {y})", f"np.{fn}({x}, {y})")

    def g_logic(self):
        r = self.rng.random()
        if r < 0.4:
            a = self.pick_kind("ib")
            if a is None:
                raise _Skip
            sym, fn = self.choice([("&", "bitwise_and"), ("|", "bitwise_or"), ("^", "bitwise_xor")])
            b = self.partner(a, "ib") if self.chance(0.7) else None
            if b is None:
                s = self.weak_scalar(self.dtype(a).kind)
                return self.emit("bit:" + fn, [a], f"{a} {sym} {s}")
            if self.chance(0.7):
                return self.emit("bit:" + fn, [a, b], f"{a} {sym} {b}")
            return self.emit("bit:" + fn, [a, b], f"np.{fn}({a}, {b})", f"tc.{fn}({a}, {b})", f"np.{fn}({a}, {b})")
        if r < 0.75:
            a = self.pick()
            fn = self.choice(["logical_and", "logical_or", "logical_xor"])
            b, args = self.second_operand(a)
            return self.emit("logic:" + fn, [a] + args, f"np.{fn}({a}, {b})", f"tc.{fn}({a}, {b})",
                             f"np.{fn}({a}, {b})")
        a = self.pick_kind("ib") if self.chance(0.85) else self.pick()
        if a is None:
            raise _Skip
        if self.chance(0.5):
            return self.emit("invert", [a], f"~{a}", f"~{a}" if self.chance(0.5) else f"tc.invert({a})")
        return self.emit("logical_not", [a], f"np.logical_not({a})", f"tc.logical_not({a})", f"np.logical_not({a})")

    UNARY = ["exp", "log", "log1p", "expm1", "sqrt", "tanh", "sin", "cos", "square", "abs", "negative",
             "sign", "floor", "ceil", "sigmoid", "softplus", "erf"]

    def g_unary(self):
        a = self.pick() if self.chance(0.8) else self.pick_kind("f")
        if a is None:
            raise _Skip
        fn = self.choice(self.UNARY)
        noise = ("out",) if fn in TRANSCENDENTAL else ()
        if fn in ("sigmoid", "softplus", "erf"):
            return self.emit(fn, [a], f"ref.{fn}({a})", f"tc.{fn}({a})", f"tc.{fn}({a})", noise=noise)
        if fn == "negative" and self.chance(0.6):
            return self.emit(fn, [a], f"-{a}")
        if fn == "abs" and self.chance(0.4):
            return self.emit(fn, [a], f"abs({a})")
        return self.emit(fn, [a], f"np.{fn}({a})", f"tc.{fn}({a})", f"np.{fn}({a})", noise=noise)

    def g_logaddexp(self):
        a = self.pick()
        b, args = self.second_operand(a)
        return self.emit("logaddexp", [a] + args, f"np.logaddexp({a}, {b})", f"tc.logaddexp({a}, {b})",
                         f"np.logaddexp({a}, {b})", noise=("out",))

    def g_where(self):
        c = self.pick_kind("b") if self.chance(0.5) else None
        args = []
        if c is None:
            src = self.pick()
            cond = f"({src} > {self.weak_scalar('f' if self.chance(0.5) else 'i')})"
            args.append(src)
        else:
            cond = c
            args.append(c)
        anchor = args[0]
        ops = []
        for _ in range(2):
            if self.chance(0.6):
                v = self.partner(anchor)
                ops.append(v)
                args.append(v)
            else:
                ops.append(self.weak_scalar(self.choice("fib")) if self.chance(0.8) else self.constant_array(anchor))
        x, y = ops
        return self.emit("where", args, f"np.where({cond}, {x}, {y})", f"tc.where({cond}, {x}, {y})",
                         f"np.where({cond}, {x}, {y})")

    def g_clip(self):
        a = self.pick()
        kind = self.dtype(a).kind if self.chance(0.8) else self.choice("fi")
        if kind == "b":
            kind = "i"
        lo = self.weak_scalar(kind)
        hi = self.weak_scalar(kind)
        args = [a]
        if self.chance(0.2):
            lo = self.partner(a, "fi")
            args.append(lo)
        if self.chance(0.15):
            lo = "None"
        elif self.chance(0.15):
            hi = "None"
        if self.chance(0.4):
            return self.emit("clip", args, f"{a}.clip({lo}, {hi})")
        return self.emit("clip", args, f"np.clip({a}, {lo}, {hi})", f"tc.clip({a}, {lo}, {hi})",
                         f"np.clip({a}, {lo}, {hi})")

    def g_cast(self):
        a = self.pick()
        src = self.dtype(a)
        dt = self.choice([d for d in SUPPORTED if d != src] or list(SUPPORTED))

        def check(results):
            if src.kind != "f" or dt.kind != "i":
                return True
            for c in (0, 1):
                v = np.asarray(self.envs[c][a], dtype=np.float64)
                if not np.all(np.isfinite(v)):
                    return False
                info = np.iinfo(dt)
                t = np.trunc(v)
                if np.any(t < info.min) or np.any(t >= -float(info.min)):
                    return False
            return True
        if self.chance(0.6):
            tc_ = f"{a}.astype({tc_dtype(dt)})"
        else:
            tc_ = f"tc.cast({a}, {tc_dtype(dt)})"
        return self.emit("cast", [a], f"{a}.astype({dtype_expr(dt)})", tc_, f"{a}.astype({dtype_expr(dt)})",
                         check=check)

    def axis_arg(self, ndim, allow_tuple=True):
        r = self.rng.random()
        if ndim == 0:
            return self.choice(["None", "0", "-1", "()"])
        if r < 0.25:
            return "None"
        if r < 0.7 or not allow_tuple:
            k = self.rng.randrange(ndim)
            if self.chance(0.4):
                k -= ndim
            return str(k)
        n = self.rng.randint(0 if self.chance(0.1) else 1, ndim)
        axes = self.rng.sample(range(ndim), n)
        axes = [k - ndim if self.chance(0.3) else k for k in axes]
        return "(" + "".join(f"{k}, " for k in axes) + ")" if axes else "()"

    def g_reduce(self):
        a = self.pick()
        nd = self.ndim(a)
        fn = self.wchoice([("sum", 6), ("prod", 2), ("mean", 4), ("max", 4), ("min", 3), ("any", 2),
                           ("all", 2), ("var", 2), ("std", 2), ("argmax", 3), ("argmin", 2), ("ureduce", 2)])
        keep = self.chance(0.35)
        kd = ", keepdims=True" if keep else ""
        inexact = self.dtype(a).kind == "f" or fn in ("mean", "var", "std")
        if fn == "ureduce":
            uf, tcfn = self.choice([("add", "sum"), ("multiply", "prod"), ("maximum", "max"),
                                    ("minimum", "min"), ("logical_and", "all"), ("logical_or", "any")])
            axis = self.axis_arg(nd) if self.chance(0.7) else "0"
            noise = ("in",) if self.dtype(a).kind == "f" and uf in ("add", "multiply") else ()
            return self.emit("reduce_" + tcfn, [a], f"np.{uf}.reduce({a}, axis={axis}{kd})",
                             f"tc.{tcfn}({a}, axis={axis}{kd})", f"np.{uf}.reduce({a}, axis={axis}{kd})", noise=noise)
        if fn in ("argmax", "argmin"):
            axis = self.axis_arg(nd, allow_tuple=False)
            if axis == "()":
                axis = "None"
        else:
            axis = self.axis_arg(nd)
        extra = ""
        if fn in ("var", "std") and self.chance(0.4):
            extra = ", ddof=1"
        if fn in ("sum", "prod", "mean") and self.chance(0.1):
            extra = f", dtype={dtype_expr(self.choice(['float64', 'int64', 'float32']))}"
        argtext = f"axis={axis}{extra}{kd}"
        inexact = inexact or "float" in extra
        noise = ("in",) if inexact and fn in ("sum", "prod", "mean", "var", "std") else ()
        check = None
        if fn == "mean" and "int" in extra:
            # mean(dtype=int) of an empty axis is 0/0 = nan cast to int: undefined, as other nan->int casts
            check = lambda rs: all(np.size(self.envs[c][a]) > 0 or np.size(rs[c]) == 0 for c in (0, 1))  # noqa: E731
        if self.chance(0.5):
            return self.emit("reduce_" + fn, [a], f"{a}.{fn}({argtext})", noise=noise, check=check)
        return self.emit("reduce_" + fn, [a], f"np.{fn}({a}, {argtext})", f"tc.{fn}({a}, {argtext})",
                         f"np.{fn}({a}, {argtext})", noise=noise, check=check)

    def g_softmax(self):
        a = self.pick() if self.chance(0.3) else self.pick_kind("f")
        if a is None:
            raise _Skip
        nd = self.ndim(a)
        fn = self.choice(["softmax", "log_softmax", "logsumexp"])
        if fn == "logsumexp":
            axis = self.axis_arg(nd)
            kd = ", keepdims=True" if self.chance(0.3) else ""
            argtext = f"axis={axis}{kd}"
        else:
            if self.chance(0.2):
                argtext = ""
            else:
                axis = self.axis_arg(nd, allow_tuple=False)
                argtext = "axis=None" if axis == "()" else f"axis={axis}"
        sep = ", " if argtext else ""
        return self.emit(fn, [a], f"ref.{fn}({a}{sep}{argtext})", f"tc.{fn}({a}{sep}{argtext})",
                         f"tc.{fn}({a}{sep}{argtext})", noise=("in",))

    def g_matmul(self):
        a = self.pick(lambda v: np.ndim(v[2][0]) >= 1) if self.chance(0.95) else self.pick()
        if a is None:
            raise _Skip
        cands = []
        for v in self.values:
            b = v[0]
            for form in ("{}", "{}.T", "np.swapaxes({}, -1, -2)"):
                if form != "{}" and self.ndim(b) < 2:
                    continue
                shapes = [np.shape(self.envs[c][b]) for c in (0, 1)]
                if form != "{}":
                    shapes = [s[:-2] + (s[-1], s[-2]) if form != "{}.T" else s[::-1] for s in shapes]
                outs = [matmul_shape(self.shapes(a)[c], shapes[c]) for c in (0, 1)]
                if all(o is not None and math.prod(o) <= MAX_MATMUL_RESULT for o in outs):
                    cands.append((b, form))
        if cands and self.chance(0.92):
            b, form = self.choice(cands)
        else:
            b, form = self.pick(), "{}"
            # shapes that do not fit are NumPy's error to raise; a huge outer product is not worth making
            outs = [matmul_shape(self.shapes(a)[c], np.shape(self.envs[c][b])) for c in (0, 1)]
            if any(o is not None and math.prod(o) > MAX_MATMUL_RESULT for o in outs):
                raise _Skip
        btext = form.format(b)
        tc_btext = btext.replace("np.swapaxes", "tc.swapaxes")
        inexact = self.dtype(a).kind == "f" or self.dtype(b).kind == "f"
        noise = ("in",) if inexact else ()
        r = self.rng.random()
        if r < 0.5:
            return self.emit("matmul", [a, b], f"{a} @ {btext}", f"{a} @ {tc_btext}", f"{a} @ {btext}", noise=noise)
        if r < 0.75 or self.ndim(b) > 2:
            return self.emit("matmul", [a, b], f"np.matmul({a}, {btext})", f"tc.matmul({a}, {tc_btext})",
                             f"np.matmul({a}, {btext})", noise=noise)
        if self.chance(0.5) and self.ndim(a) >= 1:  # a 0-d NumPy value may be a scalar, some without .dot
            return self.emit("dot", [a, b], f"{a}.dot({btext})", f"{a}.dot({tc_btext})", f"{a}.dot({btext})",
                             noise=noise)
        return self.emit("dot", [a, b], f"np.dot({a}, {btext})", f"tc.dot({a}, {tc_btext})", f"np.dot({a}, {btext})",
                         noise=noise)

    def g_reshape(self):
        a = self.pick()
        nd = self.ndim(a)
        r = self.rng.random()
        if r < 0.15:
            form = self.choice(["{0}.ravel()", "{0}.flatten()", "{0}.reshape(-1)"])
            trform = self.choice([form, "np.ravel({0})"])
            return self.emit("reshape", [a], form.format(a), form.format(a), trform.format(a))
        # group consecutive dims, multiply each group, maybe add 1s, maybe one -1, maybe split a dim by 2
        groups, i = [], 0
        while i < nd:
            j = self.rng.randint(i + 1, nd)
            groups.append(list(range(i, j)))
            i = j
        parts = []
        for g in groups:
            dims = [f"{a}.shape[{k}]" for k in g]
            s0 = [int(np.prod([self.shapes(a)[c][k] for k in g])) for c in (0, 1)]
            if len(g) == 1 and all(s % 2 == 0 and s > 0 for s in s0) and self.chance(0.3):
                parts += ["2", f"{dims[0]} // 2"]
            else:
                parts.append(" * ".join(dims))
        if self.chance(0.3) or not parts:
            parts.insert(self.rng.randint(0, len(parts)), "1")
        if self.chance(0.5):
            k = self.rng.randrange(len(parts))
            parts[k] = "-1"
        if self.chance(0.05):
            parts.append("0")
        target = "(" + "".join(p + ", " for p in parts) + ")"
        if self.chance(0.5):
            return self.emit("reshape", [a], f"{a}.reshape({target})")
        return self.emit("reshape", [a], f"np.reshape({a}, {target})", f"tc.reshape({a}, {target})",
                         f"np.reshape({a}, {target})")

    def g_transpose(self):
        a = self.pick(lambda v: np.ndim(v[2][0]) >= 2) if self.chance(0.9) else self.pick()
        if a is None:
            raise _Skip
        nd = self.ndim(a)
        r = self.rng.random()
        if r < 0.3:
            return self.emit("transpose", [a], f"{a}.T")
        if r < 0.65:
            perm = list(range(nd))
            self.rng.shuffle(perm)
            perm = [p - nd if self.chance(0.2) else p for p in perm]
            pt = "(" + "".join(f"{p}, " for p in perm) + ")"
            if self.chance(0.5):
                return self.emit("transpose", [a], f"{a}.transpose({pt})")
            return self.emit("transpose", [a], f"np.transpose({a}, {pt})", f"tc.transpose({a}, {pt})",
                             f"np.transpose({a}, {pt})")
        if nd == 0:
            raise _Skip
        i, j = self.rng.randrange(-nd, nd), self.rng.randrange(-nd, nd)
        if r < 0.85:
            return self.emit("swapaxes", [a], f"np.swapaxes({a}, {i}, {j})", f"tc.swapaxes({a}, {i}, {j})",
                             f"np.swapaxes({a}, {i}, {j})")
        return self.emit("moveaxis", [a], f"np.moveaxis({a}, {i}, {j})", f"tc.moveaxis({a}, {i}, {j})",
                         f"np.moveaxis({a}, {i}, {j})")

    def g_expand(self):
        a = self.pick()
        nd = self.ndim(a)
        r = self.rng.random()
        if r < 0.5:
            key = self.choice(["None", "None, ...", "..., None", ":, None", "None, :, None", "None, None"])
            if key.startswith(":") and nd == 0:
                key = "None"
            return self.emit("expand_dims", [a], f"{a}[{key}]")
        if self.chance(0.7):
            axis = str(self.rng.randint(-nd - 1, nd))
        else:
            axes = self.rng.sample(range(nd + 2), 2)
            axis = f"({axes[0]}, {axes[1] - nd - 2})"
        return self.emit("expand_dims", [a], f"np.expand_dims({a}, {axis})", f"tc.expand_dims({a}, {axis})",
                         f"np.expand_dims({a}, {axis})")

    def g_squeeze(self):
        def has_one(v):
            return any(1 in (s0, s1) for s0, s1 in zip(np.shape(v[2][0]), np.shape(v[2][1])))
        a = self.pick(has_one) or self.pick(lambda v: np.ndim(v[2][0]) >= 1)
        if a is None:
            raise _Skip
        s0, s1 = self.shapes(a)
        ones = [k for k in range(len(s0)) if s0[k] == 1 and s1[k] == 1]
        some = [k for k in range(len(s0)) if s0[k] == 1 or s1[k] == 1]
        pool = ones if ones and self.chance(0.85) else (some or list(range(len(s0))))
        k = self.choice(pool)
        if self.chance(0.3):
            k -= len(s0)
        if self.chance(0.4):
            return self.emit("squeeze", [a], f"{a}.squeeze({k})")
        return self.emit("squeeze", [a], f"np.squeeze({a}, axis={k})", f"tc.squeeze({a}, axis={k})",
                         f"np.squeeze({a}, axis={k})")

    def g_concat(self):
        a = self.pick(lambda v: np.ndim(v[2][0]) >= 1)
        if a is None:
            raise _Skip
        nd = self.ndim(a)
        stack = self.chance(0.25)
        axis = self.rng.randrange(-nd - (1 if stack else 0), nd + (1 if stack else 0))
        if not stack and self.chance(0.1):
            axis = None

        def fits(v):
            if np.ndim(v[2][0]) != nd:
                return False
            for c in (0, 1):
                sa, sb = np.shape(self.envs[c][a]), np.shape(v[2][c])
                if stack:
                    if sa != sb:
                        return False
                elif axis is not None and any(x != y for k, (x, y) in enumerate(zip(sa, sb)) if k != axis % nd):
                    return False
            return True
        parts, args = [a], [a]
        for _ in range(self.choice([1, 1, 2])):
            b = self.pick(fits) if self.chance(0.9) else self.pick()
            if b is None:
                break
            parts.append(b)
            args.append(b)
        if not stack and self.chance(0.2):  # an empty piece: a slice that is empty in both calls
            k = (axis if axis is not None else 0) % nd
            idx = ":, " * k + self.choice([":0", "5:2", "-1:-3", "100:"])
            parts.append(f"{a}[{idx}]")
        if len(parts) == 1:
            parts.append(a)
        lst = "[" + ", ".join(parts) + "]"
        fn = "stack" if stack else "concatenate"
        ax = f", axis={axis}" if axis is not None or self.chance(0.0) else ", axis=None"
        return self.emit(fn, args, f"np.{fn}({lst}{ax})", f"tc.{fn}({lst}{ax})", f"np.{fn}({lst}{ax})")

    def g_broadcast_to(self):
        a = self.pick()

        def target(v):
            try:
                for c in (0, 1):
                    sb = np.shape(v[2][c])
                    if np.broadcast_shapes(np.shape(self.envs[c][a]), sb) != sb:
                        return False
            except ValueError:
                return False
            return True
        b = self.pick(target, exclude=()) if self.chance(0.9) else self.pick()
        shape = f"{b}.shape"
        if self.chance(0.3):
            shape = f"({self.choice([1, 2, 3])},) + {shape}"
        return self.emit("broadcast_to", [a, b], f"np.broadcast_to({a}, {shape})", f"tc.broadcast_to({a}, {shape})",
                         f"np.broadcast_to({a}, {shape})")

    def slice_part(self):
        def bound():
            return self.wchoice([("", 30), ("0", 4), ("1", 8), ("2", 6), ("3", 4), ("-1", 8), ("-2", 6),
                                 ("-3", 3), ("5", 3), ("-7", 2), ("100", 3), ("-100", 3), (str(2**63), 1),
                                 (str(-2**63 - 5), 1), (str(2**70), 1)])
        step = self.wchoice([("", 40), ("1", 5), ("2", 10), ("3", 8), ("-1", 20), ("-2", 10), ("-3", 5)])
        start, stop = bound(), bound()
        return f"{start}:{stop}" + (f":{step}" if step else "")

    def g_slice(self):
        a = self.pick(lambda v: np.ndim(v[2][0]) >= 1) if self.chance(0.95) else self.pick()
        if a is None:
            raise _Skip
        nd = self.ndim(a)
        parts = []
        for k in range(nd):
            r = self.rng.random()
            if r < 0.35:
                parts.append(":")
            elif r < 0.85:
                parts.append(self.slice_part())
            else:
                parts.append(str(self.rng.randint(-4, 4)))
        # trim trailing ':' sometimes, or use an ellipsis
        if parts and self.chance(0.3):
            while parts and parts[-1] == ":":
                parts.pop()
        if parts and self.chance(0.2):
            k = self.rng.randint(0, len(parts))
            parts = ["..."] + parts[k:]
        if not parts:
            parts = ["..."] if self.chance(0.5) else [":"] if nd else ["..."]
        key = ", ".join(parts)
        return self.emit("slice", [a], f"{a}[{key}]")

    def g_gather(self):
        r = self.rng.random()
        if r < 0.35:  # constant index array or list on one axis
            a = self.pick(lambda v: np.ndim(v[2][0]) >= 1)
            if a is None:
                raise _Skip
            nd = self.ndim(a)
            k = self.rng.randrange(nd)
            n = min(self.sizes(a, k))
            hi = max(n, 1) + (1 if self.chance(0.1) else 0)
            shape = self.choice([(3,), (1,), (2, 2), (0,), (4,), ()])
            idx = self.nrng.integers(-hi, hi, shape) if n or self.chance(0.2) else np.zeros(shape, np.int64)
            lit = array_lit(idx.astype(np.int64)) if self.chance(0.7) or idx.ndim != 1 else \
                "[" + ", ".join(str(int(i)) for i in idx) + "]"
            key = ":, " * k + lit
            if k and self.chance(0.3):
                key = "..., " + lit if k == nd - 1 else key
            return self.emit("gather", [a], f"{a}[{key}]")
        if r < 0.65:  # p[arange(n), labels]
            p = self.pick(lambda v: np.ndim(v[2][0]) >= 2)
            if p is None:
                raise _Skip
            n = self.sizes(p, 0)

            def labels_ok(v):
                return v[1].kind in "ib" and np.ndim(v[2][0]) == 1 and \
                    [np.shape(v[2][c])[0] for c in (0, 1)] == n
            lab = self.pick(labels_ok)
            args = [p]
            if lab is not None and self.chance(0.7):
                labels = f"{lab} % {p}.shape[1]" if self.chance(0.8) else lab
                args.append(lab)
            else:
                labels = self.choice([f"{p}.argmax(axis=1)", f"{p}.argmin(axis=-1)" if self.ndim(p) == 2
                                      else f"{p}.argmax(axis=1)"])
                if self.ndim(p) > 2:
                    labels = f"{p}[:, :, 0].argmax(axis=1)"
            ar = f"np.arange({p}.shape[0])"
            tcar = f"tc.arange({p}.shape[0])"
            return self.emit("gather", args, f"{p}[{ar}, {labels}]", f"{p}[{tcar}, {labels}]", f"{p}[{tcar}, {labels}]")
        if r < 0.9:  # index array computed in the graph
            a = self.pick(lambda v: np.ndim(v[2][0]) >= 1)
            idx = self.pick_kind("ib", exclude=())
            if a is None or idx is None:
                raise _Skip
            nd = self.ndim(a)
            k = self.rng.randrange(nd)
            ind = f"{idx} % {a}.shape[{k}]" if self.chance(0.8) else f"-({idx} % {a}.shape[{k}]) - 1"
            if self.dtype(idx) == np.bool_:
                ind = f"{idx}.astype(np.int64) % {a}.shape[{k}]"
                tcind = f"{idx}.astype('int64') % {a}.shape[{k}]"
            else:
                tcind = ind
            pre = ":, " * k
            return self.emit("gather", [a, idx], f"{a}[{pre}{ind}]", f"{a}[{pre}{tcind}]", f"{a}[{pre}{tcind}]")
        # two index arrays, adjacent or not
        a = self.pick(lambda v: np.ndim(v[2][0]) >= 2)
        if a is None:
            raise _Skip
        nd = self.ndim(a)
        k1 = self.rng.randrange(nd)
        k2 = self.rng.randrange(nd)
        if k1 == k2:
            raise _Skip
        k1, k2 = sorted((k1, k2))
        parts = [":"] * nd
        for k in (k1, k2):
            n = min(self.sizes(a, k))
            idx = self.nrng.integers(-max(n, 1), max(n, 1), self.choice([(2,), (1,), (3,)]))
            parts[k] = array_lit(idx.astype(np.int64)) if n else "np.array([0])"
        if self.chance(0.3):
            parts[k2] = str(self.rng.randint(-2, 2))  # an int beside an index array
        return self.emit("gather", [a], f"{a}[{', '.join(parts)}]")

    def g_creation(self):
        a = self.pick()
        r = self.rng.random()

        def finite_fill(results):
            # full/full_like of an int dtype with nan, inf or an out-of-range float is undefined in NumPy
            if np.result_type(results[0]).kind not in "iu":
                return True
            for token in ("nan", "inf", "e+30", "e+300", "e30", "e300"):
                if token in fill_text:
                    return False
            return True
        if r < 0.35:
            fn = self.choice(["zeros_like", "ones_like", "full_like"])
            extra = ""
            if fn == "full_like":
                extra = ", " + self.weak_scalar(self.choice("fib"))
            if self.chance(0.3):
                extra += f", dtype={dtype_expr(self.random_dtype())}"
                tcextra = _tc_dtype_kw(extra)
            else:
                tcextra = extra
            fill_text = extra
            return self.emit("creation", [a], f"np.{fn}({a}{extra})", f"tc.{fn}({a}{tcextra})",
                             f"np.{fn}({a}{extra})", check=finite_fill)
        nd = self.ndim(a)
        dims = [f"{a}.shape[{k}]" for k in range(nd) if self.chance(0.6)]
        if self.chance(0.4) or not dims:
            dims.insert(self.rng.randint(0, len(dims)), str(self.choice([1, 2, 3])))
        shape = "(" + "".join(d + ", " for d in dims) + ")"
        dt = self.random_dtype()
        if r < 0.7:
            fn = self.choice(["zeros", "ones", "full"])
            fill = ", " + self.weak_scalar(dt.kind if dt.kind != "b" else "b") if fn == "full" else ""
            fill_text = fill
            return self.emit("creation", [a], f"np.{fn}({shape}{fill}, dtype={dtype_expr(dt)})",
                             f"tc.{fn}({shape}{fill}, dtype={tc_dtype(dt)})",
                             f"tc.{fn}({shape}{fill}, dtype={tc_dtype(dt)})", check=finite_fill)
        if nd == 0:
            raise _Skip
        k = self.rng.randrange(nd)
        n = f"{a}.shape[{k}]"
        form = self.choice(["{n}", "{n}, dtype=DT", "1, {n}", "{n}, 0, -1", "2, {n} + 3, 3", "{n}, dtype=DT"])
        fdt = self.choice(["float64", "int32", "float32", "int64"])
        npargs = form.format(n=n).replace("DT", f"np.{fdt}")
        tcargs = form.format(n=n).replace("DT", repr(fdt))
        return self.emit("arange", [a], f"np.arange({npargs})", f"tc.arange({tcargs})", f"tc.arange({tcargs})")

    def g_shape_scalar(self):
        a = self.pick()
        b = self.pick(lambda v: np.ndim(v[2][0]) >= 1) or a
        nd = self.ndim(b)
        s = f"{b}.shape[{self.rng.randrange(-nd, nd)}]" if nd and self.chance(0.7) else f"{b}.size"
        sym = self.choice(["+", "-", "*", "/", "//", "%"])
        x, y = (a, s) if self.chance(0.6) else (s, a)
        return self.emit("shape_scalar:" + sym, sorted({a, b}), f"{x} {sym} {y}")


def _tc_dtype_kw(extra: str) -> str:
    """', dtype=np.float32' -> ", dtype='float32'" (tc takes strings; np.bool_ -> 'bool')."""
    for name in ("float32", "float64", "int32", "int64"):
        extra = extra.replace(f"np.{name}", repr(name))
    return extra.replace("np.bool_", "'bool'")


class _Skip(Exception):
    pass


def _replace_name(expr: str, name: str, new: str) -> str:
    import re
    return re.sub(rf"(?<![\w.]){re.escape(name)}(?!\w)", new, expr)


def matmul_shape(sa, sb):
    """np.matmul's result shape for operand shapes, or None when they do not fit."""
    if len(sa) == 0 or len(sb) == 0:
        return None
    a = (1,) + tuple(sa) if len(sa) == 1 else tuple(sa)
    b = tuple(sb) + (1,) if len(sb) == 1 else tuple(sb)
    if a[-1] != b[-2]:
        return None
    try:
        batch = np.broadcast_shapes(a[:-2], b[:-2])
    except ValueError:
        return None
    out = batch + ((a[-2],) if len(sa) > 1 else ()) + ((b[-1],) if len(sb) > 1 else ())
    return out


def make_case(seed: int) -> Case:
    """The case of a seed (deterministic)."""
    return Generator(seed).build()


def subcase(case: Case, outputs) -> Case:
    """The same inputs, only the nodes `outputs` need (for reducing a finding)."""
    sub = Case(case.seed, case.inputs, case.nodes, list(outputs))
    sub.nodes = sub.needed()
    sub.values = case.values
    return sub
