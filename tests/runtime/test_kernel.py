"""The native runtime end to end: hand-written func/linalg IR lowered with upstream MLIR passes,
compiled by tensorc._tensorc.compile_object, loaded as a Kernel and called through Function.

Nothing here depends on the tensorc dialect or frontend: these tests pin down the runtime's contract
(calling convention, argument checking, output ownership, runtime checks, specialization) on its own.
"""

import gc
import sys
import threading
import weakref

import numpy as np
import pytest

ir = pytest.importorskip("mlir.ir")
passmanager = pytest.importorskip("mlir.passmanager")
_tensorc = pytest.importorskip("tensorc._tensorc", reason="the native module is not built")
from tensorc import _tensorc_rt  # noqa: E402

# The upstream lowering used by the runtime's tests: tensors -> buffers -> loops -> LLVM dialect.
TENSOR_PIPELINE = (
    "builtin.module(one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map}, buffer-deallocation-pipeline, "
    "convert-linalg-to-loops, expand-strided-metadata, lower-affine, convert-scf-to-cf, "
    "finalize-memref-to-llvm, convert-math-to-llvm, convert-arith-to-llvm, convert-cf-to-llvm, "
    "convert-func-to-llvm, convert-index-to-llvm, reconcile-unrealized-casts)"
)
# For hand-written memref IR (results that alias inputs, constants, each other): no bufferization and
# no deallocation pipeline, which would insert the clones these tests want to avoid.
MEMREF_PIPELINE = (
    "builtin.module(convert-linalg-to-loops, expand-strided-metadata, lower-affine, "
    "convert-scf-to-cf, finalize-memref-to-llvm, convert-arith-to-llvm, convert-cf-to-llvm, "
    "convert-func-to-llvm, convert-index-to-llvm, reconcile-unrealized-casts)"
)

F32, F64, I32, I64 = (np.dtype(t).num for t in (np.float32, np.float64, np.int32, np.int64))


def lower(src, pipeline=TENSOR_PIPELINE):
    """Parses and lowers `src`; returns (object bytes, lowered IR text)."""
    with ir.Context():
        module = ir.Module.parse(src)
        passmanager.PassManager.parse(pipeline).run(module.operation)
        return _tensorc.compile_object(module), str(module)


def make_kernel(src, symbol, ins, outs, messages=(), pipeline=TENSOR_PIPELINE):
    obj, _ = lower(src, pipeline)
    return _tensorc_rt.Kernel(obj, symbol, list(ins), list(outs), list(messages))


def make_function(kernel, specs, single_output=True, name="f"):
    """A Function that always uses `kernel`, and records the masks it was asked to compile."""
    asked = []

    def compile(mask):
        asked.append(mask)
        return kernel

    fn = _tensorc_rt.Function(specs, single_output, compile, name)
    return fn, asked


# ----------------------------------------------------------------------------------------------------
# IR used by several tests

ADD_SCALAR = """
#id = affine_map<(d0) -> (d0)>
func.func @add1(%x: tensor<?xf32> {bufferization.writable = false}) -> tensor<?xf32>
    attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %one = arith.constant 1.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %init = tensor.empty(%n) : tensor<?xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf32>) outs(%init : tensor<?xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %one : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}
"""

# Two 2-d inputs, two results; `outs` is the first input itself, which bufferization may only reuse
# when the argument is writable: the `writable = false` attribute must make it allocate instead.
SUM_PROD = """
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @sum_prod(%x: tensor<?x?xf64> {bufferization.writable = false},
                    %y: tensor<?x?xf64> {bufferization.writable = false})
    -> (tensor<?x?xf64>, tensor<?x?xf64>) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %x, %c0 : tensor<?x?xf64>
  %m = tensor.dim %x, %c1 : tensor<?x?xf64>
  %init = tensor.empty(%n, %m) : tensor<?x?xf64>
  %s = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<?x?xf64>) outs(%x : tensor<?x?xf64>) {
  ^bb0(%b: f64, %a: f64):
    %v = arith.addf %a, %b : f64
    linalg.yield %v : f64
  } -> tensor<?x?xf64>
  %p = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %y : tensor<?x?xf64>, tensor<?x?xf64>) outs(%init : tensor<?x?xf64>) {
  ^bb0(%a: f64, %b: f64, %o: f64):
    %v = arith.mulf %a, %b : f64
    linalg.yield %v : f64
  } -> tensor<?x?xf64>
  return %s, %p : tensor<?x?xf64>, tensor<?x?xf64>
}
"""

