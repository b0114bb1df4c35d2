"""@tc.compile: trace a Python function of NumPy arrays into a graph, once per signature.

The signature of a call is, per argument, its dtype and rank (NumPy arrays and scalars) or its Python
scalar type. The first call with a signature creates symbolic inputs named after the parameters,
calls the function once with them (tracing: NumPy functions, operators and tc.* functions build the
graph), builds a tc.function, and caches it (`trace_count` counts the traces). Later calls with the
same signature, whatever its form (*args, keywords, defaults, static arguments), never run Python:
the native Dispatcher (cpp/python/Dispatcher.h) keys the call and passes the arguments, in the order
the first call's plan gave, straight to the traced Function.

Python scalars are weak, as in NumPy: `f(x32, 0.5)` traces the 0.5 as a float64 input that
promotes like a Python float (the result stays float32). A Python scalar passed where an earlier
trace had a 0-d array of the same kind (float to float32/float64, int to any int or float) reuses
that trace: the native Function converts the scalar to that dtype, as NumPy would when mixing it
with such an array. None and the parameters named in `static_argnames` are not inputs: their values
are part of the signature and are passed to the function as they are.
"""
from __future__ import annotations

import functools
import inspect

import numpy as np

from . import dtypes
from .avals import AVal
from .function import function
from .variables import Variable

_PY_SCALARS = (bool, int, float)
# Which 0-d dtypes a Python scalar may be converted to when it reuses an earlier trace.
_REUSE_KINDS = {bool: "b", int: "if", float: "f"}


class _Entry:
    __slots__ = ("function", "tuple_output")

    def __init__(self, fn, tuple_output: bool):
        self.function = fn
        self.tuple_output = tuple_output  # the Python function returned a tuple (Function gives lists)


def _as_input(value, variable):
    """A Python scalar default converted once to the array its input takes (a float default was
    converted on every call otherwise); anything else, and a value the conversion refuses, as it is
    (the call then converts it, or raises, as the Python path does)."""
    if type(value) not in (bool, int, float, complex):
        return value
    try:
        with np.errstate(all="raise"):
            converted = np.asarray(value, dtype=variable.dtype)
    except (OverflowError, ValueError, TypeError, FloatingPointError):
        return value
    return converted if converted.item() == value else value


class _Slot:
    """A placeholder bound in place of call argument `index` when a call's plan is worked out."""
    __slots__ = ("index",)

    def __init__(self, index: int):
        self.index = index


