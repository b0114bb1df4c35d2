"""The graph's building blocks: abstract values, ops, nodes, and graph walks.

A node applies one `tensorc` dialect op to input variables; its output is a `Variable`
(variables.py). Every op carries a type-inference function over `AVal`s that is run twice with the
same code: when the user builds the graph (shapes mostly unknown, so it catches the clashes that are
already certain) and again at emission for one specialization, where input dimensions of size 1 are
static and the static 1s propagate (emit.py). Keeping one inference for both is what guarantees that
the frontend's checks and the types in the IR agree.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from . import dtypes
from .location import Location


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


class Op:
    """One `tensorc` dialect op as the frontend sees it.

    infer(inputs: list[AVal], attrs: dict) -> AVal raises ShapeError when the types cannot work.
    lower, when given, replaces the default emission of one generic op (emit.py), for ops whose
    operands depend on the specialized types (size operands only for dynamic dimensions).
    Attributes whose name starts with "_" are the frontend's own and are not printed.
    """

    def __init__(self, name: str, infer: Callable, lower: Callable | None = None):
        self.name = name
        self.mlir_name = "tensorc." + name
        self.infer = infer
        self.lower = lower

    def __repr__(self):
        return f"Op({self.name})"


class Node:
    __slots__ = ("op", "inputs", "attrs", "loc", "out")

    def __init__(self, op: Op, inputs, attrs: dict, loc: Location):
        self.op = op
        self.inputs = list(inputs)
        self.attrs = attrs
        self.loc = loc
        self.out = None


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


def fold_scalar(fn, avals):
    """Evaluate fn on known 0-d integer/bool values (shape arithmetic), else None."""
    if not avals or any(a.const is None or a.ndim != 0 or a.dtype.kind not in "ib" for a in avals):
        return None
    with np.errstate(all="raise"):
        try:
            return np.asarray(fn(*[a.const for a in avals]))
        except (FloatingPointError, ZeroDivisionError, ValueError, OverflowError):
            return None  # left to the compiled code (division by zero, negative powers)
