"""The Python frontend: symbolic values with NumPy semantics, the graph, emission to the tensorc
dialect, and tc.function / @tc.compile. The public names are re-exported by the `tensorc` package."""
from .compile import CompiledFunction, compile
from .debugprint import debugprint
from .emit import emit
from .function import Program, function
from .ops_elementwise import (abs, absolute, add, astype, bitwise_and, bitwise_not, bitwise_or, bitwise_xor,
                              cast, ceil, clip, cos, divide, equal, erf, exp, expm1, floor, floor_divide,
                              greater, greater_equal, invert, less, less_equal, log, log1p, logaddexp,
                              logical_and, logical_not, logical_or, logical_xor, maximum, minimum, mod,
                              multiply, negative, not_equal, power, remainder, sigmoid, sign, sin, softplus,
                              sqrt, square, subtract, tanh, true_divide, where)
from .ops_linalg import dot, matmul
from .ops_reduce import (all, amax, amin, any, argmax, argmin, log_softmax, logsumexp, max, mean, min, prod,
                         softmax, std, sum, var)
from .ops_shape import (arange, broadcast_to, concatenate, expand_dims, full, full_like, moveaxis, ones,
                        ones_like, reshape, shape, squeeze, stack, swapaxes, transpose, zeros, zeros_like)
from .variables import Variable, constant, matrix, scalar, tensor, tensor3, tensor4, vector

import types as _types

__all__ = [_n for _n, _v in list(globals().items()) if not _n.startswith("_") and not isinstance(_v, _types.ModuleType)]
