// The fallback loader (tensorc/Runtime/Api.h): objects that the runtime's own small linker
// (Runtime/ObjectLoader.cpp) does not support are linked by one process-wide ORC LLJIT. It lives in the
// compiler module because it needs libLLVM; importing the module registers it.
//
// Every object gets its own JITDylib: kernels are compiled independently and may define the same
// symbol names (every specialization of a function is called the same), and a JITDylib can be removed
// on its own when the Python Kernel that uses it dies.
#include "tensorc/Target/CPU/OrcLoader.h"

#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"

#include <atomic>
#include <cstdlib>
#include <mutex>

namespace tensorc::target::cpu {

namespace {

using runtime::RuntimeSymbol;

/// Errors ORC reports asynchronously (outside the Expected<> of a lookup) would otherwise be printed to
/// stderr. They are kept here and appended to the message of the failing load.
std::mutex sessionErrorMutex;
std::string sessionErrors;

std::string takeSessionErrors() {
  std::lock_guard<std::mutex> lock(sessionErrorMutex);
  std::string errors;
  errors.swap(sessionErrors);
  return errors;
}

struct Jit {
  std::unique_ptr<llvm::orc::LLJIT> lljit;
  /// Definitions shared by every kernel: the runtime's own callbacks and allocator.
  llvm::orc::JITDylib *runtimeDylib = nullptr;
  /// Libraries loaded in the process but not in its global symbol scope (searched last).
  llvm::orc::JITDylib *fallbackDylib = nullptr;
  std::string error;
};

/// The runtime's definitions (its callbacks and pinned allocator: runtime::runtimeSymbols(), handed
/// over by the runtime module) as absolute symbols, searched before the process's.
llvm::Error defineRuntimeSymbols(llvm::orc::LLJIT &lljit, llvm::orc::JITDylib &dylib,
                                 const RuntimeSymbol *table) {
  using llvm::orc::ExecutorAddr;
  using llvm::orc::ExecutorSymbolDef;
  const llvm::JITSymbolFlags flags = llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable;
  llvm::orc::SymbolMap symbols;
  for (const RuntimeSymbol *s = table; s->name; ++s)
    symbols[lljit.mangleAndIntern(s->name)] = ExecutorSymbolDef(ExecutorAddr::fromPtr(s->address), flags);
  return dylib.define(llvm::orc::absoluteSymbols(std::move(symbols)));
}

/// Python extension modules (and their dependencies) are loaded RTLD_LOCAL, so libm functions such as
/// expf, or the libgcc helpers LLVM may call (__powidf2, half conversions), are not necessarily visible
/// in the process's global scope. This JITDylib finds them by library handle; it comes last in the
/// link order because a lookup through a handle also searches the library's dependencies (libc) and
/// would bypass any interposed definition the global scope has. A missing library is not an error
/// here: the lookup of a kernel that needs one of its symbols names the symbol.
void addLibraryFallbacks(llvm::orc::LLJIT &lljit, llvm::orc::JITDylib &dylib) {
  const char prefix = lljit.getDataLayout().getGlobalPrefix();
  for (const char *library : {"libm.so.6", "libgcc_s.so.1"}) {
    auto generator = llvm::orc::DynamicLibrarySearchGenerator::Load(library, prefix);
    if (generator)
      dylib.addGenerator(std::move(*generator));
    else
      llvm::consumeError(generator.takeError());
  }
}

/// The process-wide JIT, created on first use. Intentionally never destroyed: kernels may be released
/// during interpreter shutdown, after C++ static destructors of libLLVM have run.
const RuntimeSymbol *runtimeTable = nullptr;

Jit &jit() {
  static Jit *instance = [] {
    auto *state = new Jit;
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
    if (!machineBuilder) {
      state->error = "cannot describe the host for the JIT: " + llvm::toString(machineBuilder.takeError());
      return state;
    }
    // The builder's default already links the process's global symbols (malloc, free, memcpy, libm
    // when the interpreter links it) into every JITDylib made with LLJIT::createJITDylib.
    // No platform support: kernels have no static initializers or atexit handlers to run, and the
    // default (generic IR) platform would give every JITDylib its own LLVMContext and module defining
    // __dso_handle and the atexit helpers, about 30 KB of heap per loaded kernel.
    auto lljit = llvm::orc::LLJITBuilder()
                     .setJITTargetMachineBuilder(std::move(*machineBuilder))
                     .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
                     .create();
    if (!lljit) {
      state->error = "cannot create the ORC JIT: " + llvm::toString(lljit.takeError());
      return state;
    }
    state->lljit = std::move(*lljit);
    state->lljit->getExecutionSession().setErrorReporter([](llvm::Error err) {
      std::string message = llvm::toString(std::move(err));
      std::lock_guard<std::mutex> lock(sessionErrorMutex);
      // Bounded: errors nobody collects (no load failed after them) must not accumulate forever.
      if (sessionErrors.size() > 16384)
        sessionErrors.clear();
      if (!sessionErrors.empty())
        sessionErrors += "\n";
      sessionErrors += message;
    });
    auto runtimeDylib = state->lljit->getExecutionSession().createJITDylib("tensorc_runtime");
    if (!runtimeDylib) {
      state->error = "cannot create the runtime JITDylib: " + llvm::toString(runtimeDylib.takeError());
      state->lljit.reset();
      return state;
    }
    if (llvm::Error err = defineRuntimeSymbols(*state->lljit, *runtimeDylib, runtimeTable)) {
      state->error = "cannot define runtime symbols: " + llvm::toString(std::move(err));
      state->lljit.reset();
      return state;
    }
    state->runtimeDylib = &*runtimeDylib;
    auto fallbackDylib = state->lljit->getExecutionSession().createJITDylib("tensorc_fallback_libs");
    if (!fallbackDylib) {
      state->error = "cannot create the library JITDylib: " + llvm::toString(fallbackDylib.takeError());
      state->lljit.reset();
      return state;
    }
    addLibraryFallbacks(*state->lljit, *fallbackDylib);
    state->fallbackDylib = &*fallbackDylib;
    return state;
  }();
  return *instance;
}

std::atomic<uint64_t> loadCounter{0};

void *orcLoad(const void *data, size_t size, const std::string &symbol, void **entry, std::string &error) {
  Jit &state = jit();
  if (!state.lljit) {
    error = state.error;
    return nullptr;
  }
  llvm::orc::LLJIT &lljit = *state.lljit;
  const uint64_t id = loadCounter.fetch_add(1);

  auto dylib = lljit.createJITDylib("tensorc_object_" + std::to_string(id));
  if (!dylib) {
    error = llvm::toString(dylib.takeError());
    return nullptr;
  }
  llvm::orc::JITDylib &jd = *dylib;
  // Runtime definitions first (so that our memrefCopy and allocator win over what the process
  // exports), then LLJIT's defaults (platform and process global scope), then fallback libraries.
  llvm::orc::JITDylibSearchOrder order;
  order.push_back({state.runtimeDylib, llvm::orc::JITDylibLookupFlags::MatchExportedSymbolsOnly});
  for (auto &link : lljit.defaultLinkOrder())
    order.push_back(link);
  order.push_back({state.fallbackDylib, llvm::orc::JITDylibLookupFlags::MatchExportedSymbolsOnly});
  jd.setLinkOrder(std::move(order));

  auto release = [&] {
    if (llvm::Error err = lljit.getExecutionSession().removeJITDylib(jd))
      llvm::consumeError(std::move(err));
  };

  // ORC keeps the buffer for the lifetime of the object; the caller's bytes are copied once here.
  std::unique_ptr<llvm::MemoryBuffer> buffer = llvm::MemoryBuffer::getMemBufferCopy(
      llvm::StringRef(static_cast<const char *>(data), size), "tensorc_object_" + std::to_string(id));
  if (llvm::Error err = lljit.addObjectFile(jd, std::move(buffer))) {
    error = "cannot load object: " + llvm::toString(std::move(err));
    release();
    return nullptr;
  }
  // The lookup links the object: unresolved externals and malformed objects fail here.
  auto address = lljit.lookup(jd, symbol);
  if (!address) {
    error = "cannot link object (symbol '" + symbol + "'): " + llvm::toString(address.takeError());
    std::string asyncErrors = takeSessionErrors();
    if (!asyncErrors.empty())
      error += "\n" + asyncErrors;
    release();
    return nullptr;
  }
  *entry = address->toPtr<void *>();
  return &jd;
}

void orcUnload(void *handle) {
  Jit &state = jit();
  if (handle && state.lljit) {
    if (llvm::Error err = state.lljit->getExecutionSession().removeJITDylib(*static_cast<llvm::orc::JITDylib *>(handle)))
      llvm::consumeError(std::move(err));
  }
}

} // namespace

runtime::FallbackLoader *orcLoader(const RuntimeSymbol *symbols) {
  static runtime::FallbackLoader loader{&orcLoad, &orcUnload};
  if (!runtimeTable)
    runtimeTable = symbols; // before the JIT is created (on the first load)
  return &loader;
}

} // namespace tensorc::target::cpu
