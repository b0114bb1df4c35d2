"""NumPy-style arguments: axes (negative, tuples, None) normalized for the dialect, and out=."""
from __future__ import annotations

import operator

import numpy as np


def normalize_axis(axis, ndim: int, name: str) -> int:
    try:
        axis = operator.index(axis)
    except TypeError:
        raise TypeError(f"{name}: axis must be an int, got {type(axis).__name__}") from None
    if not -ndim <= axis < ndim:
        raise np.exceptions.AxisError(axis, ndim, name)
    return axis % ndim


def normalize_axes(axis, ndim: int, name: str) -> tuple:
    """Sorted non-negative axes; None means all of them."""
    if axis is None:
        return tuple(range(ndim))
    if not isinstance(axis, (tuple, list)):
        if ndim == 0 and axis in (0, -1):  # NumPy accepts an int axis 0 or -1 on 0-d arrays
            return ()
        axis = (axis,)
    axes = [normalize_axis(a, ndim, name) for a in axis]
    if len(set(axes)) != len(axes):
        raise ValueError(f"{name}: repeated axis in {tuple(axis)}")
    return tuple(sorted(axes))


def no_out(out, name):
    """tensorc values are immutable: NumPy's out= cannot be honoured."""
    if out is not None:
        raise TypeError(f"{name}: out= is not supported: tensorc values are immutable")
