"""tensorc: a Theano-like compiler of NumPy-style expressions, built on MLIR.

    import numpy as np, tensorc as tc

    x = tc.matrix("x")                      # symbolic input: float32 (floatX), rank 2, dynamic dims
    y = tc.vector("y", dtype="float32")
    f = tc.function([x, y], tc.tanh(x @ y).sum())
    f(np.ones((3, 4), np.float32), np.ones(4, np.float32))

    @tc.compile                             # or trace plain NumPy code, as jax.jit does
    def g(a, b):
        return np.tanh(a @ b).sum(axis=0)

tc.function(..., mode="FAST_COMPILE") and tc.Mode choose the graph optimizations, as in Theano.
Symbolic inputs default to floatX = float32, as in Theano; so do tc.zeros/ones/full/arange when no
dtype is given and the values are floats. Everything else follows NumPy 2: broadcasting, NEP 50
promotion (Python scalars are weak), axis arguments, and the result dtypes of reductions.
"""
from ._version import __version__
# The public API: tc.* names are NumPy's where NumPy has the function.
from .frontend.compile import compile
from .frontend.debugprint import debugprint
from .frontend.dtypes import bool_, float32, float64, floatX, int32, int64
from .frontend.function import function
from .frontend.graph import constant
from .frontend.ops_creation import arange, full, full_like, ones, ones_like, zeros, zeros_like
from .frontend.ops_elementwise import (
    abs, absolute, add, astype, bitwise_and, bitwise_not, bitwise_or, bitwise_xor, cast, ceil, clip, cos, divide,
    equal, erf, exp, expm1, floor, floor_divide, greater, greater_equal, invert, less, less_equal, log, log1p,
    logaddexp, logical_and, logical_not, logical_or, logical_xor, maximum, minimum, mod, multiply, negative,
    not_equal, power, reciprocal, remainder, sigmoid, sign, sin, softplus, sqrt, square, subtract, tanh, true_divide, where)
from .frontend.ops_linalg import dot, matmul
from .frontend.ops_reduce import (
    all, amax, amin, any, argmax, argmin, log_softmax, logsumexp, max, mean, min, prod, softmax, std, sum, var)
from .frontend.ops_shape import (
    broadcast_to, concatenate, expand_dims, moveaxis, reshape, shape, squeeze, stack, swapaxes, transpose)
from .frontend.variables import Variable, matrix, scalar, tensor, tensor3, tensor4, vector

_NATIVE_NAMES = ("Mode", "FAST_RUN", "FAST_COMPILE", "rewrite_names")


def __getattr__(name):
    # Compilation modes live beside the C++ passes and need the native module: imported on first use,
    # so that building graphs works without it.
    if name in _NATIVE_NAMES:
        from . import passes
        return getattr(passes, name)
    if name == "blas_info":  # the BLAS compiled matmuls call (runtime/blas.py)
        from .runtime.blas import info
        return info
    if name in ("set_num_threads", "get_num_threads"):  # runtime/threads.py
        from .runtime import threads
        return getattr(threads, name)
    raise AttributeError(f"module 'tensorc' has no attribute {name!r}")
