// Loading compiled objects without LLVM: a small static linker for the ELF relocatable objects that
// code generation produces (x86-64, small code model), run in the process at load time.
//
// Why: linking through ORC needs libLLVM (136 MB) in the process, and loading it costs about 70 ms,
// which is most of a cache hit's budget (issue 8: a warm-cache first call in <= 30 ms, with no MLIR or
// LLVM loaded). The objects are simple: .text, .rodata* constants, perhaps .data/.bss, and .eh_frame
// (not needed: nothing unwinds through a kernel), with PC32/PLT32 relocations against their own
// sections and calls to libc/libm and the runtime (measured over 400 fuzzer objects: only those two
// relocation types). The loader lays the allocated sections out in one mapping, code first, gives every
// external function a GOT slot and a `jmp *slot(%rip)` stub within reach of a 32-bit displacement, applies
// the relocations, and makes the code read+execute and the rest read-only (or read-write when the
// object has writable data).
//
// Anything else (another machine, TLS, init arrays, COMMON symbols, relocation types it does not know,
// a displacement out of range) is "unsupported", never guessed at: loadObject then hands the object to
// the fallback loader (the ORC JIT of the compiler module, Target/CPU/OrcLoader.cpp) when one is
// registered, and otherwise says that it needs it.
#include "tensorc/Runtime/Api.h"

#include "tensorc/Checks/CheckProtocol.h"
#include "tensorc/Runtime/Blas.h"
#include "tensorc/Runtime/KernelAbi.h"
#include "tensorc/Runtime/ThreadPool.h"

#include <dlfcn.h>
#include <elf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

namespace tensorc::runtime {

//===------------------------------------------------------------------------------------------------===//
// The definitions kernels link against first.
//===------------------------------------------------------------------------------------------------===//

const RuntimeSymbol *runtimeSymbols() {
  // The allocator is pinned to the one this library calls: result buffers malloc'd by a kernel are
  // released by the runtime's std::free (the capsule that owns an output array). Resolving them by
  // name could pick another allocator (an LD_PRELOADed jemalloc or sanitizer vs libc), and memory from
  // one freed by the other corrupts the heap. malloc raises MemoryError instead of returning null.
  static const RuntimeSymbol symbols[] = {
      {checks::kReportSymbol.data(), reinterpret_cast<void *>(&tensorc_report)},
      {"memrefCopy", reinterpret_cast<void *>(&memrefCopy)},
      {"tensorc_gemm_f32", reinterpret_cast<void *>(&tensorc_gemm_f32)},
      {"tensorc_gemm_f64", reinterpret_cast<void *>(&tensorc_gemm_f64)},
      {"tensorc_parallel_for", reinterpret_cast<void *>(&tensorc_parallel_for)},
      {"malloc", reinterpret_cast<void *>(&tensorc_malloc)},
      {"free", reinterpret_cast<void *>(static_cast<void (*)(void *)>(&std::free))},
      {"calloc", reinterpret_cast<void *>(static_cast<void *(*)(size_t, size_t)>(&std::calloc))},
      {"realloc", reinterpret_cast<void *>(static_cast<void *(*)(void *, size_t)>(&std::realloc))},
      {"aligned_alloc", reinterpret_cast<void *>(static_cast<void *(*)(size_t, size_t)>(&std::aligned_alloc))},
      {nullptr, nullptr},
  };
  return symbols;
}

namespace {

std::atomic<FallbackLoader *> fallback{nullptr};

/// A symbol the process provides: the runtime's own first, then the global scope, then libm and
/// libgcc_s by handle (extension modules are loaded RTLD_LOCAL, so expf or __powidf2 need not be in
/// the global scope; the same order as the ORC loader's).
void *resolveExternal(const char *name) {
  for (const RuntimeSymbol *s = runtimeSymbols(); s->name; ++s)
    if (std::strcmp(s->name, name) == 0)
      return s->address;
  if (void *address = dlsym(RTLD_DEFAULT, name))
    return address;
  static void *libraries[2] = {dlopen("libm.so.6", RTLD_LAZY), dlopen("libgcc_s.so.1", RTLD_LAZY)};
  for (void *library : libraries)
    if (library)
      if (void *address = dlsym(library, name))
        return address;
  return nullptr;
}

struct Unsupported {
  std::string why;
};

/// The relocatable object being linked; every read is bounds-checked (a cache entry passed a checksum,
/// but a loader must not trust an object's offsets).
class ElfObject {
public:
  ElfObject(const unsigned char *data, size_t size) : data_(data), size_(size) {}

