"""The compilation stages, and the pass pipeline that produces each stage from the previous one.

Stages, pipelines and passes are defined once, in C++ (cpp/lib/Pipelines/Pipelines.cpp), and
registered in MLIR's pass registry, so `tensorc-opt` and Python run the same code. This module asks
the native module for a backend's stages and passes the compilation mode to each stage pipeline as
its options (`tensorc-optimize{optimizer=FAST_COMPILE include=log-softmax}`).
"""

from __future__ import annotations

import functools

from .modes import Mode, get_mode

#: The backend the runtime compiles for.
DEFAULT_BACKEND = "cpu"


@functools.cache
def backend_stages(backend: str = DEFAULT_BACKEND) -> tuple[tuple[str, str], ...]:
    """(stage, named pipeline) pairs of `backend`, in order, as C++ defines them."""
    from .. import _tensorc

    stages = tuple(tuple(s) for s in _tensorc.backend_stages(backend))
    if not stages:
        raise ValueError(f"unknown backend {backend!r}; backends are {', '.join(_tensorc.backend_names())}")
    return stages


def stages(backend: str = DEFAULT_BACKEND) -> tuple[str, ...]:
    """Stages of a compiled function, in order; ``f.ir(stage)`` returns the IR text after each."""
    return ("frontend",) + tuple(name for name, _ in backend_stages(backend))


def __getattr__(name):
    # STAGES is asked of the compiler module on first use (a cache hit never loads it).
    if name == "STAGES":
        return stages()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def native_ldexp() -> bool:
    """Whether the host computes vector ldexp in one instruction (x86 AVX-512F: vscalefps), which
    float32 exp then uses (tensorc-math-approx's native-ldexp). Asked only when compiling; the object
    cache's key already names the host's cpuid, so it need not name this."""
    from .. import _tensorc

    return "+avx512f" in _tensorc.host_cpu().replace(",", " ").split()


def stage_pipelines(mode: Mode | str | None = None, dynamic_broadcast: bool = False,
                    backend: str = DEFAULT_BACKEND, blas: bool = False) -> dict[str, str]:
    """stage -> textual pipeline (anchored on the module) producing it from the previous stage.
    `dynamic_broadcast` lowers the general variant, where any dynamic size may broadcast at run time;
    `blas`: float matmuls call the runtime's BLAS (runtime/blas.py has loaded one)."""
    options = get_mode(mode).pipeline_options(dynamic_broadcast=dynamic_broadcast, blas=blas)
    if backend == "cpu" and native_ldexp():
        options = (options + " native-ldexp=true").strip()
    suffix = "{" + options + "}" if options else ""
    return {stage: f"builtin.module({pipeline}{suffix})" for stage, pipeline in backend_stages(backend)}