SCALE_0D = """
func.func @scale(%x: tensor<f32> {bufferization.writable = false}, %k: tensor<i32> {bufferization.writable = false})
    -> tensor<f32> attributes {llvm.emit_c_interface} {
  %a = tensor.extract %x[] : tensor<f32>
  %b = tensor.extract %k[] : tensor<i32>
  %bf = arith.sitofp %b : i32 to f32
  %v = arith.mulf %a, %bf : f32
  %r = tensor.from_elements %v : tensor<f32>
  return %r : tensor<f32>
}
"""

# Runtime checks: code 0 when the lengths differ (ValueError), code 1 when the index is out of range
# (IndexError). The kernel keeps going after reporting, on clamped values, as generated code does.
CHECKED_TAKE = """
func.func private @tensorc_report(i64, i64, i64)
func.func @take(%x: tensor<?xf32> {bufferization.writable = false},
                %y: tensor<?xf32> {bufferization.writable = false},
                %i: tensor<i64> {bufferization.writable = false}) -> tensor<f32>
    attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %nx = tensor.dim %x, %c0 : tensor<?xf32>
  %ny = tensor.dim %y, %c0 : tensor<?xf32>
  %nx64 = arith.index_cast %nx : index to i64
  %ny64 = arith.index_cast %ny : index to i64
  %differ = arith.cmpi ne, %nx, %ny : index
  scf.if %differ {
    %code = arith.constant 0 : i64
    func.call @tensorc_report(%code, %nx64, %ny64) : (i64, i64, i64) -> ()
  }
  %iv = tensor.extract %i[] : tensor<i64>
  %zero = arith.constant 0 : i64
  %neg = arith.cmpi slt, %iv, %zero : i64
  %big = arith.cmpi sge, %iv, %nx64 : i64
  %bad = arith.ori %neg, %big : i1
  scf.if %bad {
    %code = arith.constant 1 : i64
    func.call @tensorc_report(%code, %iv, %nx64) : (i64, i64, i64) -> ()
  }
  %one = arith.constant 1 : i64
  %last = arith.subi %nx64, %one : i64
  %lo = arith.maxsi %iv, %zero : i64
  %clamped = arith.minsi %lo, %last : i64
  %idx = arith.index_cast %clamped : i64 to index
  %v = tensor.extract %x[%idx] : tensor<?xf32>
  %r = tensor.from_elements %v : tensor<f32>
  return %r : tensor<f32>
}
"""
TAKE_MESSAGES = [
    "x and y must have the same length, got {0} and {1}",
    "IndexError: index {0} is out of bounds for axis 0 with size {1}",
]

# Returning a strided slice through an identity-layout boundary makes bufferization copy a
# non-contiguous view into a fresh buffer: lowered memref.copy calls the runtime's memrefCopy.
STRIDED_SLICE = """
func.func @every_other(%x: tensor<?x?xf32> {bufferization.writable = false}) -> tensor<?x?xf32>
    attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %n = tensor.dim %x, %c0 : tensor<?x?xf32>
  %m = tensor.dim %x, %c1 : tensor<?x?xf32>
  %n1 = arith.addi %n, %c1 : index
  %rows = arith.divui %n1, %c2 : index
  %m2 = arith.addi %m, %c2 : index
  %cols = arith.divui %m2, %c3 : index
  %s = tensor.extract_slice %x[0, 0] [%rows, %cols] [2, 3] : tensor<?x?xf32> to tensor<?x?xf32>
  return %s : tensor<?x?xf32>
}
"""


# ----------------------------------------------------------------------------------------------------
# Basic numerics and calling convention


@pytest.fixture(scope="module")
def add1():
    return make_kernel(ADD_SCALAR, "add1", [(F32, 1)], [(F32, 1)])