  template <typename T>
  const T *at(uint64_t offset, uint64_t count = 1) const {
    if (offset > size_ || count > (size_ - offset) / sizeof(T))
      throw Unsupported{"an offset points outside the object"};
    return reinterpret_cast<const T *>(data_ + offset);
  }
  const char *string(const Elf64_Shdr &table, uint32_t offset) const {
    if (offset >= table.sh_size)
      throw Unsupported{"a name points outside its string table"};
    const char *s = at<char>(table.sh_offset + offset, table.sh_size - offset);
    if (!memchr(s, 0, table.sh_size - offset))
      throw Unsupported{"an unterminated name"};
    return s;
  }

private:
  const unsigned char *data_;
  size_t size_;
};

bool fitsInt32(int64_t v) {
  return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
}

uint64_t alignTo(uint64_t v, uint64_t a) { return a <= 1 ? v : (v + a - 1) / a * a; }

} // namespace

struct LoadedObject {
  void *memory = nullptr; // our mapping, or null when the fallback loader owns the object
  size_t length = 0;
  FallbackLoader *loader = nullptr;
  void *fallbackHandle = nullptr;
};

namespace {

/// Links `data` into fresh memory. Throws Unsupported; returns null with `error` for objects that are
/// supported but do not link (an unresolved symbol), as the ORC JIT would report them.
LoadedObject *linkObject(const unsigned char *data, size_t size, const std::string &entryName, void **entry,
                         std::string &error) {
  ElfObject elf(data, size);
  const auto &eh = *elf.at<Elf64_Ehdr>(0);
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      eh.e_ident[EI_DATA] != ELFDATA2LSB)
    throw Unsupported{"not a little-endian ELF64 object"};
  if (eh.e_type != ET_REL || eh.e_machine != EM_X86_64)
    throw Unsupported{"not an x86-64 relocatable object"};
  if (eh.e_shentsize != sizeof(Elf64_Shdr))
    throw Unsupported{"unexpected section header size"};
  const Elf64_Shdr *sections = elf.at<Elf64_Shdr>(eh.e_shoff, eh.e_shnum);
  const size_t numSections = eh.e_shnum;
  if (eh.e_shstrndx >= numSections)
    throw Unsupported{"no section name table"};
  const Elf64_Shdr &names = sections[eh.e_shstrndx];

