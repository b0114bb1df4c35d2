"""Variable's NumPy operators, methods and properties: one table of forwarding to the tc functions.

`install` sets them on Variable once (tensorc.frontend's __init__ calls it), as JAX sets its arrays'
methods from the tables of jax/_src/numpy/array_methods.py; Variable itself (variables.py) holds data
only. A method takes the Variable as its first argument: where NumPy's method and function share
their arguments the table names the tc function itself, otherwise a forwarding function below with
the method's arguments.
"""
from __future__ import annotations

from . import indexing
from . import numpy_dispatch as dispatch
from . import ops_elementwise as ew
from . import ops_linalg as la
from . import ops_reduce as red
from . import ops_shape as sh
from .variables import Variable


def _reflected(fn):
    """y OP x for a Variable x and a y that is not one (Python calls x.__rOP__(y))."""
    def reflected(self, other):
        return fn(other, self)
    return reflected


def _power(x1, x2):
    # `arr ** 2` with a Python int 2 is np.square in NumPy (its fast scalar power), which for a bool
    # array picks the int8 loop where np.power would pick int64. Only arrays take that path: a 0-d
    # value computed in the graph is a NumPy scalar there (ufuncs and reductions return np.generic),
    # and np.bool_ ** 2 is np.power's int64; 0-d inputs and array constants stay arrays.
    x = ew.as_variable(x1)
    is_array = x.ndim > 0 or x.is_input or (x.is_constant and not x.aval.weak)
    return ew.square(x) if type(x2) is int and x2 == 2 and is_array else ew.power(x, x2)


def _positive(x):
    return x


# ---- methods whose arguments differ from the tc function's (no out=; NumPy's keywords) -------------

def sum(self, axis=None, dtype=None, keepdims=False): return red.sum(self, axis, dtype, keepdims=keepdims)  # noqa
def prod(self, axis=None, dtype=None, keepdims=False): return red.prod(self, axis, dtype, keepdims=keepdims)
def mean(self, axis=None, dtype=None, keepdims=False): return red.mean(self, axis, dtype, keepdims=keepdims)
def max(self, axis=None, keepdims=False): return red.max(self, axis, keepdims=keepdims)  # noqa: A001
def min(self, axis=None, keepdims=False): return red.min(self, axis, keepdims=keepdims)  # noqa: A001
def argmax(self, axis=None, keepdims=False): return red.argmax(self, axis, keepdims=keepdims)
def argmin(self, axis=None, keepdims=False): return red.argmin(self, axis, keepdims=keepdims)
def any(self, axis=None, keepdims=False): return red.any(self, axis, keepdims=keepdims)  # noqa: A001
def all(self, axis=None, keepdims=False): return red.all(self, axis, keepdims=keepdims)  # noqa: A001


def var(self, axis=None, dtype=None, ddof=0, keepdims=False):
    return red.var(self, axis, dtype, ddof=ddof, keepdims=keepdims)


def std(self, axis=None, dtype=None, ddof=0, keepdims=False):
    return red.std(self, axis, dtype, ddof=ddof, keepdims=keepdims)


def clip(self, min=None, max=None):  # noqa: A002  (NumPy's keywords)
    return ew.clip(self, min, max)


def reshape(self, *shape):
    return sh.reshape(self, shape[0] if len(shape) == 1 else shape)


def transpose(self, *axes):
    if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
        axes = axes[0]
    return sh.transpose(self, axes or None)


def flatten(self): return sh.reshape(self, -1)
def ravel(self): return sh.reshape(self, -1)


# ---- the table -------------------------------------------------------------------------------------

# x OP y calls fn(x, y), and y OP x (the reflected __rOP__) calls fn(y, x).
BINARY_OPERATORS = {
    "add": ew.add, "sub": ew.subtract, "mul": ew.multiply, "truediv": ew.true_divide,
    "floordiv": ew.floor_divide, "mod": ew.mod, "pow": _power, "matmul": la.matmul,
    "and": ew.bitwise_and, "or": ew.bitwise_or, "xor": ew.bitwise_xor,
}

# Comparisons have no reflected form: Python turns `3 < x` into `x > 3`.
OPERATORS = {
    "__eq__": ew.equal, "__ne__": ew.not_equal, "__lt__": ew.less, "__le__": ew.less_equal,
    "__gt__": ew.greater, "__ge__": ew.greater_equal,
    "__neg__": ew.negative, "__pos__": _positive, "__abs__": ew.abs, "__invert__": ew.invert,
    "__getitem__": indexing.getitem,
    "__array_ufunc__": dispatch.array_ufunc, "__array_function__": dispatch.array_function,
}

METHODS = {
    "sum": sum, "prod": prod, "mean": mean, "max": max, "min": min, "argmax": argmax, "argmin": argmin,
    "var": var, "std": std, "any": any, "all": all,
    "astype": ew.astype, "dot": la.dot, "clip": clip,
    "reshape": reshape, "transpose": transpose, "flatten": flatten, "ravel": ravel, "squeeze": sh.squeeze,
}

PROPERTIES = {"shape": sh.shape, "size": sh.size, "T": sh.transpose}


def install(cls=Variable):
    """Set the table's operators, methods and properties on `cls` (once, on import of tensorc.frontend)."""
    for name, fn in BINARY_OPERATORS.items():
        setattr(cls, f"__{name}__", fn)
        setattr(cls, f"__r{name}__", _reflected(fn))
    for name, fn in {**OPERATORS, **METHODS}.items():
        if fn.__module__ == __name__:  # the forwarding functions above: name them as methods
            fn.__name__, fn.__qualname__ = name, f"{cls.__name__}.{name}"
        setattr(cls, name, fn)
    for name, fn in PROPERTIES.items():
        setattr(cls, name, property(fn))