class _CompiledFunctionBase:
    """The Python half of the callable @tc.compile returns; the native Dispatcher it is mixed with
    (compiled_function_class) is the call path. A call whose signature has a plan never reaches
    Python; the first call of each signature comes to `_miss`, which binds it, traces it (or reuses a
    trace), runs it, and gives the Dispatcher the plan for later calls."""

    def __init__(self, fn, static_argnames=(), mode=None):
        super().__init__()
        functools.update_wrapper(self, fn)
        self._fn = fn
        self._mode = mode
        self._signature = inspect.signature(fn)
        self._params = list(self._signature.parameters.values())
        self._static = frozenset((static_argnames,) if isinstance(static_argnames, str) else static_argnames)
        unknown = self._static - {p.name for p in self._params}
        if unknown:
            raise ValueError(f"tc.compile: static_argnames {sorted(unknown)} are not parameters of {fn.__name__}")
        positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        self._simple = not self._static and all(p.kind in positional for p in self._params)
        self._cache: dict = {}
        self.trace_count = 0

    # ---- calls ----
    def _miss(self, args, kwargs):
        kwargs = kwargs or {}
        entry, flat = self._entry(args, kwargs)
        self._last_function = entry.function
        # The native Function converts Python scalars itself, weakly (NEP 50), as traced.
        out = entry.function(*flat)
        self._remember_plan(args, kwargs, entry)
        return tuple(out) if entry.tuple_output else out

    def _remember_plan(self, args, kwargs, entry):
        """Tell the Dispatcher where each input of `entry` comes from in calls shaped like this one:
        which call argument (positional, then keyword in the call's order), or which default value.
        Static arguments and None are keyed by value; the Dispatcher keys the others by type."""
        n = len(args)
        names = list(kwargs)
        slots = [_Slot(i) for i in range(n + len(names))]
        bound = self._signature.bind(*slots[:n], **dict(zip(names, slots[n:])))
        bound.apply_defaults()
        static_slots = [False] * len(slots)
        sources, constants = [], []
        for p in self._params:
            value = bound.arguments[p.name]
            if p.kind == inspect.Parameter.VAR_POSITIONAL:
                items = list(value)
            elif p.kind == inspect.Parameter.VAR_KEYWORD:
                items = [value[k] for k in sorted(value)]
            else:
                items = [value]
            static = p.name in self._static
            for item in items:
                if isinstance(item, _Slot):
                    actual = args[item.index] if item.index < n else kwargs[names[item.index - n]]
                    if static or actual is None:
                        static_slots[item.index] = True
                    else:
                        sources.append(item.index)
                elif not (static or item is None):  # a default value that is an input of the trace
                    sources.append(-1 - len(constants))
                    constants.append(_as_input(item, entry.function.inputs[len(sources) - 1]))
        self._remember(args, kwargs or None, entry.function, entry.tuple_output, static_slots, sources,
                       constants)

    def lower(self, *args, **kwargs):
        """The compiled tc.function for these arguments' signature (traced if new), without running it."""
        entry, _ = self._entry(args, kwargs)
        self._last_function = entry.function
        return entry.function

    def ir(self, stage: str = "optimized") -> str:
        """IR of the signature used last, at a stage of tensorc.passes.pipelines.STAGES."""
        if self._last_function is None:
            raise RuntimeError(f"{self.__name__}.ir(): call the function first, or use "
                               f"{self.__name__}.lower(*args).ir(stage)")
        return self._last_function.ir(stage)

    # ---- signatures ----
    def _entry(self, args, kwargs):
        flat, names, structure, bound = self._flatten(args, kwargs)
        keys = (structure, *(_key(a, n, self.__name__) for a, n in zip(flat, names)))
        entry = self._cache.get(keys)
        if entry is None:
            entry = self._reuse(keys) or self._trace(keys, names, bound)
            self._cache[keys] = entry
        return entry, flat

    def _flatten(self, args, kwargs):
        """The array arguments in parameter order, their names, and what else the signature holds."""
        try:
            bound = self._signature.bind(*args, **kwargs)
        except TypeError as e:  # a wrong call: Python's own message, with the function's name
            raise TypeError(f"{self.__name__}(): {e}") from None
        bound.apply_defaults()
        flat, names, static = [], [], []
        for p in self._params:
            value = bound.arguments[p.name]
            if p.name in self._static or value is None:
                try:
                    hash(value)
                except TypeError:
                    raise TypeError(f"{self.__name__}(): static argument '{p.name}' must be hashable, "
                                    f"got {type(value).__name__}") from None
                static.append((p.name, value))
            elif p.kind == inspect.Parameter.VAR_POSITIONAL:
                flat.extend(value)
                names.extend(f"{p.name}[{i}]" for i in range(len(value)))
            elif p.kind == inspect.Parameter.VAR_KEYWORD:
                for k in sorted(value):
                    flat.append(value[k])
                    names.append(k)
            else:
                flat.append(value)
                names.append(p.name)
        flat = [_as_array(a, n, self.__name__) for a, n in zip(flat, names)]
        # Plain positional functions share keys with the fast path: f(x, y) and f(x, y=y) are one trace.
        structure = None if self._simple and not static else (tuple(static), tuple(names))
        return flat, names, structure, bound

    def _reuse(self, keys):
        """A trace whose 0-d inputs can take this call's Python scalars (see the module docstring)."""
        if not any(k in _PY_SCALARS for k in keys[1:]):
            return None
        for cached, entry in self._cache.items():
            if len(cached) == len(keys) and cached[0] == keys[0] and all(
                    k == c or k in _PY_SCALARS and isinstance(c, tuple) and c[1] == 0
                    and c[0].kind in _REUSE_KINDS[k] for k, c in zip(keys[1:], cached[1:])):
                return entry
        return None

    def _trace(self, keys, names, bound):
        inputs = [_symbolic_input(k, n) for k, n in zip(keys[1:], names)]
        tracers = iter(inputs)
        for p in self._params:
            value = bound.arguments[p.name]
            if p.name in self._static or value is None:
                continue
            if p.kind == inspect.Parameter.VAR_POSITIONAL:
                bound.arguments[p.name] = tuple(next(tracers) for _ in value)
            elif p.kind == inspect.Parameter.VAR_KEYWORD:
                bound.arguments[p.name] = {k: next(tracers) for k in sorted(value)}
            else:
                bound.arguments[p.name] = next(tracers)
        result = self._fn(*bound.args, **bound.kwargs)
        self.trace_count += 1
        if isinstance(result, dict):
            raise TypeError(f"{self.__name__}: return a value, a tuple or a list of values (not a dict)")
        many = isinstance(result, (tuple, list))
        compiled = function(inputs, list(result) if many else result, name=self.__name__, mode=self._mode)
        return _Entry(compiled, isinstance(result, tuple))

    def __repr__(self):
        return f"<tensorc.compile {self.__name__} ({len(self._cache)} signatures, {self.trace_count} traces)>"


