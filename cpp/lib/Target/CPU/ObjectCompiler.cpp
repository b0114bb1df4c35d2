// LLVM-dialect module -> optimized native code for the host.
//
// Split in two steps (translate, then optimize+emit) because only the first touches the MLIR module,
// which Python owns: the bindings keep the GIL for the translation and release it for the expensive
// LLVM part, so other Python threads keep running while a kernel compiles.
#include "tensorc/Target/CPU/ObjectCompiler.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Analysis/CGSCCPassManager.h"
#include "llvm/Analysis/LoopAnalysisManager.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/OptimizationLevel.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <vector>

namespace tensorc::target::cpu {

struct TranslatedModule {
  // Declared first so it is destroyed last: the module's types and constants live in the context.
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> module;
  bool consumed = false;
};

void TranslatedModuleDeleter::operator()(TranslatedModule *module) const { delete module; }

namespace {

void initializeNativeTarget() {
  // Target registration is global and must happen once; the registry itself is not thread-safe to
  // populate concurrently.
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
  });
}

/// Host CPU features as "+a,+b,-c" for TargetMachine, and only the enabled ones for the cache key.
std::string hostFeatureString(bool enabledOnly) {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  std::vector<std::string> names;
  for (const auto &feature : features) {
    if (enabledOnly && !feature.getValue())
      continue;
    names.push_back((feature.getValue() ? "+" : "-") + feature.getKey().str());
  }
  // StringMap iteration order is unspecified; a cache key must not depend on it.
  std::sort(names.begin(), names.end());
  std::string joined;
  for (const std::string &name : names) {
    if (!joined.empty())
      joined += ',';
    joined += name;
  }
  return joined;
}

llvm::CodeGenOptLevel codeGenLevel(int optLevel) {
  switch (optLevel) {
  case 0:
    return llvm::CodeGenOptLevel::None;
  case 1:
    return llvm::CodeGenOptLevel::Less;
  case 2:
    return llvm::CodeGenOptLevel::Default;
  default:
    return llvm::CodeGenOptLevel::Aggressive;
  }
}

llvm::OptimizationLevel passBuilderLevel(int optLevel) {
  switch (optLevel) {
  case 1:
    return llvm::OptimizationLevel::O1;
  case 2:
    return llvm::OptimizationLevel::O2;
  default:
    return llvm::OptimizationLevel::O3;
  }
}

/// A TargetMachine for the CPU we run on, so that the vectorizers and instruction selection use
/// everything it has (AVX2/FMA/AVX-512...). PIC because JITLink places code and data anywhere in the
/// address space: absolute 32-bit relocations of the small non-PIC model could overflow.
std::unique_ptr<llvm::TargetMachine> createHostTargetMachine(int optLevel, std::string &error) {
  initializeNativeTarget();
  llvm::Triple triple(llvm::sys::getProcessTriple());
  std::string lookupError;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, lookupError);
  if (!target) {
    error = "no LLVM target for host triple '" + triple.str() + "': " + lookupError;
    return nullptr;
  }
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, llvm::sys::getHostCPUName(), hostFeatureString(/*enabledOnly=*/false), options,
      llvm::Reloc::PIC_, std::nullopt, codeGenLevel(optLevel)));
  if (!machine)
    error = "could not create a TargetMachine for '" + triple.str() + "'";
  return machine;
}

/// The widest vectors the loop vectorizer may choose ("prefer-vector-width"), or "" for LLVM's
/// default. LLVM's x86 default is 256 bits even with AVX-512 (older Xeons lowered their clock for
/// 512-bit code). For tensorc's loops that default is costly: a loop that computes in f32 and
/// accumulates in f64 (every float32 sum) is vectorized at the f64 width, so softmax's exp ran on
/// <4 x float> with 256 and on <8 x float> with 512 (measured in docs/BENCHMARKS.md). AVX-512 hosts
/// therefore get 512; TENSORC_PREFER_VECTOR_WIDTH (128, 256 or 512) overrides it (the runtime's cache
/// key includes that variable).
std::string preferredVectorWidth(const llvm::TargetMachine &machine) {
  if (const char *env = std::getenv("TENSORC_PREFER_VECTOR_WIDTH")) {
    llvm::StringRef value(env);
    if (value == "128" || value == "256" || value == "512")
      return value.str();
  }
  llvm::StringRef features = machine.getTargetFeatureString();
  if (features.contains("+avx512f"))
    return "512";
  return "";
}

} // namespace

