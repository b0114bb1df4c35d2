"""Compilation modes, as Theano had them: a preset of graph optimizations, adjustable rewrite by rewrite.

    tc.function(ins, outs)                                   # "FAST_RUN": every optimization
    tc.function(ins, outs, mode="FAST_COMPILE")              # no graph optimization, no fusion
    tc.function(ins, outs, mode=tc.Mode().excluding("log1p", "fuse"))
    tc.function(ins, outs, mode=tc.Mode(include=("log-softmax",), optimizer="FAST_COMPILE"))

Names are pass names (canonicalize, merge, stabilize, specialize, fuse) or the names of single
rewrites inside the pattern passes (``tc.rewrite_names()`` lists them). Unknown names are a ValueError
here, before anything reaches C++. Only naming passes or rewrites asks the compiler module for the
known names: the presets load nothing native (a cache hit runs without the compiler, runtime/compiler.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

OPTIMIZERS = ("FAST_RUN", "FAST_COMPILE")


def pass_names() -> list[str]:
    """Passes a mode can include or exclude as a whole, as the C++ pipelines define them."""
    from .. import _tensorc

    return list(_tensorc.optimization_pass_names())


def rewrite_names() -> dict[str, list[str]]:
    """pass name -> names of its rewrites, as the C++ passes define them."""
    from .. import _tensorc

    return {p: list(names) for p, names in _tensorc.rewrite_names().items()}


def _all_rewrites() -> dict[str, str]:
    return {name: p for p, names in rewrite_names().items() for name in names}


@dataclass(frozen=True)
class Mode:
    """A preset (``optimizer``) plus names to include or exclude (passes or single rewrites)."""

    optimizer: str = "FAST_RUN"
    include: tuple = field(default_factory=tuple)
    exclude: tuple = field(default_factory=tuple)

    def __post_init__(self):
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"mode optimizer must be one of {OPTIMIZERS}, got {self.optimizer!r}")
        object.__setattr__(self, "include", tuple(self.include))
        object.__setattr__(self, "exclude", tuple(self.exclude))
        if not (self.include or self.exclude):
            return
        passes = pass_names()
        known = set(passes) | set(_all_rewrites())
        for name in self.include + self.exclude:
            if not isinstance(name, str) or name not in known:
                raise ValueError(f"unknown optimization {name!r}; known: passes {', '.join(passes)} and "
                                 f"rewrites {', '.join(sorted(_all_rewrites()))}")

    def including(self, *names: str) -> "Mode":
        return Mode(self.optimizer, self.include + names, tuple(n for n in self.exclude if n not in names))

    def excluding(self, *names: str) -> "Mode":
        return Mode(self.optimizer, tuple(n for n in self.include if n not in names), self.exclude + names)

    def pipeline_options(self, dynamic_broadcast: bool = False, blas: bool = False) -> str:
        """The mode as the options every stage pipeline takes (cpp/lib/Pipelines/Pipelines.cpp decides
        from them which passes and rewrites run)."""
        opts = []
        if self.optimizer != "FAST_RUN":
            opts.append(f"optimizer={self.optimizer}")
        if self.include:
            opts.append("include=" + ",".join(self.include))
        if self.exclude:
            opts.append("exclude=" + ",".join(self.exclude))
        if dynamic_broadcast:
            opts.append("dynamic-broadcast=true")
        if blas:
            opts.append("blas=true")
        return " ".join(opts)


FAST_RUN = Mode("FAST_RUN")
FAST_COMPILE = Mode("FAST_COMPILE")


def get_mode(mode) -> Mode:
    if mode is None:
        return FAST_RUN
    if isinstance(mode, Mode):
        return mode
    if isinstance(mode, str) and mode.upper() in OPTIMIZERS:
        return Mode(mode.upper())
    raise ValueError(f"mode must be None, 'FAST_RUN', 'FAST_COMPILE' or a tc.Mode, got {mode!r}")