def _as_array(a, name, fname):
    if isinstance(a, (list, tuple)):
        array = np.asarray(a)
        if array.dtype in dtypes.SUPPORTED:
            return array
        raise TypeError(f"{fname}(): argument '{name}' is a {type(a).__name__} that NumPy turns into an array "
                        f"of {array.dtype}; tensorc takes float32, float64, int32, int64 and bool arrays")
    return a


def _key(a, name, fname):
    t = type(a)
    if t in _PY_SCALARS:
        return t
    if isinstance(a, (np.ndarray, np.generic)):
        if a.dtype not in dtypes.SUPPORTED:
            raise TypeError(f"{fname}(): argument '{name}' has dtype {a.dtype}, which tensorc does not support "
                            "(float32, float64, int32, int64, bool); convert it with .astype(...)")
        return (a.dtype, a.ndim)
    raise TypeError(f"{fname}(): argument '{name}' has unsupported type {type(a).__name__}; tensorc compiles "
                    "functions of NumPy arrays and Python numbers (use static_argnames for other values)")


def _symbolic_input(key, name) -> Variable:
    if key in _PY_SCALARS:  # weak: promotes like the Python scalar it stands for
        return Variable(AVal(dtypes.weak_dtype(key()), (), weak=True), None, name)
    dt, ndim = key
    return Variable(AVal(dt, (None,) * ndim), None, name)


_compiled_function_class = None


def compiled_function_class():
    """CompiledFunction: the Python half mixed with the native Dispatcher (made once, on first use, so
    that `import tensorc` does not load the native module)."""
    global _compiled_function_class
    if _compiled_function_class is None:
        from .. import _tensorc_rt

        class CompiledFunction(_CompiledFunctionBase, _tensorc_rt.Dispatcher):
            __doc__ = _CompiledFunctionBase.__doc__

        CompiledFunction.__module__ = "tensorc"
        _compiled_function_class = CompiledFunction
    return _compiled_function_class


def compile(fn=None, *, static_argnames=(), mode=None):  # noqa: A001  (tc.compile, like jax.jit)
    """Decorator: compile a Python function of NumPy arrays; `@tc.compile`, `tc.compile(fn)` or
    `@tc.compile(static_argnames=..., mode=...)` (mode as for tc.function)."""
    if fn is None:
        return lambda f: compiled_function_class()(f, static_argnames, mode)
    return compiled_function_class()(fn, static_argnames, mode)
