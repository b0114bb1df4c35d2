"""The `tensorc` dialect ops (docs/DIALECT.md) with their type inference.

Each entry mirrors one op of cpp/include/tensorc/Dialect/TensorcOps.td. Inference follows the
dialect's verifier: elementwise operands have equal ranks and element types (the frontend inserts
expand_dims and cast first), a static 1 broadcasts, and a dynamic size broadcasts when it is 1 at run
time, so two sizes are compatible when equal, when one is a static 1, or when either is dynamic
(decided at run time by the compiled code: docs/DIALECT.md, "Broadcasting").
"""
from __future__ import annotations

import numpy as np

from . import dtypes
from .graph import AVal, Op, ShapeError, fold_scalar, format_shape

OPS: dict[str, Op] = {}


def _define(name, infer, lower=None) -> Op:
    op = Op(name, infer, lower)
    OPS[name] = op
    return op


def _same_dtype(ins):
    dt = ins[0].dtype
    for a in ins[1:]:
        if a.dtype != dt:
            raise AssertionError(f"operands of one elementwise op differ in dtype: {[a.dtype for a in ins]}")
    return dt


def broadcast_shapes(shapes):
    """Result shape of same-rank broadcasting (see the module docstring)."""
    rank = len(shapes[0])
    if any(len(s) != rank for s in shapes):
        raise AssertionError(f"operands of one elementwise op differ in rank: {shapes}")
    out = []
    for sizes in zip(*shapes):
        static = {s for s in sizes if s is not None and s != 1}
        if len(static) > 1:
            raise ShapeError(f"shapes {' and '.join(format_shape(s) for s in shapes)} cannot be broadcast")
        if static:
            out.append(static.pop())
        elif any(s is None for s in sizes):
            out.append(None)
        else:
            out.append(1)
    return tuple(out)


# ---- elementwise -------------------------------------------------------------------------------

def _elementwise(fold=None, result_dtype=None):
    def infer(ins, attrs):
        dt = _same_dtype(ins)
        shape = broadcast_shapes([a.shape for a in ins])
        const = fold_scalar(fold, ins) if fold is not None else None
        return AVal(result_dtype or dt, shape, all(a.weak for a in ins), const)
    return infer


BINARY = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": None,
          "floordiv": np.floor_divide, "mod": np.remainder, "pow": np.power,
          "max": np.maximum, "min": np.minimum,
          "and": np.bitwise_and, "or": np.bitwise_or, "xor": np.bitwise_xor}
COMPARE = {"eq": np.equal, "ne": np.not_equal, "lt": np.less, "le": np.less_equal,
           "gt": np.greater, "ge": np.greater_equal}
UNARY = {"neg": np.negative, "abs": np.absolute, "sign": np.sign, "not": np.logical_not}
FLOAT_UNARY = ("exp", "log", "log1p", "expm1", "sqrt", "tanh", "sigmoid", "softplus", "sin", "cos",
               "erf", "floor", "ceil")

for _name, _fn in BINARY.items():
    _define(_name, _elementwise(_fn))
for _name, _fn in COMPARE.items():
    _define(_name, _elementwise(_fn, dtypes.bool_))
for _name, _fn in UNARY.items():
    _define(_name, _elementwise(_fn))
for _name in FLOAT_UNARY:
    _define(_name, _elementwise())


def _infer_select(ins, attrs):
    cond, a, b = ins
    if cond.dtype != dtypes.bool_:
        raise AssertionError("select condition must be bool")
    dt = _same_dtype([a, b])
    shape = broadcast_shapes([cond.shape, a.shape, b.shape])
    return AVal(dt, shape, a.weak and b.weak)


_define("select", _infer_select)


def _infer_cast(ins, attrs):
    (x,) = ins
    dt = attrs["_dtype"]
    const = None
    if x.const is not None and x.ndim == 0:
        const = np.asarray(x.const).astype(dt)
    return AVal(dt, x.shape, x.weak, const)


_define("cast", _infer_cast)


# ---- creation and shape queries ----------------------------------------------------------------

def _infer_constant(ins, attrs):
    value = attrs["value"]
    return AVal(value.dtype, value.shape, attrs.get("_weak", False), value)


_define("constant", _infer_constant)


