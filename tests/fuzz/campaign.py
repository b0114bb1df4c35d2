"""Run fuzz seeds in worker processes and write a report.

    python -m tests.fuzz.campaign --seeds 0:2000 --jobs 2 --out report.json [--reduce] [--md report.md]

Each worker is a subprocess (`--worker`) that runs one seed at a time (oracle.run_case) and is
replaced after --batch seeds, and right after any seed where tensorc raised from compiled code (a
failed run-time check can leave the heap corrupted, and the crash would then be blamed on the next
seed). The runner tells it which seed to run and reads back, line by line,
which stage it is in (building or calling which entry point) and the result. When a worker dies the
seed it was running is a "crash" finding, with the signal, the stage and the end of its stderr; the
runner starts a new worker and goes on. A seed that runs past --timeout seconds is a "hang" finding
(its worker is killed).

Findings are deduplicated by a signature: the class and the error message with numbers, names and
source locations stripped (for wrong values: the kind of mismatch and the op that computes the
output). With --reduce, the first seed of each signature is reduced: every node of its graph is tried
as the only output (only the entry point and calls that failed), and the smallest sub-program that
fails the same way becomes the finding's reproducer; wrong-value findings are then re-keyed by the
op at which the results first diverge.

Run with TENSORC_CACHE_DIR pointing at a scratch directory (or TENSORC_CACHE_DISABLE=1).
"""
from __future__ import annotations

import argparse
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, OrderedDict
from pathlib import Path

from .generator import make_case, subcase
from .oracle import FAILING, SEVERITY, normalize_message, reproducer

ROOT = Path(__file__).resolve().parents[2]


# ---- the worker ---------------------------------------------------------------------------------------

def worker_main():
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # whatever native code prints goes to stderr, not into the protocol
    sys.stdout = sys.stderr
    from . import oracle

    def send(msg):
        proto.write(json.dumps(msg) + "\n")
        proto.flush()

    send({"event": "ready"})
    for line in sys.stdin:
        job = json.loads(line)
        seed = job["seed"]
        start = time.time()
        print(f"=== seed {seed} job {job.get('id')}", file=sys.stderr, flush=True)

        def progress(stage, _seed=seed):
            send({"event": "stage", "stage": stage})
        try:
            case = make_case(seed)
            if job.get("outputs"):
                case = subcase(case, job["outputs"])
            flavors = job.get("flavors") or oracle.FLAVORS
            calls = tuple(job.get("calls") or (0, 1))
            outcomes, cls = oracle.run_case(case, progress, flavors, calls)
            result = {"event": "result", "id": job.get("id"), "seed": seed, "class": cls,
                      "outcomes": [o.as_dict() for o in outcomes],
                      "findings": oracle.findings(case, outcomes),
                      "nodes": len(case.needed()), "numpy_error": case.numpy_error,
                      "time": round(time.time() - start, 3),
                      # compiled code that failed a run-time check may have corrupted the heap (seen on
                      # main): a fresh worker keeps a later crash from being blamed on the next seed
                      "restart": any("(calling)" in o.detail for o in outcomes)}
        except Exception as e:  # noqa: BLE001 (a bug of the fuzzer itself)
            import traceback
            result = {"event": "result", "id": job.get("id"), "seed": seed, "class": "fuzzer-error",
                      "outcomes": [], "findings": [{"class": "fuzzer-error", "signature": "fuzzer-error:"
                                                    + normalize_message(f"{type(e).__name__}: {e}"),
                                                    "where": [], "detail": traceback.format_exc(),
                                                    "reproducer": ""}],
                      "nodes": 0, "numpy_error": False, "time": round(time.time() - start, 3)}
        send(result)


# ---- the runner ---------------------------------------------------------------------------------------

