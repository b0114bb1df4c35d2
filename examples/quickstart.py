"""A first tour of tensorc: a symbolic function, a traced function, the IR, and a clear error."""

import numpy as np

import tensorc as tc

rng = np.random.default_rng(0)

# 1. Symbolic, as in Theano: a softmax classifier's probabilities and predicted labels.
x = tc.matrix("x", dtype="float32")
W = tc.matrix("W", dtype="float32")
b = tc.vector("b", dtype="float32")
probs = tc.softmax(x @ W + b, axis=-1)
predict = tc.function([x, W, b], [probs, probs.argmax(axis=1)])

xs = rng.standard_normal((5, 4)).astype(np.float32)
Ws = rng.standard_normal((4, 3)).astype(np.float32)
bs = np.zeros(3, np.float32)
p, labels = predict(xs, Ws, bs)
print("probabilities:\n", p)
print("labels:", labels, "(NumPy says", (xs @ Ws + bs).argmax(axis=1), ")")


# 2. Traced, as jax.jit does: plain NumPy code, compiled on the first call, reused for any shape.
@tc.compile
def w1(a, c):
    return a * c + np.sin(a) * np.exp(-c) + np.tanh(a - c)


for n in (10, 1000):
    a, c = rng.standard_normal(n).astype(np.float32), rng.standard_normal(n).astype(np.float32)
    err = np.abs(w1(a, c) - (a * c + np.sin(a) * np.exp(-c) + np.tanh(a - c))).max()
    print(f"w1 on {n} elements: max error vs NumPy {err:.2e}")

# 3. The compiled IR at any stage: the whole chain is one fused loop.
print(w1.ir("optimized"))

# 4. Bad input gets a clear exception that names the op and the source line.
try:
    w1(np.ones(3, np.float32), np.ones(4, np.float32))
except ValueError as e:
    print("ValueError:", e)
