// tensorc-identity-if-results: bufferized scf.if results whose branches all yield identity-layout
// buffers get the identity layout, and a returned copy of such a result is replaced by the result.
// RUN: tensorc-opt %s -split-input-file -tensorc-identity-if-results | FileCheck %s

// Fires: the guard's shape: a placeholder in one branch, the computed buffer in the other, both cast
// to the fully dynamic layout; the copy made to return it is gone.
// CHECK-LABEL: func.func @checked
// CHECK: %[[R:.+]] = scf.if %{{.+}} -> (memref<?x?xf32>) {
// CHECK: %[[P:.+]] = memref.cast %{{.+}} : memref<0x0xf32> to memref<?x?xf32>
// CHECK-NEXT: scf.yield %[[P]] : memref<?x?xf32>
// CHECK: } else {
// CHECK: %[[A:.+]] = memref.alloc(%{{.+}}, %{{.+}}) : memref<?x?xf32>
// CHECK: scf.yield %[[A]] : memref<?x?xf32>
// CHECK-NOT: memref.copy
// CHECK: return %[[R]] : memref<?x?xf32>
func.func @checked(%x: memref<?x?xf32>, %bad: i1) -> memref<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.if %bad -> (memref<?x?xf32, strided<[?, ?], offset: ?>>) {
    %p = memref.alloc() : memref<0x0xf32>
    %pc = memref.cast %p : memref<0x0xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    scf.yield %pc : memref<?x?xf32, strided<[?, ?], offset: ?>>
  } else {
    %m = memref.dim %x, %c0 : memref<?x?xf32>
    %n = memref.dim %x, %c1 : memref<?x?xf32>
    %a = memref.alloc(%m, %n) : memref<?x?xf32>
    memref.copy %x, %a : memref<?x?xf32> to memref<?x?xf32>
    %ac = memref.cast %a : memref<?x?xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    scf.yield %ac : memref<?x?xf32, strided<[?, ?], offset: ?>>
  }
  %m = memref.dim %r, %c0 : memref<?x?xf32, strided<[?, ?], offset: ?>>
  %n = memref.dim %r, %c1 : memref<?x?xf32, strided<[?, ?], offset: ?>>
  %out = memref.alloc(%m, %n) : memref<?x?xf32>
  memref.copy %r, %out : memref<?x?xf32, strided<[?, ?], offset: ?>> to memref<?x?xf32>
  return %out : memref<?x?xf32>
}

// -----

// Must not fire: a branch yields a strided view (a column of the input), so the result needs the
// dynamic layout, and returning it needs the copy.
// CHECK-LABEL: func.func @view_in_a_branch
// CHECK: scf.if %{{.+}} -> (memref<?xf32, strided<[?], offset: ?>>)
// CHECK: memref.copy
// CHECK: return
func.func @view_in_a_branch(%x: memref<?x?xf32>, %bad: i1) -> memref<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = memref.dim %x, %c0 : memref<?x?xf32>
  %r = scf.if %bad -> (memref<?xf32, strided<[?], offset: ?>>) {
    %p = memref.alloc() : memref<0xf32>
    %pc = memref.cast %p : memref<0xf32> to memref<?xf32, strided<[?], offset: ?>>
    scf.yield %pc : memref<?xf32, strided<[?], offset: ?>>
  } else {
    %col = memref.subview %x[0, 1] [%m, 1] [1, 1] : memref<?x?xf32> to memref<?xf32, strided<[?], offset: 1>>
    %cc = memref.cast %col : memref<?xf32, strided<[?], offset: 1>> to memref<?xf32, strided<[?], offset: ?>>
    scf.yield %cc : memref<?xf32, strided<[?], offset: ?>>
  }
  %n = memref.dim %r, %c0 : memref<?xf32, strided<[?], offset: ?>>
  %out = memref.alloc(%n) : memref<?xf32>
  memref.copy %r, %out : memref<?xf32, strided<[?], offset: ?>> to memref<?xf32>
  return %out : memref<?xf32>
}

// -----

// Must not fire (the copy): the returned buffer is also written after the copy, and a copy of an
// argument stays (the caller owns it). The if is still retyped: both its yields are identity buffers.
// CHECK-LABEL: func.func @copy_still_needed
// CHECK: scf.if %{{.+}} -> (memref<4xf32>)
// CHECK: memref.copy %{{.+}}, %[[OUT:.+]] :
// CHECK: memref.store %{{.+}}, %[[OUT]]
// CHECK: memref.copy %{{.+}}, %[[OUT2:.+]] :
// CHECK: return %[[OUT]], %[[OUT2]]
func.func @copy_still_needed(%x: memref<4xf32>, %bad: i1) -> (memref<4xf32>, memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %f = arith.constant 1.0 : f32
  %r = scf.if %bad -> (memref<4xf32, strided<[?], offset: ?>>) {
    %p = memref.alloc() : memref<4xf32>
    %pc = memref.cast %p : memref<4xf32> to memref<4xf32, strided<[?], offset: ?>>
    scf.yield %pc : memref<4xf32, strided<[?], offset: ?>>
  } else {
    %a = memref.alloc() : memref<4xf32>
    %ac = memref.cast %a : memref<4xf32> to memref<4xf32, strided<[?], offset: ?>>
    scf.yield %ac : memref<4xf32, strided<[?], offset: ?>>
  }
  %out = memref.alloc() : memref<4xf32>
  memref.copy %r, %out : memref<4xf32, strided<[?], offset: ?>> to memref<4xf32>
  memref.store %f, %out[%c0] : memref<4xf32>
  %out2 = memref.alloc() : memref<4xf32>
  memref.copy %x, %out2 : memref<4xf32> to memref<4xf32>
  return %out, %out2 : memref<4xf32>, memref<4xf32>
}
