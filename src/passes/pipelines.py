"""The compilation stages, and the pass pipeline that produces each stage from the previous one.

The passes and named pipelines are defined in C++ (cpp/lib/Passes) and registered in MLIR's pass
registry, so `tensorc-opt` and Python run the same code; this module only composes their names.
"""

from __future__ import annotations

from .modes import Mode, get_mode

#: Stages of a compiled function, in order; ``f.ir(stage)`` returns the IR text after each.
STAGES = ("frontend", "graph", "optimized", "lowered", "llvm")


def stage_pipelines(mode: Mode | str | None = None, dynamic_broadcast: bool = False) -> dict[str, str]:
    """stage -> textual pipeline (anchored on the module) producing it from the previous stage.
    `dynamic_broadcast` lowers the general variant, where any dynamic size may broadcast at run time."""
    mode = get_mode(mode)
    graph = mode.graph_passes()
    to_linalg = "tensorc-lower-to-linalg{dynamic-broadcast=true}" if dynamic_broadcast else "tensorc-lower-to-linalg"
    # Sizes of intermediate results are resolved into sizes of the arguments, so that the guard can
    # hoist the checks on them.
    lower = [to_linalg, "canonicalize", "cse", "resolve-ranked-shaped-type-result-dims", "canonicalize",
             "func.func(tensorc-guard-shape-checks)"]
    if mode.uses("fuse"):
        lower += ["tensorc-fuse", "tensorc-fuse-rows", "canonicalize", "cse"]
    else:  # float sums are blocked all the same: their accuracy does not depend on the mode
        lower += ["tensorc-fuse-rows{sums-only=true}", "canonicalize", "cse"]
    return {
        # canonicalize/fold -> merge -> stabilize -> specialize, on tensorc ops (nothing in FAST_COMPILE)
        "graph": _module(graph),
        # tensorc -> linalg on tensors, run-time shape checks hoisted into a guard, elementwise fusion
        "optimized": _module(lower),
        # bufferization (inputs read-only), deallocation, loops on memrefs
        "lowered": _module(["tensorc-bufferize"]),
        # vectorizable math, LLVM dialect
        "llvm": _module(["tensorc-to-llvm"]),
    }


def _module(passes: list[str]) -> str:
    return f"builtin.module({','.join(passes)})"
