// The one view of MLIR's ranked memref descriptor, for every place that reads or writes one: the
// bindings packing kernel inputs and unpacking results (cpp/python/Kernel.cpp) and the runtime's
// `memrefCopy` (Runtime/KernelAbi.cpp).
//
// A descriptor of rank r is 3 + 2r int64 words, as the LLVM lowering of memref lays it out and as
// `_mlir_ciface_*` entry points take it:
//     { allocated pointer, aligned pointer, offset, sizes[r], strides[r] }
// with the offset and strides counted in elements. Plain C++ (no MLIR types): the nanobind side, built
// with RTTI, includes it too.
#ifndef TENSORC_RUNTIME_MEMREFDESCRIPTOR_H
#define TENSORC_RUNTIME_MEMREFDESCRIPTOR_H

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace tensorc::runtime {

/// What `memref.get_global` puts in the allocated-pointer word of a constant's descriptor: the memory
/// lies inside the loaded object and belongs to nobody.
inline constexpr uintptr_t kGlobalAllocatedMarker = 0xdeadbeef;

/// Number of int64 words of a ranked descriptor of `rank`.
constexpr size_t memrefDescriptorWords(int64_t rank) { return 3 + 2 * static_cast<size_t>(rank); }

/// A view over the words of one ranked descriptor. `Word` is `int64_t` to write it, `const int64_t` to
/// read it. The view does not own the words.
template <typename Word>
class BasicMemrefView {
  static_assert(std::is_same_v<std::remove_const_t<Word>, int64_t>, "descriptor words are int64");

public:
  BasicMemrefView(Word *words, int64_t rank) : words_(words), rank_(rank) {}

  int64_t rank() const { return rank_; }
  Word *words() const { return words_; }

  /// The pointer malloc returned (what must be freed), as an int64 word.
  Word &allocated() const { return words_[0]; }
  /// The pointer the elements are addressed from (at or after `allocated`), as an int64 word.
  Word &aligned() const { return words_[1]; }
  Word &offset() const { return words_[2]; }
  Word &size(int64_t dim) const { return words_[3 + dim]; }
  Word &stride(int64_t dim) const { return words_[3 + rank_ + dim]; }
  Word *sizes() const { return words_ + 3; }
  Word *strides() const { return words_ + 3 + rank_; }

  /// Address of the first element: aligned + offset elements of `elementSize` bytes.
  char *data(int64_t elementSize) const {
    return reinterpret_cast<char *>(aligned()) + offset() * elementSize;
  }

  /// Describes the C-contiguous buffer `data` of `shape[0, rank)` with the identity layout: allocated =
  /// aligned = data, offset 0 and the row-major strides. The strides are computed, never taken from the
  /// caller: NumPy leaves those of size-1 and empty dimensions unspecified, and MLIR's identity layout
  /// requires the canonical ones. Returns the number of elements.
  template <typename Extent>
  int64_t setContiguous(const void *data, const Extent *shape) const {
    static_assert(!std::is_const_v<Word>, "a read-only view cannot be filled");
    const auto address = static_cast<int64_t>(reinterpret_cast<uintptr_t>(data));
    allocated() = address;
    aligned() = address;
    offset() = 0;
    int64_t elements = 1;
    for (int64_t dim = rank_ - 1; dim >= 0; --dim) {
      size(dim) = static_cast<int64_t>(shape[dim]);
      stride(dim) = elements;
      elements *= static_cast<int64_t>(shape[dim]);
    }
    return elements;
  }

private:
  Word *words_;
  int64_t rank_;
};

using MemrefView = BasicMemrefView<int64_t>;
using ConstMemrefView = BasicMemrefView<const int64_t>;

/// MLIR's `UnrankedMemRefType<T>`: the rank and a pointer to a ranked descriptor, as `memref.copy`
/// passes its operands to the library fallback `memrefCopy`.
struct UnrankedMemref {
  int64_t rank;
  void *descriptor;

  ConstMemrefView view() const { return {static_cast<const int64_t *>(descriptor), rank}; }
};

} // namespace tensorc::runtime

#endif // TENSORC_RUNTIME_MEMREFDESCRIPTOR_H
