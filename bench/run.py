"""Run the benchmark workloads with tensorc beside its peers, in one run, and print ratios.

    python bench/run.py                      # every workload, every installed peer
    python bench/run.py -w "W1 4M" -w W6     # some workloads
    python bench/run.py --threads 2          # let every peer use two threads

Each (workload, peer) pair runs in a fresh process held to the same CPU set (os.sched_setaffinity, which
also holds JAX, whose thread flags do not), with glibc's mmap/trim thresholds at 1 GiB so that eager peers
do not page-fault large temporaries on every call (docs/WORKLOADS.md). Results are checked
against a float64 NumPy reference. Reported: the median time per call (p10 for W6, in microseconds) and
the ratio peer/tensorc (above 1: tensorc is faster).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = ("numpy", "tensorc", "jax", "pytensor", "torch", "torch.compile")


def _time_calls(fn, args, budget=1.0, min_rounds=5):
    """Per-call times: calls are batched so that each sample lasts at least ~1 ms."""
    fn(*args)
    t0 = time.perf_counter()
    fn(*args)
    one = max(time.perf_counter() - t0, 1e-7)
    batch = max(1, int(1e-3 / one))
    samples, start = [], time.perf_counter()
    while len(samples) < min_rounds or time.perf_counter() - start < budget:
        t0 = time.perf_counter()
        for _ in range(batch):
            fn(*args)
        samples.append((time.perf_counter() - t0) / batch)
        if len(samples) > 2000:
            break
    return samples


def set_threads(n, peer):
    """Thread counts that environment variables do not reach (PyTorch)."""
    if not peer.startswith("torch"):
        return
    try:
        import torch

        torch.set_num_threads(n)
    except ImportError:
        pass


def child(workload, peer):
    sys.path.insert(0, HERE)
    from workloads import WORKLOADS

    w = WORKLOADS[workload]
    args = w["inputs"]()
    t0 = time.perf_counter()
    fn = w[peer]()
    out = fn(*args)
    if hasattr(out, "block_until_ready"):
        out.block_until_ready()
    first = time.perf_counter() - t0
    ref = w["ref"](*[a.astype(np.float64) if a.dtype.kind == "f" else a for a in args])
    got = np.asarray(out, dtype=np.float64)
    ok = bool(got.shape == np.shape(ref) and np.all(np.isfinite(got))
              and np.allclose(got, ref, rtol=w.get("rtol", 1e-4), atol=1e-4))
    if peer == "jax":
        call = lambda *a: fn(*a).block_until_ready()  # noqa: E731
    else:
        call = fn
    samples = sorted(_time_calls(call, args))
    print(json.dumps(dict(median=statistics.median(samples), p10=samples[len(samples) // 10], first=first, ok=ok)))


def run_pair(workload, peer, cpus):
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_="1073741824", MALLOC_TRIM_THRESHOLD_="1073741824",
               OMP_NUM_THREADS=str(len(cpus)), TENSORC_NUM_THREADS=str(len(cpus)), OPENBLAS_NUM_THREADS=str(len(cpus)), MKL_NUM_THREADS=str(len(cpus)),
               XLA_FLAGS=os.environ.get("XLA_FLAGS", "") + (" --xla_cpu_multi_thread_eigen=false" if len(cpus) == 1 else ""))
    code = ("import os, sys; os.sched_setaffinity(0, %r); sys.path.insert(0, %r); import run; "
            "run.set_threads(%d, %r); run.child(%r, %r)" % (set(cpus), HERE, len(cpus), peer, workload, peer))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=900)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return dict(error=last[:100])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def available(peer):
    mod = {"numpy": "numpy", "tensorc": "tensorc", "jax": "jax", "pytensor": "pytensor", "torch": "torch",
           "torch.compile": "torch"}[peer]
    try:
        __import__(mod)
        return True
    except Exception:
        return False


def main():
    sys.path.insert(0, HERE)
    from workloads import WORKLOADS

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-w", "--workload", action="append", choices=list(WORKLOADS), help="workloads (default: all)")
    ap.add_argument("-p", "--peer", action="append", choices=PEERS, help="peers (default: all installed)")
    ap.add_argument("--threads", type=int, default=1, help="CPUs each peer may use (default 1)")
    ap.add_argument("--json", help="also write the raw results to this file")
    a = ap.parse_args()
    cpus = sorted(os.sched_getaffinity(0))[: a.threads]
    peers = [p for p in (a.peer or PEERS) if available(p)]
    results = {}
    print(f"{'workload':<14}" + "".join(f"{p:>20}" for p in peers))
    for wname in a.workload or list(WORKLOADS):
        w = WORKLOADS[wname]
        row = {p: run_pair(wname, p, cpus) for p in peers if p in w}
        results[wname] = row
        us = w.get("unit") == "us"
        base = row.get("tensorc", {}).get("p10" if us else "median")
        cells = []
        for p in peers:
            r = row.get(p)
            if r is None:
                cells.append(f"{'-':>20}")
            elif "error" in r:
                cells.append(f"{'error':>20}")
            else:
                t = r["p10" if us else "median"] * (1e6 if us else 1e3)
                ratio = f" x{r['p10' if us else 'median'] / base:.2f}" if base else ""
                mark = "" if r["ok"] else " WRONG"
                cells.append(f"{t:>9.3f}{'us' if us else 'ms'}{ratio:>7}{'!' if mark else ''}".rjust(20))
        print(f"{wname:<14}" + "".join(cells), flush=True)
    print("\ntimes: median per call (W6: p10, microseconds); xN = peer time / tensorc time "
          f"(above 1: tensorc faster); {len(cpus)} thread(s); ! = not finite or differs from the float64 reference")
    for wname, row in results.items():
        for p, r in row.items():
            if "error" in r:
                print(f"  {wname} / {p}: {r['error']}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
