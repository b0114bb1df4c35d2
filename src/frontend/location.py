"""Source locations: the user's file and line for each graph node.

A node records the first stack frame outside the tensorc package (and outside NumPy, whose Python
wrappers sit between the user and ``__array_function__``). Emission writes it as an MLIR
``loc("file":line:0)``, so diagnostics and run-time checks quote the user's line, and frontend shape
errors end with "(at /path/to/file.py:12)".
"""
from __future__ import annotations

import os
import sys

import numpy as np

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_NUMPY_DIR = os.path.dirname(os.path.abspath(np.__file__)) + os.sep


class Location:
    __slots__ = ("file", "line")

    def __init__(self, file: str, line: int):
        self.file = file
        self.line = line

    def mlir(self) -> str:
        escaped = self.file.replace("\\", "\\\\").replace('"', '\\"')
        return f'loc("{escaped}":{self.line}:0)'

    def __str__(self) -> str:
        """file:line as error messages quote it (the same path as the MLIR location, which run-time
        errors quote)."""
        return f"{self.file}:{self.line}"

    def short(self) -> str:
        return f"{os.path.basename(self.file)}:{self.line}"

    def __repr__(self):
        return f"Location({self.file!r}, {self.line})"


UNKNOWN = Location("<unknown>", 0)


def _is_internal(filename: str) -> bool:
    if filename.startswith("<"):  # <frozen ...>, <string> from exec is the user's though
        return filename.startswith("<frozen")
    path = os.path.abspath(filename)
    return path.startswith(_PACKAGE_DIR) or path.startswith(_NUMPY_DIR)


_internal_cache: dict[str, bool] = {}


def user_location() -> Location:
    """The innermost stack frame that belongs to the user's code."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        internal = _internal_cache.get(filename)
        if internal is None:
            internal = _internal_cache[filename] = _is_internal(filename)
        if not internal:
            return Location(filename, frame.f_lineno)
        frame = frame.f_back
    return UNKNOWN
