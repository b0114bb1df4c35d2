"""Compile one specialization of a function: tensorc IR text -> staged MLIR pipelines -> native object
-> loaded kernel. Objects are cached on disk (runtime/cache.py) keyed by everything that changes the code,
so a second process loads the object without running MLIR or LLVM at all.

A cache hit touches only the runtime module (_tensorc_rt, which links neither MLIR nor LLVM): the key is
computed from the IR, the compilation options, the host's cpuid identity and a hash of the compiler
module's file, and the object is linked by the runtime's own loader (cpp/lib/Runtime/ObjectLoader.cpp).
The compiler module (_tensorc) and the MLIR Python bindings are imported only to compile."""

from __future__ import annotations

import os
import threading
import warnings

import numpy as np

from .. import _tensorc_rt
from .._version import __version__
from ..passes.modes import get_mode
from ..passes.pipelines import DEFAULT_BACKEND, stage_pipelines, stages
from . import blas, cache

_ENTRY = "main"
_lock = threading.Lock()
_host = None


def _host_key() -> str:
    """What besides the IR and options decides the code: the CPU, and the compiler module itself (its
    passes, pipelines and the LLVM it links: a rebuilt extension with the same version number must not
    be served objects of the old one). Read from the file, so that a cache hit does not load it."""
    global _host
    if _host is None:
        import hashlib
        import importlib.util

        with open(importlib.util.find_spec("tensorc._tensorc").origin, "rb") as f:
            build = hashlib.sha256(f.read()).hexdigest()[:16]
        _host = f"{_tensorc_rt.host_id()}|compiler {build}"
    # The vector width override changes the code generated for the same host. ObjectCompiler.cpp reads
    # it at each compilation and ignores other values than these, so it is read here each time too.
    width = os.environ.get("TENSORC_PREFER_VECTOR_WIDTH", "")
    if width not in ("128", "256", "512"):
        width = ""
    return f"{_host}|vector width {width}"


def _compiler():
    """The compiler module; importing it also registers its ORC JIT as the runtime's fallback loader."""
    from .. import _tensorc

    return _tensorc


def _kernel(obj: bytes, ins, outs, checks):
    """Load `obj`. The runtime links it itself; an object its linker does not support goes to the ORC
    JIT, which needs the compiler module (imported here, once)."""
    try:
        return _tensorc_rt.Kernel(obj, _ENTRY, ins, outs, checks)
    except RuntimeError as e:
        if not str(e).startswith(_tensorc_rt.NEEDS_FALLBACK_LOADER):
            raise
    _compiler()
    return _tensorc_rt.Kernel(obj, _ENTRY, ins, outs, checks)


class CompileError(RuntimeError):
    """tensorc produced IR that MLIR rejected: a bug in tensorc, never in the user's program."""


def _run_stages(ir_text: str, pipelines: dict, keep_texts: bool = False):
    """Parse ``ir_text`` and run the pipelines stage by stage. Returns (context, module, {stage: text});
    the text of each stage only with ``keep_texts`` (printing them costs ~15% of the passes' time, and
    only ``f.ir(stage)`` wants them: it runs the stages again)."""
    from mlir import ir, passmanager

    from ..dialect import new_context

    ctx = new_context()
    texts = {"frontend": ir_text}
    with ctx:
        try:
            module = ir.Module.parse(ir_text)  # parses and verifies: nothing invalid reaches a pass
        except ir.MLIRError as e:
            raise CompileError(f"tensorc emitted invalid IR:\n{e}\n--- IR ---\n{ir_text}") from None
        for stage in stages()[1:]:
            try:
                passmanager.PassManager.parse(pipelines[stage]).run(module.operation)
            except ir.MLIRError as e:
                raise CompileError(f"pipeline for stage {stage!r} failed:\n{e}") from None
            if keep_texts:
                texts[stage] = module.operation.get_asm(enable_debug_info=stage == "graph")
    return ctx, module, texts


def _checks_of(module) -> list[str]:
    attrs = module.operation.attributes
    if "tensorc.checks" not in attrs:
        return []
    from mlir import ir

    return [ir.StringAttr(a).value for a in ir.ArrayAttr(attrs["tensorc.checks"])]


