"""How close tensorc's results must be to NumPy's, per dtype: one table for the unit tests
(conftest.assert_close) and the differential fuzzer (tests/fuzz/oracle.py)."""
import numpy as np


def tolerance(dtype, loose=False):
    """rtol/atol for comparing with NumPy: float32 1e-5 (1e-4 when `loose`: transcendental functions,
    whose vectorized approximations differ from libm in the last bits), float64 1e-12 (1e-11), exact
    otherwise."""
    dtype = np.dtype(dtype)
    if dtype == np.float32:
        return (1e-4, 1e-5) if loose else (1e-5, 1e-6)
    if dtype == np.float64:
        return (1e-11, 1e-12) if loose else (1e-12, 1e-13)
    return (0, 0)