@pytest.mark.parametrize("n", [0, 1, 7, 8, 1000, 1 << 17])
def test_add_scalar_matches_numpy(add1, n):
    fn, _ = make_function(add1, [("x", np.float32, 1)])
    x = np.random.default_rng(n).standard_normal(n).astype(np.float32)
    y = fn(x)
    assert y.dtype == np.float32 and y.shape == (n,)
    np.testing.assert_array_equal(y, x + np.float32(1))


def test_kernel_call_returns_tuple(add1):
    result = add1.call(np.arange(4, dtype=np.float32))
    assert isinstance(result, tuple) and len(result) == 1
    np.testing.assert_array_equal(result[0], [1, 2, 3, 4])
    assert add1.symbol == "add1"
    assert add1.in_specs == [(F32, 1)] and add1.out_specs == [(F32, 1)]


def check_sum_prod(fn, x, y):
    """fn(x, y) of the SUM_PROD kernel gives (x + y, x * y) and leaves x and y as they were (the kernel's
    outs(%x) has writable = false: it must not write into the caller's array)."""
    x_before, y_before = x.copy(), y.copy()
    s, p = fn(x, y)
    np.testing.assert_array_equal(s, x + y)
    np.testing.assert_array_equal(p, x * y)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(y, y_before)
    return s, p


def test_multiple_results_and_inputs_untouched():
    kernel = make_kernel(SUM_PROD, "sum_prod", [(F64, 2), (F64, 2)], [(F64, 2), (F64, 2)])
    fn, _ = make_function(kernel, [("x", np.float64, 2), ("y", np.float64, 2)], single_output=False)
    x = np.arange(12, dtype=np.float64).reshape(3, 4)
    y = np.full((3, 4), 0.5)
    s, p = check_sum_prod(fn, x, y)
    assert not np.shares_memory(s, x) and not np.shares_memory(p, x)
    assert isinstance(fn(x, y), list)


def test_zero_d_inputs_and_scalars():
    kernel = make_kernel(SCALE_0D, "scale", [(F32, 0), (I32, 0)], [(F32, 0)])
    fn, _ = make_function(kernel, [("x", np.float32, 0), ("k", np.int32, 0)])
    r = fn(np.array(1.5, np.float32), np.array(4, np.int32))
    assert r.shape == () and r.dtype == np.float32 and float(r) == 6.0
    # Python scalars are weakly typed (NEP 50): a float is fine for float32, an int for int32.
    assert float(fn(2.5, 3)) == 7.5
    assert float(fn(np.float32(2.0), np.int32(-1))) == -2.0
    # An int for a float input is a safe, weak conversion too.
    assert float(fn(2, 2)) == 4.0
    with pytest.raises(TypeError, match=r"argument 'k': expected int32, got Python float"):
        fn(1.0, 2.0)
    # NumPy scalars are strongly typed: float64 -> float32 is a downcast.
    with pytest.raises(TypeError, match=r"argument 'x': expected float32, got float64"):
        fn(np.float64(1.0), 1)
    with pytest.raises(OverflowError, match=r"argument 'k'"):
        fn(1.0, 2**40)


def test_size_zero(add1):
    fn, _ = make_function(add1, [("x", np.float32, 1)])
    y = fn(np.zeros(0, np.float32))
    assert y.shape == (0,) and y.dtype == np.float32
    kernel = make_kernel(SUM_PROD, "sum_prod", [(F64, 2), (F64, 2)], [(F64, 2), (F64, 2)])
    for shape in [(0, 4), (3, 0), (0, 0)]:
        s, p = kernel.call(np.zeros(shape), np.zeros(shape))
        assert s.shape == shape and p.shape == shape


def test_non_contiguous_and_negative_strides():
    kernel = make_kernel(SUM_PROD, "sum_prod", [(F64, 2), (F64, 2)], [(F64, 2), (F64, 2)])
    fn, _ = make_function(kernel, [("x", np.float64, 2), ("y", np.float64, 2)], single_output=False)
    base = np.arange(60, dtype=np.float64).reshape(6, 10)
    cases = [
        (base[::2, ::3], base[1::2, ::3]),  # strided
        (base[::-1, :], base[:, ::-1]),  # negative strides
        (base.T[:4], np.asfortranarray(base[:4, :6])),  # transposed / Fortran order
        (base[2:4, 5:7], base[::-2, ::-5][:2, :2]),
    ]
    for x, y in cases:
        check_sum_prod(fn, x, y)