class Compiled:
    """One compiled specialization: its kernel and its IR at every stage (computed on first demand, by
    running the stages again: compilation does not print them)."""

    def __init__(self, kernel, texts: dict, pipelines):
        self.kernel = kernel
        self._texts = texts
        self._pipelines = pipelines  # () -> {stage: pipeline}: a cache hit asks the compiler only here

    def ir(self, stage: str = "optimized") -> str:
        if stage not in stages():
            raise ValueError(f"unknown stage {stage!r}; stages are {', '.join(stages())}")
        if stage not in self._texts:
            _, _, texts = _run_stages(self._texts["frontend"], self._pipelines(), keep_texts=True)
            self._texts.update(texts)
        return self._texts[stage]


def _pipelines(mode, dynamic_broadcast, blas_id):
    return stage_pipelines(mode, dynamic_broadcast=dynamic_broadcast, blas=blas_id is not None)


def _specs(specs):
    return [(np.dtype(dt).num, int(nd)) for dt, nd in specs]


def _cached_checks(meta: dict):
    """The check messages of a cache entry's metadata, or None when they are not a list of strings."""
    checks = meta.get("checks")
    if isinstance(checks, list) and all(isinstance(c, str) for c in checks):
        return checks
    return None


def compile_module(ir_text: str, *, in_specs, out_specs, mode=None, dynamic_broadcast=False) -> Compiled:
    """Compile tensorc IR whose entry is ``@main``. ``in_specs``/``out_specs``: [(dtype, ndim)];
    ``mode``: None (FAST_RUN), "FAST_RUN", "FAST_COMPILE" or a tensorc.Mode; ``dynamic_broadcast``:
    the general variant, where any dynamic size may be 1 at run time (frontend/function.py).

    A cache entry whose object the JIT refuses (it passed the cache's checksum, but was built by
    another LLVM or for another CPU, or names a symbol this process lacks) is deleted and the IR is
    compiled again, once; only a freshly compiled object that does not load either raises. A fresh
    object is stored only once it has loaded."""
    blas_id = blas.ensure()
    # The stage pipelines are a function of these options and of the compiler module (in _host_key):
    # the key names the options, so that a hit needs no pipeline text from the compiler.
    options = get_mode(mode).pipeline_options(dynamic_broadcast=dynamic_broadcast, blas=blas_id is not None)
    key = cache.key(ir_text, f"backend {DEFAULT_BACKEND} {{{options}}}", __version__,
                    _host_key() + f"|blas {blas_id}")
    ins, outs = _specs(in_specs), _specs(out_specs)
    discarded = None  # why the cached entry was thrown away, if it was
    hit = cache.load(key)
    if hit is not None:
        obj, meta = hit
        checks = _cached_checks(meta)
        if checks is None:
            discarded = "its metadata has no list of check messages"
        else:
            try:
                kernel = _kernel(obj, ins, outs, checks)
            except RuntimeError as e:  # the object does not load or link
                discarded = str(e)
            else:
                return Compiled(kernel, {"frontend": ir_text}, lambda: _pipelines(mode, dynamic_broadcast, blas_id))
        cache.remove(key)
        warnings.warn(f"tensorc cache: discarded entry {key[:16]}... ({discarded.splitlines()[0]}); "
                      "recompiling", RuntimeWarning, stacklevel=2)
    pipelines = _pipelines(mode, dynamic_broadcast, blas_id)
    with _lock:  # one MLIR/LLVM compilation at a time keeps memory use flat
        ctx, module, texts = _run_stages(ir_text, pipelines)  # texts: {"frontend": ir_text}
        with ctx:
            checks = _checks_of(module)
            obj = _compiler().compile_object(module)
    try:
        kernel = _kernel(obj, ins, outs, checks)
    except RuntimeError as e:
        note = f" (the cached object, now deleted, did not load either: {discarded})" if discarded else ""
        raise CompileError(f"the compiled object does not load: {e}{note}") from None
    cache.store(key, obj, {"checks": checks})
    return Compiled(kernel, texts, lambda: pipelines)