def sized_shape(template, sizes):
    """Result shape of an op whose dims are a template of ints and None (= next size operand)."""
    sizes = iter(sizes)
    out = []
    for t in template:
        if t is not None:
            out.append(t)
            continue
        s = next(sizes)
        out.append(int(s.const) if s.const is not None else None)
    if any(d is not None and d < 0 for d in out):
        raise ShapeError(f"negative dimensions are not allowed (shape {format_shape(out)})")
    return tuple(out)


def lower_sized(em, node, ins, out, n_data):
    """Pass one size operand per dynamic result dimension only, as the dialect requires."""
    data, sizes = ins[:n_data], iter(ins[n_data:])
    operands = list(data)
    for t, d in zip(node.attrs["_shape"], out.shape):
        if t is None:
            size = next(sizes)
            if d is None:
                operands.append(size)
    return em.op(node.op.mlir_name, operands, node.attrs, out, node.loc)


def _infer_fill(ins, attrs):
    value = attrs["value"]
    return AVal(value.dtype, sized_shape(attrs["_shape"], ins))


_define("fill", _infer_fill, lambda em, node, ins, out: lower_sized(em, node, ins, out, 0))


def _infer_arange(ins, attrs):
    (n,) = ins
    size = int(n.const) if n.const is not None else None
    if size is not None and size < 0:
        size = 0  # np.arange of a negative count is empty
    return AVal(attrs["_dtype"], (size,))


_define("arange", _infer_arange)


def _infer_dim(ins, attrs):
    (x,) = ins
    size = x.shape[attrs["axis"]]
    return AVal(dtypes.int64, (), True, None if size is None else np.asarray(size, np.int64))


_define("dim", _infer_dim)


def _infer_broadcast_to(ins, attrs):
    x, sizes = ins[0], ins[1:]
    shape = sized_shape(attrs["_shape"], sizes)
    if x.ndim != len(shape):
        raise AssertionError("broadcast_to operand must have the result's rank")
    for s, t in zip(x.shape, shape):
        if s is not None and t is not None and s != t and s != 1:
            raise ShapeError(f"cannot broadcast shape {format_shape(x.shape)} to {format_shape(shape)}")
    return AVal(x.dtype, shape, x.weak)


_define("broadcast_to", _infer_broadcast_to, lambda em, node, ins, out: lower_sized(em, node, ins, out, 1))


# ---- reductions ---------------------------------------------------------------------------------

def _reduced_shape(shape, axes, keepdims):
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def _infer_reduce(ins, attrs):
    (x,) = ins
    shape = _reduced_shape(x.shape, attrs["axes"], attrs["keepdims"])
    return AVal(x.dtype, shape)


for _name in ("reduce_sum", "reduce_prod", "reduce_mean", "reduce_max", "reduce_min", "logsumexp"):
    _define(_name, _infer_reduce)


def _infer_arg(ins, attrs):
    (x,) = ins
    return AVal(dtypes.int64, _reduced_shape(x.shape, (attrs["axis"],), attrs["keepdims"]))


_define("argmax", _infer_arg)
_define("argmin", _infer_arg)


def _infer_same(ins, attrs):
    (x,) = ins
    return AVal(x.dtype, x.shape)


_define("softmax", _infer_same)
_define("log_softmax", _infer_same)


# ---- linear algebra and data movement ---------------------------------------------------------------

def _infer_matmul(ins, attrs):
    a, b = ins
    _same_dtype(ins)
    if a.ndim == 0 or b.ndim == 0:
        raise ShapeError("operands must have at least one dimension")
    ash = ((1,) if a.ndim == 1 else ()) + a.shape
    bsh = b.shape + ((1,) if b.ndim == 1 else ())
    k1, k2 = ash[-1], bsh[-2]
    if k1 is not None and k2 is not None and k1 != k2:
        raise ShapeError(f"shapes {format_shape(a.shape)} and {format_shape(b.shape)} are not aligned: "
                         f"{k1} (dim {a.ndim - 1}) != {k2} (dim {max(b.ndim - 2, 0)})")
    ba, bb = ash[:-2], bsh[:-2]
    rank = max(len(ba), len(bb))
    ba = (1,) * (rank - len(ba)) + ba
    bb = (1,) * (rank - len(bb)) + bb
    try:
        batch = broadcast_shapes([ba, bb])
    except ShapeError:
        raise ShapeError(f"batch dimensions of {format_shape(a.shape)} and {format_shape(b.shape)} "
                         f"cannot be broadcast") from None
    out = batch + (ash[-2:-1] if a.ndim > 1 else ()) + (bsh[-1:] if b.ndim > 1 else ())
    return AVal(a.dtype, out)


