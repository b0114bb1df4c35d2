"""The graph core: nodes, `apply` and `constant`, casts, and graph walks.

A node applies one `tensorc` dialect op (its rules: opdefs.py) to input variables; its output is a
`Variable` (variables.py). `apply` infers the output's type when the user builds the graph, so shape
clashes that are already certain raise there; emission infers again per specialization (emit.py).
This module imports no op module: the tc functions (ops_*.py, indexing.py) build on it.
"""
from __future__ import annotations

import numpy as np

from . import dtypes
from .avals import AVal, ShapeError, format_shape
from .location import Location, user_location
from .opdefs import OPS, Op
from .variables import Variable


class Node:
    __slots__ = ("op", "inputs", "attrs", "loc", "out")

    def __init__(self, op: Op, inputs, attrs: dict, loc: Location):
        self.op = op
        self.inputs = list(inputs)
        self.attrs = attrs
        self.loc = loc
        self.out: Variable | None = None


_MAX_BYTES = 2**63 - 1


def infer_or_raise(op: Op, avals, attrs, loc: Location) -> AVal:
    try:
        out = op.infer(avals, attrs)
    except ShapeError as e:
        raise ValueError(f"{op.mlir_name}: {e} (at {loc})") from None
    # Static sizes whose byte count overflows (np.zeros((2**33, 2**33))): NumPy's error, before MLIR
    # computes strides in int64 (an assertion there). A 0 counts as 1, as in NumPy.
    nbytes = out.dtype.itemsize
    for d in out.shape:
        nbytes *= d or 1
    if nbytes > _MAX_BYTES:
        raise ValueError(f"{op.mlir_name}: array is too big; `arr.size * arr.dtype.itemsize` is larger than the "
                         f"maximum possible size (shape {format_shape(out.shape)}, at {loc})")
    return out


def apply(op_name: str, inputs, attrs=None, loc=None) -> Variable:
    """Add a node to the graph; its output's type is inferred now (shape clashes raise here)."""
    op = OPS[op_name]
    attrs = attrs or {}
    loc = loc or user_location()
    node = Node(op, inputs, attrs, loc)
    aval = infer_or_raise(op, [v.aval for v in inputs], attrs, loc)
    node.out = Variable(aval, node, loc=loc)
    return node.out


# ---- constants -------------------------------------------------------------------------------------

def constant(value, dtype=None, name=None) -> Variable:
    """A constant in the graph. Python scalars give NumPy's default dtype for their kind."""
    if isinstance(value, Variable):
        return value if dtype is None else convert(value, dtypes.as_dtype(dtype, "astype"))
    # Only Python scalars are weak (NEP 50): np.float64 subclasses float but is strongly typed.
    weak = isinstance(value, (bool, int, float)) and not isinstance(value, np.generic) and dtype is None
    if weak and type(value) is int and not -2**63 <= value < 2**63:
        # No integer dtype holds it: it can only meet float loops (ufuncs with integer loops raise
        # OverflowError before this, in ops_elementwise._apply_loop), so it is a weak float.
        value = float(value)
    if dtype is not None:
        dt = dtypes.as_dtype(dtype, "tc.constant")
        if isinstance(value, int) and not isinstance(value, bool):
            dtypes.check_fits(value, dt, "tc.constant")
        array = np.asarray(value, dtype=dt)
    else:
        array = np.asarray(value)
        if array.dtype not in dtypes.SUPPORTED:
            raise TypeError(f"tensorc does not support constants of dtype {array.dtype} ({_describe(value)}); "
                            "convert to float32, float64, int32, int64 or bool first")
    array = array.copy()  # later changes to the caller's array must not change the graph
    array.flags.writeable = False
    out = apply("constant", [], {"value": array, "_weak": weak})
    out.name = name
    return out


def constant_like(x: Variable, value: np.ndarray) -> Variable:
    """A constant standing for x (a constant) computed at once: x's weakness and source line."""
    value.flags.writeable = False
    return apply("constant", [], {"value": value, "_weak": x.aval.weak}, loc=x.loc)


def _describe(value) -> str:
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


def as_variable(value) -> Variable:
    """Python scalars, NumPy arrays/scalars and nested lists become constants."""
    if isinstance(value, Variable):
        return value
    if isinstance(value, (list, tuple)) and any(isinstance(v, Variable) for v in value):
        raise TypeError("a list of symbolic values is not a tensor; join them with tc.stack or tc.concatenate")
    if isinstance(value, (bool, int, float, np.ndarray, np.generic, list, tuple)):
        return constant(value)
    raise TypeError(f"cannot use {type(value).__name__} ({_describe(value)}) in a tensorc expression")


def convert(x: Variable, dt: np.dtype) -> Variable:
    """x as dtype `dt` (a supported np.dtype); constants are converted right away."""
    if x.dtype == dt:
        return x
    if x.is_constant:
        value = x.owner.attrs["value"]
        if x.aval.weak and value.ndim == 0 and value.dtype.kind in "ib":
            dtypes.check_fits(int(value), dt, "tensorc")
        return constant_like(x, value.astype(dt))
    return apply("cast", [x], {"_dtype": dt})


def template_of(dims):
    """The `_shape` template of a sized op (fill, broadcast_to, reshape; opdefs.sized_shape reads it)
    and its size operands: static sizes stay in the template, symbolic ones become operands."""
    template = tuple(None if isinstance(d, Variable) else d for d in dims)
    return template, [d for d in dims if isinstance(d, Variable)]


# ---- walks -----------------------------------------------------------------------------------------

def toposort(outputs) -> list:
    """Nodes the outputs depend on, each after its inputs (iterative: graphs can be deep)."""
    order, visited = [], set()
    for out in outputs:
        root = out.owner
        if root is None or id(root) in visited:
            continue
        visited.add(id(root))
        stack = [(root, iter(root.inputs))]
        while stack:
            node, pending = stack[-1]
            for inp in pending:
                child = inp.owner
                if child is not None and id(child) not in visited:
                    visited.add(id(child))
                    stack.append((child, iter(child.inputs)))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def graph_inputs(outputs) -> list:
    """Input variables (no owner, not constants) the outputs depend on, in first-use order."""
    found, seen = [], set()
    for v in outputs:
        if v.owner is None and id(v) not in seen:
            seen.add(id(v))
            found.append(v)
    for node in toposort(outputs):
        for v in node.inputs:
            if v.owner is None and id(v) not in seen:
                seen.add(id(v))
                found.append(v)
    return found
