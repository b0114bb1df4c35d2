"""The Python side of the tensorc dialect: registration into an ``mlir.ir.Context`` and the op builders
that ``mlir-tblgen -gen-python-op-bindings`` generates from cpp/include/tensorc/Dialect/Tensorc/IR/TensorcOps.td."""

from mlir import ir as _ir
from mlir._mlir_libs import _mlir

from .. import _tensorc

# Generated op classes register themselves under this package's name; MLIR must know where to look for
# them, or ops created from Python come back as plain OpView.
_mlir.globals.append_dialect_search_prefix(__name__)

_tensorc.register_passes()


def register(context: _ir.Context) -> None:
    """Make the tensorc dialect (and tensorc's passes) available in ``context``."""
    _tensorc.register_dialect(context)


def new_context() -> _ir.Context:
    """A fresh MLIR context with the tensorc dialect loaded."""
    ctx = _ir.Context()
    register(ctx)
    return ctx


from ._tensorc_ops_gen import *  # noqa: E402,F401,F403  (generated builders: AddOp, MatmulOp, ...)
