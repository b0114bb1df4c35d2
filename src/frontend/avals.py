"""Abstract values: what type inference knows about a tensor before it is computed.

Every op's type inference (opdefs.py) maps input `AVal`s to the output's `AVal`, and raises
`ShapeError` when the shapes cannot work; graph.py turns that into a ValueError naming the op and the
user's line.
"""
from __future__ import annotations

import numpy as np

from . import dtypes


class ShapeError(Exception):
    """Raised by type inference; turned into a ValueError naming the op and the user's line."""


class AVal:
    """An abstract value: what is known about a tensor before it is computed.

    shape: one int (static) or None (dynamic) per dimension.
    weak: the value behaves as a Python scalar in promotion (NEP 50), e.g. ``x.shape[0]`` or a
        Python float mixed into an expression.
    const: the value itself when known (constants, and 0-d integer shape arithmetic folded on the
        way), which lets a size that is a static 1 in a specialization give static result shapes.
    """
    __slots__ = ("dtype", "shape", "weak", "const")

    def __init__(self, dtype, shape, weak=False, const=None):
        self.dtype = dtype
        self.shape = tuple(shape)
        self.weak = weak
        self.const = const

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def mlir_type(self) -> str:
        dims = "".join(("?" if d is None else str(d)) + "x" for d in self.shape)
        return f"tensor<{dims}{dtypes.mlir_name(self.dtype)}>"

    def __repr__(self):
        return f"AVal({self.dtype}, {format_shape(self.shape)}{', weak' if self.weak else ''})"


def format_shape(shape) -> str:
    inner = ", ".join("?" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def fold_scalar(fn, avals):
    """Evaluate fn on known 0-d integer/bool values (shape arithmetic), else None."""
    if not avals or any(a.const is None or a.ndim != 0 or a.dtype.kind not in "ib" for a in avals):
        return None
    with np.errstate(all="raise"):
        try:
            return np.asarray(fn(*[a.const for a in avals]))
        except (FloatingPointError, ZeroDivisionError, ValueError, OverflowError):
            return None  # left to the compiled code (division by zero, negative powers)
