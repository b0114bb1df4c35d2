// tensorc-forward-to-output: a temporary that the last loop of its block turns, element by element,
// into an output of the same shape is computed in that output.
// RUN: tensorc-opt %s -split-input-file -tensorc-forward-to-output | FileCheck %s

// Fires: a row block's tile buffer (softmax's e), written, summed, then scaled into the block's view of
// the result. The view moves to the buffer's place and replaces it everywhere, its subviews included;
// the allocation and its dealloc are gone.
// CHECK-LABEL: func.func @row_block
// CHECK: scf.parallel (%[[I:.+]]) =
// CHECK-NOT: memref.alloc(%{{.+}}, %{{.+}})
// CHECK: %[[OUT:.+]] = memref.subview %{{.+}}[%[[I]], 0]
// CHECK: memref.store %{{.+}}, %[[OUT]][%{{.+}}, %{{.+}}]
// CHECK: memref.subview %[[OUT]][
// CHECK: memref.load %[[OUT]][%[[R:.+]], %[[C:.+]]]
// CHECK: memref.store %{{.+}}, %[[OUT]][%[[R]], %[[C]]]
// CHECK-NOT: memref.dealloc %{{.+}} : memref<?x?xf32>
// CHECK: return
func.func @row_block(%x: memref<?x?xf32>, %n: index, %m: index) -> memref<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %s = arith.constant 2.0 : f32
  %res = memref.alloc(%n, %m) : memref<?x?xf32>
  scf.parallel (%i) = (%c0) to (%n) step (%c8) {
    %rows = affine.min affine_map<(d0)[s0] -> (-d0 + s0, 8)>(%i)[%n]
    %tmp = memref.alloc(%rows, %m) : memref<?x?xf32>
    scf.parallel (%r, %c) = (%c0, %c0) to (%rows, %m) step (%c1, %c1) {
      %v = memref.load %x[%r, %c] : memref<?x?xf32>
      %e = math.exp %v : f32
      memref.store %e, %tmp[%r, %c] : memref<?x?xf32>
      scf.reduce
    }
    %acc = memref.alloc() : memref<f32>
    %part = memref.subview %tmp[0, 0] [%rows, %m] [1, 1] : memref<?x?xf32> to memref<?x?xf32, strided<[?, 1]>>
    scf.for %r = %c0 to %rows step %c1 {
      scf.for %c = %c0 to %m step %c1 {
        %v = memref.load %part[%r, %c] : memref<?x?xf32, strided<[?, 1]>>
        %a = memref.load %acc[] : memref<f32>
        %b = arith.addf %a, %v : f32
        memref.store %b, %acc[] : memref<f32>
      }
    }
    %out = memref.subview %res[%i, 0] [%rows, %m] [1, 1] : memref<?x?xf32> to memref<?x?xf32, strided<[?, 1], offset: ?>>
    scf.parallel (%r, %c) = (%c0, %c0) to (%rows, %m) step (%c1, %c1) {
      %v = memref.load %tmp[%r, %c] : memref<?x?xf32>
      %w = arith.mulf %v, %s : f32
      memref.store %w, %out[%r, %c] : memref<?x?xf32, strided<[?, 1], offset: ?>>
      scf.reduce
    }
    memref.dealloc %tmp : memref<?x?xf32>
    memref.dealloc %acc : memref<f32>
    scf.reduce
  }
  return %res : memref<?x?xf32>
}

// -----

// Fires: a fresh output of the function, allocated after the temporary and returned.
// CHECK-LABEL: func.func @fresh_output
// CHECK: %[[OUT:.+]] = memref.alloc(%{{.+}}) : memref<?xf32>
// CHECK-NOT: memref.alloc
// CHECK: memref.store %{{.+}}, %[[OUT]][
// CHECK: memref.load %[[OUT]][%[[I:.+]]]
// CHECK: memref.store %{{.+}}, %[[OUT]][%[[I]]]
// CHECK: return %[[OUT]]
func.func @fresh_output(%x: memref<?xf32>, %n: index) -> memref<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %tmp = memref.alloc(%n) : memref<?xf32>
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %v = memref.load %x[%i] : memref<?xf32>
    %e = math.exp %v : f32
    memref.store %e, %tmp[%i] : memref<?xf32>
    scf.reduce
  }
  %out = memref.alloc(%n) : memref<?xf32>
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %v = memref.load %tmp[%i] : memref<?xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %out[%i] : memref<?xf32>
    scf.reduce
  }
  memref.dealloc %tmp : memref<?xf32>
  return %out : memref<?xf32>
}