def test_byteswapped_misaligned_and_array_likes(add1):
    fn, _ = make_function(add1, [("x", np.float32, 1)])
    swapped = np.arange(5, dtype=">f4")
    np.testing.assert_array_equal(fn(swapped), np.arange(5) + 1)
    raw = np.zeros(4 * 6 + 1, np.uint8)
    misaligned = raw[1:].view(np.float32)
    misaligned[:] = np.arange(6)
    assert not misaligned.flags.aligned
    np.testing.assert_array_equal(fn(misaligned), np.arange(6) + 1)
    # A list of Python floats is float64 to NumPy: no silent downcast to float32.
    with pytest.raises(TypeError, match="expected float32, got float64"):
        fn([1.0, 2.0])
    np.testing.assert_array_equal(fn(np.array([1, 2], np.int16)), [2, 3])  # int16 -> float32 is safe
    readonly = np.arange(3, dtype=np.float32)
    readonly.flags.writeable = False
    np.testing.assert_array_equal(fn(readonly), [1, 2, 3])


def test_strided_slice_uses_runtime_memref_copy():
    obj, lowered = lower(STRIDED_SLICE)
    assert "memrefCopy" in lowered  # the lowering really relies on the runtime's memrefCopy
    kernel = _tensorc_rt.Kernel(obj, "every_other", [(F32, 2)], [(F32, 2)], [])
    for shape in [(5, 7), (1, 1), (4, 3), (0, 5), (9, 1)]:
        x = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
        (y,) = kernel.call(x)
        np.testing.assert_array_equal(y, x[::2, ::3])


# memref.copy between strided views of several ranks and element sizes (1, 4 and 16 bytes: the last
# takes memrefCopy's generic element path).
STRIDED_COPIES = """
func.func @copy3(%x: memref<4x6x9xf32>) -> memref<3x3x3xf32> attributes {llvm.emit_c_interface} {
  %v = memref.subview %x[1, 0, 0] [3, 3, 3] [1, 2, 3]
      : memref<4x6x9xf32> to memref<3x3x3xf32, strided<[54, 18, 3], offset: 54>>
  %r = memref.alloc() : memref<3x3x3xf32>
  memref.copy %v, %r : memref<3x3x3xf32, strided<[54, 18, 3], offset: 54>> to memref<3x3x3xf32>
  return %r : memref<3x3x3xf32>
}
func.func @copy_i8(%x: memref<10xi8>) -> memref<5xi8> attributes {llvm.emit_c_interface} {
  %v = memref.subview %x[1] [5] [2] : memref<10xi8> to memref<5xi8, strided<[2], offset: 1>>
  %r = memref.alloc() : memref<5xi8>
  memref.copy %v, %r : memref<5xi8, strided<[2], offset: 1>> to memref<5xi8>
  return %r : memref<5xi8>
}
func.func @copy_c128(%x: memref<3x4xcomplex<f64>>) -> memref<2x2xcomplex<f64>>
    attributes {llvm.emit_c_interface} {
  %v = memref.subview %x[1, 1] [2, 2] [1, 2]
      : memref<3x4xcomplex<f64>> to memref<2x2xcomplex<f64>, strided<[4, 2], offset: 5>>
  %r = memref.alloc() : memref<2x2xcomplex<f64>>
  memref.copy %v, %r : memref<2x2xcomplex<f64>, strided<[4, 2], offset: 5>> to memref<2x2xcomplex<f64>>
  return %r : memref<2x2xcomplex<f64>>
}
"""


