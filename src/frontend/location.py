"""Source locations: the user's file, line and column for each graph node.

A node records the first stack frame outside the tensorc package (and outside NumPy, whose Python
wrappers sit between the user and ``__array_function__``). Emission writes it as an MLIR location
named after the op, ``loc("add"("file":line:col))``, as JAX's jax/_src/interpreters/mlir.py names
its locations after the primitive: diagnostics and run-time checks quote the user's file and line
(the passes unwrap the name), and frontend shape errors end with "(at /path/to/file.py:12)".
"""
from __future__ import annotations

import os
import sys

import numpy as np

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_NUMPY_DIR = os.path.dirname(os.path.abspath(np.__file__)) + os.sep


def _mlir_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


class Location:
    """file, line, and column: the 0-based offset of the expression in its line, as Python reports it
    (code.co_positions) and as JAX writes it."""
    __slots__ = ("file", "line", "column")

    def __init__(self, file: str, line: int, column: int = 0):
        self.file = file
        self.line = line
        self.column = column

    def mlir(self, op_name: str) -> str:
        """The MLIR location of an op emitted for the frontend op `op_name` at this place."""
        return f"loc({_mlir_string(op_name)}({_mlir_string(self.file)}:{self.line}:{self.column}))"

    def __str__(self) -> str:
        """file:line as error messages quote it (the same path as the MLIR location, which run-time
        errors quote)."""
        return f"{self.file}:{self.line}"

    def short(self) -> str:
        return f"{os.path.basename(self.file)}:{self.line}"

    def __repr__(self):
        return f"Location({self.file!r}, {self.line}, {self.column})"


UNKNOWN = Location("<unknown>", 0)


def _is_internal(filename: str) -> bool:
    if filename.startswith("<"):  # <frozen ...>, <string> from exec is the user's though
        return filename.startswith("<frozen")
    path = os.path.abspath(filename)
    return path.startswith(_PACKAGE_DIR) or path.startswith(_NUMPY_DIR)


_internal_cache: dict[str, bool] = {}
# id(code) -> (code, the start column of each of its instructions). Keyed by id, as hashing a code
# object hashes its constants; the entry holds the code, so the id stays its own. Bounded, for the
# code that exec makes.
_columns_cache: dict[int, tuple] = {}
_COLUMNS_CACHE_SIZE = 1024


def _column(code, lasti: int) -> int:
    entry = _columns_cache.get(id(code))
    if entry is None:
        if len(_columns_cache) >= _COLUMNS_CACHE_SIZE:
            _columns_cache.clear()
        entry = _columns_cache[id(code)] = (code, [p[2] or 0 for p in code.co_positions()])
    columns = entry[1]
    i = lasti // 2  # one position per 2-byte code unit
    return columns[i] if 0 <= i < len(columns) else 0


def user_location() -> Location:
    """The innermost stack frame that belongs to the user's code."""
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        filename = code.co_filename
        internal = _internal_cache.get(filename)
        if internal is None:
            internal = _internal_cache[filename] = _is_internal(filename)
        if not internal:
            return Location(filename, frame.f_lineno, _column(code, frame.f_lasti))
        frame = frame.f_back
    return UNKNOWN
