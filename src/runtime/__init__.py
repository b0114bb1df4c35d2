"""tensorc runtime: the Python side of compiled-code execution.

The per-call machinery (Kernel, Function, object emission, JIT) is native and lives in
``tensorc._tensorc``; this package holds what is better written in Python, such as the on-disk object
cache (:mod:`tensorc.runtime.cache`).
"""
