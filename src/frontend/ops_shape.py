"""Shape functions: reshape, transpose, expand_dims, squeeze, concatenate, stack, broadcast_to.

Sizes may be Python ints or symbolic 0-d integer values such as ``x.shape[0]``; the dialect takes a
0-d int64 operand per size that is not static (ops with a "_shape" template in opdefs.py).
"""
from __future__ import annotations

import operator

from . import dtypes
from .arguments import no_out, normalize_axes, normalize_axis
from .avals import format_shape
from .graph import apply, as_variable, convert, template_of
from .ops_elementwise import equal, expand_leading, floor_divide, maximum, multiply, where
from .variables import Variable

# ---- sizes -------------------------------------------------------------------------------------------


def size_value(s, name: str):
    """A dimension as an int (static) or a symbolic 0-d int64 Variable."""
    if isinstance(s, Variable):
        if s.ndim != 0 or s.dtype.kind != "i":
            raise TypeError(f"{name}: a symbolic size must be a 0-d integer value, got {s}")
        s = convert(s, dtypes.int64)
        if s.aval.const is not None:
            return int(s.aval.const)
        return s
    try:
        return operator.index(s)
    except TypeError:
        raise TypeError(f"{name}: sizes must be ints or symbolic integer scalars, got "
                        f"{type(s).__name__}") from None


def shape_arg(shape, name: str) -> list:
    if isinstance(shape, (tuple, list)):
        return [size_value(s, name) for s in shape]
    if isinstance(shape, Variable) and shape.ndim != 0:
        raise TypeError(f"{name}: pass the shape as a tuple of sizes (e.g. x.shape), not a tensor")
    return [size_value(shape, name)]


def _show(dims) -> str:
    return format_shape([d if isinstance(d, int) else None for d in dims])


def _show_unknown(dims, i) -> str:
    """The shape as the user wrote it, -1 at position i (for messages)."""
    return format_shape([-1 if j == i else (d if isinstance(d, int) else None) for j, d in enumerate(dims)])


def _size_text(total) -> str:
    return str(total) if isinstance(total, int) else "?"


def check_nonnegative(dims, name):
    if any(isinstance(d, int) and d < 0 for d in dims):
        raise ValueError(f"{name}: negative dimensions are not allowed (shape {_show(dims)})")


def prod_of_sizes(dims):
    """Product of sizes: an int when all are static, else a symbolic int64 scalar."""
    static, symbolic = 1, None
    for d in dims:
        if isinstance(d, Variable):
            symbolic = d if symbolic is None else multiply(symbolic, d)
        else:
            static *= d
    if symbolic is None:
        return static
    return symbolic if static == 1 else multiply(symbolic, static)


# ---- reshaping -------------------------------------------------------------------------------------

def reshape(a, newshape):
    """np.reshape in C order; sizes may be ints, -1 (one of them) or symbolic scalars."""
    x = as_variable(a)
    dims = shape_arg(newshape, "reshape")
    unknown = [i for i, d in enumerate(dims) if isinstance(d, int) and d == -1]
    if len(unknown) > 1:
        raise ValueError("reshape: can only specify one unknown dimension")
    if any(isinstance(d, int) and d < -1 for d in dims):
        raise ValueError(f"reshape: negative dimensions are not allowed (shape {_show(dims)})")
    if unknown:
        i = unknown[0]
        total = prod_of_sizes(x.shape)
        known = prod_of_sizes(dims[:i] + dims[i + 1:])
        # -1 is the size that makes the element counts agree. When the other sizes multiply to 0 no
        # size does (or every size does, for an empty array): NumPy raises, whatever the array's size.
        if isinstance(known, int) and known == 0:
            raise ValueError(f"reshape: cannot reshape array of size {_size_text(total)} into shape "
                             f"{_show_unknown(dims, i)}: -1 is ambiguous when the other sizes multiply to 0")
        if isinstance(total, int) and isinstance(known, int):
            if total % known:
                raise ValueError(f"reshape: cannot reshape array of size {total} into shape "
                                 f"{_show_unknown(dims, i)}")
            dims[i] = total // known
        elif isinstance(known, int):
            dims[i] = floor_divide(total, known)
        else:
            # Known only at run time: max(known, 1) so that the compiled code never divides by zero,
            # and -1 again when known is 0, which the reshape's run-time check rejects (a negative size).
            resolved = floor_divide(total, maximum(known, 1))
            dims[i] = where(equal(known, 0), -1, resolved)
    if all(isinstance(d, int) for d in dims) and tuple(dims) == x.aval.shape:
        return x  # already that (static) shape
    template, sizes = template_of(dims)
    return apply("reshape", [x] + sizes, {"_shape": template})


