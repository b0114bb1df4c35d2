"""The runtime's own object loader (cpp/lib/Runtime/ObjectLoader.cpp) and the module split behind it:
objects link without LLVM, a cache hit loads neither the compiler module nor MLIR, and objects the
small linker does not support go to the ORC JIT (or say that they need it)."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

ir = pytest.importorskip("mlir.ir")
passmanager = pytest.importorskip("mlir.passmanager")
_tensorc = pytest.importorskip("tensorc._tensorc", reason="the native module is not built")
from tensorc import _tensorc_rt  # noqa: E402

I64 = np.dtype(np.int64).num
F32 = np.dtype(np.float32).num
MEMREF_PIPELINE = (
    "builtin.module(convert-linalg-to-loops, expand-strided-metadata, lower-affine, "
    "convert-scf-to-cf, finalize-memref-to-llvm, convert-math-to-llvm, convert-arith-to-llvm, "
    "convert-cf-to-llvm, convert-func-to-llvm, convert-index-to-llvm, reconcile-unrealized-casts)"
)


def compile_ir(src, pipeline=MEMREF_PIPELINE):
    with ir.Context():
        module = ir.Module.parse(src)
        if pipeline:
            passmanager.PassManager.parse(pipeline).run(module.operation)
        return _tensorc.compile_object(module)


def run_fresh(script, env_extra=None, cache_dir=None):
    """Run `script` in a fresh interpreter (this test's tensorc on the path); returns its JSON line."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    if cache_dir is not None:
        env["TENSORC_CACHE_DIR"] = str(cache_dir)
        env.pop("TENSORC_CACHE_DISABLE", None)
    env.update(env_extra or {})
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


# A mutable global (.data), a libm call (resolved by handle or the global scope), a call into the
# runtime (memrefCopy, resolved from the runtime's own table) and a constant table (.rodata).
STATEFUL = """
memref.global "private" @counter : memref<1xi64> = dense<41>
memref.global "private" constant @table : memref<4xf32> = dense<[0.5, 1.5, 2.5, 3.5]>
func.func @bump() -> memref<1xi64> attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %one = arith.constant 1 : i64
  %g = memref.get_global @counter : memref<1xi64>
  %v = memref.load %g[%c0] : memref<1xi64>
  %w = arith.addi %v, %one : i64
  memref.store %w, %g[%c0] : memref<1xi64>
  %out = memref.alloc() : memref<1xi64>
  memref.store %w, %out[%c0] : memref<1xi64>
  return %out : memref<1xi64>
}
func.func @expm1_table(%x: memref<?xf32>) -> memref<4xf32> attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %t = memref.get_global @table : memref<4xf32>
  %out = memref.alloc() : memref<4xf32>
  %strided = memref.alloc() : memref<4xf32, strided<[1]>>
  memref.copy %t, %strided : memref<4xf32> to memref<4xf32, strided<[1]>>
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                  iterator_types = ["parallel"]}
      ins(%strided : memref<4xf32, strided<[1]>>) outs(%out : memref<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %x0 = memref.load %x[%c0] : memref<?xf32>
    %s = arith.mulf %a, %x0 : f32
    %e = math.expm1 %s : f32
    linalg.yield %e : f32
  }
  memref.dealloc %strided : memref<4xf32, strided<[1]>>
  return %out : memref<4xf32>
}
"""


def test_writable_data_rodata_libm_and_runtime_calls_link():
    obj = compile_ir(STATEFUL)
    bump = _tensorc_rt.Kernel(obj, "bump", [], [(I64, 1)], [])
    assert [int(bump.call()[0][0]) for _ in range(3)] == [42, 43, 44]  # the global is written in place
    other = _tensorc_rt.Kernel(obj, "bump", [], [(I64, 1)], [])
    assert int(other.call()[0][0]) == 42  # every load has its own copy of the data
    table = _tensorc_rt.Kernel(obj, "expm1_table", [(F32, 1)], [(F32, 1)], [])
    (y,) = table.call(np.array([2.0], np.float32))
    np.testing.assert_allclose(y, np.expm1(np.float32(2) * np.array([0.5, 1.5, 2.5, 3.5], np.float32)),
                               rtol=1e-6)


def test_unresolved_symbol_and_garbage_are_errors_not_crashes():
    unresolved = compile_ir(
        "llvm.func @tensorc_test_missing()\n"
        "llvm.func @_mlir_ciface_main() {\n  llvm.call @tensorc_test_missing() : () -> ()\n  llvm.return\n}",
        pipeline=None)
    with pytest.raises(RuntimeError, match="tensorc_test_missing"):
        _tensorc_rt.Kernel(unresolved, "main", [], [], [])
    with pytest.raises(RuntimeError, match="nope"):
        _tensorc_rt.Kernel(compile_ir(STATEFUL), "nope", [], [], [])
    for garbage in (b"", b"\x7fELF" + b"\0" * 60, os.urandom(4096)):
        with pytest.raises(RuntimeError):
            _tensorc_rt.Kernel(garbage, "main", [], [], [])


# Thread-local storage is outside what the small linker supports: the object goes to the ORC JIT.
TLS = """
llvm.mlir.global external thread_local @tensorc_test_tls(7 : i64) : i64
llvm.func @_mlir_ciface_main() -> i64 {
  %p = llvm.mlir.addressof @tensorc_test_tls : !llvm.ptr
  %v = llvm.load %p : !llvm.ptr -> i64
  llvm.return %v : i64
}
"""


def test_unsupported_object_goes_to_the_orc_jit_or_says_it_needs_it(tmp_path):
    obj = compile_ir(TLS, pipeline=None)
    # Here the compiler module is imported, so its ORC JIT is registered and takes the object.
    assert _tensorc_rt.Kernel(obj, "main", [], [], []).symbol == "main"
    path = tmp_path / "tls.o"
    path.write_bytes(obj)
    result = run_fresh(f"""
        import json, sys
        from tensorc import _tensorc_rt
        obj = open({str(path)!r}, "rb").read()
        try:
            _tensorc_rt.Kernel(obj, "main", [], [], [])
            error = None
        except RuntimeError as e:
            error = str(e)
        print(json.dumps({{"error": error, "needs": _tensorc_rt.NEEDS_FALLBACK_LOADER,
                           "compiler": "tensorc._tensorc" in sys.modules}}))
    """)
    assert not result["compiler"]
    assert result["error"].startswith(result["needs"]) and "thread-local" in result["error"]


CACHE_HIT = """
    import json, sys, time
    t0 = time.perf_counter()
    import numpy as np
    import tensorc as tc
    x = tc.matrix("x", dtype="float32")
    y = tc.vector("y", dtype="float64")
    f = tc.function([x, y], [tc.softmax(x * 2, axis=-1), tc.sum(tc.exp(y) - 1.5)])
    a = np.arange(6, dtype=np.float32).reshape(2, 3) / 7
    b = np.linspace(-1, 1, 5)
    p, s = f(a, b)
    e = np.exp(a * 2 - (a * 2).max(-1, keepdims=True))
    ok = bool(np.allclose(p, e / e.sum(-1, keepdims=True), rtol=1e-6) and np.isclose(s, np.sum(np.exp(b) - 1.5)))
    from tensorc import _tensorc_rt
    print(json.dumps({"ok": ok, "stats": _tensorc_rt.stats(), "seconds": time.perf_counter() - t0,
                      "compiler": "tensorc._tensorc" in sys.modules,
                      "mlir": any(m == "mlir" or m.startswith("mlir.") for m in sys.modules)}))
"""


def test_a_cache_hit_loads_neither_the_compiler_nor_mlir(tmp_path):
    first = run_fresh(CACHE_HIT, cache_dir=tmp_path)
    assert first["ok"] and first["compiler"] and first["stats"]["objects_compiled"] == 1
    second = run_fresh(CACHE_HIT, cache_dir=tmp_path)
    assert second["ok"] and second["stats"]["objects_compiled"] == 0
    assert not second["compiler"] and not second["mlir"]
    # The ORC JIT, forced, loads the same cached object to the same result.
    forced = run_fresh(CACHE_HIT, cache_dir=tmp_path, env_extra={"TENSORC_OBJECT_LOADER": "orc"})
    assert forced["ok"] and forced["compiler"] and forced["stats"]["objects_compiled"] == 0


def test_host_id_is_stable_and_names_the_cpu():
    first = _tensorc_rt.host_id()
    assert first == _tensorc_rt.host_id() and len(first) > 10
    if sys.platform == "linux" and os.uname().machine == "x86_64":
        assert first.startswith("x86_64 ") and ("GenuineIntel" in first or "AuthenticAMD" in first
                                                 or "HygonGenuine" in first or len(first.split()) > 3)


def _rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc (Linux)")
def test_loading_and_releasing_kernels_returns_their_memory():
    obj = compile_ir(STATEFUL)
    for _ in range(50):  # warm up the allocator and the loader's library handles
        _tensorc_rt.Kernel(obj, "bump", [], [(I64, 1)], []).call()
    before = _rss_bytes()
    for _ in range(3000):  # each load maps two pages or more: 3000 leaked loads would be >= 24 MB
        _tensorc_rt.Kernel(obj, "bump", [], [(I64, 1)], []).call()
    assert _rss_bytes() - before < 4 * 2**20
    held = [_tensorc_rt.Kernel(obj, "bump", [], [(I64, 1)], []) for _ in range(300)]
    assert all(int(k.call()[0][0]) == 42 for k in held)