def test_memref_copy_of_strided_views():
    obj, lowered = lower(STRIDED_COPIES, MEMREF_PIPELINE)
    assert lowered.count("llvm.call @memrefCopy") == 3
    c128, i8 = np.dtype(np.complex128).num, np.dtype(np.int8).num
    copy3 = _tensorc_rt.Kernel(obj, "copy3", [(F32, 3)], [(F32, 3)], [])
    x = np.arange(4 * 6 * 9, dtype=np.float32).reshape(4, 6, 9)
    np.testing.assert_array_equal(copy3.call(x)[0], x[1:, ::2, ::3])
    copy_i8 = _tensorc_rt.Kernel(obj, "copy_i8", [(i8, 1)], [(i8, 1)], [])
    b = np.arange(10, dtype=np.int8)
    np.testing.assert_array_equal(copy_i8.call(b)[0], b[1::2])
    copy_c = _tensorc_rt.Kernel(obj, "copy_c128", [(c128, 2)], [(c128, 2)], [])
    z = (np.arange(12) + 1j * np.arange(12, 24)).reshape(3, 4)
    np.testing.assert_array_equal(copy_c.call(z)[0], z[1:, 1::2])


# ----------------------------------------------------------------------------------------------------
# Output ownership


def test_outputs_own_their_memory(add1):
    kernel = make_kernel(ADD_SCALAR, "add1", [(F32, 1)], [(F32, 1)])
    fn, _ = make_function(kernel, [("x", np.float32, 1)])
    x = np.arange(1000, dtype=np.float32)
    y = fn(x)
    assert type(y) is np.ndarray
    assert type(y.base).__name__ == "PyCapsule" and "tensorc.buffer" in repr(y.base)
    assert y.flags.writeable and y.flags.c_contiguous
    assert not np.shares_memory(x, y)
    ref = weakref.ref(kernel)
    del fn, kernel, x
    gc.collect()
    assert ref() is None  # the object is unloaded from the JIT; y must not depend on it
    y[:] += 1  # still valid, writable memory
    np.testing.assert_array_equal(y, np.arange(1000) + 2)
    view = y[10:20]
    del y
    gc.collect()
    np.testing.assert_array_equal(view, np.arange(10, 20) + 2)


ALIASING = """
memref.global "private" constant @table : memref<3xf32> = dense<[1.0, 2.0, 3.0]>
func.func @echo(%x: memref<?xf32>) -> memref<?xf32> attributes {llvm.emit_c_interface} {
  return %x : memref<?xf32>
}
func.func @constant() -> memref<3xf32> attributes {llvm.emit_c_interface} {
  %g = memref.get_global @table : memref<3xf32>
  return %g : memref<3xf32>
}
func.func @twice(%x: memref<?xf32>)
    -> (memref<?xf32>, memref<?xf32>, memref<?xf32, strided<[2], offset: 1>>)
    attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  %a = memref.alloc(%n) : memref<?xf32>
  memref.copy %x, %a : memref<?xf32> to memref<?xf32>
  %half = arith.divui %n, %c2 : index
  %odd = memref.subview %a[1] [%half] [2] : memref<?xf32> to memref<?xf32, strided<[2], offset: 1>>
  return %a, %a, %odd : memref<?xf32>, memref<?xf32>, memref<?xf32, strided<[2], offset: 1>>
}
"""


@pytest.fixture(scope="module")
def aliasing_object():
    obj, _ = lower(ALIASING, MEMREF_PIPELINE)
    return obj


def test_result_aliasing_an_input_is_copied(aliasing_object):
    echo = _tensorc_rt.Kernel(aliasing_object, "echo", [(F32, 1)], [(F32, 1)], [])
    x = np.arange(5, dtype=np.float32)
    (y,) = echo.call(x)
    np.testing.assert_array_equal(y, x)
    assert not np.shares_memory(x, y)  # never hand out (or free) the caller's memory
    y[0] = 42
    assert x[0] == 0


def test_result_from_constant_global_is_copied(aliasing_object):
    constant = _tensorc_rt.Kernel(aliasing_object, "constant", [], [(F32, 1)], [])
    (a,) = constant.call()
    np.testing.assert_array_equal(a, [1, 2, 3])
    a[:] = 0  # writing the copy must not change the constant seen by the next call
    (b,) = constant.call()
    np.testing.assert_array_equal(b, [1, 2, 3])
    assert not np.shares_memory(a, b)


