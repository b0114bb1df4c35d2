"""Console entry points installed with the wheel."""

import os
import sys


def tensorc_opt_path() -> str:
    """Path of the tensorc-opt executable shipped inside the package."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "bin", "tensorc-opt")


def tensorc_opt_main() -> None:
    """`tensorc-opt`: exec the C++ tool with the same arguments."""
    exe = tensorc_opt_path()
    os.execv(exe, [exe] + sys.argv[1:])
