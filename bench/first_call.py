"""First-call latency of a small function in fresh processes, and where a cold compile spends it.

    python bench/first_call.py            # 5 rounds each: import, cold first call, cached first call
    python bench/first_call.py --stages   # also the time of each compilation step (one process)

A round is a fresh interpreter that imports NumPy, then tensorc (timed), then traces, compiles and
calls `@tc.compile def f(x): return tc.tanh(x) * 2 + 1` on 1000 float32 (timed). "cold" uses an
empty cache directory, "cached" the directory the cold round filled. Medians are reported, and
whether the MLIR bindings or the compiler module were loaded by a cached round (they must not be).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROUND = r"""
import json, sys, time
import numpy as np
t0 = time.perf_counter()
import tensorc as tc
t1 = time.perf_counter()

@tc.compile
def f(x):
    return tc.tanh(x) * 2 + 1

x = np.linspace(-1, 1, 1000, dtype=np.float32)
y = f(x)
t2 = time.perf_counter()
assert np.allclose(y, np.tanh(x) * 2 + 1, atol=1e-6)
print(json.dumps({"import": t1 - t0, "first": t2 - t1, "mlir": "mlir.ir" in sys.modules,
                  "compiler": "tensorc._tensorc" in sys.modules}))
"""

STAGES = r"""
import json, time
import numpy as np
import tensorc as tc
from tensorc import _tensorc
from tensorc.runtime import compiler
from tensorc.passes.pipelines import stage_pipelines, stages

x = tc.vector("x", dtype="float32")
t = time.perf_counter(); text = tc.function([x], tc.tanh(x) * 2 + 1).program.mlir(0); out = {"emit": time.perf_counter() - t}
from mlir import ir, passmanager
from tensorc.dialect import new_context
pipes = stage_pipelines(None, blas=True)
ctx = new_context()
with ctx:
    t = time.perf_counter(); module = ir.Module.parse(text); out["parse"] = time.perf_counter() - t
    for stage in stages()[1:]:
        t = time.perf_counter(); passmanager.PassManager.parse(pipes[stage]).run(module.operation)
        out["stage " + stage] = time.perf_counter() - t
    for level in (0, 1, 2, 3):
        t = time.perf_counter(); _tensorc.compile_object(module, opt_level=level)
        out[f"llvm -O{level}"] = time.perf_counter() - t
print(json.dumps(out))
"""


def run(code, cache):
    env = dict(os.environ, TENSORC_CACHE_DIR=cache)
    env.pop("TENSORC_CACHE_DISABLE", None)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    if proc.returncode:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--stages", action="store_true")
    a = ap.parse_args()
    cold, cached = [], []
    for _ in range(a.rounds):
        with tempfile.TemporaryDirectory() as cache:
            cold.append(run(ROUND, cache))
            cached.append(run(ROUND, cache))
    ms = lambda rs, k: 1e3 * statistics.median(r[k] for r in rs)  # noqa: E731
    print(f"import tensorc (after numpy): {ms(cold + cached, 'import'):7.1f} ms")
    print(f"first call, cold cache:       {ms(cold, 'first'):7.1f} ms")
    print(f"first call, cached:           {ms(cached, 'first'):7.1f} ms  (MLIR loaded: "
          f"{any(r['mlir'] for r in cached)}, compiler module loaded: {any(r['compiler'] for r in cached)})")
    if a.stages:
        with tempfile.TemporaryDirectory() as cache:
            for k, v in run(STAGES, cache).items():
                print(f"  {k:<22} {1e3 * v:7.1f} ms")


if __name__ == "__main__":
    main()
