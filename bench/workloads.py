"""Benchmark workloads of docs/WORKLOADS.md, each written once per peer.

A workload is a name, an input maker (fixed seed), a float64 NumPy reference and, per peer, a builder that
returns a function of the inputs. Builders import their library lazily, so a missing peer is skipped.
"""

import numpy as np

EPS = 1e-5


def _w1(x, y, xp):
    return x * y + xp.sin(x) * xp.exp(-y) + xp.tanh(x - y)


def _softmax(x, xp):
    e = xp.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _layernorm(x, xp):
    m = x.mean(axis=-1, keepdims=True)
    v = ((x - m) ** 2).mean(axis=-1, keepdims=True)
    return (x - m) / xp.sqrt(v + EPS)


def _rng():
    return np.random.default_rng(0)


def _w2_ref(x, y):
    """Mean softmax cross-entropy in float64, max-shifted (the reference, not a peer)."""
    m = x.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(x - m).sum(axis=1))
    return np.mean(lse - x[np.arange(len(y)), y.astype(np.int64)])


def _w2_numpy(x, y):
    # Written naively, as the workload says: softmax without the max shift, then log.
    e = np.exp(x)
    p = e / e.sum(axis=1, keepdims=True)
    return -np.mean(np.log(p)[np.arange(y.shape[0]), y])


# ---------------------------------------------------------------- tensorc builders
def _tc_compile(fn):
    import tensorc as tc

    return tc.compile(fn)


def _tc_w1():
    return _tc_compile(lambda x, y: _w1(x, y, np))


def _tc_softmax():
    import tensorc as tc

    return _tc_compile(lambda x: tc.softmax(x, axis=-1))


def _tc_softmax_spelled():
    # NumPy's spelling, traced: tensorc-stabilize recognizes it as softmax.
    return _tc_compile(lambda x: _softmax(x, np))


def _tc_w2_spelled():
    # _w2_numpy's softmax spelled out with NumPy calls, traced (np.arange of a traced size is tc.arange).
    import tensorc as tc

    def w2(x, y):
        e = np.exp(x)
        p = e / e.sum(axis=1, keepdims=True)
        return -np.mean(np.log(p)[tc.arange(y.shape[0]), y])
    return _tc_compile(w2)


def _tc_layernorm():
    return _tc_compile(lambda x: _layernorm(x, np))


def _tc_matmul():
    return _tc_compile(lambda a, b: a @ b)


def _tc_add1():
    return _tc_compile(lambda x: x + 1)


def _tc_add1_varargs():
    return _tc_compile(lambda *xs: xs[0] + 1)


def _tc_add1_keyword():
    return _tc_compile(lambda x, *, one=1.0: x + one)


def _tc_add1_function():
    import tensorc as tc

    x = tc.vector("x", dtype="float32")
    return tc.function([x], x + 1)


def _tc_w2():
    import tensorc as tc

    # The naive expression; tensorc's stabilizer turns it into one softmax_cross_entropy op.
    return _tc_compile(lambda x, y: -tc.mean(tc.log(tc.softmax(x, axis=1))[tc.arange(y.shape[0]), y]))


# ---------------------------------------------------------------- JAX builders
def _jax(fn):
    import jax

    return jax.jit(fn)


def _jax_w1():
    import jax.numpy as jnp

    return _jax(lambda x, y: _w1(x, y, jnp))


def _jax_softmax():
    import jax

    return _jax(lambda x: jax.nn.softmax(x, axis=-1))


def _jax_layernorm():
    import jax.numpy as jnp

    return _jax(lambda x: _layernorm(x, jnp))


def _jax_w2():
    import jax
    import jax.numpy as jnp

    return _jax(lambda x, y: -jnp.mean(jnp.log(jax.nn.softmax(x, axis=1))[jnp.arange(y.shape[0]), y]))


# ---------------------------------------------------------------- PyTorch builders (eager and compiled)
def _torch(fn, compiled):
    import torch

    f = torch.compile(fn) if compiled else fn

    def call(*args):
        with torch.no_grad():
            return f(*[torch.from_numpy(a) for a in args]).numpy()

    return call


def _torch_builders(body):
    return {"torch": lambda: _torch(body(), False), "torch.compile": lambda: _torch(body(), True)}


def _torch_w1():
    import torch

    return lambda x, y: x * y + torch.sin(x) * torch.exp(-y) + torch.tanh(x - y)


def _torch_w2():
    import torch

    return lambda x, y: -torch.log(torch.softmax(x, dim=1))[torch.arange(y.shape[0]), y].mean()


def _torch_softmax():
    import torch

    return lambda x: torch.softmax(x, dim=-1)


def _torch_layernorm():
    import torch

    return lambda x: _layernorm(x, torch)


# ---------------------------------------------------------------- PyTensor builders
def _pt(make):
    import pytensor
    import pytensor.tensor as pt

    inputs, output = make(pt)
    return pytensor.function(inputs, output)


def _pt_w1():
    return _pt(lambda pt: ((x := pt.vector("x", dtype="float32")), (y := pt.vector("y", dtype="float32")))
               and ([x, y], _w1(x, y, pt)))


def _pt_softmax():
    def make(pt):
        x = pt.matrix("x", dtype="float32")
        from pytensor.tensor.special import softmax

        return [x], softmax(x, axis=-1)

    return _pt(make)


def _pt_layernorm():
    def make(pt):
        x = pt.matrix("x", dtype="float32")
        return [x], _layernorm(x, pt)

    return _pt(make)


