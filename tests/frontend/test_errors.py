"""Every bad input gives a clear Python exception: which argument, which op, which line."""
import inspect
import re

import numpy as np
import pytest
from conftest import requires_native

import tensorc as tc

HERE = re.escape(__file__)


# ---- at trace time (no compilation) -------------------------------------------------------------

def test_shape_clash_known_while_tracing_names_op_and_line():
    a = tc.constant(np.ones(3))
    b = tc.constant(np.ones(4))
    with pytest.raises(ValueError) as info:
        a + b
    assert re.fullmatch(rf"tensorc\.add: shapes \(3,\) and \(4,\) cannot be broadcast \(at {HERE}:\d+\)",
                        str(info.value))


def test_shape_clash_message_quotes_the_users_line():
    x = tc.constant(np.ones((2, 3)))
    try:
        x @ x  # the line the error must quote
    except ValueError as e:
        message = str(e)
    line = inspect.currentframe().f_lineno - 3
    assert message.startswith("tensorc.matmul:") and message.endswith(f"(at {__file__}:{line})")


def test_compile_rejects_unsupported_argument_types_naming_the_parameter():
    @tc.compile
    def f(values, scale):
        return values * scale

    with pytest.raises(TypeError, match=r"f\(\): argument 'values' .* list .*<U"):
        f(["a", "b"], 2.0)
    with pytest.raises(TypeError, match=r"argument 'scale' has unsupported type str"):
        f(np.ones(3), "2")
    with pytest.raises(TypeError, match=r"argument 'values' has dtype uint8"):
        f(np.ones(3, np.uint8), 2.0)
    with pytest.raises(TypeError, match=r"argument 'scale' has unsupported type dict"):
        f(np.ones(3), {})
    with pytest.raises(TypeError, match=r"f\(\): missing a required argument: 'scale'"):
        f(np.ones(3))
    assert f.trace_count == 0


def test_errors_inside_the_traced_function_point_at_its_line():
    @tc.compile
    def g(a):
        return np.ones(3) + np.ones(4) * a

    with pytest.raises(ValueError, match=rf"tensorc\.add: shapes \(1, 3\) and \(\?, 4\) cannot be broadcast "
                                         rf"\(at {HERE}:\d+\)"):
        g(np.ones((2, 1)))


def test_python_control_flow_in_traced_function_explains():
    @tc.compile
    def f(a):
        if a.sum() > 0:
            return a
        return -a

    with pytest.raises(TypeError, match="Python control flow .* not supported"):
        f(np.ones(3))


def test_function_input_list_is_checked():
    x, y = tc.vector("x"), tc.vector("y")
    with pytest.raises(ValueError, match="not in the inputs list: 'y'"):
        tc.function([x], x + y)
    with pytest.raises(TypeError, match="computed from other values"):
        tc.function([x * 2], x)
    with pytest.raises(ValueError, match="listed twice"):
        tc.function([x, x], x)
    with pytest.raises(TypeError, match="not a symbolic input"):
        tc.function([np.ones(3)], x)


# ---- at call time (compiled code) ------------------------------------------------------------------

@requires_native
def test_argument_count_dtype_and_rank_name_the_argument():
    x = tc.vector("x", "float32")
    n = tc.scalar("n", "int32")
    f = tc.function([x, n], x * n)
    with pytest.raises(TypeError, match=r"takes 2 arguments \(x, n\) but 1 was given"):
        f(np.ones(3, np.float32))
    with pytest.raises(TypeError, match=r"argument 'x': expected float32, got float64 \(no silent downcast\)"):
        f(np.ones(3), 2)
    with pytest.raises(TypeError, match=r"argument 'x': expected a 1-d array, got 2-d"):
        f(np.ones((3, 1), np.float32), 2)
    with pytest.raises(TypeError, match=r"argument 'n': expected int32, got Python float"):
        f(np.ones(3, np.float32), 2.5)
    assert np.allclose(f(np.ones(3, np.float32), 2), 2)
    assert np.allclose(f(x=np.ones(3, np.float32), n=np.int32(3)), 3)


@requires_native
def test_compile_argument_errors_come_from_the_signature():
    @tc.compile
    def f(a, b):
        return a @ b

    with pytest.raises(TypeError, match=r"f\(\): too many positional arguments"):
        f(np.ones((2, 2)), np.ones((2, 2)), np.ones(2))


@requires_native
def test_run_time_shape_clash_names_op_and_line():
    x, y = tc.vector("x", "float64"), tc.vector("y", "float64")
    z = x + y  # the line the run-time error must quote
    line = z.loc.line
    f = tc.function([x, y], z)
    with pytest.raises(ValueError, match=rf"tensorc\.add: .*\b3\b.*\b4\b.*\(at {HERE}:{line}\)"):
        f(np.ones(3), np.ones(4))
    assert np.allclose(f(np.ones(4), np.ones(4)), 2)  # the function still works afterwards

    @tc.compile
    def g(a, b):
        return a * b

    with pytest.raises(ValueError, match=rf"tensorc\.mul: .*\(at {HERE}:\d+\)"):
        g(np.ones(3), np.ones(4))


@requires_native
def test_gather_out_of_range_is_an_index_error():
    p = tc.matrix("p", "float64")
    y = tc.vector("y", "int64")
    f = tc.function([p, y], p[tc.arange(y.shape[0]), y])
    with pytest.raises(IndexError, match=r"tensorc\.gather"):
        f(np.ones((2, 3)), np.array([0, 3]))
    g = tc.function([p], p[5])
    with pytest.raises(IndexError):
        g(np.ones((2, 3)))