  // 1. Which sections are loaded, and where (offsets into the code part or the data part).
  enum class Part { None, Code, Data };
  std::vector<Part> part(numSections, Part::None);
  std::vector<uint64_t> offset(numSections, 0);
  uint64_t codeSize = 0, dataSize = 0, maxAlign = 16;
  bool writable = false;
  const Elf64_Shdr *symtab = nullptr;
  for (size_t i = 0; i < numSections; ++i) {
    const Elf64_Shdr &s = sections[i];
    if (s.sh_type == SHT_SYMTAB) {
      if (symtab)
        throw Unsupported{"two symbol tables"};
      symtab = &s;
    }
    if (!(s.sh_flags & SHF_ALLOC))
      continue;
    const char *name = elf.string(names, s.sh_name);
    if (s.sh_type == SHT_X86_64_UNWIND || std::strcmp(name, ".eh_frame") == 0)
      continue; // unwind tables: nothing unwinds through a kernel
    if (s.sh_flags & SHF_TLS)
      throw Unsupported{std::string("thread-local section ") + name};
    if (s.sh_type != SHT_PROGBITS && s.sh_type != SHT_NOBITS)
      throw Unsupported{std::string("section ") + name + " of type " + std::to_string(s.sh_type)};
    const uint64_t align = s.sh_addralign ? s.sh_addralign : 1;
    if (align > 4096 || (align & (align - 1)))
      throw Unsupported{std::string("alignment of section ") + name};
    maxAlign = std::max(maxAlign, align);
    if (s.sh_flags & SHF_EXECINSTR) {
      part[i] = Part::Code;
      codeSize = alignTo(codeSize, align);
      offset[i] = codeSize;
      codeSize += s.sh_size;
    } else {
      part[i] = Part::Data;
      dataSize = alignTo(dataSize, align);
      offset[i] = dataSize;
      dataSize += s.sh_size;
      writable |= (s.sh_flags & SHF_WRITE) != 0;
    }
    if (s.sh_type == SHT_PROGBITS)
      elf.at<unsigned char>(s.sh_offset, s.sh_size); // in bounds
  }
  if (!symtab || symtab->sh_link >= numSections || symtab->sh_entsize != sizeof(Elf64_Sym))
    throw Unsupported{"no usable symbol table"};
  const Elf64_Shdr &strtab = sections[symtab->sh_link];
  const size_t numSymbols = symtab->sh_size / sizeof(Elf64_Sym);
  const Elf64_Sym *symbols = elf.at<Elf64_Sym>(symtab->sh_offset, numSymbols);

  // 2. The relocations to apply (those of loaded sections), and the GOT slots and stubs they need.
  struct Reloc {
    size_t section;
    const Elf64_Rela *rela;
  };
  std::vector<Reloc> relocs;
  std::unordered_map<uint32_t, uint32_t> gotSlot;  // symbol index -> slot
  std::unordered_map<uint32_t, uint32_t> stubSlot; // external function symbol index -> stub
  for (size_t i = 0; i < numSections; ++i) {
    const Elf64_Shdr &s = sections[i];
    if (s.sh_type == SHT_REL)
      throw Unsupported{"REL relocations"};
    if (s.sh_type != SHT_RELA || s.sh_info >= numSections || part[s.sh_info] == Part::None)
      continue;
    if (s.sh_link != static_cast<uint32_t>(symtab - sections) || s.sh_entsize != sizeof(Elf64_Rela))
      throw Unsupported{"relocations against another symbol table"};
    const size_t count = s.sh_size / sizeof(Elf64_Rela);
    const Elf64_Rela *relas = elf.at<Elf64_Rela>(s.sh_offset, count);
    for (size_t r = 0; r < count; ++r) {
      const uint32_t type = ELF64_R_TYPE(relas[r].r_info);
      const uint32_t sym = ELF64_R_SYM(relas[r].r_info);
      if (sym >= numSymbols)
        throw Unsupported{"a relocation names no symbol"};
      const bool external = symbols[sym].st_shndx == SHN_UNDEF && sym != 0;
      switch (type) {
      case R_X86_64_64:
      case R_X86_64_PC64:
      case R_X86_64_NONE:
        break;
      case R_X86_64_PC32: // data or address references: the target must be within reach
        break;
      case R_X86_64_PLT32: // calls: an external function out of reach goes through a stub
        if (external)
          stubSlot.emplace(sym, static_cast<uint32_t>(stubSlot.size()));
        break;
      case R_X86_64_GOTPCREL:
      case R_X86_64_GOTPCRELX:
      case R_X86_64_REX_GOTPCRELX:
        gotSlot.emplace(sym, static_cast<uint32_t>(gotSlot.size()));
        break;
      default:
        throw Unsupported{"relocation type " + std::to_string(type)};
      }
      const uint64_t width = type == R_X86_64_64 || type == R_X86_64_PC64 ? 8 : 4;
      if (relas[r].r_offset > sections[s.sh_info].sh_size ||
          width > sections[s.sh_info].sh_size - relas[r].r_offset)
        throw Unsupported{"a relocation outside its section"};
      if (sections[s.sh_info].sh_type == SHT_NOBITS)
        throw Unsupported{"a relocation in a NOBITS section"};
      relocs.push_back({s.sh_info, &relas[r]});
    }
  }
  // Stubs use GOT slots too (after the GOTPCREL ones).
  const uint32_t gotForStubs = static_cast<uint32_t>(gotSlot.size());

