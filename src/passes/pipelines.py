"""The compilation stages and the named pipeline that produces each one from the previous stage."""

#: Stages of a compiled function, in order; ``f.ir(stage)`` returns the IR text after each.
STAGES = ("frontend", "optimized", "linalg", "lowered", "llvm")

#: stage -> the registered pipeline that turns the previous stage into this one.
STAGE_PIPELINES = {
    "optimized": "tensorc-optimize",   # canonicalize/fold, CSE on tensorc ops
    "linalg": "tensorc-to-linalg",     # tensorc -> linalg on tensors, guarded shape checks, fusion
    "lowered": "tensorc-bufferize",    # bufferization, deallocation, loops on memrefs
    "llvm": "tensorc-to-llvm",         # vectorizable math, LLVM dialect
}


def pipeline_for(stage: str) -> str:
    """The textual pass pipeline (anchored on the module) that produces ``stage``."""
    if stage not in STAGE_PIPELINES:
        raise ValueError(f"unknown stage {stage!r}; stages are {', '.join(STAGES)}")
    return f"builtin.module({STAGE_PIPELINES[stage]})"
