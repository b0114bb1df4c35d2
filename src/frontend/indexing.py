"""x[key] with NumPy's rules, as slice / squeeze / expand_dims / gather / transpose ops.

Supported: ints (negative count from the end), slices with static Python-int bounds and steps
(negative steps too), None, Ellipsis, and integer index arrays (symbolic or NumPy). As in NumPy,
integer scalars beside index arrays are indices too, all index arrays broadcast together, and when
they are not adjacent the indexed dimensions move to the front. Boolean masks are not supported:
their result shape depends on the data.

An int on a dimension whose size is known is a slice plus a squeeze (out of range: IndexError now);
on a dynamic dimension it is a `tensorc.gather` with a 0-d index, so that an index out of range is an
IndexError at run time as in NumPy, not a shape error.
"""
from __future__ import annotations

import numpy as np

from . import dtypes
from .avals import ShapeError
from .graph import apply, constant, convert
from .opdefs import broadcast_shapes
from .ops_elementwise import expand_leading
from .ops_shape import expand_dims, squeeze, transpose
from .variables import Variable

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

_VALID = ("only integers, slices (`:`), ellipsis (`...`), None and integer arrays are valid indices "
          "of a tensorc value")


def _classify(k):
    """'none', 'ellipsis', 'slice', 'int' (a Python int), 'scalar' (symbolic 0-d) or 'array'."""
    if k is None:
        return "none", k
    if k is Ellipsis:
        return "ellipsis", k
    if isinstance(k, slice):
        for part in (k.start, k.stop, k.step):
            if isinstance(part, Variable):
                raise NotImplementedError("slice bounds must be Python ints: symbolic slice bounds "
                                          "would make the result's size depend on run-time values")
        return "slice", k
    if isinstance(k, (bool, np.bool_)):
        raise IndexError(f"{_VALID}; got a bool")
    if isinstance(k, (int, np.integer)):
        return "int", int(k)
    if isinstance(k, Variable):
        if k.dtype == dtypes.bool_:
            raise NotImplementedError("boolean mask indexing is not supported: its result shape depends on "
                                      "the data; use tc.where(mask, x, 0) or index arrays")
        if k.dtype.kind != "i":
            raise IndexError(f"{_VALID}; got a {k.dtype} value")
        return ("scalar" if k.ndim == 0 else "array"), k
    if isinstance(k, (list, tuple, np.ndarray)):
        arr = np.asarray(k)
        if arr.dtype == dtypes.bool_:
            raise NotImplementedError("boolean mask indexing is not supported: its result shape depends on "
                                      "the data; use tc.where(mask, x, 0) or index arrays")
        if arr.size == 0 and arr.dtype.kind == "f":
            arr = arr.astype(np.int64)  # np.asarray([]) is float
        if arr.dtype.kind not in "iu":
            raise IndexError(f"{_VALID}; got an array of {arr.dtype}")
        if arr.ndim == 0:
            return "int", int(arr)
        return "array", constant(arr.astype(np.int64))
    raise IndexError(f"{_VALID}; got {type(k).__name__}")


def _expand_ellipsis(items, ndim):
    consumed = sum(kind not in ("none", "ellipsis") for kind, _ in items)
    if consumed > ndim:
        raise IndexError(f"too many indices for array: array is {ndim}-dimensional, but {consumed} were indexed")
    ellipses = [i for i, (kind, _) in enumerate(items) if kind == "ellipsis"]
    if len(ellipses) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    fill = [("slice", slice(None))] * (ndim - consumed)
    if ellipses:
        i = ellipses[0]
        return items[:i] + fill + items[i + 1:]
    return items + fill


_WHOLE = (0, INT64_MAX, 1)  # the bounds of `:`


def _slice_bounds(s: slice):
    """(start, stop, step) of a slice, clamped to int64; None for `:` (the whole dimension)."""
    step = 1 if s.step is None else int(s.step)
    if step == 0:
        raise ValueError("slice step cannot be zero")
    if step > 0:
        start = 0 if s.start is None else int(s.start)
        stop = INT64_MAX if s.stop is None else int(s.stop)
    else:
        start = -1 if s.start is None else int(s.start)
        stop = INT64_MIN if s.stop is None else int(s.stop)
    clamp = lambda v: max(INT64_MIN, min(INT64_MAX, v))  # noqa: E731
    bounds = clamp(start), clamp(stop), step
    return None if bounds == _WHOLE else bounds


