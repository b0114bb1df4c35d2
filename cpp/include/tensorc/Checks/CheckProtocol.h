// The run-time check protocol between the generated code and the runtime, in one place.
//
// The lowering (Conversion/TensorcToLinalg) emits each run-time check as
//     scf.if %failed { func.call @tensorc_report(%code, %a, %b) : (i64, i64, i64) -> () }
// and records the message of check `code` at index `code` of the module attribute `tensorc.checks`.
// A message is "[Kind: ]op: text (at file:line)" where text may quote a and b as {0} and {1}; the kind
// names the Python exception (IndexError, ...) or Broadcast, a check of the default variant that a size
// of 1 at run time may have failed (the runtime then retries with the variant lowered with
// `dynamic-broadcast`). No kind means ValueError. tensorc-guard-shape-checks recognizes checks by the
// callee name; the runtime (Runtime/KernelAbi.cpp) defines the symbol, keeps the first failure of a
// call, and raises the message after the kernel returns.
//
// Plain C++ (no MLIR types): the nanobind side, built with RTTI, includes it too.
#pragma once

#include <cstdint>
#include <string_view>

namespace tensorc::checks {

/// `void tensorc_report(int64_t code, int64_t a, int64_t b)`, called by generated code on a failed check.
inline constexpr std::string_view kReportSymbol = "tensorc_report";
/// Module attribute: array of message strings, indexed by check code.
inline constexpr std::string_view kMessagesAttr = "tensorc.checks";
/// Separates a message's kind from the rest ("IndexError: tensorc.gather: ...").
inline constexpr std::string_view kKindSeparator = ": ";
inline constexpr std::string_view kIndexErrorKind = "IndexError";
inline constexpr std::string_view kBroadcastKind = "Broadcast";
/// The code a failed kernel allocation reports (tensorc_malloc); not an index into the messages.
inline constexpr int64_t kOutOfMemoryCode = -2;

} // namespace tensorc::checks

extern "C" void tensorc_report(int64_t code, int64_t a, int64_t b);
