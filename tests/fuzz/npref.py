"""NumPy reference implementations of the tensorc functions NumPy itself lacks.

tensorc has sigmoid, softplus, erf, softmax, log_softmax and logsumexp; NumPy does not. The fuzzer's
NumPy side calls these instead. They follow scipy.special (expit, log_expit's sibling softplus =
logaddexp(0, x), erf, softmax, log_softmax, logsumexp), including its treatment of special values
(an infinite maximum is not subtracted; logsumexp of an empty axis is -inf), but use NumPy only, so
the tests do not depend on SciPy. Result dtypes follow tensorc's documented rules: sigmoid/softplus/
erf take np.exp's loop (int32 -> float64, bool -> float16, which the fuzzer widens to float32 as
tensorc does), the softmax family makes every non-float input float64 (ops_reduce._floating).
"""
from __future__ import annotations

import math

import numpy as np


def _exp_dtype(x):
    x = np.asarray(x)
    return np.exp(np.zeros((), x.dtype)).dtype


def _floating(x):
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def sigmoid(x):
    x = np.asarray(x)
    dt = _exp_dtype(x)
    x = x.astype(dt)
    with np.errstate(all="ignore"):
        # expit: 1 / (1 + exp(-x)), exact limits at +-inf
        out = np.where(x >= 0, 1 / (1 + np.exp(-np.abs(x))), np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))))
    return np.asarray(out, dtype=dt)


def softplus(x):
    x = np.asarray(x)
    dt = _exp_dtype(x)
    with np.errstate(all="ignore"):
        return np.asarray(np.logaddexp(np.zeros((), dt), x.astype(dt)), dtype=dt)


_erf = np.vectorize(math.erf, otypes=[np.float64])


def erf(x):
    x = np.asarray(x)
    dt = _exp_dtype(x)
    if x.size == 0:
        return np.zeros(x.shape, dt)
    return _erf(x.astype(np.float64)).astype(dt)


def _axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (tuple, list)):
        return tuple(a % ndim for a in axis) if ndim else ()
    return (axis % ndim,) if ndim else ()


def logsumexp(a, axis=None, keepdims=False):
    x = _floating(a)
    axes = _axes(axis, x.ndim)
    with np.errstate(all="ignore"):
        m = np.max(x, axis=axes, keepdims=True, initial=-np.inf)
        m = np.where(np.isfinite(m), m, 0).astype(x.dtype)
        s = np.sum(np.exp(x - m), axis=axes, keepdims=True)
        out = np.log(s) + m
    if not keepdims:
        out = np.squeeze(out, axis=axes)
    return np.asarray(out, dtype=x.dtype)


def _softmax_axis(x, axis):
    if axis is None:
        return tuple(range(x.ndim))
    if x.ndim == 0:
        return ()
    return (axis % x.ndim,)


def softmax(x, axis=-1):
    x = _floating(x)
    axes = _softmax_axis(x, axis)
    with np.errstate(all="ignore"):
        m = np.max(x, axis=axes, keepdims=True, initial=-np.inf)
        e = np.exp(x - m)
        out = e / np.sum(e, axis=axes, keepdims=True)
    return np.asarray(out, dtype=x.dtype)


def log_softmax(x, axis=-1):
    x = _floating(x)
    axes = _softmax_axis(x, axis)
    with np.errstate(all="ignore"):
        m = np.max(x, axis=axes, keepdims=True, initial=-np.inf)
        m = np.where(np.isfinite(m), m, 0).astype(x.dtype)
        t = x - m
        out = t - np.log(np.sum(np.exp(t), axis=axes, keepdims=True))
    return np.asarray(out, dtype=x.dtype)
