"""The Python frontend: symbolic values with NumPy semantics, the graph, emission to the tensorc
dialect, and tc.function / @tc.compile. The public names are imported by the `tensorc` package
(src/__init__.py); the submodules keep their own names here (tensorc.frontend.function is the module).

Modules, each importing only those before it: dtypes, location, arguments, avals (abstract values),
variables (the Variable class, symbolic inputs), opdefs (every op's rules, one table), graph (nodes,
apply, constant), ops_elementwise, ops_shape, ops_creation, ops_linalg, ops_reduce, indexing (the tc
functions), numpy_dispatch, methods (Variable's operators and methods, one table), emit, function,
compile, debugprint. Importing this package installs the methods on Variable, once.
"""
from .methods import install as _install_methods

_install_methods()
