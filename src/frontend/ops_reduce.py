"""Reductions with NumPy's axis/keepdims/dtype arguments, and softmax-like functions.

Result dtypes follow NumPy: sum/prod of bools and int32 give int64, mean/var/std of integers give
float64, max/min keep the dtype, argmax/argmin give int64. The functions are named as in NumPy
(sum, max, min, any, all), shadowing Python's builtins inside this module.
"""
from __future__ import annotations

import numpy as np

from . import dtypes
from .arguments import no_out, normalize_axes, normalize_axis
from .graph import apply, as_variable, constant, convert
from .ops_elementwise import logical_not, multiply, not_equal, sqrt, subtract, true_divide
from .ops_shape import prod_of_sizes, reshape


def _reduce(op, x, axis, keepdims, name):
    axes = normalize_axes(axis, x.ndim, name)
    if not axes:
        return x
    return apply(op, [x], {"axes": axes, "keepdims": bool(keepdims)})


def _accumulating(x, dtype, name):
    """x in the dtype NumPy sums/multiplies in: int64 for bools and int32 unless told otherwise."""
    if dtype is not None:
        return convert(x, dtypes.as_dtype(dtype, name))
    if x.dtype.kind in "bi":
        return convert(x, dtypes.int64)
    return x


def sum(a, axis=None, dtype=None, out=None, keepdims=False):  # noqa: A001
    no_out(out, "sum")
    x = _accumulating(as_variable(a), dtype, "sum")
    return _reduce("reduce_sum", x, axis, keepdims, "sum")


def prod(a, axis=None, dtype=None, out=None, keepdims=False):
    no_out(out, "prod")
    x = _accumulating(as_variable(a), dtype, "prod")
    return _reduce("reduce_prod", x, axis, keepdims, "prod")


def _floating(x, dtype, name):
    if dtype is not None:
        return convert(x, dtypes.as_dtype(dtype, name))
    if x.dtype.kind != "f":
        return convert(x, dtypes.float64)
    return x


def _counting_axes(axis, ndim, name):
    """Axes of mean/var/std: unlike sum, NumPy takes no int axis on a 0-d value for these."""
    if ndim == 0 and axis is not None and not isinstance(axis, (tuple, list)):
        raise np.exceptions.AxisError(axis, ndim, name)
    return normalize_axes(axis, ndim, name)


def mean(a, axis=None, dtype=None, out=None, keepdims=False):
    no_out(out, "mean")
    x = as_variable(a)
    axes = _counting_axes(axis, x.ndim, "mean")
    if dtype is not None and dtypes.as_dtype(dtype, "mean").kind in "bi":
        # NumPy sums in the integer dtype, divides in float64 and casts back (truncating).
        dt = dtypes.as_dtype(dtype, "mean")
        total = sum(x, axes, dt, keepdims=keepdims)
        return convert(true_divide(total, prod_of_sizes([x.shape[i] for i in axes])), dt)
    x = _floating(x, dtype, "mean")
    return _reduce("reduce_mean", x, axes, keepdims, "mean")


def _extremum(op, a, axis, keepdims, name):
    x = as_variable(a)
    if x.dtype == dtypes.bool_:  # as integers: i1 compares as signed (true = -1) in the lowering
        return convert(_reduce(op, convert(x, dtypes.int32), axis, keepdims, name), dtypes.bool_)
    return _reduce(op, x, axis, keepdims, name)


def max(a, axis=None, out=None, keepdims=False):  # noqa: A001
    no_out(out, "max")
    return _extremum("reduce_max", a, axis, keepdims, "max")


def min(a, axis=None, out=None, keepdims=False):  # noqa: A001
    no_out(out, "min")
    return _extremum("reduce_min", a, axis, keepdims, "min")


amax, amin = max, min


def _arg(op, a, axis, keepdims, name):
    x = as_variable(a)
    if x.ndim == 0:  # NumPy: the index of the only element (axis None, 0 or -1)
        normalize_axes(axis, 0, name)
        return constant(np.int64(0))
    if x.dtype == dtypes.bool_:
        x = convert(x, dtypes.int32)
    if axis is None:
        flat = apply(op, [reshape(x, -1)], {"axis": 0, "keepdims": False})
        return reshape(flat, (1,) * x.ndim) if keepdims else flat
    axis = normalize_axis(axis, x.ndim, name)
    return apply(op, [x], {"axis": axis, "keepdims": bool(keepdims)})


def argmax(a, axis=None, out=None, keepdims=False):
    no_out(out, "argmax")
    return _arg("argmax", a, axis, keepdims, "argmax")


def argmin(a, axis=None, out=None, keepdims=False):
    no_out(out, "argmin")
    return _arg("argmin", a, axis, keepdims, "argmin")


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """np.var: mean of squared deviations, divided by (N - ddof) instead of N when ddof is given."""
    no_out(out, "var")
    x = _floating(as_variable(a), dtype, "var")
    axes = _counting_axes(axis, x.ndim, "var")
    centered = subtract(x, _reduce("reduce_mean", x, axes, True, "var"))
    result = _reduce("reduce_mean", multiply(centered, centered), axes, keepdims, "var")
    if ddof:
        n = prod_of_sizes([x.shape[i] for i in axes])
        result = multiply(result, true_divide(n, subtract(n, ddof)))
    return result


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    no_out(out, "std")
    return sqrt(var(a, axis, dtype, ddof=ddof, keepdims=keepdims))


def any(a, axis=None, out=None, keepdims=False):  # noqa: A001
    """np.any, as a count of true values (well defined on empty axes, unlike a max)."""
    no_out(out, "any")
    count = sum(convert(as_variable(a), dtypes.bool_), axis, keepdims=keepdims)
    return not_equal(count, 0)


def all(a, axis=None, out=None, keepdims=False):  # noqa: A001
    no_out(out, "all")
    return logical_not(any(logical_not(a), axis, keepdims=keepdims))


# ---- softmax family ----------------------------------------------------------------------------------

def logsumexp(a, axis=None, keepdims=False):
    """log(sum(exp(a))) over axes, computed max-shifted (never overflows)."""
    x = _floating(as_variable(a), None, "logsumexp")
    return _reduce("logsumexp", x, axis, keepdims, "logsumexp")


def _softmax_like(op, a, axis):
    x = _floating(as_variable(a), None, op)
    if axis is None:  # over all elements, as scipy.special.softmax
        if x.ndim <= 1:
            axis = 0 if x.ndim == 1 else None
        else:
            return reshape(apply(op, [reshape(x, -1)], {"axis": 0}), x.shape)
    if x.ndim == 0:  # softmax of one element
        return reshape(apply(op, [reshape(x, 1)], {"axis": 0}), ())
    return apply(op, [x], {"axis": normalize_axis(axis, x.ndim, op)})


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along `axis` (default the last), max-shifted."""
    return _softmax_like("softmax", x, axis)


def log_softmax(x, axis=-1):
    """x - logsumexp(x) along `axis` (default the last)."""
    return _softmax_like("log_softmax", x, axis)

