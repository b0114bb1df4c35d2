"""Elementwise functions with NumPy's names, broadcasting and dtype promotion.

Each function asks NumPy which loop its ufunc would run for the operands' dtypes (Python scalars
weak, NEP 50), casts the operands to that loop's input dtypes, aligns ranks NumPy-style by inserting
leading size-1 dimensions (`tensorc.expand_dims`), and applies one dialect op; the dialect then
broadcasts static 1s. Constants are cast and reshaped right away instead of through graph ops.
"""
from __future__ import annotations

import numpy as np

from . import dtypes
from .graph import apply, as_variable, constant_like, convert, template_of
from .variables import Variable

# ---- casting and rank alignment --------------------------------------------------------------------


def astype(x, dtype) -> Variable:
    """x converted to `dtype` (NumPy astype: floats to ints truncate toward zero, to bool is != 0)."""
    return convert(as_variable(x), dtypes.as_dtype(dtype, "astype"))


cast = astype


def expand_leading(x: Variable, ndim: int) -> Variable:
    """Prepend size-1 dimensions up to rank `ndim` (NumPy aligns ranks on the right)."""
    extra = ndim - x.ndim
    if extra <= 0:
        return x
    if x.is_constant:
        value = x.owner.attrs["value"]
        return constant_like(x, value.reshape((1,) * extra + value.shape))
    return apply("expand_dims", [x], {"axes": tuple(range(extra))})


def align(vs):
    ndim = max(v.ndim for v in vs)
    return [expand_leading(v, ndim) for v in vs]


_COMPARISONS = {np.less: "lt", np.less_equal: "le", np.greater: "gt", np.greater_equal: "ge",
                np.equal: "eq", np.not_equal: "ne"}


def _out_of_range(a, dt: np.dtype) -> bool:
    """A Python int that does not fit the integer (or bool) dtype `dt`."""
    if type(a) is not int or dt.kind not in "iub":
        return False
    info = np.iinfo(dt) if dt.kind != "b" else np.iinfo(np.int64)
    return not info.min <= a <= info.max


def _compare_out_of_range(ufunc, x: Variable, big: int, big_is_left: bool) -> Variable:
    """NumPy 2 compares an integer array with a Python int its dtype cannot hold exactly: the result
    does not depend on the array's values."""
    above = big > 0  # the int is above every value of x
    less = above != big_is_left  # x < big (or big < x when big is on the left)
    value = {"lt": less, "le": less, "gt": not less, "ge": not less, "eq": False, "ne": True}[_COMPARISONS[ufunc]]
    template, sizes = template_of(x.shape)  # tc.full_like(x, value, bool)
    return apply("fill", sizes, {"value": np.bool_(value), "_shape": template})


def _apply_loop(ufunc, op, name, args, bool_op=None):
    # A Python int the operands cannot hold (`x > 2**63`, `x32 < 2**40`) takes part in choosing the loop
    # as a weak int, as in NumPy 2; then a float loop takes its value, a comparison is decided by it,
    # and any other integer loop raises OverflowError.
    big = {i: a for i, a in enumerate(args) if type(a) is int and not -2**63 <= a < 2**63}
    vs = [as_variable(0 if i in big else a) for i, a in enumerate(args)]
    in_dts, out_dt = dtypes.ufunc_loop(ufunc, [(v.dtype, v.aval.weak) for v in vs], name)
    for i, a in enumerate(args):
        if not (i in big or _out_of_range(a, in_dts[i])):
            continue
        if in_dts[i].kind == "f":
            vs[i] = as_variable(float(a))
        elif ufunc in _COMPARISONS and len(args) == 2 and not _out_of_range(args[1 - i], in_dts[1 - i]):
            return _compare_out_of_range(ufunc, vs[1 - i], a, big_is_left=i == 0)
        else:
            raise OverflowError(f"{name}: Python integer {a} out of bounds for {in_dts[i]}")
    vs = align([convert(v, dt) for v, dt in zip(vs, in_dts)])
    if bool_op is not None and in_dts[0] == dtypes.bool_:
        op = bool_op
    out = apply(op, vs)
    if out.dtype != out_dt:  # e.g. floor of an int: the op is identity on that type
        out = convert(out, out_dt)
    return out


# ---- binary ----------------------------------------------------------------------------------------