def test_results_sharing_one_buffer_each_own_their_memory(aliasing_object):
    # The kernel returns one buffer three times (twice whole, once as a strided view): the first result
    # adopts it, the others are copies, so writing into one result never changes another.
    twice = _tensorc_rt.Kernel(aliasing_object, "twice", [(F32, 1)], [(F32, 1), (F32, 1), (F32, 1)], [])
    x = np.arange(7, dtype=np.float32)
    a, b, odd = twice.call(x)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(odd, x[1::2][:3])
    assert not np.shares_memory(a, b) and not np.shares_memory(a, odd) and not np.shares_memory(b, odd)
    a[1] = 100
    assert b[1] == 1 and odd[0] == 1
    del a, b
    gc.collect()
    np.testing.assert_array_equal(odd, [1, 3, 5])


# ----------------------------------------------------------------------------------------------------
# Runtime checks


def test_failed_check_raises_formatted_error_and_next_call_works():
    kernel = make_kernel(
        CHECKED_TAKE, "take", [(F32, 1), (F32, 1), (I64, 0)], [(F32, 0)], TAKE_MESSAGES
    )
    fn, _ = make_function(kernel, [("x", np.float32, 1), ("y", np.float32, 1), ("i", np.int64, 0)])
    x = np.arange(5, dtype=np.float32) * 10
    assert float(fn(x, x, 3)) == 30.0
    with pytest.raises(ValueError, match=r"^x and y must have the same length, got 5 and 4$"):
        fn(x, x[:4], 1)
    assert float(fn(x, x, 4)) == 40.0
    with pytest.raises(IndexError, match=r"^index 7 is out of bounds for axis 0 with size 5$"):
        fn(x, x, 7)
    with pytest.raises(IndexError, match=r"^index -1 is out of bounds"):
        fn(x, x, -1)
    # Only the first failure of a call is reported.
    with pytest.raises(ValueError, match="same length"):
        fn(x, x[:2], 9)
    assert float(fn(x, x, 0)) == 0.0


def test_unknown_check_code():
    kernel = make_kernel(CHECKED_TAKE, "take", [(F32, 1), (F32, 1), (I64, 0)], [(F32, 0)], [])
    x = np.ones(3, np.float32)
    with pytest.raises(ValueError, match=r"runtime check 1 failed \(values 5, 3\)"):
        kernel.call(x, x, np.array(5))


# ----------------------------------------------------------------------------------------------------
# Argument checking


def test_argument_count_dtype_and_rank_errors():
    kernel = make_kernel(SUM_PROD, "sum_prod", [(F64, 2), (F64, 2)], [(F64, 2), (F64, 2)])
    fn, _ = make_function(kernel, [("x", np.float64, 2), ("y", np.float64, 2)], False, "loss")
    x = np.ones((2, 2))
    with pytest.raises(TypeError, match=r"^loss\(\) takes 2 arguments \(x, y\) but 3 were given$"):
        fn(x, x, x)
    with pytest.raises(TypeError, match=r"^loss\(\) takes 2 arguments \(x, y\) but 1 was given$"):
        fn(x)
    with pytest.raises(TypeError, match=r"^argument 'y': expected a 2-d array, got 3-d$"):
        fn(x, np.ones((2, 2, 2)))
    with pytest.raises(TypeError, match=r"^argument 'x': expected a 2-d array, got a Python float$"):
        fn(1.0, x)
    with pytest.raises(TypeError, match=r"^argument 'y': expected float64, got complex128"):
        fn(x, x.astype(np.complex128))
    with pytest.raises(TypeError, match=r"argument 'x': expected float64, got <U1"):
        fn(np.array([["a"]]), x)
    # Safe conversions are accepted (and copied).
    np.testing.assert_array_equal(fn(x.astype(np.float32), x.astype(np.int32))[0], 2 * x)
    # Keyword arguments bind by name.
    s, _ = fn(y=np.full((2, 2), 3.0), x=x)
    np.testing.assert_array_equal(s, np.full((2, 2), 4.0))
    with pytest.raises(TypeError, match="got multiple values for argument 'x'"):
        fn(x, x=x)
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        fn(x, z=x)
    with pytest.raises(TypeError, match="missing argument 'y'"):
        fn(x=x)


def test_float32_input_rejects_float64_array(add1):
    fn, _ = make_function(add1, [("x", np.float32, 1)])
    with pytest.raises(TypeError, match=r"^argument 'x': expected float32, got float64 \(no silent downcast\)$"):
        fn(np.ones(3))
    with pytest.raises(TypeError, match=r"^argument 'x': expected float32, got int64"):
        fn(np.ones(3, np.int64))  # int64 -> float32 is not a safe cast either


