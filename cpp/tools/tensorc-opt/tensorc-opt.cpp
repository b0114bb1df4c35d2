// tensorc-opt: mlir-opt with the tensorc dialect, passes and pipelines registered.
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

#include "tensorc/Dialect/Tensorc/IR/TensorcDialect.h"
#include "tensorc/Pipelines/Pipelines.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  tensorc::registerAllPassesAndPipelines();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<tensorc::TensorcDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "tensorc optimizer and lowering driver\n", registry));
}
