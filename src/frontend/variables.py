"""Symbolic values: the `Variable` class and the symbolic inputs (tc.tensor, tc.matrix, ...).

A Variable is the output of a graph node (`owner`, graph.py), a constant (a node of the `constant`
op), or a symbolic input (no owner). Its dtype and rank are fixed; each dimension is a static int or
dynamic (None). The same class serves Theano-style symbolic inputs (`tc.matrix("x")`) and the tracers
that `@tc.compile` passes to a Python function, so NumPy functions called on either build the graph.

The class holds data only, and refuses Python control flow on values known only at run time. Its
NumPy operators, methods and properties (``x + y``, ``x.sum()``, ``x.shape``, ``np.exp(x)``) forward
to the tc functions from one table in methods.py, which tensorc.frontend installs once on import.
"""
from __future__ import annotations

import numpy as np

from . import dtypes
from .avals import AVal, format_shape
from .location import user_location

_CONTROL_FLOW = ("Python control flow (if/while/and/or, bool(), int(), len()) on the value of a "
                 "symbolic tensorc expression is not supported: its value is only known when the "
                 "compiled function runs. Use tc.where(cond, a, b) for elementwise choices.")


class Variable:
    """A symbolic tensor with NumPy semantics."""

    __slots__ = ("aval", "owner", "name", "loc", "__weakref__")
    __array_priority__ = 1000.0

    def __init__(self, aval: AVal, owner=None, name: str | None = None, loc=None):
        self.aval = aval
        self.owner = owner  # the graph.Node computing it, or None for a symbolic input
        self.name = name
        self.loc = loc

    # ---- static information ----
    @property
    def dtype(self) -> np.dtype:
        return self.aval.dtype

    @property
    def ndim(self) -> int:
        return self.aval.ndim

    @property
    def static_shape(self) -> tuple:
        """One int (static) or None (dynamic) per dimension."""
        return self.aval.shape

    @property
    def is_input(self) -> bool:
        return self.owner is None

    @property
    def is_constant(self) -> bool:
        return self.owner is not None and self.owner.op.name == "constant"

    def __repr__(self):
        what = "input" if self.owner is None else self.owner.op.name
        name = f" {self.name!r}" if self.name else ""
        where = f" at {self.loc.short()}" if self.loc is not None and self.owner is not None else ""
        return f"<tensorc.Variable {what}{name} {self.dtype} {format_shape(self.aval.shape)}{where}>"

    # ---- no Python control flow on traced values ----
    def __bool__(self):
        raise TypeError(f"bool() of a symbolic value: {_CONTROL_FLOW}")

    def __index__(self):
        raise TypeError(f"a symbolic value cannot be used as a Python int: {_CONTROL_FLOW}")

    def __int__(self):
        raise TypeError(f"int() of a symbolic value: {_CONTROL_FLOW}")

    def __float__(self):
        raise TypeError(f"float() of a symbolic value: {_CONTROL_FLOW}")

    def __complex__(self):
        raise TypeError(f"complex() of a symbolic value: {_CONTROL_FLOW}")

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of unsized object (a 0-d symbolic value)")
        if self.aval.shape[0] is None:
            raise TypeError(f"len() of a symbolic value whose first dimension is dynamic; use x.shape[0]. "
                            f"{_CONTROL_FLOW}")
        return self.aval.shape[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __array__(self, dtype=None, copy=None):
        raise TypeError("a symbolic tensorc value cannot be converted to a NumPy array: its value is "
                        "only known when the compiled function runs")

    def __setitem__(self, key, value):
        raise TypeError("tensorc values are immutable; use tc.where(mask, new, x) or build a new value")

    __hash__ = object.__hash__  # methods.py installs __eq__, which returns a Variable


# ---- inputs ------------------------------------------------------------------------------------------

def tensor(dtype=None, ndim=None, name=None) -> Variable:
    """A symbolic input of fixed dtype (default floatX = float32) and rank; every dimension dynamic."""
    if ndim is None or isinstance(ndim, bool) or not isinstance(ndim, (int, np.integer)) or ndim < 0:
        raise TypeError(f"tc.tensor: ndim must be a non-negative int, got {ndim!r}")
    if name is not None and not isinstance(name, str):
        raise TypeError(f"tc.tensor: name must be a str, got {name!r}")
    dt = dtypes.floatX if dtype is None else dtypes.as_dtype(dtype, "tc.tensor")
    return Variable(AVal(dt, (None,) * int(ndim)), None, name, user_location())


def scalar(name=None, dtype=None) -> Variable:
    """A symbolic 0-d input."""
    return tensor(dtype, 0, name)


def vector(name=None, dtype=None) -> Variable:
    """A symbolic 1-d input."""
    return tensor(dtype, 1, name)


def matrix(name=None, dtype=None) -> Variable:
    """A symbolic 2-d input."""
    return tensor(dtype, 2, name)


def tensor3(name=None, dtype=None) -> Variable:
    """A symbolic 3-d input."""
    return tensor(dtype, 3, name)


def tensor4(name=None, dtype=None) -> Variable:
    """A symbolic 4-d input."""
    return tensor(dtype, 4, name)