def add(x1, x2): return _apply_loop(np.add, "add", "add", (x1, x2), bool_op="or")
def subtract(x1, x2): return _apply_loop(np.subtract, "sub", "subtract", (x1, x2))
def multiply(x1, x2): return _apply_loop(np.multiply, "mul", "multiply", (x1, x2), bool_op="and")
def true_divide(x1, x2): return _apply_loop(np.true_divide, "div", "true_divide", (x1, x2))
def floor_divide(x1, x2): return _apply_loop(np.floor_divide, "floordiv", "floor_divide", (x1, x2))
def mod(x1, x2): return _apply_loop(np.remainder, "mod", "mod", (x1, x2))
def power(x1, x2):
    """x1 ** x2. An integer loop with an exponent known to be negative raises now, as NumPy does; an
    exponent known only at run time is checked by the compiled code (ValueError when called)."""
    a, b = as_variable(x1), as_variable(x2)
    in_dts, _ = dtypes.ufunc_loop(np.power, [(a.dtype, a.aval.weak), (b.dtype, b.aval.weak)], "power")
    if in_dts[1].kind in "iu":
        known = b.owner.attrs["value"] if b.is_constant else b.aval.const
        if known is not None and (np.asarray(known) < 0).any():
            raise ValueError("Integers to negative integer powers are not allowed.")
    return _apply_loop(np.power, "pow", "power", (a, b))


def maximum(x1, x2): return _apply_loop(np.maximum, "max", "maximum", (x1, x2), bool_op="or")
def minimum(x1, x2): return _apply_loop(np.minimum, "min", "minimum", (x1, x2), bool_op="and")
def bitwise_and(x1, x2): return _apply_loop(np.bitwise_and, "and", "bitwise_and", (x1, x2))
def bitwise_or(x1, x2): return _apply_loop(np.bitwise_or, "or", "bitwise_or", (x1, x2))
def bitwise_xor(x1, x2): return _apply_loop(np.bitwise_xor, "xor", "bitwise_xor", (x1, x2))
def equal(x1, x2): return _apply_loop(np.equal, "eq", "equal", (x1, x2))
def not_equal(x1, x2): return _apply_loop(np.not_equal, "ne", "not_equal", (x1, x2))
def less(x1, x2): return _apply_loop(np.less, "lt", "less", (x1, x2))
def less_equal(x1, x2): return _apply_loop(np.less_equal, "le", "less_equal", (x1, x2))
def greater(x1, x2): return _apply_loop(np.greater, "gt", "greater", (x1, x2))
def greater_equal(x1, x2): return _apply_loop(np.greater_equal, "ge", "greater_equal", (x1, x2))


def _logical(op, args):
    """Logical ops act on truth values: NumPy has integer loops for them (int32, int32 -> bool), but
    the dialect's and/or/xor on integers are bitwise, so every operand becomes bool (!= 0) first."""
    return apply(op, align([convert(as_variable(a), dtypes.bool_) for a in args]))


def logical_and(x1, x2): return _logical("and", (x1, x2))
def logical_or(x1, x2): return _logical("or", (x1, x2))
def logical_xor(x1, x2): return _logical("xor", (x1, x2))
def logical_not(x): return _logical("not", (x,))


divide = true_divide
remainder = mod
pow = power  # noqa: A001  (NumPy's name)


# ---- unary -----------------------------------------------------------------------------------------

def negative(x): return _apply_loop(np.negative, "neg", "negative", (x,))


def reciprocal(x):
    """np.reciprocal of a float array: 1 / x (so that `np.reciprocal(1 + np.exp(-x))` is a sigmoid to
    tensorc-stabilize). NumPy's integer reciprocal truncates (0 for |x| > 1) and is not offered."""
    v = as_variable(x)
    if v.dtype.kind != "f":
        raise TypeError(f"reciprocal: only float arrays are supported, got {v.dtype} (NumPy's integer "
                        "reciprocal truncates to 0; write 1 / x for a float result)")
    return true_divide(1.0, v)
def sign(x): return _apply_loop(np.sign, "sign", "sign", (x,))


def abs(x):  # noqa: A001  (NumPy's name)
    x = as_variable(x)
    if x.dtype == dtypes.bool_:
        return x
    return _apply_loop(np.absolute, "abs", "abs", (x,))


absolute = abs


def invert(x):
    """~x: logical not of bools, bitwise not (-x - 1) of integers."""
    x = as_variable(x)
    in_dts, _ = dtypes.ufunc_loop(np.invert, [(x.dtype, x.aval.weak)], "invert")
    x = convert(x, in_dts[0])
    if x.dtype == dtypes.bool_:
        return apply("not", [x])
    return bitwise_xor(x, -1)


bitwise_not = invert


def _float_unary(op, ufunc=np.exp):
    """A float function; integer and bool inputs give float64/float32 results like np.exp."""
    def fn(x):
        return _apply_loop(ufunc, op, op, (x,))
    fn.__name__ = op
    fn.__doc__ = f"Elementwise {op} (tensorc.{op})."
    return fn


exp = _float_unary("exp", np.exp)
log = _float_unary("log", np.log)
log1p = _float_unary("log1p", np.log1p)
expm1 = _float_unary("expm1", np.expm1)
sqrt = _float_unary("sqrt", np.sqrt)
tanh = _float_unary("tanh", np.tanh)
sin = _float_unary("sin", np.sin)
cos = _float_unary("cos", np.cos)
sigmoid = _float_unary("sigmoid")
softplus = _float_unary("softplus")
erf = _float_unary("erf")


