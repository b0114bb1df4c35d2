"""The frontend's structure: one rule table per op (opdefs.OPS), Variable's methods from one table
(methods.py), an import graph without cycles, and source locations that name the op and carry the
column. None of these tests compiles anything."""
from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import tensorc as tc
from tensorc.frontend import methods, opdefs, variables
from tensorc.frontend.emit import emit

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = Path(tc.frontend.__file__).resolve().parent
MODULES = sorted(p.stem for p in FRONTEND.glob("*.py") if p.stem != "__init__")


# ---- the op table ------------------------------------------------------------------------------

def test_each_op_has_one_entry_holding_its_rules():
    assert MODULES and "opdefs" in MODULES
    for name, op in opdefs.OPS.items():
        assert isinstance(op, opdefs.Op) and op.name == name and op.mlir_name == f"tensorc.{name}"
        assert callable(op.infer) and (op.lower is None or callable(op.lower))
        assert op.grad is None  # the autodiff issue fills the gradient rules in


def test_the_table_names_ops_of_the_dialect():
    td = ROOT / "cpp" / "include" / "tensorc" / "Dialect" / "Tensorc" / "IR" / "TensorcOps.td"
    dialect = set(re.findall(r'^def Tensorc_\w+Op\s*:\s*Tensorc_\w*Op<"(\w+)"', td.read_text(), re.M))
    assert len(dialect) > 50
    assert set(opdefs.OPS) <= dialect


def test_sized_ops_lower_with_their_size_operands_only():
    x = tc.matrix("x")
    text = emit([x], [tc.zeros((x.shape[0], 3)), x.reshape(x.shape[1], -1)], 0)
    assert re.search(r'"tensorc.fill"\(%\d+\) .*-> tensor<\?x3xf32>', text)
    assert re.search(r'"tensorc.reshape"\(%arg0, %\d+, %\d+\)', text)


# ---- imports -----------------------------------------------------------------------------------

def _frontend_imports() -> dict[str, set[str]]:
    """module -> the frontend modules it imports (at module level or inside functions)."""
    edges = {}
    for name in MODULES:
        tree = ast.parse((FRONTEND / f"{name}.py").read_text())
        deps = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                deps.update([node.module.split(".")[0]] if node.module else [a.name for a in node.names])
        edges[name] = deps & set(MODULES) - {name}
    return edges


def test_no_frontend_module_imports_another_in_a_cycle():
    edges = _frontend_imports()
    done, path = set(), []

    def visit(m):
        if m in path:
            raise AssertionError("import cycle: " + " -> ".join(path[path.index(m):] + [m]))
        if m in done:
            return
        path.append(m)
        for d in sorted(edges[m]):
            visit(d)
        path.pop()
        done.add(m)

    for m in MODULES:
        visit(m)
    # The graph core and the Variable class import no op module.
    ops = {m for m in MODULES if m.startswith("ops_")} | {"indexing", "numpy_dispatch", "methods"}
    for core in ("avals", "opdefs", "graph", "variables"):
        assert not edges[core] & ops, core