TranslatedModulePtr translateToLLVMIR(void *mlirOperation, std::string &error) {
  if (!mlirOperation) {
    error = "null MLIR module";
    return nullptr;
  }
  // MlirModule and MlirOperation both carry the module's Operation*; check what it really is.
  auto *operation = static_cast<mlir::Operation *>(mlirOperation);
  auto moduleOp = llvm::dyn_cast<mlir::ModuleOp>(operation);
  if (!moduleOp) {
    error = "expected a builtin.module, got '" + operation->getName().getStringRef().str() + "'";
    return nullptr;
  }
  mlir::MLIRContext *context = moduleOp->getContext();

  // Collect diagnostics into the error message instead of letting them go to stderr (or to whatever
  // handler Python installed): the caller raises them as a RuntimeError.
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(context, [&](mlir::Diagnostic &diagnostic) {
    llvm::raw_string_ostream os(diagnostics);
    if (!diagnostics.empty())
      os << "\n";
    os << diagnostic.getLocation() << ": " << diagnostic.str();
    for (const mlir::Diagnostic &note : diagnostic.getNotes()) {
      std::string text = note.str();
      // MLIR attaches a dump of the whole failing operation (a function can be thousands of lines);
      // the location above already says where it is.
      if (llvm::StringRef(text).starts_with("see current operation"))
        continue;
      os << "\n  note: " << note.getLocation() << ": " << text;
    }
    return mlir::success();
  });

  // The translation interfaces are per context; registering twice is a no-op (the registry is only
  // appended when it is not already a subset of the context's).
  mlir::registerBuiltinDialectTranslation(*context);
  mlir::registerLLVMDialectTranslation(*context);

  // The wheels are built with assertions on: invalid IR must be rejected here, with a diagnostic,
  // before the translator or LLVM's passes get a chance to abort the process.
  if (mlir::failed(mlir::verify(moduleOp))) {
    error = "invalid MLIR module: " + diagnostics;
    return nullptr;
  }

  auto result = TranslatedModulePtr(new TranslatedModule);
  result->context = std::make_unique<llvm::LLVMContext>();
  result->module = mlir::translateModuleToLLVMIR(moduleOp, *result->context, "tensorc_kernel");
  if (!result->module) {
    error = "translation to LLVM IR failed";
    if (!diagnostics.empty())
      error += ": " + diagnostics;
    return nullptr;
  }
  return result;
}

bool optimizeAndEmit(TranslatedModule &translated, int optLevel, EmitKind kind, std::string &out,
                     std::string &error) {
  if (translated.consumed) {
    error = "this translated module was already optimized";
    return false;
  }
  translated.consumed = true;
  if (optLevel < 0 || optLevel > 3) {
    error = "opt_level must be 0, 1, 2 or 3";
    return false;
  }
  llvm::Module &module = *translated.module;

  std::unique_ptr<llvm::TargetMachine> machine = createHostTargetMachine(optLevel, error);
  if (!machine)
    return false;
  module.setTargetTriple(machine->getTargetTriple());
  module.setDataLayout(machine->createDataLayout());
  // Functions without these attributes fall back to the TargetMachine's CPU anyway; setting them makes
  // the intent explicit in emitted IR and keeps inlining between functions compatible.
  std::string cpu = machine->getTargetCPU().str();
  std::string features = machine->getTargetFeatureString().str();
  std::string vectorWidth = preferredVectorWidth(*machine);
  for (llvm::Function &function : module) {
    if (function.isDeclaration())
      continue;
    if (!function.hasFnAttribute("target-cpu"))
      function.addFnAttr("target-cpu", cpu);
    if (!function.hasFnAttribute("target-features"))
      function.addFnAttr("target-features", features);
    if (!vectorWidth.empty() && !function.hasFnAttribute("prefer-vector-width"))
      function.addFnAttr("prefer-vector-width", vectorWidth);
  }

  {
    std::string message;
    llvm::raw_string_ostream os(message);
    if (llvm::verifyModule(module, &os)) {
      error = "translated LLVM IR does not verify: " + message;
      return false;
    }
  }

  {
    // New pass manager, default pipeline: this is what clang -O3 runs, including the loop and SLP
    // vectorizers whose cost models come from the TargetMachine's TTI.
    llvm::LoopAnalysisManager loopAM;
    llvm::FunctionAnalysisManager functionAM;
    llvm::CGSCCAnalysisManager cgsccAM;
    llvm::ModuleAnalysisManager moduleAM;
    llvm::PipelineTuningOptions tuning;
    tuning.LoopVectorization = optLevel >= 2;
    tuning.SLPVectorization = optLevel >= 2;
    tuning.LoopInterleaving = optLevel >= 2;
    tuning.LoopUnrolling = optLevel >= 1;
    llvm::PassBuilder builder(machine.get(), tuning);
    builder.registerModuleAnalyses(moduleAM);
    builder.registerCGSCCAnalyses(cgsccAM);
    builder.registerFunctionAnalyses(functionAM);
    builder.registerLoopAnalyses(loopAM);
    builder.crossRegisterProxies(loopAM, functionAM, cgsccAM, moduleAM);
    llvm::ModulePassManager passes =
        optLevel == 0 ? builder.buildO0DefaultPipeline(llvm::OptimizationLevel::O0)
                      : builder.buildPerModuleDefaultPipeline(passBuilderLevel(optLevel));
    passes.run(module, moduleAM);
  }

  if (kind == EmitKind::LLVMIR) {
    llvm::raw_string_ostream os(out);
    module.print(os, nullptr);
    return true;
  }

  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager codegen;
  llvm::CodeGenFileType fileType = kind == EmitKind::Object ? llvm::CodeGenFileType::ObjectFile
                                                            : llvm::CodeGenFileType::AssemblyFile;
  if (machine->addPassesToEmitFile(codegen, os, nullptr, fileType)) {
    error = "the host TargetMachine cannot emit this file type";
    return false;
  }
  codegen.run(module);
  out.assign(buffer.data(), buffer.size());
  return true;
}

std::string hostCpuDescription() {
  return llvm::sys::getHostCPUName().str() + " " + hostFeatureString(/*enabledOnly=*/true);
}

std::string llvmVersion() { return LLVM_VERSION_STRING; }

} // namespace tensorc::target::cpu