def _apply_slices(x, bounds):
    """One slice op for all dimensions; bounds[i] is (start, stop, step) or None (whole dimension)."""
    if all(b is None for b in bounds):
        return x
    starts, stops, steps = zip(*[b or _WHOLE for b in bounds])
    return apply("slice", [x], {"starts": starts, "stops": stops, "steps": steps})


def _check_static_index(i: int, size, axis: int):
    if size is not None and not -size <= i < size:
        raise IndexError(f"index {i} is out of bounds for axis {axis} with size {size}")


def getitem(x: Variable, key):
    items = [_classify(k) for k in (key if isinstance(key, tuple) else (key,))]
    items = _expand_ellipsis(items, x.ndim)
    # None: insert the new axes first; each remaining entry then indexes one axis of x.
    new_axes = tuple(i for i, (kind, _) in enumerate(items) if kind == "none")
    if new_axes:
        x = expand_dims(x, new_axes)
        items = [("slice", slice(None)) if kind == "none" else (kind, k) for kind, k in items]
    if any(kind == "array" for kind, _ in items):
        return _advanced(x, items)
    return _basic(x, items)


def _basic(x, items):
    bounds, squeezed, gathered = [], [], []
    for axis, ((kind, k), size) in enumerate(zip(items, x.aval.shape)):
        if kind == "slice":
            bounds.append(_slice_bounds(k))
        elif kind == "int" and size is not None:
            _check_static_index(k, size, axis)
            i = k % size
            bounds.append((i, i + 1, 1))
            squeezed.append(axis)
        else:  # an int on a dynamic dimension, or a symbolic scalar: gathered (IndexError at run time)
            bounds.append(None)
            gathered.append((axis, k))
    x = _apply_slices(x, bounds)
    if squeezed:
        x = squeeze(x, tuple(squeezed))
    # Gather from the last axis to the first so earlier axis numbers stay valid.
    for axis, k in reversed(gathered):
        new_axis = axis - sum(s < axis for s in squeezed)
        x = apply("gather", [x, _index_variable(k)], {"axis": new_axis})
    return x


def _index_variable(k) -> Variable:
    if isinstance(k, Variable):
        return convert(k, dtypes.int64)
    return constant(np.int64(k))


def _advanced(x, items):
    bounds, positions, indices = [], [], []
    for axis, ((kind, k), size) in enumerate(zip(items, x.aval.shape)):
        if kind == "slice":
            bounds.append(_slice_bounds(k))
            continue
        bounds.append(None)
        positions.append(axis)
        if kind == "int":
            _check_static_index(k, size, axis)
        elif k.is_constant and size is not None:
            value = k.owner.attrs["value"]
            if value.size and not (-size <= value.min() and value.max() < size):
                bad = value[(value < -size) | (value >= size)].flat[0]
                raise IndexError(f"index {bad} is out of bounds for axis {axis} with size {size}")
        indices.append(_index_variable(k))
    ndim = max(i.ndim for i in indices)
    indices = [expand_leading(i, ndim) for i in indices]
    try:
        broadcast_shapes([i.aval.shape for i in indices])
    except ShapeError:
        shapes = " ".join(str(tuple(d for d in i.aval.shape)) for i in indices)
        raise IndexError(f"shape mismatch: indexing arrays could not be broadcast together with shapes "
                         f"{shapes}") from None
    x = _apply_slices(x, bounds)
    if positions == list(range(positions[0], positions[0] + len(positions))):
        return apply("gather", [x] + indices, {"axis": positions[0]})
    # Not adjacent: NumPy puts the indexed dimensions first.
    rest = [a for a in range(x.ndim) if a not in positions]
    return apply("gather", [transpose(x, positions + rest)] + indices, {"axis": 0})
