"""The on-disk object cache: format, integrity, permissions, configuration, and a real reuse across
two processes (the second one loads the cached object and runs it without compiling)."""

import json
import os
import stat
import subprocess
import sys
import textwrap

import pytest

from tensorc.runtime import cache


@pytest.fixture
def cache_env(tmp_path, monkeypatch):
    """A private cache directory for the test, with the cache enabled."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("TENSORC_CACHE_DIR", str(directory))
    monkeypatch.delenv("TENSORC_CACHE_DISABLE", raising=False)
    return directory


def test_key_is_deterministic_and_separates_parts():
    k = cache.key("ir text", b"\x00\x01", "22.1.8")
    assert k == cache.key("ir text", b"\x00\x01", "22.1.8")
    assert len(k) == 64 and all(c in "0123456789abcdef" for c in k)
    assert cache.key("ab", "c") != cache.key("a", "bc")  # length-prefixed parts
    assert cache.key("x") != cache.key(b"x")  # typed parts
    assert cache.key("x") != cache.key("x", "")
    with pytest.raises(TypeError):
        cache.key(3)


def test_roundtrip(cache_env):
    k = cache.key("roundtrip")
    assert cache.load(k) is None  # miss before the directory even exists
    obj = bytes(range(256)) * 40
    meta = {"symbol": "f", "outputs": [[11, 2]], "messages": ["bad {0}"]}
    assert cache.store(k, obj, meta)
    assert cache.load(k) == (obj, meta)
    assert cache.entry_path(k).startswith(str(cache_env))
    # Overwrite with a new entry under the same key.
    assert cache.store(k, b"new", {})
    assert cache.load(k) == (b"new", {})
    # No temporary files are left behind.
    assert sorted(os.listdir(cache_env)) == [k + ".tco"]


def test_store_rejects_non_keys(cache_env):
    with pytest.raises(ValueError):
        cache.store("../../etc/passwd", b"x", {})
    assert cache.load("../../etc/passwd") is None
    with pytest.raises(TypeError):
        cache.store(cache.key("m"), b"x", {"not json": object()})


def test_truncated_or_corrupt_entries_are_misses(cache_env):
    k = cache.key("corrupt")
    obj, meta = b"\x7fELF" + b"o" * 500, {"symbol": "g"}
    cache.store(k, obj, meta)
    path = cache.entry_path(k)
    good = open(path, "rb").read()

    def write(data):
        with open(path, "wb") as f:
            f.write(data)

    for cut in [0, 1, 15, 16, 40, len(good) // 2, len(good) - 33, len(good) - 1]:
        write(good[:cut])
        assert cache.load(k) is None, f"truncated to {cut}"
    for pos in [0, 17, 25, 90, 200, len(good) - 40, len(good) - 1]:
        flipped = bytearray(good)
        flipped[pos] ^= 0x40
        write(bytes(flipped))
        assert cache.load(k) is None, f"byte {pos} flipped"
    write(good + b"trailing")
    assert cache.load(k) is None
    # The caller recompiles and stores again: the entry is good again.
    cache.store(k, obj, meta)
    assert cache.load(k) == (obj, meta)


def test_entry_under_another_key_is_a_miss(cache_env):
    a, b = cache.key("a"), cache.key("b")
    cache.store(a, b"object a", {})
    os.replace(cache.entry_path(a), cache.entry_path(b))
    assert cache.load(b) is None
    assert cache.load(a) is None


def test_permissions(cache_env):
    k = cache.key("perm")
    cache.store(k, b"x", {})
    assert stat.S_IMODE(os.stat(cache_env).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(cache.entry_path(k)).st_mode) == 0o600


def test_existing_wide_directory_is_made_private(cache_env):
    os.makedirs(cache_env)
    os.chmod(cache_env, 0o755)
    cache.store(cache.key("wide"), b"x", {})
    assert stat.S_IMODE(os.stat(cache_env).st_mode) == 0o700
    os.chmod(cache_env, 0o777)
    assert cache.load(cache.key("wide")) == (b"x", {})
    assert stat.S_IMODE(os.stat(cache_env).st_mode) == 0o700


def test_directory_selection(tmp_path, monkeypatch):
    monkeypatch.delenv("TENSORC_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == str(tmp_path / "xdg" / "tensorc")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == str(tmp_path / "home" / ".cache" / "tensorc")
    monkeypatch.setenv("TENSORC_CACHE_DIR", str(tmp_path / "explicit"))
    assert cache.cache_dir() == str(tmp_path / "explicit")
    k = cache.key("where")
    cache.store(k, b"here", {})
    assert os.path.exists(tmp_path / "explicit" / (k + ".tco"))


def test_disable(cache_env, monkeypatch):
    k = cache.key("disabled")
    cache.store(k, b"x", {})
    monkeypatch.setenv("TENSORC_CACHE_DISABLE", "1")
    assert not cache.enabled()
    assert cache.load(k) is None
    assert cache.store(cache.key("other"), b"y", {}) is False
    assert not os.path.exists(cache.entry_path(cache.key("other")))


def test_unusable_directory_warns_and_continues(tmp_path, monkeypatch):
    # A cache path below a regular file can never be created (even by root): storing must only warn,
    # loading must miss.
    blocker = tmp_path / "not-a-directory"
    blocker.write_bytes(b"")
    monkeypatch.setenv("TENSORC_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.delenv("TENSORC_CACHE_DISABLE", raising=False)
    with pytest.warns(RuntimeWarning, match="tensorc cache disabled"):
        assert cache.store(cache.key("nowhere"), b"x", {}) is False
    assert cache.load(cache.key("nowhere")) is None


def test_foreign_directory_is_not_used(cache_env, monkeypatch):
    # Objects from the cache are executed: a directory owned by someone else must be ignored.
    os.makedirs(cache_env, mode=0o700)
    k = cache.key("foreign")
    cache.store(k, b"x", {})
    monkeypatch.setattr(os, "getuid", lambda: os.stat(cache_env).st_uid + 1)
    with pytest.warns(RuntimeWarning, match="another user"):
        assert cache.load(k) is None
        assert cache.store(k, b"y", {}) is False


# The script run twice in fresh processes: the first compiles and stores, the second must find the
# object in the cache and run it with no compilation at all (stats() counts compile_object calls).
TWO_PROCESS_SCRIPT = textwrap.dedent(
    r'''
    import json, sys
    import numpy as np
    from tensorc import _tensorc, _tensorc_rt
    from tensorc.runtime import cache

    IR = """
    #id = affine_map<(d0) -> (d0)>
    func.func @axpy(%x: tensor<?xf64> {bufferization.writable = false},
                    %y: tensor<?xf64> {bufferization.writable = false}) -> tensor<?xf64>
        attributes {llvm.emit_c_interface} {
      %c0 = arith.constant 0 : index
      %a = arith.constant 3.0 : f64
      %n = tensor.dim %x, %c0 : tensor<?xf64>
      %init = tensor.empty(%n) : tensor<?xf64>
      %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
          ins(%x, %y : tensor<?xf64>, tensor<?xf64>) outs(%init : tensor<?xf64>) {
      ^bb0(%u: f64, %v: f64, %o: f64):
        %m = arith.mulf %a, %u : f64
        %s = arith.addf %m, %v : f64
        linalg.yield %s : f64
      } -> tensor<?xf64>
      return %r : tensor<?xf64>
    }
    """
    PIPELINE = ("builtin.module(one-shot-bufferize{bufferize-function-boundaries "
        "function-boundary-type-conversion=identity-layout-map}, buffer-deallocation-pipeline, "
        "convert-linalg-to-loops, expand-strided-metadata, lower-affine, convert-scf-to-cf, "
        "finalize-memref-to-llvm, convert-math-to-llvm, convert-arith-to-llvm, convert-cf-to-llvm, "
        "convert-func-to-llvm, convert-index-to-llvm, reconcile-unrealized-casts)")

    k = cache.key(IR, PIPELINE, "tensorc-test", _tensorc.llvm_version(), _tensorc.host_cpu())
    hit = cache.load(k)
    if hit is None:
        import mlir.ir as ir, mlir.passmanager as pm
        with ir.Context():
            module = ir.Module.parse(IR)
            pm.PassManager.parse(PIPELINE).run(module.operation)
            obj = _tensorc.compile_object(module)
        meta = {"symbol": "axpy", "in": [[12, 1], [12, 1]], "out": [[12, 1]]}
        cache.store(k, obj, meta)
    else:
        obj, meta = hit
    kernel = _tensorc_rt.Kernel(obj, meta["symbol"], [tuple(s) for s in meta["in"]],
                             [tuple(s) for s in meta["out"]], [])
    f = _tensorc_rt.Function([("x", np.float64, 1), ("y", np.float64, 1)], True, lambda mask: kernel)
    x, y = np.arange(5.0), np.ones(5)
    ok = bool(np.array_equal(f(x, y), 3 * x + y))
    print(json.dumps({"hit": hit is not None, "ok": ok, "stats": _tensorc_rt.stats(),
                      "mlir_imported": "mlir.ir" in sys.modules}))
    '''
)


def test_second_process_uses_the_cached_object(cache_env, tmp_path):
    pytest.importorskip("mlir.ir")
    pytest.importorskip("tensorc._tensorc", reason="the native module is not built")
    import tensorc

    script = tmp_path / "two_process.py"
    script.write_text(TWO_PROCESS_SCRIPT)
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(tensorc.__file__)))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([package_root, env.get("PYTHONPATH", "")])

    def run():
        done = subprocess.run(
            [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    first = run()
    assert first == {
        "hit": False,
        "ok": True,
        "stats": {"objects_compiled": 1, "objects_loaded": 1, "specializations": 1},
        "mlir_imported": True,
    }
    entries = [name for name in os.listdir(cache_env) if name.endswith(".tco")]
    assert len(entries) == 1
    second = run()
    assert second["hit"] and second["ok"]
    assert second["stats"] == {"objects_compiled": 0, "objects_loaded": 1, "specializations": 1}


# ---- entries that pass the checksum but that the JIT refuses --------------------------------------

# An object that links only where `tensorc_test_no_such_symbol` exists: nowhere. Its entry point has
# the name compiled kernels have, so the load fails at link time, not at the symbol lookup.
UNRESOLVED_IR = """
llvm.func @tensorc_test_no_such_symbol()
llvm.func @_mlir_ciface_main() {
  llvm.call @tensorc_test_no_such_symbol() : () -> ()
  llvm.return
}
"""


def _unresolved_object():
    import mlir.ir as ir
    from tensorc import _tensorc, _tensorc_rt

    with ir.Context():
        return _tensorc.compile_object(ir.Module.parse(UNRESOLVED_IR))


def _compile_and_call(value):
    """A fresh tc.function (a fresh Program: it asks compile_module, hence the cache) of one graph."""
    import numpy as np

    import tensorc as tc

    x = tc.vector("x", dtype="float64")
    f = tc.function([x], x * 2.0 + 1.0)
    return f(np.full(3, value)), f


def _only_entry(directory):
    entries = [name for name in os.listdir(directory) if name.endswith(".tco")]
    assert len(entries) == 1, entries
    return entries[0][: -len(".tco")]


@pytest.mark.parametrize("bad", ["garbage", "truncated", "unresolved", "no checks"])
def test_entry_that_does_not_load_is_replaced(cache_env, bad):
    pytest.importorskip("tensorc._tensorc", reason="the native module is not built")
    import numpy as np

    from tensorc import _tensorc, _tensorc_rt

    result, _ = _compile_and_call(1.0)
    np.testing.assert_array_equal(result, [3.0, 3.0, 3.0])
    k = _only_entry(cache_env)
    good_obj, good_meta = cache.load(k)
    # A bad entry under the right key, with a valid checksum: cache.load returns it.
    obj, meta = {
        "garbage": (b"\x7fELF" + b"\x00garbage" * 64, good_meta),
        "truncated": (good_obj[: len(good_obj) // 2], good_meta),
        "unresolved": (_unresolved_object(), good_meta),
        "no checks": (good_obj, {}),
    }[bad]
    assert cache.store(k, obj, meta)
    assert cache.load(k) == (obj, meta)

    before = _tensorc_rt.stats()["objects_compiled"]
    with pytest.warns(RuntimeWarning, match="discarded entry"):
        result, f = _compile_and_call(2.0)
    np.testing.assert_array_equal(result, [5.0, 5.0, 5.0])
    assert _tensorc_rt.stats()["objects_compiled"] == before + 1  # recompiled once
    # The entry now holds the freshly compiled object, which the next lookup loads without compiling.
    assert _only_entry(cache_env) == k
    fresh = cache.load(k)
    assert fresh != (obj, meta) and fresh[1] == good_meta
    result, f = _compile_and_call(3.0)
    np.testing.assert_array_equal(result, [7.0, 7.0, 7.0])
    assert _tensorc_rt.stats()["objects_compiled"] == before + 1  # loaded from the cache
    # Later calls of the same function use its kernel: nothing is reported again.
    np.testing.assert_array_equal(f(np.zeros(2)), [1.0, 1.0])


def test_fresh_object_that_does_not_load_raises_and_is_not_stored(cache_env, monkeypatch):
    pytest.importorskip("tensorc._tensorc", reason="the native module is not built")
    from tensorc.runtime import compiler

    bad = _unresolved_object()
    monkeypatch.setattr(compiler._compiler(), "compile_object", lambda module, opt_level=3: bad)
    with pytest.raises(compiler.CompileError, match="(?s)does not load.*tensorc_test_no_such_symbol"):
        _compile_and_call(1.0)
    assert not os.path.exists(cache_env) or not os.listdir(cache_env)


def test_vector_width_override_is_in_the_key(monkeypatch):
    # ObjectCompiler.cpp reads TENSORC_PREFER_VECTOR_WIDTH at every compilation, so the key must follow
    # the variable within one process; values the compiler ignores give the default's key.
    from tensorc.runtime import compiler

    monkeypatch.delenv("TENSORC_PREFER_VECTOR_WIDTH", raising=False)
    default = compiler._host_key()
    keys = {}
    for width in ("128", "256", "512"):
        monkeypatch.setenv("TENSORC_PREFER_VECTOR_WIDTH", width)
        keys[width] = compiler._host_key()
    assert len({default, *keys.values()}) == 4
    monkeypatch.setenv("TENSORC_PREFER_VECTOR_WIDTH", "1024")
    assert compiler._host_key() == default
