"""Compilation modes, as Theano had them: a preset of graph optimizations, adjustable rewrite by rewrite.

    tc.function(ins, outs)                                   # "FAST_RUN": every optimization
    tc.function(ins, outs, mode="FAST_COMPILE")              # no graph optimization, no fusion
    tc.function(ins, outs, mode=tc.Mode().excluding("log1p", "fuse"))
    tc.function(ins, outs, mode=tc.Mode(include=("log-softmax",), optimizer="FAST_COMPILE"))

Names are pass names (canonicalize, merge, stabilize, specialize, fuse) or the names of single
rewrites inside the pattern passes (``tc.rewrite_names()`` lists them). Unknown names are a ValueError
here, before anything reaches C++.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import _tensorc

#: Passes of the graph pipeline, in order (tensorc-optimize in cpp/lib/Passes/Pipelines.cpp).
GRAPH_PASSES = ("canonicalize", "merge", "stabilize", "canonicalize", "merge", "specialize", "merge")
PASS_NAMES = ("canonicalize", "merge", "stabilize", "specialize", "fuse")
#: Passes whose single rewrites can be switched by name.
PATTERN_PASSES = ("canonicalize", "stabilize", "specialize")
OPTIMIZERS = ("FAST_RUN", "FAST_COMPILE")


def rewrite_names() -> dict[str, list[str]]:
    """pass name -> names of its rewrites, as the C++ passes define them."""
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
        known = set(PASS_NAMES) | set(_all_rewrites())
        for name in self.include + self.exclude:
            if not isinstance(name, str) or name not in known:
                raise ValueError(f"unknown optimization {name!r}; known: passes {', '.join(PASS_NAMES)} and "
                                 f"rewrites {', '.join(sorted(_all_rewrites()))}")

    def including(self, *names: str) -> "Mode":
        return Mode(self.optimizer, self.include + names, tuple(n for n in self.exclude if n not in names))

    def excluding(self, *names: str) -> "Mode":
        return Mode(self.optimizer, tuple(n for n in self.include if n not in names), self.exclude + names)

    def uses(self, pass_name: str) -> bool:
        """Whether the pass runs at all in this mode."""
        if pass_name in self.exclude:
            return False
        if self.optimizer == "FAST_RUN" or pass_name in self.include:
            return True
        # FAST_COMPILE: a pattern pass runs when one of its rewrites was included by name.
        rewrites = _all_rewrites()
        return any(rewrites.get(n) == pass_name for n in self.include)

    def graph_passes(self) -> list[str]:
        rewrites = _all_rewrites()
        out = []
        for p in GRAPH_PASSES:
            if not self.uses(p):
                continue
            if p not in PATTERN_PASSES:
                out.append(f"tensorc-{p}")
                continue
            disabled = [n for n in self.exclude if rewrites.get(n) == p]
            enabled = [n for n in self.include if rewrites.get(n) == p]
            opts = []
            if disabled:
                opts.append("disable-patterns=" + ",".join(disabled))
            if self.optimizer == "FAST_COMPILE" and p not in self.include and enabled:
                opts.append("enable-patterns=" + ",".join(enabled))
            out.append(f"tensorc-{p}" + ("{" + " ".join(opts) + "}" if opts else ""))
        return out


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
