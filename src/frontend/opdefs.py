"""The rules of every `tensorc` dialect op the frontend builds (docs/DIALECT.md), in one table: `OPS`
at the end. (The passes make the others, log1mexp and softmax_cross_entropy.)

Each entry mirrors one op of cpp/include/tensorc/Dialect/Tensorc/IR/TensorcOps.td and holds what the frontend
knows of it: its type inference, its emission when the generic one does not do, and (next) its
gradient, as JAX keeps a primitive's rules together (jax/_src/lax/lax.py) and tinygrad keeps its
gradients in one table (tinygrad/gradient.py).

Type inference is run twice with the same code: when the user builds the graph (shapes mostly
unknown, so it catches the clashes that are already certain) and again at emission for one
specialization, where input dimensions of size 1 are static and the static 1s propagate (emit.py).
Keeping one inference for both is what guarantees that the frontend's checks and the types in the IR
agree. It follows the dialect's verifier: elementwise operands have equal ranks and element types
(the frontend inserts expand_dims and cast first), a static 1 broadcasts, and a dynamic size
broadcasts when it is 1 at run time, so two sizes are compatible when equal, when one is a static 1,
or when either is dynamic (decided at run time by the compiled code: docs/DIALECT.md, "Broadcasting").
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from . import dtypes
from .avals import AVal, ShapeError, fold_scalar, format_shape


class Op:
    """The rules of one `tensorc` dialect op: one entry of `OPS`.

    name: the op's name without the dialect prefix (`mlir_name` has it: "tensorc.add").
    infer(inputs: list[AVal], attrs: dict) -> AVal: the result's type; raises ShapeError when the
        types cannot work (see the module docstring for when it runs).
    lower(em, node, ins, out, loc), when given, replaces the default emission of one generic op
        (emit.py), for ops whose operands depend on the specialized types (size operands only for
        dynamic dimensions).
    grad: the op's gradient rule. None for every op today: the reverse-mode autodiff issue fills it
        in here, one rule per entry of `OPS`.
    Attributes whose name starts with "_" are the frontend's own and are not printed.
    """
    __slots__ = ("name", "mlir_name", "infer", "lower", "grad")

    def __init__(self, name: str, infer: Callable, lower: Callable | None = None, grad: Callable | None = None):
        self.name = name
        self.mlir_name = "tensorc." + name
        self.infer = infer
        self.lower = lower
        self.grad = grad

    def __repr__(self):
        return f"Op({self.name})"


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


def _infer_select(ins, attrs):
    cond, a, b = ins
    if cond.dtype != dtypes.bool_:
        raise AssertionError("select condition must be bool")
    dt = _same_dtype([a, b])
    shape = broadcast_shapes([cond.shape, a.shape, b.shape])
    return AVal(dt, shape, a.weak and b.weak)


def _infer_cast(ins, attrs):
    (x,) = ins
    dt = attrs["_dtype"]
    const = None
    if x.const is not None and x.ndim == 0:
        const = np.asarray(x.const).astype(dt)
    return AVal(dt, x.shape, x.weak, const)


# ---- creation and shape queries ----------------------------------------------------------------

def _infer_constant(ins, attrs):
    value = attrs["value"]
    return AVal(value.dtype, value.shape, attrs.get("_weak", False), value)


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


def _lower_sized(n_data):
    """The emission of a sized op whose first n_data operands are data: one size operand per dynamic
    result dimension only, as the dialect requires."""
    def lower(em, node, ins, out, loc):
        data, sizes = ins[:n_data], iter(ins[n_data:])
        operands = list(data)
        for t, d in zip(node.attrs["_shape"], out.shape):
            if t is None:
                size = next(sizes)
                if d is None:
                    operands.append(size)
        return em.op(node.op.mlir_name, operands, node.attrs, out, loc)
    return lower


def _infer_fill(ins, attrs):
    value = attrs["value"]
    return AVal(value.dtype, sized_shape(attrs["_shape"], ins))


def _infer_arange(ins, attrs):
    (n,) = ins
    size = int(n.const) if n.const is not None else None
    if size is not None and size < 0:
        size = 0  # np.arange of a negative count is empty
    return AVal(attrs["_dtype"], (size,))


def _infer_dim(ins, attrs):
    (x,) = ins
    size = x.shape[attrs["axis"]]
    return AVal(dtypes.int64, (), True, None if size is None else np.asarray(size, np.int64))


def _infer_broadcast_to(ins, attrs):
    x, sizes = ins[0], ins[1:]
    shape = sized_shape(attrs["_shape"], sizes)
    if x.ndim != len(shape):
        raise AssertionError("broadcast_to operand must have the result's rank")
    for s, t in zip(x.shape, shape):
        if s is not None and t is not None and s != t and s != 1:
            raise ShapeError(f"cannot broadcast shape {format_shape(x.shape)} to {format_shape(shape)}")
    return AVal(x.dtype, shape, x.weak)


# ---- reductions ---------------------------------------------------------------------------------

def _reduced_shape(shape, axes, keepdims):
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def _infer_reduce(ins, attrs):
    (x,) = ins
    shape = _reduced_shape(x.shape, attrs["axes"], attrs["keepdims"])
    return AVal(x.dtype, shape)


def _infer_arg(ins, attrs):
    (x,) = ins
    return AVal(dtypes.int64, _reduced_shape(x.shape, (attrs["axis"],), attrs["keepdims"]))


def _infer_same(ins, attrs):
    (x,) = ins
    return AVal(x.dtype, x.shape)


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


def _infer_transpose(ins, attrs):
    (x,) = ins
    return AVal(x.dtype, tuple(x.shape[p] for p in attrs["permutation"]), x.weak)


def _infer_reshape(ins, attrs):
    x, sizes = ins[0], ins[1:]
    shape = sized_shape(attrs["_shape"], sizes)
    if None not in x.shape and None not in shape and int(np.prod(x.shape)) != int(np.prod(shape)):
        raise ShapeError(f"cannot reshape array of size {int(np.prod(x.shape))} into shape {format_shape(shape)}")
    return AVal(x.dtype, shape, x.weak)


def _infer_expand_dims(ins, attrs):
    (x,) = ins
    axes = attrs["axes"]
    rank = x.ndim + len(axes)
    rest = iter(x.shape)
    return AVal(x.dtype, tuple(1 if i in axes else next(rest) for i in range(rank)), x.weak, x.const)


def _infer_squeeze(ins, attrs):
    (x,) = ins
    for a in attrs["axes"]:
        if x.shape[a] is not None and x.shape[a] != 1:
            raise ShapeError(f"cannot select an axis to squeeze out which has size not equal to one "
                             f"(axis {a} of shape {format_shape(x.shape)})")
    return AVal(x.dtype, tuple(d for i, d in enumerate(x.shape) if i not in attrs["axes"]), x.weak)


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


def _infer_slice(ins, attrs):
    (x,) = ins
    out = []
    for n, start, stop, step in zip(x.shape, attrs["starts"], attrs["stops"], attrs["steps"]):
        out.append(None if n is None else len(range(*slice(start, stop, step).indices(n))))
    return AVal(x.dtype, tuple(out), x.weak)


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


def _lower_gather(em, node, ins, out, loc):
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
                sizes.append(em.dim(donor, d, loc))
        shape = AVal(idx.aval.dtype, target)
        equal.append(em.op("tensorc.broadcast_to", [idx] + sizes, {}, shape, loc))
    return em.op(node.op.mlir_name, [x] + equal, node.attrs, out, loc)


# ---- the table -------------------------------------------------------------------------------------
# One entry per op, grouped by family. An elementwise op's NumPy function, where given, folds 0-d
# integer shape arithmetic whose values are known (`x.shape[0] * 2` with a static 1); the float
# functions have none, as their operands are never integers.

_float_function = _elementwise()


def _comparison(fold):
    return _elementwise(fold, dtypes.bool_)


OPS: dict[str, Op] = {op.name: op for op in (
    # elementwise, binary
    Op("add", _elementwise(np.add)), Op("sub", _elementwise(np.subtract)), Op("mul", _elementwise(np.multiply)),
    Op("div", _float_function), Op("floordiv", _elementwise(np.floor_divide)), Op("mod", _elementwise(np.remainder)),
    Op("pow", _elementwise(np.power)), Op("max", _elementwise(np.maximum)), Op("min", _elementwise(np.minimum)),
    Op("and", _elementwise(np.bitwise_and)), Op("or", _elementwise(np.bitwise_or)),
    Op("xor", _elementwise(np.bitwise_xor)),
    # elementwise comparisons: bool results
    Op("eq", _comparison(np.equal)), Op("ne", _comparison(np.not_equal)), Op("lt", _comparison(np.less)),
    Op("le", _comparison(np.less_equal)), Op("gt", _comparison(np.greater)), Op("ge", _comparison(np.greater_equal)),
    # elementwise, unary
    Op("neg", _elementwise(np.negative)), Op("abs", _elementwise(np.absolute)), Op("sign", _elementwise(np.sign)),
    Op("not", _elementwise(np.logical_not)),
    Op("exp", _float_function), Op("log", _float_function), Op("log1p", _float_function),
    Op("expm1", _float_function), Op("sqrt", _float_function), Op("tanh", _float_function),
    Op("sigmoid", _float_function), Op("softplus", _float_function), Op("sin", _float_function),
    Op("cos", _float_function), Op("erf", _float_function), Op("floor", _float_function),
    Op("ceil", _float_function),
    Op("select", _infer_select),
    Op("cast", _infer_cast),
    # creation and shape queries
    Op("constant", _infer_constant),
    Op("fill", _infer_fill, lower=_lower_sized(n_data=0)),
    Op("arange", _infer_arange),
    Op("dim", _infer_dim),
    Op("broadcast_to", _infer_broadcast_to, lower=_lower_sized(n_data=1)),
    # reductions
    Op("reduce_sum", _infer_reduce), Op("reduce_prod", _infer_reduce), Op("reduce_mean", _infer_reduce),
    Op("reduce_max", _infer_reduce), Op("reduce_min", _infer_reduce), Op("logsumexp", _infer_reduce),
    Op("argmax", _infer_arg), Op("argmin", _infer_arg),
    Op("softmax", _infer_same), Op("log_softmax", _infer_same),
    # linear algebra and data movement
    Op("matmul", _infer_matmul),
    Op("transpose", _infer_transpose),
    Op("reshape", _infer_reshape, lower=_lower_sized(n_data=1)),
    Op("expand_dims", _infer_expand_dims),
    Op("squeeze", _infer_squeeze),
    Op("concatenate", _infer_concatenate),
    Op("slice", _infer_slice),
    Op("gather", _infer_gather, lower=_lower_gather),
)}
