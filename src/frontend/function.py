"""tc.function: compile a graph into a callable.

The callable is a Python subclass of the native `tensorc._tensorc_rt.Function`, so `__call__` runs in
C++: it checks the arguments (count, dtype, rank; TypeError naming the argument), computes the
specialization mask from which input dimensions have size 1, and calls back into Python only the
first time a mask is seen. That callback (`Program.kernel`) emits the graph for the mask
(emit.py), compiles it with `tensorc.runtime.compiler.compile_module`, and hands the kernel back.

Each mask has two variants. The default one assumes that a dynamic size is never 1 (the mask says
which input dims are), which keeps loops affine and fusible. When a size computed at run time is 1
after all (`x[:, -2:2:3]` of a dynamic dim, or inputs with more than 64 dims in total, which the mask
cannot describe), a Broadcast check of the default variant fails and the native Function asks for
the general variant (`kernel(mask, general=True)`), lowered with `dynamic-broadcast`, where every
dynamic size broadcasts by NumPy's rule on its run-time value. It is compiled only when needed.
"""
from __future__ import annotations

from .emit import emit
from .graph import as_variable, graph_inputs, toposort
from .variables import Variable


class Program:
    """A graph with fixed inputs and outputs, and its compiled specializations (one per mask)."""

    def __init__(self, inputs, outputs, name="function", mode=None):
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self.name = name
        self.mode = mode  # None, "FAST_RUN", "FAST_COMPILE" or a tensorc.Mode (passes/modes.py)
        self.compiled = {}  # (mask, general) -> what compile_module returned
        self.latest = None

    @property
    def in_specs(self):
        return [(v.dtype, v.ndim) for v in self.inputs]

    @property
    def out_specs(self):
        return [(v.dtype, v.ndim) for v in self.outputs]

    def mlir(self, mask: int = 0) -> str:
        return emit(self.inputs, self.outputs, mask)

    def compile(self, mask: int, general: bool = False):
        key = (mask, general)
        if key not in self.compiled:
            from ..runtime import compiler  # the native toolchain loads only when something compiles
            self.compiled[key] = compiler.compile_module(
                self.mlir(mask), in_specs=self.in_specs, out_specs=self.out_specs, mode=self.mode,
                dynamic_broadcast=general)
        self.latest = key
        return self.compiled[key]

    def kernel(self, mask: int, general: bool = False):
        """compile_cb of the native Function (see the module docstring for `general`)."""
        return self.compile(mask, general).kernel

    def ir(self, stage: str = "optimized") -> str:
        """IR of the latest specialization (the all-dynamic one if none was compiled yet)."""
        if stage == "frontend" and self.latest is None:
            return self.mlir(0)
        compiled = self.compile(*(self.latest or (0, False)))
        return compiled.ir(stage)


def python_int_dtype(v: Variable, outputs):
    """For a weak integer input (a Python int traced by @tc.compile): the narrowest integer dtype the
    program casts it to, whose range bounds the Python ints it accepts (NumPy 2 raises OverflowError
    for `np.int32 array + 2**40`); None otherwise."""
    if not (v.aval.weak and v.dtype.kind == "i"):
        return None
    narrowest = None
    for node in toposort(outputs):
        if node.op.name == "cast" and node.inputs[0] is v and node.out.dtype.kind in "iu":
            if narrowest is None or node.out.dtype.itemsize < narrowest.itemsize:
                narrowest = node.out.dtype
    return narrowest if narrowest is not None and narrowest.itemsize < v.dtype.itemsize else None


def _check_inputs(inputs, outputs):
    seen = set()
    for i, v in enumerate(inputs):
        if not isinstance(v, Variable):
            raise TypeError(f"tc.function: inputs[{i}] is a {type(v).__name__}, not a symbolic input "
                            "(make inputs with tc.scalar/vector/matrix/tensor)")
        if v.owner is not None:
            raise TypeError(f"tc.function: inputs[{i}] ({v}) is computed from other values; "
                            "inputs must be symbolic inputs made with tc.scalar/vector/matrix/tensor")
        if id(v) in seen:
            raise ValueError(f"tc.function: input {v.name or i!r} is listed twice")
        seen.add(id(v))
    missing = [v for v in graph_inputs(outputs) if id(v) not in seen]
    if missing:
        names = ", ".join(repr(v.name) if v.name else repr(v) for v in missing)
        raise ValueError(f"tc.function: the outputs depend on inputs that are not in the inputs list: {names}")


_function_class = None


def _native_function_class():
    """The Python subclass of the native Function (made once, when the native module is first needed)."""
    global _function_class
    if _function_class is None:
        from .. import _tensorc_rt

        class Function(_tensorc_rt.Function):
            """A compiled tensorc function: call it with NumPy arrays.

            f.ir(stage) gives the IR of the latest specialization; stage is one of "frontend",
            "optimized", "lowered", "llvm". f.program holds the graph.
            """

            def __init__(self, program: Program, single_output: bool):
                specs = [(v.name or f"arg{i}", v.dtype, v.ndim, python_int_dtype(v, program.outputs))
                         for i, v in enumerate(program.inputs)]
                super().__init__(specs, single_output, program.kernel, program.name)
                self.program = program

            def ir(self, stage: str = "optimized") -> str:
                return self.program.ir(stage)

            @property
            def inputs(self):
                return self.program.inputs

            @property
            def outputs(self):
                return self.program.outputs

        Function.__qualname__ = "Function"
        Function.__module__ = "tensorc"
        _function_class = Function
    return _function_class


def function(inputs, outputs, name: str = "function", mode=None):
    """Compile `outputs` (one value, or a list of values) as a function of `inputs`.

    Calling the result with NumPy arrays returns one array, or a list when `outputs` is a list.
    Inputs that the outputs do not use are still accepted (and ignored). `name` is what argument
    errors call the function (the compiled symbol is always @main). `mode` picks the graph
    optimizations: None or "FAST_RUN" (all), "FAST_COMPILE", or a tc.Mode.
    """
    single = not isinstance(outputs, (list, tuple))
    outs = [as_variable(o) for o in ([outputs] if single else outputs)]
    inputs = list(inputs)
    _check_inputs(inputs, outs)
    cls = _native_function_class()
    if mode is not None:
        from ..passes.modes import get_mode
        mode = get_mode(mode)  # a bad mode is a ValueError here, not at the first call
    return cls(Program(inputs, outs, name, mode), single)
