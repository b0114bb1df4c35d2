"""matmul and dot with NumPy's semantics."""
from __future__ import annotations

import numpy as np

from . import dtypes
from .graph import apply, as_variable, convert
from .ops_elementwise import expand_leading, multiply


def matmul(x1, x2):
    """np.matmul (the @ operator): 1-D operands act as a row / column; batch dimensions broadcast."""
    a, b = as_variable(x1), as_variable(x2)
    for i, v in enumerate((a, b)):
        if v.ndim == 0:
            raise ValueError(f"matmul: Input operand {i} does not have enough dimensions "
                             f"(has 0, gufunc core with signature (n?,k),(k,m?)->(n?,m?) requires 1)")
    in_dts, out_dt = dtypes.ufunc_loop(np.matmul, [(a.dtype, a.aval.weak), (b.dtype, b.aval.weak)], "matmul")
    if out_dt == dtypes.bool_:  # NumPy's bool matmul is "any(a & b)": count in int32, then != 0
        return convert(matmul(convert(a, dtypes.int32), convert(b, dtypes.int32)), dtypes.bool_)
    a, b = convert(a, in_dts[0]), convert(b, in_dts[1])
    if a.ndim >= 2 and b.ndim >= 2:  # the dialect broadcasts batch dims of equal rank
        ndim = max(a.ndim, b.ndim)
        a, b = expand_leading(a, ndim), expand_leading(b, ndim)
    return apply("matmul", [a, b])


def dot(a, b):
    """np.dot. For 0-d operands it multiplies; for others it is matmul (the same when b has at most
    two dimensions). dot with a b of 3 or more dimensions is not supported."""
    x, y = as_variable(a), as_variable(b)
    if x.ndim == 0 or y.ndim == 0:
        return multiply(x, y)
    if y.ndim > 2:
        raise NotImplementedError("tc.dot with a second operand of 3 or more dimensions is not supported; "
                                  "use tc.matmul (whose batch semantics differ)")
    return matmul(x, y)