def test_each_frontend_module_imports_on_its_own():
    # Empty stand-ins for the tensorc and tensorc.frontend packages: their __init__ files do not run,
    # so each module gets only what it imports itself.
    script = f"""
import importlib, sys, types
failed = []
for name in {MODULES!r}:
    for key in [k for k in sys.modules if k == "tensorc" or k.startswith("tensorc.")]:
        del sys.modules[key]
    for pkg, path in (("tensorc", {str(FRONTEND.parent)!r}), ("tensorc.frontend", {str(FRONTEND)!r})):
        stub = types.ModuleType(pkg)
        stub.__path__ = [path]
        sys.modules[pkg] = stub
    try:
        importlib.import_module("tensorc.frontend." + name)
    except Exception as e:
        failed.append(f"{{name}}: {{e!r}}")
print(failed)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# ---- Variable's methods ------------------------------------------------------------------------

def test_operators_and_methods_come_from_the_one_table():
    V = tc.Variable
    for name, fn in methods.BINARY_OPERATORS.items():
        assert inspect.getattr_static(V, f"__{name}__") is fn
        assert callable(inspect.getattr_static(V, f"__r{name}__"))
    for name, fn in {**methods.OPERATORS, **methods.METHODS}.items():
        assert inspect.getattr_static(V, name) is fn, name
    for name, fn in methods.PROPERTIES.items():
        assert inspect.getattr_static(V, name).fget is fn, name
    # ... and the class itself defines none of them.
    tree = ast.parse(Path(variables.__file__).read_text())
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Variable"]
    defined = {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}
    table = {f"__{n}__" for n in methods.BINARY_OPERATORS} | {f"__r{n}__" for n in methods.BINARY_OPERATORS}
    table |= set(methods.OPERATORS) | set(methods.METHODS) | set(methods.PROPERTIES)
    assert not defined & table


def test_methods_keep_their_arguments():
    x = tc.matrix("x")
    assert x.sum(0, None, True).static_shape == (1, None)  # keepdims is the third argument
    assert x.max(1, True).static_shape == (None, 1)
    assert x.var(0, None, 1, True).static_shape == (1, None)  # ddof, then keepdims
    assert x.clip(max=1).owner.op.name == "min" and x.clip(min=0).owner.op.name == "max"
    assert x.reshape(2, -1).ndim == x.reshape((2, -1)).ndim == 2
    assert x.transpose(1, 0).owner.op.name == x.transpose((1, 0)).owner.op.name == x.T.owner.op.name == "transpose"
    assert x.sum.__qualname__ == "Variable.sum" and x.astype is not None
    assert x.size.owner.op.name == "mul" and len(x.shape) == 2


def test_reflected_operators_swap_the_operands():
    x = tc.vector("x", dtype="float64")
    assert (2 - x).owner.inputs[0].is_constant and (x - 2).owner.inputs[1].is_constant
    assert (x ** 2).owner.op.name == "mul"  # np.square, as NumPy's fast scalar power
    assert (2 ** x).owner.op.name == "pow"
    assert (3 < x).owner.op.name == "gt"
    assert (+x) is x


# ---- source locations --------------------------------------------------------------------------

def _locations(text):
    """(op, file, line, column) of each op, from loc("op"("file":line:col))."""
    return [(op, f, int(line), int(col))
            for op, f, line, col in re.findall(r'loc\("(\w+)"\("([^"]+)":(\d+):(\d+)\)\)', text)]


def test_locations_name_the_op_and_carry_the_column():
    x = tc.matrix("x")
    y = (x * 2) + tc.exp(x)
    lines, first = inspect.getsourcelines(test_locations_name_the_op_and_carry_the_column)
    line = y.loc.line
    source = lines[line - first]
    mul, exp = y.owner.inputs
    # The column is where the expression of the op starts (0-based, as Python and JAX count).
    assert (y.loc.column, mul.loc.column, exp.loc.column) == (
        source.index("(x * 2)"), source.index("x * 2"), source.index("tc.exp"))
    assert str(y.loc) == f"{__file__}:{line}"  # messages quote file:line, as before
    text = emit([x], [y], 0)
    assert _locations(text) == [("constant", __file__, line, mul.loc.column), ("mul", __file__, line, mul.loc.column),
                                ("exp", __file__, line, exp.loc.column), ("add", __file__, line, y.loc.column)]


def test_ops_a_lowering_adds_carry_their_nodes_name():
    x, i = tc.matrix("x"), tc.vector("i", dtype="int64")
    y = x[i, np.zeros(1, np.int64)]  # the constant index is broadcast to i's shape when emitted
    text = emit([x, i], [y], 0)
    ops = re.findall(r'"tensorc\.(\w+)"', text)
    assert "broadcast_to" in ops and "gather" in ops
    assert {op for op, _, _, _ in _locations(text) if op != "constant"} == {"gather"}
    assert len(_locations(text)) == len(ops)


def test_shape_errors_still_quote_file_and_line():
    with pytest.raises(ValueError, match=rf"tensorc\.add: .*\(at {re.escape(__file__)}:\d+\)$"):
        tc.zeros(3) + tc.zeros(4)
    x = tc.vector("x")
    y = x.reshape(-1, 2)
    with pytest.raises(ValueError, match=rf"tensorc\.reshape: .*\(at {re.escape(__file__)}:{y.loc.line}\)$"):
        emit([x], [y], 0b1)