def transpose(a, axes=None):
    """np.transpose: reverse the axes, or permute them as given."""
    x = as_variable(a)
    if axes is None:
        perm = tuple(reversed(range(x.ndim)))
    else:
        perm = tuple(normalize_axis(p, x.ndim, "transpose") for p in axes)
        if sorted(perm) != list(range(x.ndim)):
            raise ValueError(f"transpose: axes {tuple(axes)} don't match array of {x.ndim} dimensions")
    if perm == tuple(range(x.ndim)):
        return x
    return apply("transpose", [x], {"permutation": perm})


def swapaxes(a, axis1, axis2):
    x = as_variable(a)
    perm = list(range(x.ndim))
    i, j = normalize_axis(axis1, x.ndim, "swapaxes"), normalize_axis(axis2, x.ndim, "swapaxes")
    perm[i], perm[j] = perm[j], perm[i]
    return transpose(x, perm)


def moveaxis(a, source, destination):
    x = as_variable(a)

    def axes_of(v):
        return [normalize_axis(s, x.ndim, "moveaxis") for s in (v if isinstance(v, (tuple, list)) else [v])]

    src, dst = axes_of(source), axes_of(destination)
    if len(src) != len(dst):
        raise ValueError("moveaxis: `source` and `destination` arguments must have the same number of elements")
    order = [n for n in range(x.ndim) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return transpose(x, order)


def expand_dims(a, axis):
    """np.expand_dims: insert size-1 dimensions; `axis` indexes the result."""
    x = as_variable(a)
    count = len(axis) if isinstance(axis, (tuple, list)) else 1
    axes = normalize_axes(axis, x.ndim + count, "expand_dims")
    return apply("expand_dims", [x], {"axes": axes})


def squeeze(a, axis=None):
    """np.squeeze. Without `axis` it removes the dimensions known to be 1 when the graph is built
    (static ones): the rank of a value cannot depend on sizes seen at run time."""
    x = as_variable(a)
    if axis is None:
        axes = tuple(i for i, d in enumerate(x.aval.shape) if d == 1)
    else:
        axes = normalize_axes(axis, x.ndim, "squeeze")
    if not axes:
        return x
    return apply("squeeze", [x], {"axes": axes})


# ---- joining ---------------------------------------------------------------------------------------

def concatenate(arrays, axis=0, out=None, dtype=None):
    """np.concatenate; `axis=None` flattens first."""
    no_out(out, "concatenate")
    vs = [as_variable(a) for a in arrays]
    if not vs:
        raise ValueError("concatenate: need at least one array to concatenate")
    if axis is None:
        vs = [reshape(v, -1) for v in vs]
        axis = 0
    if any(v.ndim == 0 for v in vs):
        raise ValueError("concatenate: zero-dimensional arrays cannot be concatenated")
    if len({v.ndim for v in vs}) > 1:
        raise ValueError(f"concatenate: all the input arrays must have same number of dimensions, "
                         f"but got ranks {[v.ndim for v in vs]}")
    axis = normalize_axis(axis, vs[0].ndim, "concatenate")
    dt = dtypes.as_dtype(dtype, "concatenate") if dtype is not None else \
        dtypes.result_type([(v.dtype, False) for v in vs])
    vs = [convert(v, dt) for v in vs]
    if len(vs) == 1:
        return vs[0]
    return apply("concatenate", vs, {"axis": axis})


def stack(arrays, axis=0, out=None, dtype=None):
    """np.stack: join along a new axis."""
    no_out(out, "stack")
    vs = [as_variable(a) for a in arrays]
    if not vs:
        raise ValueError("stack: need at least one array to stack")
    if len({v.ndim for v in vs}) > 1:
        raise ValueError("stack: all input arrays must have the same shape")
    axis = normalize_axis(axis, vs[0].ndim + 1, "stack")
    return concatenate([expand_dims(v, axis) for v in vs], axis, dtype=dtype)


# ---- broadcasting ----------------------------------------------------------------------------------

def broadcast_to(array, shape):
    """np.broadcast_to (sizes may be symbolic)."""
    x = as_variable(array)
    dims = shape_arg(shape, "broadcast_to")
    check_nonnegative(dims, "broadcast_to")
    if x.ndim > len(dims):
        raise ValueError(f"broadcast_to: input operand has more dimensions ({x.ndim}) than the "
                         f"target shape {_show(dims)}")
    x = expand_leading(x, len(dims))
    template, sizes = template_of(dims)
    return apply("broadcast_to", [x] + sizes, {"_shape": template})


def shape(a) -> tuple:
    """np.shape (and x.shape): ints where static, symbolic 0-d int64 values elsewhere."""
    x = as_variable(a)
    return tuple(d if d is not None else apply("dim", [x], {"axis": i}) for i, d in enumerate(x.aval.shape))


def size(a, axis=None):
    """np.size (and x.size): the number of elements, or the size of one axis; an int where static,
    else a symbolic int64 scalar."""
    dims = shape(a)
    return prod_of_sizes(dims if axis is None else [dims[axis]])
