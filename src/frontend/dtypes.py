"""Element types tensorc supports, and NumPy's promotion rules restricted to them.

tensorc has five element types: float32, float64, int32, int64 and bool (MLIR f32 f64 i32 i64 i1).
Promotion follows NumPy 2 (NEP 50): the dtypes of arrays decide, Python scalars are "weak" and
take the array's kind (``float32_array * 0.5`` stays float32), and the exact loop each NumPy ufunc
would pick is asked from NumPy itself (``ufunc.resolve_dtypes``), so tensorc never re-derives
NumPy's tables by hand.

Where NumPy would pick a type tensorc lacks, the value is widened to the nearest supported type of
the same kind: float16 -> float32 (``np.exp(bool_array)``), int8/int16/uint8/uint16 -> int32
(``bool_array ** bool_array``), uint32/uint64 -> int64.

``floatX`` (float32, as in Theano) is the dtype of symbolic inputs and of ``tc.zeros``/``ones``/
``full``/``arange`` when no dtype is given and the values are floats.
"""
from __future__ import annotations

import numpy as np

floatX = np.dtype("float32")

float32 = np.dtype("float32")
float64 = np.dtype("float64")
int32 = np.dtype("int32")
int64 = np.dtype("int64")
bool_ = np.dtype("bool")

SUPPORTED = (float32, float64, int32, int64, bool_)

_MLIR_NAMES = {float32: "f32", float64: "f64", int32: "i32", int64: "i64", bool_: "i1"}

_WIDEN = {
    np.dtype("float16"): float32,
    np.dtype("int8"): int32,
    np.dtype("int16"): int32,
    np.dtype("uint8"): int32,
    np.dtype("uint16"): int32,
    np.dtype("uint32"): int64,
    np.dtype("uint64"): int64,
}


def as_dtype(dtype, what="dtype") -> np.dtype:
    """np.dtype of a user-given dtype (string, type or dtype); TypeError if tensorc lacks it."""
    if dtype is bool:
        return bool_
    try:
        dt = np.dtype(dtype)
    except TypeError as e:
        raise TypeError(f"{what}: {dtype!r} is not a dtype ({e})") from None
    if dt not in SUPPORTED:
        raise TypeError(
            f"{what}: tensorc does not support {dt}; use one of float32, float64, int32, int64, bool")
    return dt


def supported(dt: np.dtype) -> np.dtype:
    """Map a dtype NumPy's promotion produced to one tensorc has (see the module docstring)."""
    if dt in SUPPORTED:
        return dt
    if dt in _WIDEN:
        return _WIDEN[dt]
    raise TypeError(f"tensorc does not support the dtype {dt}")


def mlir_name(dt: np.dtype) -> str:
    return _MLIR_NAMES[dt]


def weak_type(dt: np.dtype):
    """The Python type NumPy treats as a weak scalar of this dtype's kind."""
    return {"f": float, "i": int, "b": bool}[dt.kind]


def weak_dtype(value) -> np.dtype:
    """Storage dtype of a Python scalar: NumPy's default for its kind."""
    if isinstance(value, bool):
        return bool_
    if isinstance(value, int):
        return int64
    if isinstance(value, float):
        return float64
    raise TypeError(f"{type(value).__name__} is not a supported scalar type")


def _resolve_arg(dtype: np.dtype, weak: bool):
    # resolve_dtypes takes the Python types int/float for weak scalars; a weak bool behaves as np.bool_.
    if weak and dtype.kind in "fi":
        return weak_type(dtype)
    return dtype


def ufunc_loop(ufunc: np.ufunc, operands, name: str):
    """The (input dtypes, output dtype) NumPy's `ufunc` would use for these operands.

    `operands` holds (dtype, weak) pairs. When every operand is weak, NumPy would compute on Python
    scalars; the loop for their default dtypes (int64/float64) gives the same result kind.
    """
    all_weak = all(w for _, w in operands)
    args = tuple(dt if all_weak else _resolve_arg(dt, w) for dt, w in operands)
    try:
        loop = ufunc.resolve_dtypes(args + (None,) * ufunc.nout)
    except (TypeError, ValueError) as e:  # NumPy's own message names the types
        raise TypeError(f"{name}: {e}") from None
    loop = [supported(dt) for dt in loop]
    return loop[: ufunc.nin], loop[ufunc.nin]


def result_type(operands) -> np.dtype:
    """np.result_type with weak Python scalars, for non-ufunc functions (where, concatenate, clip)."""
    if all(w for _, w in operands):
        return supported(np.result_type(*[dt for dt, _ in operands]))
    args = [_resolve_arg(dt, w) for dt, w in operands]
    # np.result_type takes weak scalars as values, not as the Python types.
    args = [{float: 0.0, int: 0, bool: False}.get(a, a) if isinstance(a, type) else a for a in args]
    return supported(np.result_type(*args))


def check_fits(value, dt: np.dtype, name: str):
    """NumPy 2 raises OverflowError when a Python int does not fit the array's integer type."""
    if dt.kind == "i" and isinstance(value, int) and not isinstance(value, bool):
        info = np.iinfo(dt)
        if not info.min <= value <= info.max:
            raise OverflowError(f"{name}: Python integer {value} out of bounds for {dt}")