def _rounding(op, ufunc):
    def fn(x):
        x = as_variable(x)
        if x.dtype.kind in "ib":  # NumPy 2: floor/ceil of integers and bools return them unchanged
            return x
        return _apply_loop(ufunc, op, op, (x,))
    fn.__name__ = op
    return fn


floor = _rounding("floor", np.floor)
ceil = _rounding("ceil", np.ceil)


def square(x):
    x = as_variable(x)
    in_dts, _ = dtypes.ufunc_loop(np.square, [(x.dtype, x.aval.weak)], "square")
    x = convert(x, in_dts[0])
    return apply("mul", [x, x])


def logaddexp(x1, x2):
    """log(exp(x1) + exp(x2)) without overflow: max + log1p(exp(-|x1 - x2|)), and x1 + log(2) where
    x1 == x2, as NumPy's npy_logaddexp does (equal infinities would otherwise give inf - inf = NaN)."""
    a, b = as_variable(x1), as_variable(x2)
    in_dts, _ = dtypes.ufunc_loop(np.logaddexp, [(a.dtype, a.aval.weak), (b.dtype, b.aval.weak)], "logaddexp")
    a, b = convert(a, in_dts[0]), convert(b, in_dts[1])
    general = add(maximum(a, b), log1p(exp(negative(abs(subtract(a, b))))))
    return where(equal(a, b), add(a, 0.6931471805599453), general)


# ---- selection -------------------------------------------------------------------------------------

def where(condition, x=None, y=None):
    """np.where(condition, x, y); the one-argument form (indices of nonzeros) has a data-dependent
    shape and is not supported."""
    if x is None or y is None:
        raise NotImplementedError("tc.where(condition) with one argument (np.nonzero) has a data-dependent "
                                  "shape and is not supported; pass x and y")
    cond = convert(as_variable(condition), dtypes.bool_)
    # A Python scalar takes part in choosing the dtype as a weak scalar (NEP 50; an int whatever its
    # value); then np.where casts it to that dtype, ints without NumPy 2's overflow check: they wrap
    # modulo 2**64 (read as int64 or uint64, as np.asarray reads them), and only ints beyond that raise.
    # The result is an array, never weak, as np.where's is.
    values = [x, y]
    for i, v in enumerate(values):
        if type(v) is int and not -2**63 <= v < 2**64:
            raise OverflowError(f"where: Python int {v} too large to convert to C long")
    a, b = (as_variable(0 if type(v) is int else v) for v in values)
    dt = dtypes.result_type([(a.dtype, a.aval.weak), (b.dtype, b.aval.weak)])
    for i, v in enumerate(values):
        if type(v) in (bool, int, float):
            values[i] = np.asarray(v).astype(dt)
    a, b = (as_variable(v) for v in values)
    return apply("select", align([cond, convert(a, dt), convert(b, dt)]))


def clip(a, a_min=None, a_max=None):
    """np.clip: maximum with a_min, then minimum with a_max (either may be None; both None is the
    identity, as in NumPy 2)."""
    out = as_variable(a)
    # NumPy 2's clip (numpy/_core/_methods.py `_clip`) drops a Python int bound that lies beyond an
    # integer array's range on its own side; any other out-of-range int reaches the ufunc, which raises
    # OverflowError (ops_elementwise._apply_loop does the same).
    if out.dtype.kind == "i":
        info = np.iinfo(out.dtype)
        if type(a_min) is int and a_min <= info.min:
            a_min = None
        if type(a_max) is int and a_max >= info.max:
            a_max = None
    # NumPy's clip loop takes a path of its own when both bounds are scalars (its loop strides for them
    # are 0): it keeps x where x equals a bound, so clip(-0.0, 0.0, 1) is -0.0 where maximum gives
    # 0.0 (seed 14259: `clip(b, 0.0, 2.5) ** -3` was +inf, NumPy -inf). With an array bound it
    # computes minimum(maximum(x, lo), hi), as below. NaN wins either way.
    def scalar(bound):
        return (bound.ndim if isinstance(bound, Variable) else np.ndim(bound)) == 0
    keep_equal = (a_min is not None and a_max is not None and scalar(a_min) and scalar(a_max)
                  and np.result_type(out.dtype, *(b.dtype if isinstance(b, Variable) else np.asarray(b).dtype
                                                  for b in (a_min, a_max))).kind in "fc")
    for bound, limit in ((a_min, maximum), (a_max, minimum)):
        if bound is not None:
            limited = limit(out, bound)
            out = where(equal(out, bound), out, limited) if keep_equal else limited
    return out
