// tensorc-widen-bool-memrefs: i1 buffers become i8, loads truncate, stores extend.
// RUN: tensorc-opt %s -tensorc-widen-bool-memrefs | FileCheck %s

// CHECK-LABEL: func.func @widened(
// CHECK-SAME: %{{.*}}: memref<?xi8>
// CHECK: %[[A:.+]] = memref.alloc(%{{.*}}) : memref<?xi8>
// CHECK: %[[W:.+]] = arith.extui %{{.*}} : i1 to i8
// CHECK: memref.store %[[W]], %[[A]]
// CHECK: %[[L:.+]] = memref.load %{{.*}} : memref<?xi8>
// CHECK: arith.trunci %[[L]] : i8 to i1
// CHECK: memref.dealloc %[[A]] : memref<?xi8>
func.func @widened(%m: memref<?xi1>, %n: index, %b: i1) -> i1 {
  %c0 = arith.constant 0 : index
  %a = memref.alloc(%n) : memref<?xi1>
  memref.store %b, %a[%c0] : memref<?xi1>
  %v = memref.load %m[%c0] : memref<?xi1>
  memref.dealloc %a : memref<?xi1>
  return %v : i1
}

// Must not fire on other element types.
// CHECK-LABEL: func.func @untouched(
// CHECK-SAME: memref<?xf32>
// CHECK-NOT: arith.extui
// CHECK: memref.load %{{.*}} : memref<?xf32>
func.func @untouched(%m: memref<?xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %v = memref.load %m[%c0] : memref<?xf32>
  return %v : f32
}
