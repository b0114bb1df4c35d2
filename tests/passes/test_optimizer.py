"""Numbers for the graph passes other than stabilize (test_stabilize.py): each graph is compiled with
every optimization, with the pass excluded, and in FAST_COMPILE, and all are compared with a float64 NumPy
reference. The structure side of the same passes is in tests/mlir/Dialect/Tensorc/Transforms/
tensorc-{canonicalize,merge,specialize}.mlir and tests/mlir/Transforms/tensorc-{fuse,fuse-rows}.mlir."""

import numpy as np
import pytest

import tensorc as tc

rng = np.random.default_rng(7)


def _modes(pass_name):
    return {"full": None, f"no-{pass_name}": tc.Mode().excluding(pass_name), "fast-compile": "FAST_COMPILE"}


def _check(pass_name, build, ref, args, graph_has=None, graph_lacks=None, rtol=1e-5):
    for label, mode in _modes(pass_name).items():
        f = build(mode)
        got = f(*args)
        want = ref(*[a.astype(np.float64) if a.dtype.kind == "f" else a for a in args])
        np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-6, err_msg=f"mode {label}")
        if label == "full":
            graph = f.ir("graph")
            for s in graph_has or ():
                assert s in graph, f"{s!r} missing from the optimized graph:\n{graph}"
            for s in graph_lacks or ():
                assert s not in graph, f"{s!r} still in the optimized graph:\n{graph}"


def test_canonicalize_identities_and_folding():
    x = tc.vector("x", "float32")
    expr = (0 + x * 1) - 0 + -(-x) + tc.log(tc.exp(x)) + (tc.full((1,), 2.0) + 3.0)

    def build(mode):
        return tc.function([x], expr, mode=mode)

    a = rng.standard_normal(17).astype(np.float32)
    _check("canonicalize", build, lambda a: a + a + a + 5.0, [a], graph_lacks=["tensorc.neg", "tensorc.exp"])


def test_merge_computes_common_subexpressions_once():
    x, y = tc.matrix("x", "float64"), tc.matrix("y", "float64")
    expr = tc.tanh(x * y) + tc.tanh(y * x)

    def build(mode):
        return tc.function([x, y], expr, mode=mode)

    a, b = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    _check("merge", build, lambda a, b: 2 * np.tanh(a * b), [a, b], rtol=1e-12)
    graph = build(None).ir("graph")
    assert graph.count("tensorc.tanh") == 1 and graph.count("tensorc.mul") == 1, graph


def test_specialize_powers():
    x = tc.vector("x", "float64")
    expr = x ** 2 + abs(x) ** 0.5 + (x ** 2 + 1) ** -1 + x / 4

    def build(mode):
        return tc.function([x], expr, mode=mode)

    a = rng.standard_normal(11)
    _check("specialize", build, lambda a: a ** 2 + np.abs(a) ** 0.5 + 1 / (a ** 2 + 1) + a / 4, [a],
           graph_has=["tensorc.sqrt"], graph_lacks=["tensorc.pow"], rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fuse_layernorm_and_softmax(dtype):
    x = tc.matrix("x", dtype)
    m = x.mean(axis=-1, keepdims=True)
    ln = (x - m) / tc.sqrt(((x - m) ** 2).mean(axis=-1, keepdims=True) + 1e-5)
    sm = tc.softmax(x, axis=-1)

    def build(mode):
        return tc.function([x], [ln, sm], mode=mode)

    def ref(a):
        mu = a.mean(-1, keepdims=True)
        e = np.exp(a - a.max(-1, keepdims=True))
        return [(a - mu) / np.sqrt(((a - mu) ** 2).mean(-1, keepdims=True) + 1e-5), e / e.sum(-1, keepdims=True)]

    for shape in [(37, 19), (1, 5), (0, 4), (9, 1)]:
        a = rng.standard_normal(shape).astype(dtype)
        _check("fuse", build, ref, [a], rtol=1e-4 if dtype == np.float32 else 1e-10)
    # Fused and tiled by rows: the optimized IR has the row-block loop (8 rows, an scf.forall), and only
    # one generic reads x per reduction inside it. (Without fusion the float sums are still blocked, in
    # loops of their own: the row-block loop is what must be missing.)
    assert "step (8)" in build(None).ir("optimized")
    assert "scf.forall" not in build(tc.Mode().excluding("fuse")).ir("optimized")