// -----

// Must not fire: the last loop reads the temporary transposed; in the output, tmp[c, r] would already
// have been overwritten by out[c, r].
// CHECK-LABEL: func.func @transposed_read
// CHECK: %[[TMP:.+]] = memref.alloc
// CHECK: memref.load %[[TMP]][%{{.+}}, %{{.+}}]
// CHECK: memref.dealloc %[[TMP]]
func.func @transposed_read(%x: memref<?x?xf32>, %n: index) -> memref<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %tmp = memref.alloc(%n, %n) : memref<?x?xf32>
  scf.parallel (%r, %c) = (%c0, %c0) to (%n, %n) step (%c1, %c1) {
    %v = memref.load %x[%r, %c] : memref<?x?xf32>
    memref.store %v, %tmp[%r, %c] : memref<?x?xf32>
    scf.reduce
  }
  %out = memref.alloc(%n, %n) : memref<?x?xf32>
  scf.parallel (%r, %c) = (%c0, %c0) to (%n, %n) step (%c1, %c1) {
    %v = memref.load %tmp[%c, %r] : memref<?x?xf32>
    memref.store %v, %out[%r, %c] : memref<?x?xf32>
    scf.reduce
  }
  memref.dealloc %tmp : memref<?x?xf32>
  return %out : memref<?x?xf32>
}

// -----

// Must not fire: the output is read before the last loop (it holds values the temporary would clobber).
// CHECK-LABEL: func.func @output_read_before
// CHECK: %[[TMP:.+]] = memref.alloc
// CHECK: memref.dealloc %[[TMP]]
func.func @output_read_before(%x: memref<?xf32>, %n: index) -> memref<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %out = memref.alloc(%n) : memref<?xf32>
  %tmp = memref.alloc(%n) : memref<?xf32>
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %v = memref.load %x[%i] : memref<?xf32>
    memref.store %v, %out[%i] : memref<?xf32>
    memref.store %v, %tmp[%i] : memref<?xf32>
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %v = memref.load %tmp[%i] : memref<?xf32>
    %o = memref.load %out[%i] : memref<?xf32>
    %w = arith.addf %v, %o : f32
    memref.store %w, %out[%i] : memref<?xf32>
    scf.reduce
  }
  memref.dealloc %tmp : memref<?xf32>
  return %out : memref<?xf32>
}

// -----

// Must not fire: the last loop writes only part of the output, and the temporary goes to a copy.
// CHECK-LABEL: func.func @partial_write
// CHECK: %[[TMP:.+]] = memref.alloc
// CHECK: memref.dealloc %[[TMP]]
// CHECK-LABEL: func.func @copied
// CHECK: %[[TMP2:.+]] = memref.alloc
// CHECK: memref.copy %[[TMP2]]
func.func @partial_write(%x: memref<?xf32>, %n: index, %k: index) -> memref<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %tmp = memref.alloc(%n) : memref<?xf32>
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %v = memref.load %x[%i] : memref<?xf32>
    memref.store %v, %tmp[%i] : memref<?xf32>
    scf.reduce
  }
  %out = memref.alloc(%n) : memref<?xf32>
  scf.parallel (%i) = (%c0) to (%k) step (%c1) {
    %v = memref.load %tmp[%i] : memref<?xf32>
    memref.store %v, %out[%i] : memref<?xf32>
    scf.reduce
  }
  memref.dealloc %tmp : memref<?xf32>
  return %out : memref<?xf32>
}
func.func @copied(%x: memref<?xf32>, %y: memref<?xf32>, %n: index) -> memref<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %tmp = memref.alloc(%n) : memref<?xf32>
  memref.copy %x, %tmp : memref<?xf32> to memref<?xf32>
  memref.copy %tmp, %y : memref<?xf32> to memref<?xf32>
  %out = memref.alloc(%n) : memref<?xf32>
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %v = memref.load %tmp[%i] : memref<?xf32>
    memref.store %v, %out[%i] : memref<?xf32>
    scf.reduce
  }
  memref.dealloc %tmp : memref<?xf32>
  return %out : memref<?xf32>
}