  // 3. Layout: [code | stubs] page-aligned [data | GOT].
  const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  constexpr uint64_t kStubSize = 8; // jmp *disp32(%rip) (6 bytes) + 2 bytes of int3
  const uint64_t stubsOffset = alignTo(codeSize, 16);
  const uint64_t dataStart = alignTo(stubsOffset + stubSlot.size() * kStubSize, page);
  const uint64_t gotOffset = alignTo(dataSize, 8);
  const uint64_t numGot = gotForStubs + stubSlot.size();
  const uint64_t length = alignTo(dataStart + gotOffset + numGot * 8, page);
  if (maxAlign > page)
    throw Unsupported{"alignment above the page size"};
  void *memory = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) {
    error = "cannot map memory for the object";
    return nullptr;
  }
  // Unmapped on every way out but success (errors and Unsupported alike).
  struct Mapping {
    void *memory;
    size_t length;
    bool keep = false;
    ~Mapping() {
      if (!keep)
        munmap(memory, length);
    }
  } mapping{memory, length};
  auto fail = [&](std::string why) -> LoadedObject * {
    error = std::move(why);
    return nullptr;
  };
  auto *base = static_cast<unsigned char *>(memory);
  std::vector<unsigned char *> address(numSections, nullptr);
  for (size_t i = 0; i < numSections; ++i) {
    if (part[i] == Part::None)
      continue;
    address[i] = base + (part[i] == Part::Code ? offset[i] : dataStart + offset[i]);
    if (sections[i].sh_type == SHT_PROGBITS)
      std::memcpy(address[i], data + sections[i].sh_offset, sections[i].sh_size);
  }
  auto *got = reinterpret_cast<uint64_t *>(base + dataStart + gotOffset);

  // 4. Symbol addresses.
  std::vector<uint64_t> symbolAddress(numSymbols, 0);
  for (size_t k = 1; k < numSymbols; ++k) {
    const Elf64_Sym &sym = symbols[k];
    const char *name = elf.string(strtab, sym.st_name);
    if (sym.st_shndx == SHN_UNDEF) {
      void *resolved = resolveExternal(name);
      if (!resolved && ELF64_ST_BIND(sym.st_info) != STB_WEAK && (gotSlot.count(k) || stubSlot.count(k)))
        return fail("cannot link object (symbol '" + entryName + "'): Symbols not found: [ " + name + " ]");
      symbolAddress[k] = reinterpret_cast<uint64_t>(resolved);
    } else if (sym.st_shndx == SHN_ABS) {
      symbolAddress[k] = sym.st_value;
    } else if (sym.st_shndx == SHN_COMMON) {
      throw Unsupported{std::string("COMMON symbol ") + name};
    } else if (sym.st_shndx < numSections && address[sym.st_shndx]) {
      symbolAddress[k] = reinterpret_cast<uint64_t>(address[sym.st_shndx]) + sym.st_value;
    }
  }
  for (auto [sym, slot] : gotSlot)
    got[slot] = symbolAddress[sym];
  for (auto [sym, slot] : stubSlot) {
    unsigned char *stub = base + stubsOffset + slot * kStubSize;
    const int64_t disp = reinterpret_cast<int64_t>(&got[gotForStubs + slot]) - reinterpret_cast<int64_t>(stub + 6);
    got[gotForStubs + slot] = symbolAddress[sym];
    const int32_t disp32 = static_cast<int32_t>(disp);
    stub[0] = 0xff;
    stub[1] = 0x25;
    std::memcpy(stub + 2, &disp32, 4);
    stub[6] = stub[7] = 0xcc;
  }

