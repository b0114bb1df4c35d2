"""The derandomized slice of the differential fuzzer (tests/fuzz/), run in CI.

A fixed range of seeds (SEEDS), in CHUNKS parametrized chunks so that `pytest -n 2` spreads them.
Each chunk runs `python -m tests.fuzz.campaign` in a subprocess, whose workers are subprocesses too,
so an abort or a segfault in tensorc fails the chunk with the seed that caused it instead of killing
pytest. A chunk fails when any case is wrong, rejected, crashed, hung, or succeeded where NumPy
raised (or raised something unclear where NumPy raised); the failure message lists each distinct
finding once, with the seeds it hit and a reproducer to paste.

Measured on the 2-core development machine with a cold compile cache: about 0.6 s of CPU per seed
(three entry points, two calls each, every specialization compiled); SEEDS = 300 took 2 min 25 s with
`pytest -n 2` (3 min 30 s while another 2-worker campaign and C++ builds shared the machine), about
twice that with plain `pytest`. A warm TENSORC_CACHE_DIR makes it several times faster.

Run one seed by hand: `python -m tests.fuzz.campaign --seeds 123:124 --jobs 1` (from the repository
root), or a larger campaign: `python -m tests.fuzz.campaign --seeds 0:5000 --jobs 2 --out report.json
--md report.md --reduce`.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import requires_native

ROOT = Path(__file__).resolve().parents[2]
SEEDS = range(0, 300)
CHUNKS = 6
TIMEOUT_PER_CASE = 90  # seconds; a case that runs longer is a "hang" finding
FAILING = ("crash", "hang", "wrong", "rejected", "numpy-error-but-tensorc-succeeded", "numpy-error-unclear",
           "fuzzer-error")


def _chunks():
    seeds = list(SEEDS)
    size = -(-len(seeds) // CHUNKS)
    return [(seeds[i], seeds[min(i + size, len(seeds)) - 1] + 1) for i in range(0, len(seeds), size)]


def _format(findings, limit=12):
    out = []
    for f in findings[:limit]:
        out.append(f"--- {f['class']}: {f['signature'][:300]}\n    seeds {f['seeds'][:10]} "
                   f"({f['count']} cases), at {', '.join(f['where'][:6])}\n{f['detail'][:800]}\n"
                   f"reproducer (seed {f['seeds'][0]}):\n{f['reproducer'][:3000]}")
    if len(findings) > limit:
        out.append(f"... and {len(findings) - limit} more distinct findings")
    return "\n".join(out)


@requires_native
@pytest.mark.parametrize("start,stop", _chunks(), ids=lambda v: str(v))
def test_fuzz_slice(start, stop, tmp_path):
    report = tmp_path / "report.json"
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("TENSORC_CACHE_DIR", str(tmp_path / "cache"))
    cmd = [sys.executable, "-m", "tests.fuzz.campaign", "--seeds", f"{start}:{stop}", "--jobs", "1",
           "--timeout", str(TIMEOUT_PER_CASE), "--out", str(report), "--quiet"]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT_PER_CASE * (stop - start) + 120)
    assert report.exists(), f"the campaign runner itself failed (rc {proc.returncode}):\n{proc.stderr[-4000:]}"
    data = json.loads(report.read_text())
    assert data["cases"] == stop - start, f"only {data['cases']} of {stop - start} seeds ran:\n{proc.stderr[-2000:]}"
    bad = [f for f in data["findings"] if f["class"] in FAILING]
    counts = ", ".join(f"{k} {v}" for k, v in data["counts"].items())
    assert not bad, (f"seeds {start}:{stop}: {counts}; {len(bad)} distinct findings:\n" + _format(bad))


@requires_native
@pytest.mark.parametrize("seed", [5550, 5657])
def test_exact_value_rewrites_are_stabilized_not_wrong(seed):
    # log(sigmoid(a)) and log(exp(a)) of huge int64 a: tensorc's rewrites give the exact value where
    # NumPy's step-by-step evaluation gives -inf/inf; the oracle checks that the same graph without
    # those rewrites matches NumPy, and reports "stabilized" (not failing).
    if str(ROOT) not in sys.path:  # plain `pytest` puts tests/ on the path, not the repository root
        sys.path.insert(0, str(ROOT))
    from tests.fuzz.generator import make_case
    from tests.fuzz.oracle import FAILING, run_case
    outcomes, cls = run_case(make_case(seed))
    assert cls == "stabilized" and "stabilized" not in FAILING
    assert any(o.cls == "stabilized" and "only through" in o.detail for o in outcomes)
