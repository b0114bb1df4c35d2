"""tensorc runtime: the Python side of compiled-code execution.

The per-call machinery (Function, Dispatcher, Kernel, the object loader) is native and lives in
``tensorc._tensorc_rt``, which links neither MLIR nor LLVM; object emission is the compiler module
``tensorc._tensorc``, imported only to compile. This package holds what is better written in Python, such as the on-disk object
cache (:mod:`tensorc.runtime.cache`).
"""
