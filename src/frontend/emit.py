"""Graph -> MLIR text (generic form) for one specialization.

A specialization is a bit mask over all input dimensions: bit (offset_i + d) set means that
dimension d of input i is a static 1 (offset_i = sum of the ranks of earlier inputs). Type inference
is re-run on the specialized input types so that those static 1s propagate (a dimension that is 1
broadcasts, ``x.shape[0]`` becomes the constant 1, ``zeros(x.shape[0])`` gets a static shape), and
shape clashes that become certain raise ValueError naming the op and the user's line.
Only the nodes that the outputs need are emitted.
"""
from __future__ import annotations

import numpy as np

from . import dtypes
from .avals import AVal
from .graph import infer_or_raise, toposort


class Value:
    """An SSA value of the function being emitted. Constants are printed only when something uses
    them (name None until then), so sizes folded away leave no dead constants behind; `loc` is the
    MLIR location they are printed with."""
    __slots__ = ("name", "aval", "loc")

    def __init__(self, name, aval: AVal, loc=None):
        self.name = name
        self.aval = aval
        self.loc = loc


# ---- attribute printing ---------------------------------------------------------------------------

def format_scalar(value, dt: np.dtype) -> str:
    """One element as MLIR writes it: true/false, a decimal integer, or an exact float."""
    if dt == dtypes.bool_:
        return "true" if bool(value) else "false"
    if dt.kind == "i":
        return str(int(value))
    value = dt.type(value)
    if not np.isfinite(value):  # bit pattern: MLIR has no literal for inf/nan
        bits = value.view(np.uint32 if dt == dtypes.float32 else np.uint64)
        return f"0x{int(bits):0{dt.itemsize * 2}X}"
    text = repr(float(value))  # shortest round-trip text of the double, exact for f32 values too
    if "." not in text:  # MLIR's float literals need a '.' ("1e+16" -> "1.0e+16")
        mant, _, exp = text.partition("e")
        text = f"{mant}.0" + (f"e{exp}" if exp else "")
    return text


def format_dense(value: np.ndarray) -> str:
    """A DenseElementsAttr: a literal when the tensor is one repeated value, else hex raw data."""
    aval_type = AVal(value.dtype, value.shape).mlir_type()
    flat = value.reshape(-1)
    if flat.size == 0:
        return f"dense<> : {aval_type}"
    if value.dtype == dtypes.bool_:
        splat = bool((flat == flat[0]).all())
    else:  # compare bits: keeps -0.0 apart from 0.0, and treats a run of one NaN as a splat
        bits = flat.view(f"u{value.dtype.itemsize}")
        splat = bool((bits == bits[0]).all())
    if splat:
        return f"dense<{format_scalar(flat[0], value.dtype)}> : {aval_type}"
    if value.dtype == dtypes.bool_:
        data = np.packbits(flat, bitorder="little").tobytes()  # MLIR stores i1 as packed bits
    else:
        data = np.ascontiguousarray(flat, dtype=value.dtype.newbyteorder("<")).tobytes()
    return f'dense<"0x{data.hex().upper()}"> : {aval_type}'


def format_attr(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value} : i64"
    if isinstance(value, tuple):
        return f"array<i64: {', '.join(str(int(v)) for v in value)}>" if value else "array<i64>"
    if isinstance(value, np.ndarray):
        return format_dense(value)
    if isinstance(value, np.generic):  # a TypedAttr (the value of fill)
        dt = value.dtype
        text = format_scalar(value, dt)
        return text if dt == dtypes.bool_ else f"{text} : {dtypes.mlir_name(dt)}"
    raise TypeError(f"cannot print attribute {value!r}")


def format_attrs(attrs: dict) -> str:
    shown = [(k, v) for k, v in attrs.items() if not k.startswith("_")]
    if not shown:
        return ""
    return " {" + ", ".join(f"{k} = {format_attr(v)}" for k, v in sorted(shown)) + "}"


# ---- the emitter -----------------------------------------------------------------------------------

class Emitter:
    """Writes ops in MLIR's generic form; `loc` arguments are MLIR location text (Location.mlir)."""

    def __init__(self):
        self.lines: list[str] = []
        self.count = 0

    def ref(self, v: Value) -> str:
        if v.name is None:
            value = v.aval.const
            v.name = self.op("tensorc.constant", [], {"value": value}, v.aval, v.loc).name
        return v.name

    def op(self, name, operands, attrs, out: AVal, loc) -> Value:
        names = ", ".join(self.ref(v) for v in operands)
        result = Value(f"%{self.count}", out)
        self.count += 1
        types = ", ".join(v.aval.mlir_type() for v in operands)
        self.lines.append(f'  {result.name} = "{name}"({names}){format_attrs(attrs)} : '
                          f"({types}) -> {out.mlir_type()} {loc}")
        return result

    def constant(self, value, loc, weak=False) -> Value:
        value = np.asarray(value)
        return Value(None, AVal(value.dtype, value.shape, weak, value), loc)

    def dim(self, x: Value, axis: int, loc) -> Value:
        size = x.aval.shape[axis]
        if size is not None:
            return self.constant(np.asarray(size, np.int64), loc, weak=True)
        return self.op("tensorc.dim", [x], {"axis": axis}, AVal(dtypes.int64, (), True), loc)


def specialized_input(var, mask: int, offset: int) -> AVal:
    shape = tuple(1 if mask >> (offset + d) & 1 else None for d in range(var.ndim))
    return AVal(var.dtype, shape, var.aval.weak)


def emit(inputs, outputs, mask: int = 0, name: str = "main") -> str:
    """The MLIR text (generic form) of a function computing `outputs` from `inputs`."""
    em = Emitter()
    values = {}
    args = []
    offset = 0
    for i, var in enumerate(inputs):
        aval = specialized_input(var, mask, offset)
        offset += var.ndim
        values[id(var)] = Value(f"%arg{i}", aval)
        args.append(f"%arg{i}: {aval.mlir_type()} {{bufferization.writable = false}}")
    for node in toposort(outputs):
        try:
            ins = [values[id(v)] for v in node.inputs]
        except KeyError:
            missing = [v for v in node.inputs if id(v) not in values]
            raise ValueError(f"the outputs depend on {missing[0]}, which is not among the inputs") from None
        out = infer_or_raise(node.op, [v.aval for v in ins], node.attrs, node.loc)
        if out.dtype != node.out.dtype or out.ndim != node.out.ndim:
            raise AssertionError(f"{node.op.mlir_name}: specialization changed {node.out.aval} to {out}")
        loc = node.loc.mlir(node.op.name)  # every op emitted for the node carries the node's op name
        if node.op.name == "constant" or out.const is not None and out.ndim == 0:
            val = em.constant(out.const, loc, out.weak)  # a constant, or folded shape arithmetic
        elif node.op.lower is not None:
            val = node.op.lower(em, node, ins, out, loc)
        else:
            val = em.op(node.op.mlir_name, ins, node.attrs, out, loc)
        values[id(node.out)] = val
    if any(id(v) not in values for v in outputs):
        raise ValueError("an output is an input that is not among the inputs")
    results = [values[id(v)] for v in outputs]
    result_names = [em.ref(v) for v in results]
    result_types = ", ".join(v.aval.mlir_type() for v in results)
    lines = [f"func.func @{name}({', '.join(args)}) -> ({result_types}) "
             "attributes {llvm.emit_c_interface} {"]
    lines += em.lines
    if results:
        lines.append(f"  return {', '.join(result_names)} : {result_types}")
    else:
        lines.append("  return")
    lines.append("}")
    return "module {\n  " + "\n  ".join(lines) + "\n}\n"