class Worker:
    def __init__(self, index, logdir, env):
        self.index = index
        self.log_path = Path(logdir) / f"worker{index}-{time.time_ns()}.log"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.fuzz.campaign", "--worker"],
                                     cwd=str(ROOT), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log, env=env, start_new_session=True)
        self.buf = b""
        self.job = None
        self.started = None
        self.stage = None
        self.done = 0
        self.ready = False
        self.log_offset = 0

    def send(self, job):
        self.job = job
        self.started = time.time()
        self.stage = "generate"
        self.log.flush()
        self.log_offset = self.log_path.stat().st_size
        self.proc.stdin.write((json.dumps(job) + "\n").encode())
        self.proc.stdin.flush()

    def stderr_tail(self, n=8000):
        try:
            data = self.log_path.read_bytes()[self.log_offset:]
        except OSError:
            return ""
        return data[-n:].decode(errors="replace")

    def kill(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
        self.log.close()
        try:
            self.log_path.unlink()
        except OSError:
            pass


def _signal_name(rc):
    if rc is None:
        return "unknown"
    if rc < 0:
        try:
            return signal.Signals(-rc).name
        except ValueError:
            return f"signal {-rc}"
    return f"exit status {rc}"


def _where(stage):
    """'function:call1' -> ('function', 1)."""
    if not stage or ":" not in stage:
        return "function", 0
    flavor, step = stage.split(":", 1)
    call = 1 if step.endswith("1") else 0
    return flavor, call


def crash_line(tail: str) -> str:
    """The line of a dead worker's stderr that says what happened: the last line before Python's
    "Fatal Python error" report (an assertion, "double free or corruption", "LLVM ERROR: ..."), else
    that report's first line."""
    lines = [ln.strip() for ln in tail.splitlines()]
    fatal = next((i for i, ln in enumerate(lines) if ln.startswith("Fatal Python error")), None)
    before = lines[:fatal] if fatal is not None else lines
    before = [ln for ln in before if ln and not ln.startswith("=== seed")]
    if before:
        return before[-1]
    return lines[fatal] if fatal is not None else ""


def _death_finding(job, stage, kind, detail, tail):
    flavor, call = _where(stage)
    last_line = crash_line(tail)
    case = make_case(job["seed"])
    if job.get("outputs"):
        case = subcase(case, job["outputs"])
    cls = kind
    step = (stage or "?").split(":")[-1].rstrip("01")
    sig = f"{cls}:{detail}:{step}:{normalize_message(last_line)}" if cls == "crash" else f"{cls}:{step}"
    return {"class": cls, "signature": sig, "where": [stage or "?"],
            "detail": f"{detail} while in stage {stage}: {last_line}\nstderr ends with:\n{tail.strip()[-2500:]}",
            "flavor": flavor, "call": call, "reproducer": reproducer(case, flavor, call)}


def run_jobs(jobs, n_workers, timeout, batch, on_result, env, logdir, deadline=None):
    """Run jobs (dicts with "seed") on a pool of workers; on_result(job, result) for each. After the
    wall-clock `deadline` (time.time() value) no new job starts; the running ones finish."""
    pending = list(jobs)[::-1]
    workers = [None] * n_workers
    sel = selectors.DefaultSelector()

    def start(i):
        w = Worker(i, logdir, env)
        workers[i] = w
        sel.register(w.proc.stdout, selectors.EVENT_READ, w)
        return w

    def retire(w, replace=True):
        sel.unregister(w.proc.stdout)
        w.close()
        workers[w.index] = None
        if replace and pending:
            start(w.index)

    def dispatch(w):
        if w.done >= batch:
            retire(w)
            return
        if pending:
            w.send(pending.pop())
        else:
            retire(w, replace=False)

    for i in range(min(n_workers, max(len(pending), 1))):
        start(i)
    while any(w is not None for w in workers):
        if deadline is not None and time.time() > deadline and pending:
            pending.clear()
        events = sel.select(timeout=1.0)
        for key, _ in events:
            w = key.data
            chunk = os.read(w.proc.stdout.fileno(), 1 << 16)
            if not chunk:  # the worker died
                w.proc.wait()
                rc = w.proc.returncode
                if w.job is not None:
                    tail = w.stderr_tail()
                    f = _death_finding(w.job, w.stage, "crash", _signal_name(rc), tail)
                    on_result(w.job, {"seed": w.job["seed"], "class": "crash", "findings": [f], "outcomes": [],
                                      "time": round(time.time() - w.started, 3)})
                    w.job = None
                retire(w)
                continue
            w.buf += chunk
            while b"\n" in w.buf:
                line, w.buf = w.buf.split(b"\n", 1)
                msg = json.loads(line)
                if msg["event"] == "ready":
                    w.ready = True
                    dispatch(w)
                elif msg["event"] == "stage":
                    w.stage = msg["stage"]
                elif msg["event"] == "result":
                    job, w.job = w.job, None
                    w.done += 1
                    on_result(job, msg)
                    if msg.get("restart"):
                        w.done = batch  # replaced before its next seed
                    if workers[w.index] is w:
                        dispatch(w)
        now = time.time()
        for w in list(workers):
            if w is not None and w.job is not None and now - w.started > timeout:
                job = w.job
                f = _death_finding(job, w.stage, "hang", f"no result after {timeout:.0f} s", w.stderr_tail())
                w.job = None
                on_result(job, {"seed": job["seed"], "class": "hang", "findings": [f], "outcomes": [],
                                "time": round(now - w.started, 3)})
                w.kill()
                retire(w)


def parse_seeds(text):
    seeds = []
    for part in text.split(","):
        if ":" in part:
            a, b = part.split(":")
            seeds += list(range(int(a), int(b)))
        elif part:
            seeds.append(int(part))
    return seeds


def worker_env():
    env = dict(os.environ)
    if "TENSORC_CACHE_DIR" not in env and "TENSORC_CACHE_DISABLE" not in env:
        env["TENSORC_CACHE_DIR"] = os.path.join(tempfile.gettempdir(), "fuzzcache")
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("PYTHONFAULTHANDLER", "1")
    return env


def campaign(seeds, n_workers=2, timeout=60.0, batch=50, progress=True, deadline=None):
    """Run seeds; returns (per-seed results, findings grouped by signature)."""
    results = {}
    groups: "OrderedDict[str, dict]" = OrderedDict()
    t0 = time.time()
    jobs = [{"id": i, "seed": s} for i, s in enumerate(seeds)]

    def on_result(job, res):
        seed = job["seed"]
        results[seed] = res
        for f in res.get("findings", []):
            g = groups.get(f["signature"])
            if g is None:
                g = groups[f["signature"]] = dict(f, count=0, seeds=[])
            g["count"] += 1
            if len(g["seeds"]) < 50:
                g["seeds"].append(seed)
        if progress:
            n = len(results)
            if n % 25 == 0 or res["class"] in ("crash", "hang"):
                c = Counter(r["class"] for r in results.values())
                print(f"[{time.time() - t0:7.1f}s] {n}/{len(seeds)} {dict(c)} signatures={len(groups)}"
                      + (f"  seed {seed}: {res['class']}" if res["class"] in ("crash", "hang") else ""),
                      file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="fuzzlogs") as logdir:
        run_jobs(jobs, n_workers, timeout, batch, on_result, worker_env(), logdir, deadline)
    return results, groups


def _same_failure(ref, f):
    if ref["class"] != f["class"]:
        return False
    if ref["class"] == "wrong":
        return ref["signature"].split(":")[1] == f["signature"].split(":")[1]
    if ref["class"] == "crash":
        return ref["signature"].split(":")[1] == f["signature"].split(":")[1]
    return ref["signature"] == f["signature"]


def reduce_findings(groups, n_workers, timeout, batch, max_signatures=80, deadline=None):
    """Reduce the first seed of each signature to its smallest failing sub-program (see the docstring)."""
    jobs, owners = [], {}
    for sig, g in list(groups.items())[:max_signatures]:
        seed = g["seeds"][0]
        case = make_case(seed)
        flavor, call = g.get("flavor", "function"), g.get("call", 0)
        for node in case.needed():
            if node.name in case.outputs and len(case.outputs) == 1:
                continue
            job = {"id": len(jobs), "seed": seed, "outputs": [node.name], "flavors": [flavor],
                   "calls": list(range(call + 1))}
            owners[job["id"]] = (sig, node.name, len(subcase(case, [node.name]).nodes))
            jobs.append(job)
    found = {}

    def on_result(job, res):
        sig, name, size = owners[job["id"]]
        for f in res.get("findings", []):
            if _same_failure(groups[sig], f):
                best = found.get(sig)
                if best is None or size < best[0]:
                    found[sig] = (size, name, f)
                break

    with tempfile.TemporaryDirectory(prefix="fuzzlogs") as logdir:
        run_jobs(jobs, n_workers, timeout, batch, on_result, worker_env(), logdir, deadline)
    for sig, (size, name, f) in found.items():
        g = groups[sig]
        g["reduced"] = {"output": name, "nodes": size, "signature": f["signature"], "detail": f["detail"],
                        "reproducer": f["reproducer"]}
    # wrong values: key by the op where they first diverge
    regrouped = OrderedDict()
    for sig, g in groups.items():
        key = g["reduced"]["signature"] if g["class"] == "wrong" and "reduced" in g else sig
        if key in regrouped:
            r = regrouped[key]
            r["count"] += g["count"]
            r["seeds"] = (r["seeds"] + g["seeds"])[:50]
            r.setdefault("merged", []).append(sig)
        else:
            regrouped[key] = dict(g, signature=key)
    return regrouped


def write_markdown(report, path):
    lines = [f"# Fuzz campaign: seeds {report['seeds']}", "",
             f"{report['cases']} cases in {report['wall_s']:.0f} s with {report['jobs']} workers.", "",
             "| class | cases |", "|---|---|"]
    for cls, n in report["counts"].items():
        lines.append(f"| {cls} | {n} |")
    lines += ["", f"## {len(report['findings'])} distinct findings", ""]
    for k, f in enumerate(report["findings"], 1):
        lines += [f"### {k}. {f['signature']}", "",
                  f"class {f['class']}, {f['count']} cases, seeds {f['seeds'][:12]}, where {f['where']}", "",
                  "```", f["detail"][:1500], "```", ""]
        rep = f.get("reduced", {}).get("reproducer") or f.get("reproducer", "")
        if rep:
            lines += ["```python", rep[:6000], "```", ""]
    Path(path).write_text("\n".join(lines))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--seeds", default="0:200", help="a:b (half-open), or a comma list of both forms")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--timeout", type=float, default=90.0, help="seconds per case before it is a hang")
    ap.add_argument("--batch", type=int, default=50, help="seeds per worker before it is replaced")
    ap.add_argument("--out", default=None, help="JSON report")
    ap.add_argument("--md", default=None, help="Markdown report")
    ap.add_argument("--reduce", action="store_true", help="reduce the first seed of each signature")
    ap.add_argument("--max-time", type=float, default=None,
                    help="seconds of wall time after which no new seed starts (the report covers the seeds run)")
    ap.add_argument("--reduce-time", type=float, default=600.0, help="wall-time budget of --reduce (seconds)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.worker:
        worker_main()
        return 0
    seeds = parse_seeds(args.seeds)
    t0 = time.time()
    deadline = t0 + args.max_time if args.max_time else None
    results, groups = campaign(seeds, args.jobs, args.timeout, args.batch, progress=not args.quiet,
                               deadline=deadline)
    wall = time.time() - t0
    if args.reduce and groups:
        groups = reduce_findings(groups, args.jobs, args.timeout, args.batch,
                                 deadline=time.time() + args.reduce_time)
    counts = Counter(r["class"] for r in results.values())
    ordered = OrderedDict((c, counts[c]) for c in SEVERITY + ["fuzzer-error"] if counts.get(c))
    findings = sorted(groups.values(), key=lambda g: (SEVERITY.index(g["class"]) if g["class"] in SEVERITY
                                                       else -1, -g["count"]))
    ran = sorted(results)
    report = {"seeds": args.seeds, "ran": f"{ran[0]}..{ran[-1]}" if ran else "", "cases": len(results), "jobs": args.jobs, "wall_s": round(wall, 1),
              "reduce_wall_s": round(time.time() - t0 - wall, 1), "counts": ordered,
              "findings": findings,
              "classes": {str(s): r["class"] for s, r in sorted(results.items())},
              "numpy_error_cases": sum(1 for r in results.values() if r.get("numpy_error")),
              "case_time_s": {str(s): r.get("time") for s, r in sorted(results.items())}}
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=1, default=str))
    if args.md:
        write_markdown(report, args.md)
    if not args.quiet:
        print(f"{len(results)} cases in {wall:.1f} s: {dict(ordered)}")
        for f in findings:
            print(f"  {f['count']:5d}  {f['signature'][:150]}   (seeds {f['seeds'][:5]})")
    failing = sum(n for c, n in counts.items() if c in FAILING or c == "fuzzer-error")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
