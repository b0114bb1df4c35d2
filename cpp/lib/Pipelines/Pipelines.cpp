// Named pipelines and the stages of each backend: the one definition of what runs when (tensorc-opt
// `--pass-pipeline='builtin.module(NAME{options})'`, `tensorc-opt --NAME`, and Python through
// tensorc.passes.pipelines, which only asks for the stages and formats the mode as options).
//
// A compilation mode (Theano's): an optimizer preset, FAST_RUN (every optimization) or FAST_COMPILE
// (no graph optimization, no fusion), plus names to include or exclude: whole passes
// (optimizationPassNames) or single rewrites of the pattern passes. The stage pipelines read it from
// their options; Python validates the names before anything reaches here.
#include "tensorc/Pipelines/Pipelines.h"

#include "tensorc/Conversion/Passes.h"
#include "tensorc/Dialect/Tensorc/Transforms/Passes.h"
#include "tensorc/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <map>
#include <mutex>

using namespace mlir;

namespace {
/// The options every stage pipeline takes.
struct ModeOptions : PassPipelineOptions<ModeOptions> {
  Option<std::string> optimizer{*this, "optimizer", llvm::cl::desc("FAST_RUN (default) or FAST_COMPILE"),
                                llvm::cl::init("FAST_RUN")};
  ListOption<std::string> include{*this, "include",
                                  llvm::cl::desc("Passes or rewrites to run although the optimizer skips them")};
  ListOption<std::string> exclude{*this, "exclude", llvm::cl::desc("Passes or rewrites not to run")};
  Option<bool> dynamicBroadcast{*this, "dynamic-broadcast",
                                llvm::cl::desc("Lower the general variant, where any dynamic size may be 1 "
                                               "at run time (see tensorc-lower-to-linalg)"),
                                llvm::cl::init(false)};
  Option<bool> blas{*this, "blas",
                    llvm::cl::desc("Call the runtime's BLAS for float matmuls (tensorc-matmul-to-blas); "
                                   "the runtime has loaded one"),
                    llvm::cl::init(false)};
  Option<bool> nativeLdexp{*this, "native-ldexp",
                           llvm::cl::desc("The target computes vector ldexp in one instruction (AVX-512): "
                                          "float32 exp scales with it (see tensorc-math-approx)"),
                           llvm::cl::init(false)};
};

/// The pattern passes and the rewrites each can switch by name.
struct PatternPass {
  const char *name;
  std::vector<std::string> (*rewrites)();
};
const PatternPass kPatternPasses[] = {{"canonicalize", tensorc::canonicalizeRewriteNames},
                                      {"stabilize", tensorc::stabilizeRewriteNames},
                                      {"specialize", tensorc::specializeRewriteNames}};

/// The graph passes of tensorc-optimize, in order; merge runs after each rewriting pass.
const char *const kGraphPasses[] = {"canonicalize", "merge", "stabilize", "canonicalize",
                                    "merge",        "specialize", "merge"};

bool contains(llvm::ArrayRef<std::string> list, llvm::StringRef name) { return llvm::is_contained(list, name.str()); }

/// The pattern pass that owns rewrite `name`, or null. The names are collected once: each
/// `rewrites()` call builds a context and populates the pass's patterns.
const PatternPass *ownerOf(llvm::StringRef name) {
  static const std::map<std::string, const PatternPass *> owners = [] {
    std::map<std::string, const PatternPass *> m;
    for (const PatternPass &p : kPatternPasses)
      for (const std::string &r : p.rewrites())
        m.emplace(r, &p);
    return m;
  }();
  auto it = owners.find(name.str());
  return it == owners.end() ? nullptr : it->second;
}

/// Whether pass `name` runs at all in the mode: not excluded, and FAST_RUN, or included by name, or
/// (FAST_COMPILE) a pattern pass of which some rewrite is included.
bool uses(const ModeOptions &mode, llvm::StringRef name) {
  if (contains(mode.exclude, name))
    return false;
  if (mode.optimizer != "FAST_COMPILE" || contains(mode.include, name))
    return true;
  return llvm::any_of(mode.include, [&](const std::string &r) {
    const PatternPass *owner = ownerOf(r);
    return owner && name == owner->name;
  });
}

void addText(OpPassManager &pm, const std::string &text) {
  // The text is built here from fixed names and names Python validated; a parse failure is a bug.
  if (failed(parsePassPipeline(text, pm, llvm::errs())))
    llvm::report_fatal_error(llvm::Twine("tensorc: invalid built-in pipeline: ") + text);
}

/// tensorc-optimize: canonicalize/fold -> merge -> stabilize -> specialize, on tensorc ops.
void buildOptimize(OpPassManager &pm, const ModeOptions &mode) {
  std::vector<std::string> passes;
  for (const char *p : kGraphPasses) {
    if (!uses(mode, p))
      continue;
    const PatternPass *pattern = nullptr;
    for (const PatternPass &candidate : kPatternPasses)
      if (llvm::StringRef(candidate.name) == p)
        pattern = &candidate;
    std::string text = std::string("tensorc-") + p;
    if (pattern) {
      std::vector<std::string> disabled, enabled;
      for (const std::string &r : mode.exclude)
        if (ownerOf(r) == pattern)
          disabled.push_back(r);
      for (const std::string &r : mode.include)
        if (ownerOf(r) == pattern)
          enabled.push_back(r);
      std::vector<std::string> opts;
      if (!disabled.empty())
        opts.push_back("disable-patterns=" + llvm::join(disabled, ","));
      // FAST_COMPILE with only some rewrites of this pass included: just those run.
      if (mode.optimizer == "FAST_COMPILE" && !contains(mode.include, p) && !enabled.empty())
        opts.push_back("enable-patterns=" + llvm::join(enabled, ","));
      if (!opts.empty())
        text += "{" + llvm::join(opts, " ") + "}";
    }
    passes.push_back(text);
  }
  if (!passes.empty())
    addText(pm, llvm::join(passes, ","));
}

/// tensorc-to-linalg: the conversion, sizes resolved into argument sizes (so the guard can hoist
/// the checks on them), the guard, fusion; float sums are blocked whether or not fusion runs (their
/// accuracy does not depend on the mode); slices that canonicalization found empty become tensor.empty;
/// if yields one-shot-bufferize cannot type are copied.
void buildToLinalg(OpPassManager &pm, const ModeOptions &mode) {
  std::string text = mode.dynamicBroadcast ? "tensorc-lower-to-linalg{dynamic-broadcast=true}" : "tensorc-lower-to-linalg";
  text += ",canonicalize,cse,resolve-ranked-shaped-type-result-dims,canonicalize,func.func(tensorc-guard-shape-checks),";
  std::vector<std::string> rowOptions;
  if (!uses(mode, "fuse"))
    rowOptions.push_back("sums-only=true");
  if (mode.blas)
    rowOptions.push_back("blas-matmuls=true");
  text += uses(mode, "fuse") ? "tensorc-fuse,tensorc-fuse-rows" : "tensorc-fuse-rows";
  if (!rowOptions.empty())
    text += "{" + llvm::join(rowOptions, " ") + "}";
  text += ",canonicalize,cse,tensorc-fold-empty-slices,tensorc-materialize-if-yields";
  addText(pm, text);
}

/// tensorc-bufferize: one-shot bufferization (inputs read-only), identity layouts for checked ifs' results
/// (returned without a copy), BLAS calls for matmuls with `blas`,
/// deallocation, linalg -> loops (scf.parallel for the parallel dims, as fuse-rows' scf.forall row
/// blocks become: what tensorc-to-llvm runs on the thread pool), temporaries forwarded into the
/// outputs their last loops write.
void buildBufferize(OpPassManager &pm, const ModeOptions &mode) {
  addText(pm, std::string("one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},"
                          "func.func(tensorc-identity-if-results),") +
              (mode.blas ? "tensorc-matmul-to-blas," : "") +
              "canonicalize,buffer-deallocation-pipeline,convert-bufferization-to-memref,"
              "func.func(convert-linalg-to-parallel-loops),scf-forall-to-parallel,canonicalize,cse,"
              "tensorc-forward-to-output");
}

/// tensorc-to-llvm: outermost parallel loops onto the thread pool (unless the mode excludes
/// "parallelize": a parallel loop is then a sequential one), loops on memrefs -> LLVM dialect with
/// vectorizable math.
void buildToLLVM(OpPassManager &pm, const ModeOptions &mode) {
  // Not `uses`: running on more threads is not an optimization FAST_COMPILE skips.
  const bool parallel = !contains(mode.exclude, "parallelize");
  addText(pm, std::string("tensorc-widen-bool-memrefs,") + (parallel ? "tensorc-parallelize-loops," : "") +
              "expand-strided-metadata,lower-affine," +
              (mode.nativeLdexp ? "tensorc-math-approx{native-ldexp=true}," : "tensorc-math-approx,") +
              "convert-scf-to-cf,"
              "convert-math-to-funcs,finalize-memref-to-llvm,convert-math-to-llvm,convert-math-to-libm,"
              "convert-arith-to-llvm,convert-index-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,"
              "reconcile-unrealized-casts");
}

void buildLowerCpu(OpPassManager &pm, const ModeOptions &mode) {
  buildToLinalg(pm, mode);
  buildBufferize(pm, mode);
  buildToLLVM(pm, mode);
}

void buildCompileCpu(OpPassManager &pm, const ModeOptions &mode) {
  buildOptimize(pm, mode);
  buildLowerCpu(pm, mode);
}

struct NamedPipeline {
  const char *name;
  const char *summary;
  void (*build)(OpPassManager &, const ModeOptions &);
};
// Order matters; every stage leaves verifiable IR that the next stage (and `f.ir(stage)`) can show.
const NamedPipeline kPipelines[] = {
    {"tensorc-optimize", "Graph optimizations on tensorc IR: canonicalize/fold -> merge -> stabilize -> specialize",
     buildOptimize},
    {"tensorc-to-linalg", "tensorc -> linalg/tensor/arith/math on tensors, run-time checks guarded, then fusion",
     buildToLinalg},
    {"tensorc-bufferize", "One-shot bufferization (inputs read-only), identity if results, deallocation, linalg -> loops", buildBufferize},
    {"tensorc-to-llvm", "Outermost parallel loops onto the thread pool, loops on memrefs -> LLVM dialect with vectorizable math", buildToLLVM},
    {"tensorc-lower-cpu", "The whole CPU lowering: tensorc -> LLVM dialect", buildLowerCpu},
    {"tensorc-compile-cpu", "Optimize and lower for the CPU: tensorc -> LLVM dialect", buildCompileCpu},
};

struct Backend {
  const char *name;
  std::vector<tensorc::Stage> stages;
};
/// The stages of each backend (as triton's BaseBackend.add_stages). The object compiler
/// (Target/CPU) turns the last stage's LLVM dialect into machine code.
const std::vector<Backend> &backends() {
  static const std::vector<Backend> table = {
      {"cpu",
       {{"graph", "tensorc-optimize"},
        {"optimized", "tensorc-to-linalg"},
        {"lowered", "tensorc-bufferize"},
        {"llvm", "tensorc-to-llvm"}}},
  };
  return table;
}
} // namespace

std::vector<tensorc::Stage> tensorc::backendStages(const std::string &backend) {
  for (const Backend &b : backends())
    if (backend == b.name)
      return b.stages;
  return {};
}

std::vector<std::string> tensorc::backendNames() {
  std::vector<std::string> names;
  for (const Backend &b : backends())
    names.push_back(b.name);
  return names;
}

std::vector<std::string> tensorc::optimizationPassNames() {
  return {"canonicalize", "merge", "stabilize", "specialize", "fuse", "parallelize"};
}

void tensorc::registerAllPassesAndPipelines() {
  static std::once_flag once;
  std::call_once(once, [] {
    registerTensorcDialectPasses();
    registerTensorcConversionPasses();
    registerTensorcTransformsPasses();
    for (const NamedPipeline &p : kPipelines)
      PassPipelineRegistration<ModeOptions>(p.name, p.summary, p.build);
  });
}