  // 5. Relocations (S: symbol, A: addend, P: place, G: the symbol's GOT slot).
  for (const Reloc &reloc : relocs) {
    const Elf64_Rela &rela = *reloc.rela;
    const uint32_t type = ELF64_R_TYPE(rela.r_info);
    const uint32_t sym = ELF64_R_SYM(rela.r_info);
    unsigned char *place = address[reloc.section] + rela.r_offset;
    const auto P = reinterpret_cast<int64_t>(place);
    int64_t S = static_cast<int64_t>(symbolAddress[sym]);
    const int64_t A = rela.r_addend;
    auto write32 = [&](int64_t value) {
      if (!fitsInt32(value))
        return false;
      const int32_t v = static_cast<int32_t>(value);
      std::memcpy(place, &v, 4);
      return true;
    };
    switch (type) {
    case R_X86_64_NONE:
      break;
    case R_X86_64_64: {
      const int64_t v = S + A;
      std::memcpy(place, &v, 8);
      break;
    }
    case R_X86_64_PC64: {
      const int64_t v = S + A - P;
      std::memcpy(place, &v, 8);
      break;
    }
    case R_X86_64_PC32:
    case R_X86_64_PLT32:
      if (auto stub = stubSlot.find(sym); type == R_X86_64_PLT32 && stub != stubSlot.end() && !fitsInt32(S + A - P))
        S = reinterpret_cast<int64_t>(base + stubsOffset + stub->second * kStubSize);
      if (!write32(S + A - P)) {
        throw Unsupported{"a 32-bit displacement out of range"};
      }
      break;
    default: { // the GOTPCREL family
      const int64_t G = reinterpret_cast<int64_t>(&got[gotSlot.at(sym)]);
      if (!write32(G + A - P)) {
        throw Unsupported{"a GOT displacement out of range"};
      }
    }
    }
  }

  // 6. The entry point, then permissions: code read+execute, the rest read-only unless written to.
  void *found = nullptr;
  for (size_t k = 1; k < numSymbols && !found; ++k) {
    const Elf64_Sym &sym = symbols[k];
    if (sym.st_shndx != SHN_UNDEF && ELF64_ST_BIND(sym.st_info) != STB_LOCAL &&
        entryName == elf.string(strtab, sym.st_name))
      found = reinterpret_cast<void *>(symbolAddress[k]);
  }
  if (!found)
    return fail("cannot link object (symbol '" + entryName + "'): Symbols not found: [ " + entryName + " ]");
  if (dataStart > 0 && mprotect(base, dataStart, PROT_READ | PROT_EXEC) != 0)
    return fail("cannot make the object's code executable");
  if (length > dataStart && mprotect(base + dataStart, length - dataStart, writable ? PROT_READ | PROT_WRITE : PROT_READ) != 0)
    return fail("cannot protect the object's data");
  *entry = found;
  mapping.keep = true;
  auto *object = new LoadedObject;
  object->memory = memory;
  object->length = length;
  return object;
}

} // namespace

void setFallbackLoader(FallbackLoader *loader) { fallback.store(loader); }

bool forcedFallback() {
  const char *value = std::getenv("TENSORC_OBJECT_LOADER");
  return value && std::strcmp(value, "orc") == 0;
}

LoadedObject *loadObject(const void *data, size_t size, const std::string &symbol, void **entry,
                         std::string &error) {
  std::string why;
  if (!forcedFallback()) {
    try {
      return linkObject(static_cast<const unsigned char *>(data), size, symbol, entry, error);
    } catch (const Unsupported &unsupported) {
      why = unsupported.why;
    }
  } else {
    why = "TENSORC_OBJECT_LOADER=orc";
  }
  FallbackLoader *loader = fallback.load();
  if (!loader) {
    error = std::string(kNeedsFallbackLoader) + " (" + why + ")";
    return nullptr;
  }
  void *handle = loader->load(data, size, symbol, entry, error);
  if (!handle)
    return nullptr;
  auto *object = new LoadedObject;
  object->loader = loader;
  object->fallbackHandle = handle;
  return object;
}

void unloadObject(LoadedObject *object) {
  if (!object)
    return;
  if (object->loader)
    object->loader->unload(object->fallbackHandle);
  else
    munmap(object->memory, object->length);
  delete object;
}

} // namespace tensorc::runtime
