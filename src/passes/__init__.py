"""Pipeline names as Python sees them. The pipelines themselves are defined once, in C++
(cpp/lib/Passes/Pipelines.cpp), and registered in MLIR's pass registry, so `tensorc-opt` and Python run
the same thing."""

from .pipelines import STAGES, STAGE_PIPELINES, pipeline_for

__all__ = ["STAGES", "STAGE_PIPELINES", "pipeline_for"]