_define("matmul", _infer_matmul)


def _infer_transpose(ins, attrs):
    (x,) = ins
    return AVal(x.dtype, tuple(x.shape[p] for p in attrs["permutation"]), x.weak)


_define("transpose", _infer_transpose)


def _infer_reshape(ins, attrs):
    x, sizes = ins[0], ins[1:]
    shape = sized_shape(attrs["_shape"], sizes)
    if None not in x.shape and None not in shape and int(np.prod(x.shape)) != int(np.prod(shape)):
        raise ShapeError(f"cannot reshape array of size {int(np.prod(x.shape))} into shape {format_shape(shape)}")
    return AVal(x.dtype, shape, x.weak)


_define("reshape", _infer_reshape, lambda em, node, ins, out: lower_sized(em, node, ins, out, 1))


def _infer_expand_dims(ins, attrs):
    (x,) = ins
    axes = attrs["axes"]
    rank = x.ndim + len(axes)
    rest = iter(x.shape)
    return AVal(x.dtype, tuple(1 if i in axes else next(rest) for i in range(rank)), x.weak, x.const)


_define("expand_dims", _infer_expand_dims)


def _infer_squeeze(ins, attrs):
    (x,) = ins
    for a in attrs["axes"]:
        if x.shape[a] is not None and x.shape[a] != 1:
            raise ShapeError(f"cannot select an axis to squeeze out which has size not equal to one "
                             f"(axis {a} of shape {format_shape(x.shape)})")
    return AVal(x.dtype, tuple(d for i, d in enumerate(x.shape) if i not in attrs["axes"]), x.weak)


_define("squeeze", _infer_squeeze)


def _infer_concatenate(ins, attrs):
    axis = attrs["axis"]
    _same_dtype(ins)
    shapes = [a.shape for a in ins]
    out = []
    for d, sizes in enumerate(zip(*shapes)):
        if d == axis:
            out.append(None if None in sizes else sum(sizes))
            continue
        static = {s for s in sizes if s is not None}
        if len(static) > 1:
            raise ShapeError(f"all the input array dimensions except for the concatenation axis must "
                             f"match exactly, but shapes are {', '.join(format_shape(s) for s in shapes)}")
        out.append(static.pop() if static else None)
    return AVal(ins[0].dtype, tuple(out))


_define("concatenate", _infer_concatenate)


def _infer_slice(ins, attrs):
    (x,) = ins
    out = []
    for n, start, stop, step in zip(x.shape, attrs["starts"], attrs["stops"], attrs["steps"]):
        out.append(None if n is None else len(range(*slice(start, stop, step).indices(n))))
    return AVal(x.dtype, tuple(out), x.weak)


_define("slice", _infer_slice)


def _index_shape(indices):
    try:
        return broadcast_shapes([i.shape for i in indices])
    except ShapeError:
        raise ShapeError("shape mismatch: indexing arrays could not be broadcast together with shapes "
                         + " ".join(format_shape(i.shape) for i in indices)) from None


def _infer_gather(ins, attrs):
    x, indices = ins[0], ins[1:]
    axis = attrs["axis"]
    ishape = _index_shape(indices)
    return AVal(x.dtype, x.shape[:axis] + ishape + x.shape[axis + len(indices):])


def _lower_gather(em, node, ins, out):
    # The dialect wants index tensors of one shape; NumPy broadcasts them. In a specialization an
    # index can have a static 1 where another is dynamic, so equalize shapes here, where both are known.
    x, indices = ins[0], ins[1:]
    target = _index_shape([i.aval for i in indices])
    equal = []
    for idx in indices:
        if idx.aval.shape == target:
            equal.append(idx)
            continue
        sizes = []
        for d, size in enumerate(target):
            if size is None:
                donor = next(i for i in indices if i.aval.shape[d] is None)
                sizes.append(em.dim(donor, d, node.loc))
        shape = AVal(idx.aval.dtype, target)
        equal.append(em.op("tensorc.broadcast_to", [idx] + sizes, {}, shape, node.loc))
    return em.op(node.op.mlir_name, [x] + equal, node.attrs, out, node.loc)


_define("gather", _infer_gather, _lower_gather)
