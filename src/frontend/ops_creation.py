"""Array creation: zeros, ones, full, *_like and arange, with symbolic sizes allowed.

Without a dtype, Python floats give floatX (float32, as in Theano), ints int64 and bools bool; the
fill value becomes the `value` attribute of `tensorc.fill`, the sizes its operands (ops_shape.py).
"""
from __future__ import annotations

import builtins
import math

import numpy as np

from . import dtypes
from .graph import apply, as_variable, convert, template_of
from .ops_elementwise import add, floor_divide, maximum, multiply, negative, subtract
from .ops_shape import broadcast_to, check_nonnegative, shape_arg
from .variables import Variable


def _fill_dtype(value, dtype, name):
    if dtype is not None:
        return dtypes.as_dtype(dtype, name)
    if isinstance(value, np.generic):  # first: np.float64 is also a float, but keeps its dtype
        return dtypes.as_dtype(value.dtype, name)
    if isinstance(value, bool):
        return dtypes.bool_
    if isinstance(value, int):
        return dtypes.int64
    if isinstance(value, float):
        return dtypes.floatX
    raise TypeError(f"{name}: fill value must be a number, got {type(value).__name__}")


def full(shape, fill_value, dtype=None):
    """np.full. Without dtype: Python floats give floatX (float32), ints int64, bools bool."""
    dims = shape_arg(shape, "full")
    check_nonnegative(dims, "full")
    if isinstance(fill_value, (Variable, np.ndarray)):
        value = as_variable(fill_value)
        if dtype is not None:
            value = convert(value, dtypes.as_dtype(dtype, "full"))
        return broadcast_to(value, dims)
    dt = _fill_dtype(fill_value, dtype, "full")
    if isinstance(fill_value, int) and not isinstance(fill_value, bool):
        dtypes.check_fits(fill_value, dt, "full")
    template, sizes = template_of(dims)
    return apply("fill", sizes, {"value": dt.type(fill_value), "_shape": template})


def zeros(shape, dtype=None):
    """np.zeros; the default dtype is floatX (float32), as in Theano."""
    return full(shape, 0, dtype or dtypes.floatX)


def ones(shape, dtype=None):
    """np.ones; the default dtype is floatX (float32), as in Theano."""
    return full(shape, 1, dtype or dtypes.floatX)


def full_like(a, fill_value, dtype=None):
    x = as_variable(a)
    return full(x.shape, fill_value, dtype or x.dtype)


def zeros_like(a, dtype=None):
    return full_like(a, 0, dtype)


def ones_like(a, dtype=None):
    return full_like(a, 1, dtype)


def arange(start, stop=None, step=None, dtype=None):
    """np.arange. Bounds may be symbolic integers (``tc.arange(x.shape[0])``); the step is static.
    Without dtype: integer bounds give int64, float bounds floatX (float32)."""
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    if isinstance(step, Variable):
        raise NotImplementedError("tc.arange: the step must be a Python number")
    if step == 0:
        raise ValueError("arange: step must not be zero")
    bounds = (start, stop)
    symbolic = any(isinstance(b, Variable) for b in bounds)
    floats = any(isinstance(b, (float, np.floating)) for b in bounds + (step,)) or \
        any(isinstance(b, Variable) and b.dtype.kind == "f" for b in bounds)
    dt = dtypes.as_dtype(dtype, "arange") if dtype is not None else (dtypes.floatX if floats else dtypes.int64)
    if dt == dtypes.bool_:
        raise TypeError("arange: bool is not a valid dtype")
    if symbolic:
        if floats:
            raise NotImplementedError("tc.arange: symbolic bounds must be integers")
        # ceil((stop - start) / step) for either sign of step, clamped at 0
        count = maximum(negative(floor_divide(subtract(start, stop), step)), 0)
    else:
        count = builtins.max(0, math.ceil((stop - start) / step)) if floats else len(range(start, stop, step))
    n = convert(as_variable(count), dtypes.int64)
    out = apply("arange", [n], {"_dtype": dt})
    if isinstance(start, (int, float)) and start == 0 and step == 1:
        return out
    return convert(add(multiply(out, step), start), dt)
