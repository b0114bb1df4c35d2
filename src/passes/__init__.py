"""Compilation modes and stages as Python sees them. The passes, the named pipelines and each backend's
stages are C++ (cpp/lib/Pipelines/Pipelines.cpp), registered in MLIR's pass registry, so `tensorc-opt`
and Python run the same code."""

from .modes import FAST_COMPILE, FAST_RUN, Mode, get_mode, rewrite_names
from .pipelines import STAGES, stage_pipelines

__all__ = ["STAGES", "stage_pipelines", "Mode", "FAST_RUN", "FAST_COMPILE", "get_mode", "rewrite_names"]