def test_function_spec_errors():
    with pytest.raises(TypeError, match=r"\(name: str, dtype, ndim: int\)"):
        _tensorc_rt.Function([("x", np.float32)], True, lambda mask: None)
    with pytest.raises(ValueError, match="unsupported dtype object"):
        _tensorc_rt.Function([("x", object, 1)], True, lambda mask: None)
    with pytest.raises(TypeError, match="must be callable"):
        _tensorc_rt.Function([("x", np.float32, 1)], True, 5)
    # A non-native byte order in a spec means the same dtype in native order.
    fn = _tensorc_rt.Function([("x", ">f4", 1)], True, lambda mask: None, "g")
    assert fn.name == "g" and fn.specializations == 0


def test_compile_must_return_matching_kernel(add1):
    bad = _tensorc_rt.Function([("x", np.float64, 1)], True, lambda mask: add1)
    with pytest.raises(RuntimeError, match="compiled kernel input 0"):
        bad(np.ones(2))
    worse = _tensorc_rt.Function([("x", np.float32, 1)], True, lambda mask: "nope")
    with pytest.raises(TypeError, match="must return a tensorc Kernel"):
        worse(np.ones(2, np.float32))
    with pytest.raises(ZeroDivisionError):
        _tensorc_rt.Function([("x", np.float32, 1)], True, lambda mask: 1 / 0)(np.ones(2, np.float32))


# ----------------------------------------------------------------------------------------------------
# Specialization on unit dimensions


def test_specialization_mask_compiled_once_per_mask():
    kernel = make_kernel(SUM_PROD, "sum_prod", [(F64, 2), (F64, 2)], [(F64, 2), (F64, 2)])
    fn, asked = make_function(kernel, [("x", np.float64, 2), ("y", np.float64, 2)], False)
    before = _tensorc_rt.stats()["specializations"]
    shapes = [((3, 4), (3, 4)), ((1, 4), (1, 4)), ((3, 1), (3, 1)), ((3, 4), (3, 4)), ((1, 4), (1, 4))]
    for sx, sy in shapes:
        fn(np.ones(sx), np.ones(sy))
    # Bits: x dim 0 -> 1, x dim 1 -> 2, y dim 0 -> 4, y dim 1 -> 8.
    assert asked == [0, 1 | 4, 2 | 8]
    assert fn.specializations == 3 and fn.masks == [0, 5, 10]
    assert _tensorc_rt.stats()["specializations"] - before == 3
    fn(np.ones((1, 1)), np.ones((1, 1)))
    assert asked[-1] == 15 and fn.specializations == 4


def test_mask_is_zero_beyond_64_dimensions(add1):
    specs = [(f"a{i}", np.float32, 33) for i in range(2)]  # 66 dimensions in total
    asked = []
    fn = _tensorc_rt.Function(specs, True, lambda mask: asked.append(mask))
    with pytest.raises(TypeError):  # our callback returns None; the mask it saw is what matters
        fn(np.ones((1,) * 33, np.float32), np.ones((1,) * 33, np.float32))
    assert asked == [0]


# ----------------------------------------------------------------------------------------------------
# JIT and compiler behaviour


def test_same_symbol_in_two_objects_does_not_clash():
    doubled = ADD_SCALAR.replace("arith.addf %a, %one", "arith.mulf %a, %one").replace("1.0 : f32", "2.0 : f32")
    k1 = make_kernel(ADD_SCALAR, "add1", [(F32, 1)], [(F32, 1)])
    k2 = make_kernel(doubled, "add1", [(F32, 1)], [(F32, 1)])
    x = np.arange(4, dtype=np.float32)
    np.testing.assert_array_equal(k1.call(x)[0], x + 1)
    np.testing.assert_array_equal(k2.call(x)[0], x * 2)


def test_kernels_can_be_loaded_and_unloaded_repeatedly():
    obj, _ = lower(ADD_SCALAR)
    before = _tensorc_rt.stats()["objects_loaded"]
    x = np.arange(3, dtype=np.float32)
    for _ in range(50):
        k = _tensorc_rt.Kernel(obj, "add1", [(F32, 1)], [(F32, 1)], [])
        np.testing.assert_array_equal(k.call(x)[0], x + 1)
        del k
    assert _tensorc_rt.stats()["objects_loaded"] - before == 50


