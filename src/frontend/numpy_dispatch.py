"""NumPy functions called on symbolic values build the graph (NEP 13 / NEP 18).

``np.exp(x)``, ``ndarray + x`` and ``np.maximum(a, x)`` reach ``Variable.__array_ufunc__``;
``np.sum(x)``, ``np.where(c, x, 0)`` and ``np.concatenate([x, y])`` reach ``__array_function__``.
Both look the NumPy function up in a table of tensorc functions with the same signature. A NumPy
function that is not in a table raises NotImplementedError naming it, instead of NumPy's generic
"returned NotImplemented" TypeError. `array_ufunc` and `array_function` are those two methods of
Variable (installed by methods.py).
"""
from __future__ import annotations

import numpy as np

from . import ops_creation as cr
from . import ops_elementwise as ew
from . import ops_linalg as la
from . import ops_reduce as red
from . import ops_shape as sh

UFUNCS = {
    np.add: ew.add, np.subtract: ew.subtract, np.multiply: ew.multiply,
    np.true_divide: ew.true_divide, np.floor_divide: ew.floor_divide, np.remainder: ew.mod,
    np.power: ew.power, np.maximum: ew.maximum, np.minimum: ew.minimum,
    np.equal: ew.equal, np.not_equal: ew.not_equal, np.less: ew.less, np.less_equal: ew.less_equal,
    np.greater: ew.greater, np.greater_equal: ew.greater_equal,
    np.logical_and: ew.logical_and, np.logical_or: ew.logical_or, np.logical_xor: ew.logical_xor,
    np.logical_not: ew.logical_not, np.bitwise_and: ew.bitwise_and, np.bitwise_or: ew.bitwise_or,
    np.bitwise_xor: ew.bitwise_xor, np.invert: ew.invert,
    np.negative: ew.negative, np.reciprocal: ew.reciprocal, np.positive: lambda x: x, np.absolute: ew.abs, np.sign: ew.sign,
    np.exp: ew.exp, np.log: ew.log, np.log1p: ew.log1p, np.expm1: ew.expm1, np.sqrt: ew.sqrt,
    np.square: ew.square, np.tanh: ew.tanh, np.sin: ew.sin, np.cos: ew.cos,
    np.floor: ew.floor, np.ceil: ew.ceil, np.logaddexp: ew.logaddexp,
    np.matmul: la.matmul,
}

# ufunc.reduce(x, axis=0, keepdims=False): the reductions NumPy's methods stand for.
UFUNC_REDUCE = {np.add: red.sum, np.multiply: red.prod, np.maximum: red.max, np.minimum: red.min,
                np.logical_and: red.all, np.logical_or: red.any}


def _ravel(a, order="C"):
    if order != "C":
        raise NotImplementedError(f"np.ravel(order={order!r}): only C order is supported")
    return sh.reshape(a, -1)


def _reshape(a, *args, shape=None, newshape=None, order="C", copy=None):
    # NumPy 2.1 renamed newshape= to shape=; accept both, and the positional form.
    if order != "C":
        raise NotImplementedError(f"np.reshape(order={order!r}): only C order is supported")
    target = args[0] if args else (shape if shape is not None else newshape)
    return sh.reshape(a, target)


def _like(fill):
    def fn(a, dtype=None, order="K", subok=True, shape=None):
        if shape is not None:
            raise NotImplementedError("np.*_like(shape=...) is not supported on tensorc values")
        return cr.full_like(a, fill, dtype)
    return fn


def _full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None):
    return _like(fill_value)(a, dtype, order, subok, shape)


FUNCTIONS = {
    np.sum: red.sum, np.prod: red.prod, np.mean: red.mean, np.max: red.max, np.min: red.min,
    np.amax: red.max, np.amin: red.min, np.argmax: red.argmax, np.argmin: red.argmin,
    np.var: red.var, np.std: red.std, np.any: red.any, np.all: red.all,
    np.dot: la.dot, np.matmul: la.matmul, np.where: ew.where, np.clip: ew.clip,
    np.concatenate: sh.concatenate, np.stack: sh.stack, np.reshape: _reshape, np.transpose: sh.transpose,
    np.expand_dims: sh.expand_dims, np.squeeze: sh.squeeze, np.broadcast_to: sh.broadcast_to,
    np.swapaxes: sh.swapaxes, np.moveaxis: sh.moveaxis, np.ravel: _ravel,
    np.zeros_like: _like(0), np.ones_like: _like(1), np.full_like: _full_like,
    np.shape: sh.shape, np.ndim: lambda a: a.ndim, np.size: sh.size,
}


def _name(f) -> str:
    return f"numpy.{getattr(f, '__name__', repr(f))}"


def array_ufunc(self, ufunc, method, *inputs, **kwargs):
    if kwargs.get("out") is not None:
        raise TypeError(f"{_name(ufunc)}(..., out=...): tensorc values are immutable; out= is not supported")
    kwargs = {k: v for k, v in kwargs.items() if k != "out"}
    if method == "__call__":
        fn = UFUNCS.get(ufunc)
        if fn is None:
            raise NotImplementedError(f"{_name(ufunc)} is not supported on tensorc values")
        if kwargs:
            raise TypeError(f"{_name(ufunc)}: keyword arguments {sorted(kwargs)} are not supported on tensorc values")
        return fn(*inputs)
    if method == "reduce" and ufunc in UFUNC_REDUCE:
        (a,) = inputs
        allowed = {"axis", "keepdims", "dtype"} if ufunc in (np.add, np.multiply) else {"axis", "keepdims"}
        extra = set(kwargs) - allowed
        if extra:
            raise TypeError(f"{_name(ufunc)}.reduce: keyword arguments {sorted(extra)} are not supported")
        kwargs.setdefault("axis", 0)
        return UFUNC_REDUCE[ufunc](a, **kwargs)
    raise NotImplementedError(f"{_name(ufunc)}.{method} is not supported on tensorc values")


def array_function(self, func, types, args, kwargs):
    fn = FUNCTIONS.get(func)
    if fn is None:
        raise NotImplementedError(f"{_name(func)} is not supported on tensorc values")
    try:
        return fn(*args, **kwargs)
    except TypeError as e:
        # A NumPy argument tensorc does not take (initial=, where=, ...): say which function it was.
        message = str(e)
        if "unexpected keyword argument" in message or "positional argument" in message:
            raise TypeError(f"{_name(func)}: {message} (not supported on tensorc values)") from None
        raise
