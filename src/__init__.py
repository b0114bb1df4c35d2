"""tensorc: a Theano-like compiler of NumPy-style expressions, built on MLIR.

    import numpy as np, tensorc as tc

    x = tc.matrix("x")                      # symbolic input: float32 (floatX), rank 2, dynamic dims
    y = tc.vector("y", dtype="float32")
    f = tc.function([x, y], tc.tanh(x @ y).sum())
    f(np.ones((3, 4), np.float32), np.ones(4, np.float32))

    @tc.compile                             # or trace plain NumPy code, as jax.jit does
    def g(a, b):
        return np.tanh(a @ b).sum(axis=0)

Symbolic inputs default to floatX = float32, as in Theano; so do tc.zeros/ones/full/arange when no
dtype is given and the values are floats. Everything else follows NumPy 2: broadcasting, NEP 50
promotion (Python scalars are weak), axis arguments, and the result dtypes of reductions.
"""
import numpy as _np

from .frontend import *  # noqa: F401,F403  (the public API; see frontend/__init__.py)
from .frontend.dtypes import floatX

float32 = _np.dtype("float32")
float64 = _np.dtype("float64")
int32 = _np.dtype("int32")
int64 = _np.dtype("int64")
bool_ = _np.dtype("bool")

from ._version import __version__  # noqa: E402