def test_load_errors_are_runtime_errors():
    obj, _ = lower(ADD_SCALAR)
    with pytest.raises(RuntimeError, match="_mlir_ciface_nope"):
        _tensorc_rt.Kernel(obj, "nope", [(F32, 1)], [(F32, 1)], [])
    with pytest.raises(RuntimeError):
        _tensorc_rt.Kernel(b"not an object file", "add1", [(F32, 1)], [(F32, 1)], [])
    with pytest.raises(ValueError, match="unsupported input dtype"):
        _tensorc_rt.Kernel(obj, "add1", [(np.dtype(object).num, 1)], [(F32, 1)], [])


def test_compile_errors_are_runtime_errors():
    with ir.Context():
        not_lowered = ir.Module.parse(ADD_SCALAR)
        with pytest.raises(RuntimeError, match="LLVM"):
            _tensorc.compile_object(not_lowered)
        with pytest.raises(ValueError):
            _tensorc.compile_object(not_lowered, opt_level=7)
    with pytest.raises(TypeError):
        _tensorc.compile_object("module")


def test_vectorized_for_host():
    with ir.Context():
        module = ir.Module.parse(ADD_SCALAR)
        passmanager.PassManager.parse(TENSOR_PIPELINE).run(module.operation)
        asm = _tensorc.emit_assembly(module)
        llvm_ir = _tensorc.emit_llvm_ir(module)
        unoptimized = _tensorc.emit_llvm_ir(module, opt_level=0)
    assert "<8 x float>" in llvm_ir or "<16 x float>" in llvm_ir  # the loop vectorizer ran
    assert "<8 x float>" not in unoptimized
    if "+avx2" in _tensorc.host_cpu():
        assert "ymm" in asm or "zmm" in asm
    assert _tensorc.llvm_version().startswith("22.")


EXP_POW = """
#id = affine_map<(d0) -> (d0)>
func.func @exp_pow(%x: tensor<?xf64> {bufferization.writable = false}) -> tensor<?xf64>
    attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf64>
  %init = tensor.empty(%n) : tensor<?xf64>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf64>) outs(%init : tensor<?xf64>) {
  ^bb0(%a: f64, %o: f64):
    %e = math.exp %a : f64
    %p = math.powf %e, %a : f64
    %s = math.sin %p : f64
    linalg.yield %s : f64
  } -> tensor<?xf64>
  return %r : tensor<?xf64>
}
"""


def test_libm_functions_resolve():
    # exp/pow/sin become libm calls (exp, pow, sin or their vector-split forms): the JIT must find
    # them although the extension module's libraries are not in the global symbol scope.
    kernel = make_kernel(EXP_POW, "exp_pow", [(F64, 1)], [(F64, 1)])
    x = np.linspace(-2, 2, 37)
    np.testing.assert_allclose(kernel.call(x)[0], np.sin(np.exp(x) ** x), rtol=1e-13)


def test_large_calls_release_the_gil(add1):
    fn, _ = make_function(add1, [("x", np.float32, 1)])
    x = np.arange(1 << 18, dtype=np.float32)
    errors = []

    def work():
        try:
            for _ in range(20):
                np.testing.assert_array_equal(fn(x), x + 1)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_function_cycles_are_collected(add1):
    class Sentinel:
        pass

    holder = [Sentinel()]
    fn = _tensorc_rt.Function([("x", np.float32, 1)], True, lambda mask: (holder, add1)[1])
    holder.append(fn)  # compile callback -> holder -> fn -> compile callback
    fn(np.ones(2, np.float32))
    ref = weakref.ref(holder[0])
    del fn, holder
    gc.collect()
    assert ref() is None


def test_refcounts_do_not_leak(add1):
    fn, _ = make_function(add1, [("x", np.float32, 1)])
    x = np.ones(8, np.float32)
    fn(x)
    before = sys.getrefcount(x)
    for _ in range(100):
        fn(x)
    assert sys.getrefcount(x) == before
