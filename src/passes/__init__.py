"""Compilation modes and stages as Python sees them. The passes, the named pipelines and each backend's
stages are C++ (cpp/lib/Pipelines/Pipelines.cpp), registered in MLIR's pass registry, so `tensorc-opt`
and Python run the same code."""

from .modes import FAST_COMPILE, FAST_RUN, Mode, get_mode, rewrite_names
from .pipelines import stage_pipelines, stages


def __getattr__(name):
    if name == "STAGES":  # from the compiler module, on first use (pipelines.py)
        return stages()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["STAGES", "stages", "stage_pipelines", "Mode", "FAST_RUN", "FAST_COMPILE", "get_mode", "rewrite_names"]
