"""Pipeline and mode names as Python sees them. The passes and pipelines themselves are C++
(cpp/lib/Passes), registered in MLIR's pass registry, so `tensorc-opt` and Python run the same code."""

from .modes import FAST_COMPILE, FAST_RUN, Mode, get_mode, rewrite_names
from .pipelines import STAGES, stage_pipelines

__all__ = ["STAGES", "stage_pipelines", "Mode", "FAST_RUN", "FAST_COMPILE", "get_mode", "rewrite_names"]
