"""The Python frontend: symbolic values with NumPy semantics, the graph, emission to the tensorc
dialect, and tc.function / @tc.compile. The public names are imported by the `tensorc` package
(src/__init__.py); the submodules keep their own names here (tensorc.frontend.function is the module).
"""
