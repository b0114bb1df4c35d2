// Named pipelines. The same names run from `tensorc-opt --pass-pipeline='builtin.module(NAME)'`, from
// `tensorc-opt --NAME` and from Python (`tensorc.passes.pipelines`), so there is one definition of each.
#include "tensorc/Passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include <mutex>

namespace {
struct NamedPipeline {
  const char *name;
  const char *summary;
  const char *passes; // textual pipeline nested in builtin.module
};

// Order matters; every stage leaves verifiable IR that the next stage (and `f.ir(stage)`) can show.
const NamedPipeline kPipelines[] = {
    {"tensorc-optimize",
     "Graph optimizations on tensorc IR: canonicalize/fold -> merge -> stabilize -> specialize",
     "tensorc-canonicalize,tensorc-merge,tensorc-stabilize,tensorc-canonicalize,tensorc-merge,"
     "tensorc-specialize,tensorc-merge"},
    {"tensorc-to-linalg", "tensorc -> linalg/tensor/arith/math on tensors, then elementwise fusion",
     "tensorc-lower-to-linalg,canonicalize,cse,resolve-ranked-shaped-type-result-dims,canonicalize,"
     "func.func(tensorc-guard-shape-checks),tensorc-fuse,tensorc-fuse-rows,canonicalize,cse"},
    {"tensorc-bufferize",
     "One-shot bufferization (inputs read-only), deallocation, linalg -> loops",
     "one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},"
     "canonicalize,buffer-deallocation-pipeline,convert-bufferization-to-memref,"
     "func.func(convert-linalg-to-loops),canonicalize,cse"},
    {"tensorc-to-llvm", "Loops on memrefs -> LLVM dialect with vectorizable math",
     "tensorc-widen-bool-memrefs,expand-strided-metadata,lower-affine,tensorc-math-approx,convert-scf-to-cf,"
     "convert-math-to-funcs,finalize-memref-to-llvm,convert-math-to-llvm,convert-math-to-libm,"
     "convert-arith-to-llvm,convert-index-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,"
     "reconcile-unrealized-casts"},
    {"tensorc-lower-cpu", "The whole CPU lowering: tensorc -> LLVM dialect",
     "tensorc-to-linalg,tensorc-bufferize,tensorc-to-llvm"},
    {"tensorc-compile-cpu", "Optimize and lower: tensorc -> LLVM dialect",
     "tensorc-optimize,tensorc-lower-cpu"},
};
} // namespace

void tensorc::registerAllPassesAndPipelines() {
  static std::once_flag once;
  std::call_once(once, [] {
    registerTensorcPasses();
    for (const NamedPipeline &p : kPipelines) {
      std::string passes = p.passes;
      mlir::PassPipelineRegistration<>(p.name, p.summary, [passes](mlir::OpPassManager &pm) {
        // The registered text is ours and fixed; a parse failure is a build bug, reported loudly.
        if (mlir::failed(mlir::parsePassPipeline(passes, pm, llvm::errs())))
          llvm::report_fatal_error("tensorc: invalid built-in pipeline");
      });
    }
  });
}
