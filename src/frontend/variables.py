"""Symbolic values: `Variable`, its NumPy-style operators and methods, inputs and constants.

A Variable is the output of a graph node (`owner`), a constant (a node of the `constant` op), or a
symbolic input (no owner). Its dtype and rank are fixed; each dimension is a static int or dynamic
(None). The same class serves Theano-style symbolic inputs (`tc.matrix("x")`) and the tracers that
`@tc.compile` passes to a Python function, so NumPy functions called on either build the graph
(numpy_dispatch.py).
"""
from __future__ import annotations

import numpy as np

from . import dtypes
from .graph import AVal, Node, format_shape, infer_or_raise
from .location import user_location
from .opdefs import OPS

_CONTROL_FLOW = ("Python control flow (if/while/and/or, bool(), int(), len()) on the value of a "
                 "symbolic tensorc expression is not supported: its value is only known when the "
                 "compiled function runs. Use tc.where(cond, a, b) for elementwise choices.")


class Variable:
    """A symbolic tensor with NumPy semantics."""

    __slots__ = ("aval", "owner", "name", "loc", "__weakref__")
    __array_priority__ = 1000.0

    def __init__(self, aval: AVal, owner: Node | None = None, name: str | None = None, loc=None):
        self.aval = aval
        self.owner = owner
        self.name = name
        self.loc = loc

    # ---- static information ----
    @property
    def dtype(self) -> np.dtype:
        return self.aval.dtype

    @property
    def ndim(self) -> int:
        return self.aval.ndim

    @property
    def static_shape(self) -> tuple:
        """One int (static) or None (dynamic) per dimension."""
        return self.aval.shape

    @property
    def shape(self) -> tuple:
        """NumPy's shape: ints where static, symbolic 0-d int64 values elsewhere."""
        return tuple(d if d is not None else apply("dim", [self], {"axis": i})
                     for i, d in enumerate(self.aval.shape))

    @property
    def size(self):
        return _shape.prod_of_sizes(self.shape)

    @property
    def is_input(self) -> bool:
        return self.owner is None

    @property
    def is_constant(self) -> bool:
        return self.owner is not None and self.owner.op.name == "constant"

    def __repr__(self):
        what = "input" if self.owner is None else self.owner.op.name
        name = f" {self.name!r}" if self.name else ""
        where = f" at {self.loc.short()}" if self.loc is not None and self.owner is not None else ""
        return f"<tensorc.Variable {what}{name} {self.dtype} {format_shape(self.aval.shape)}{where}>"

    # ---- no Python control flow on traced values ----
    def __bool__(self):
        raise TypeError(f"bool() of a symbolic value: {_CONTROL_FLOW}")

    def __index__(self):
        raise TypeError(f"a symbolic value cannot be used as a Python int: {_CONTROL_FLOW}")

    def __int__(self):
        raise TypeError(f"int() of a symbolic value: {_CONTROL_FLOW}")

    def __float__(self):
        raise TypeError(f"float() of a symbolic value: {_CONTROL_FLOW}")

    def __complex__(self):
        raise TypeError(f"complex() of a symbolic value: {_CONTROL_FLOW}")

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of unsized object (a 0-d symbolic value)")
        if self.aval.shape[0] is None:
            raise TypeError(f"len() of a symbolic value whose first dimension is dynamic; use x.shape[0]. "
                            f"{_CONTROL_FLOW}")
        return self.aval.shape[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __array__(self, dtype=None, copy=None):
        raise TypeError("a symbolic tensorc value cannot be converted to a NumPy array: its value is "
                        "only known when the compiled function runs")

    def __setitem__(self, key, value):
        raise TypeError("tensorc values are immutable; use tc.where(mask, new, x) or build a new value")

    __hash__ = object.__hash__

    # ---- arithmetic ----
    def __add__(self, o): return _ew.add(self, o)
    def __radd__(self, o): return _ew.add(o, self)
    def __sub__(self, o): return _ew.subtract(self, o)
    def __rsub__(self, o): return _ew.subtract(o, self)
    def __mul__(self, o): return _ew.multiply(self, o)
    def __rmul__(self, o): return _ew.multiply(o, self)
    def __truediv__(self, o): return _ew.true_divide(self, o)
    def __rtruediv__(self, o): return _ew.true_divide(o, self)
    def __floordiv__(self, o): return _ew.floor_divide(self, o)
    def __rfloordiv__(self, o): return _ew.floor_divide(o, self)
    def __mod__(self, o): return _ew.mod(self, o)
    def __rmod__(self, o): return _ew.mod(o, self)
    def __pow__(self, o):
        # `arr ** 2` with a Python int 2 is np.square in NumPy (its fast scalar power), which for a bool
        # array picks the int8 loop where np.power would pick int64.
        return _ew.square(self) if type(o) is int and o == 2 else _ew.power(self, o)
    def __rpow__(self, o): return _ew.power(o, self)
    def __matmul__(self, o): return _linalg.matmul(self, o)
    def __rmatmul__(self, o): return _linalg.matmul(o, self)
    def __neg__(self): return _ew.negative(self)
    def __pos__(self): return self
    def __abs__(self): return _ew.abs(self)
    def __invert__(self): return _ew.invert(self)
    def __and__(self, o): return _ew.bitwise_and(self, o)
    def __rand__(self, o): return _ew.bitwise_and(o, self)
    def __or__(self, o): return _ew.bitwise_or(self, o)
    def __ror__(self, o): return _ew.bitwise_or(o, self)
    def __xor__(self, o): return _ew.bitwise_xor(self, o)
    def __rxor__(self, o): return _ew.bitwise_xor(o, self)
    def __eq__(self, o): return _ew.equal(self, o)
    def __ne__(self, o): return _ew.not_equal(self, o)
    def __lt__(self, o): return _ew.less(self, o)
    def __le__(self, o): return _ew.less_equal(self, o)
    def __gt__(self, o): return _ew.greater(self, o)
    def __ge__(self, o): return _ew.greater_equal(self, o)

    def __getitem__(self, key): return _indexing.getitem(self, key)

    # ---- methods with NumPy's names ----
    def sum(self, axis=None, dtype=None, keepdims=False): return _reduce.sum(self, axis, dtype, keepdims=keepdims)
    def prod(self, axis=None, dtype=None, keepdims=False): return _reduce.prod(self, axis, dtype, keepdims=keepdims)
    def mean(self, axis=None, dtype=None, keepdims=False): return _reduce.mean(self, axis, dtype, keepdims=keepdims)
    def max(self, axis=None, keepdims=False): return _reduce.max(self, axis, keepdims=keepdims)
    def min(self, axis=None, keepdims=False): return _reduce.min(self, axis, keepdims=keepdims)
    def argmax(self, axis=None, keepdims=False): return _reduce.argmax(self, axis, keepdims=keepdims)
    def argmin(self, axis=None, keepdims=False): return _reduce.argmin(self, axis, keepdims=keepdims)
    def var(self, axis=None, dtype=None, ddof=0, keepdims=False):
        return _reduce.var(self, axis, dtype, ddof=ddof, keepdims=keepdims)

    def std(self, axis=None, dtype=None, ddof=0, keepdims=False):
        return _reduce.std(self, axis, dtype, ddof=ddof, keepdims=keepdims)

    def any(self, axis=None, keepdims=False): return _reduce.any(self, axis, keepdims=keepdims)
    def all(self, axis=None, keepdims=False): return _reduce.all(self, axis, keepdims=keepdims)
    def astype(self, dtype): return _ew.astype(self, dtype)
    def dot(self, o): return _linalg.dot(self, o)
    def clip(self, min=None, max=None): return _ew.clip(self, min, max)

    def reshape(self, *shape):
        return _shape.reshape(self, shape[0] if len(shape) == 1 else shape)

    def transpose(self, *axes):
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        return _shape.transpose(self, axes or None)

    @property
    def T(self): return _shape.transpose(self)

    def flatten(self): return _shape.reshape(self, -1)
    def ravel(self): return _shape.reshape(self, -1)
    def squeeze(self, axis=None): return _shape.squeeze(self, axis)

    # ---- NumPy dispatch ----
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return _dispatch.array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return _dispatch.array_function(func, types, args, kwargs)


def apply(op_name: str, inputs, attrs=None, loc=None) -> Variable:
    """Add a node to the graph; its output's type is inferred now (shape clashes raise here)."""
    op = OPS[op_name]
    attrs = attrs or {}
    loc = loc or user_location()
    node = Node(op, inputs, attrs, loc)
    aval = infer_or_raise(op, [v.aval for v in inputs], attrs, loc)
    node.out = Variable(aval, node, loc=loc)
    return node.out


# ---- inputs ------------------------------------------------------------------------------------------

def tensor(dtype=None, ndim=None, name=None) -> Variable:
    """A symbolic input of fixed dtype (default floatX = float32) and rank; every dimension dynamic."""
    if ndim is None or isinstance(ndim, bool) or not isinstance(ndim, (int, np.integer)) or ndim < 0:
        raise TypeError(f"tc.tensor: ndim must be a non-negative int, got {ndim!r}")
    if name is not None and not isinstance(name, str):
        raise TypeError(f"tc.tensor: name must be a str, got {name!r}")
    dt = dtypes.floatX if dtype is None else dtypes.as_dtype(dtype, "tc.tensor")
    return Variable(AVal(dt, (None,) * int(ndim)), None, name, user_location())


def scalar(name=None, dtype=None) -> Variable:
    """A symbolic 0-d input."""
    return tensor(dtype, 0, name)


def vector(name=None, dtype=None) -> Variable:
    """A symbolic 1-d input."""
    return tensor(dtype, 1, name)


def matrix(name=None, dtype=None) -> Variable:
    """A symbolic 2-d input."""
    return tensor(dtype, 2, name)


def tensor3(name=None, dtype=None) -> Variable:
    """A symbolic 3-d input."""
    return tensor(dtype, 3, name)


def tensor4(name=None, dtype=None) -> Variable:
    """A symbolic 4-d input."""
    return tensor(dtype, 4, name)


# ---- constants -------------------------------------------------------------------------------------

def constant(value, dtype=None, name=None) -> Variable:
    """A constant in the graph. Python scalars give NumPy's default dtype for their kind."""
    if isinstance(value, Variable):
        return value if dtype is None else _ew.astype(value, dtype)
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


from . import indexing as _indexing  # noqa: E402  (these import Variable from here)
from . import numpy_dispatch as _dispatch  # noqa: E402
from . import ops_elementwise as _ew  # noqa: E402
from . import ops_linalg as _linalg  # noqa: E402
from . import ops_reduce as _reduce  # noqa: E402
from . import ops_shape as _shape  # noqa: E402
