"""tc.debugprint: the graph as an indented tree, as Theano prints it.

    add [id A] 'z' float32 (?, ?)  model.py:12
     |mul [id B] float32 (?, ?)  model.py:11
     | |x [id C] float32 (?, ?)
     | |TensorConstant{2.0} [id D] float32 ()
     |x [id C]

A node reached a second time prints only its name and id.
"""
from __future__ import annotations

import sys

import numpy as np

from .avals import format_shape
from .graph import as_variable


def _id_label(n: int) -> str:
    label = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        label = chr(ord("A") + r) + label
    return label


def _title(var) -> str:
    if var.owner is None:
        return var.name or "<input>"
    op = var.owner.op.name
    if op == "constant":
        value = var.owner.attrs["value"]
        text = repr(value.item()) if value.size == 1 else np.array2string(value, threshold=4, separator=", ")
        return f"TensorConstant{{{text}}}"
    shown = {k: v for k, v in var.owner.attrs.items() if not k.startswith("_")}
    if "_dtype" in var.owner.attrs:
        shown["dtype"] = str(var.owner.attrs["_dtype"])
    return op + (("{" + ", ".join(f"{k}={v}" for k, v in shown.items()) + "}") if shown else "")


def debugprint(obj, file=None) -> str:
    """Print the graph of a value, a list of values or a tc.function, and return the text."""
    if hasattr(obj, "program"):  # a compiled tc.function: its outputs
        obj = obj.program.outputs
    outputs = list(obj) if isinstance(obj, (list, tuple)) else [obj]
    ids: dict[int, str] = {}
    lines: list[str] = []

    stack = [(as_variable(out), 0) for out in reversed(outputs)]
    while stack:  # depth first, iteratively: graphs built in Python loops can be deep
        var, depth = stack.pop()
        seen = id(var) in ids
        if not seen:
            ids[id(var)] = _id_label(len(ids))
        text = f"{' |' * depth}{_title(var)} [id {ids[id(var)]}]"
        if seen:
            lines.append(text)
            continue
        name = f" '{var.name}'" if var.name and var.owner is not None else ""
        where = f"  {var.loc.short()}" if var.owner is not None and not var.is_constant else ""
        lines.append(f"{text}{name} {var.dtype} {format_shape(var.static_shape)}{where}")
        if var.owner is not None:
            stack.extend((inp, depth + 1) for inp in reversed(var.owner.inputs))
    text = "\n".join(lines) + "\n"
    print(text, end="", file=file if file is not None else sys.stdout)
    return text
