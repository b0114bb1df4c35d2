"""Compilation modes (passes/modes.py): the presets (FAST_RUN, FAST_COMPILE, by name or object) and
Mode().excluding/including by pass or rewrite name, through tc.function and @tc.compile. What each
excluded stabilize rewrite changes is in test_stabilize.py."""
import numpy as np
import pytest
from conftest import assert_close, requires_native

import tensorc as tc


@requires_native
def test_modes():
    x = tc.vector("x", "float64")
    y = tc.log(1 + tc.exp(x))
    data = np.array([-3.0, 0.0, 40.0])
    for mode in (None, "FAST_COMPILE", "fast_run", tc.FAST_RUN, tc.Mode().excluding("fuse")):
        assert_close(tc.function([x], y, mode=mode)(data), np.log1p(np.exp(data)))
    with pytest.raises(ValueError, match="mode must be"):
        tc.function([x], y, mode="FASTEST")

    @tc.compile(mode="FAST_COMPILE")
    def f(a):
        return a * 2

    assert_close(f(data), data * 2)


def test_unknown_rewrite_name_is_a_value_error():
    with pytest.raises(ValueError, match="unknown optimization 'log1q'"):
        tc.Mode().excluding("log1q")
    with pytest.raises(ValueError, match="mode must be"):
        v = tc.vector("v")
        tc.function([v], v + 1, mode="FASTEST")


def test_every_rewrite_name_can_be_excluded():
    x = tc.vector("x", "float64")
    expr = tc.log(1 + tc.exp(x))
    a = np.linspace(-3, 3, 7)
    for names in tc.rewrite_names().values():
        for name in names:
            f = tc.function([x], expr, mode=tc.Mode().excluding(name))
            np.testing.assert_allclose(f(a), np.log1p(np.exp(a)), rtol=1e-12)