def _pt_matmul():
    def make(pt):
        a, b = pt.matrix("a", dtype="float32"), pt.matrix("b", dtype="float32")
        return [a, b], a @ b

    return _pt(make)


def _pt_w2():
    def make(pt):
        from pytensor.tensor.special import softmax

        x, y = pt.matrix("x", dtype="float32"), pt.vector("y", dtype="int64")
        return [x, y], -pt.mean(pt.log(softmax(x, axis=1))[pt.arange(y.shape[0]), y])

    return _pt(make)


def _pt_add1():
    def make(pt):
        x = pt.vector("x", dtype="float32")
        return [x], x + 1

    return _pt(make)


# ---------------------------------------------------------------- the table
def _vec(n):
    r = _rng()
    return (r.standard_normal(n).astype(np.float32), r.standard_normal(n).astype(np.float32))


def _mat(*shape):
    return (_rng().standard_normal(shape).astype(np.float32),)


def _logits(scale):
    r = _rng()
    x = (r.standard_normal((4096, 1000)) * scale).astype(np.float32)
    return x, r.integers(0, 1000, 4096).astype(np.int64)


def _two_mats(n):
    r = _rng()
    return (r.standard_normal((n, n)).astype(np.float32), r.standard_normal((n, n)).astype(np.float32))


WORKLOADS = {
    "W1 4M": dict(inputs=lambda: _vec(4 * 1024 * 1024), ref=lambda x, y: _w1(x, y, np),
                  numpy=lambda: (lambda x, y: _w1(x, y, np)), tensorc=_tc_w1, jax=_jax_w1, pytensor=_pt_w1,
                  **_torch_builders(_torch_w1)),
    "W1 1K": dict(inputs=lambda: _vec(1024), ref=lambda x, y: _w1(x, y, np),
                  numpy=lambda: (lambda x, y: _w1(x, y, np)), tensorc=_tc_w1, jax=_jax_w1, pytensor=_pt_w1),
    "W5 1024": dict(inputs=lambda: _two_mats(1024), ref=lambda a, b: a @ b, numpy=lambda: (lambda a, b: a @ b),
                    tensorc=_tc_matmul, jax=lambda: _jax(lambda a, b: a @ b), pytensor=_pt_matmul, rtol=1e-3),
    "W5 64": dict(inputs=lambda: _two_mats(64), ref=lambda a, b: a @ b, numpy=lambda: (lambda a, b: a @ b),
                  tensorc=_tc_matmul, jax=lambda: _jax(lambda a, b: a @ b), pytensor=_pt_matmul, rtol=1e-3),
    "W5 777": dict(inputs=lambda: _two_mats(777), ref=lambda a, b: a @ b, numpy=lambda: (lambda a, b: a @ b),
                   tensorc=_tc_matmul, jax=lambda: _jax(lambda a, b: a @ b), pytensor=_pt_matmul, rtol=1e-3),
    "W6": dict(inputs=lambda: (np.arange(8, dtype=np.float32),), ref=lambda x: x + 1,
               numpy=lambda: (lambda x: x + 1), tensorc=_tc_add1, jax=lambda: _jax(lambda x: x + 1),
               pytensor=_pt_add1, unit="us"),
    # The same call through the other call paths: tc.function, and @tc.compile with *args / a keyword default.
    "W6 function": dict(inputs=lambda: (np.arange(8, dtype=np.float32),), ref=lambda x: x + 1,
                        numpy=lambda: (lambda x: x + 1), tensorc=_tc_add1_function, unit="us"),
    "W6 *args": dict(inputs=lambda: (np.arange(8, dtype=np.float32),), ref=lambda x: x + 1,
                     numpy=lambda: (lambda x: x + 1), tensorc=_tc_add1_varargs, unit="us"),
    "W6 keyword": dict(inputs=lambda: (np.arange(8, dtype=np.float32),), ref=lambda x: x + 1,
                       numpy=lambda: (lambda x: x + 1), tensorc=_tc_add1_keyword, unit="us"),
    "W2": dict(inputs=lambda: _logits(1.0), ref=_w2_ref, numpy=lambda: _w2_numpy, tensorc=_tc_w2, jax=_jax_w2,
               pytensor=_pt_w2, **_torch_builders(_torch_w2)),
    "W2 x1000": dict(inputs=lambda: _logits(1000.0), ref=_w2_ref, numpy=lambda: _w2_numpy, tensorc=_tc_w2,
                     jax=_jax_w2, pytensor=_pt_w2, **_torch_builders(_torch_w2)),
    "W7 softmax": dict(inputs=lambda: _mat(8192, 512), ref=lambda x: _softmax(x, np),
                       numpy=lambda: (lambda x: _softmax(x, np)), tensorc=_tc_softmax, jax=_jax_softmax,
                       pytensor=_pt_softmax, **_torch_builders(_torch_softmax)),
    "W7 softmax spelled": dict(inputs=lambda: _mat(8192, 512), ref=lambda x: _softmax(x, np),
                               numpy=lambda: (lambda x: _softmax(x, np)), tensorc=_tc_softmax_spelled),
    "W2 spelled x1000": dict(inputs=lambda: _logits(1000.0), ref=_w2_ref, numpy=lambda: _w2_numpy,
                             tensorc=_tc_w2_spelled),
    "W7 layernorm": dict(inputs=lambda: _mat(8192, 512), ref=lambda x: _layernorm(x, np),
                         numpy=lambda: (lambda x: _layernorm(x, np)), tensorc=_tc_layernorm, jax=_jax_layernorm,
                         pytensor=_pt_layernorm, **_torch_builders(_torch_layernorm)),
}
