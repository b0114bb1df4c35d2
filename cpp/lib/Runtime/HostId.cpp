// The host's identity for the object cache key, computed without LLVM (a cache hit must not load it).
//
// Code generation targets the host CPU (LLVM's host name and features, which LLVM itself derives from
// cpuid). Two hosts whose cpuid vendor, family/model/stepping, feature leaves and OS-enabled register
// state (XCR0) agree get the same code; anything that differs gives another key. Elsewhere than x86-64
// the machine name and /proc/cpuinfo stand in.
#include "tensorc/Runtime/Api.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace tensorc::runtime {

std::string hostId() {
  std::ostringstream id;
#if defined(__x86_64__)
  unsigned a, b, c, d;
  __cpuid(0, a, b, c, d);
  const unsigned maxLeaf = a;
  char vendor[13] = {};
  std::memcpy(vendor, &b, 4);
  std::memcpy(vendor + 4, &d, 4);
  std::memcpy(vendor + 8, &c, 4);
  id << "x86_64 " << vendor;
  auto leaf = [&](unsigned l, unsigned sub, bool withEax) {
    if (__get_cpuid_count(l, sub, &a, &b, &c, &d)) {
      char text[64];
      std::snprintf(text, sizeof text, " %x.%x:%08x/%08x/%08x/%08x", l, sub, withEax ? a : 0, b, c, d);
      id << text;
    }
  };
  // Leaf 1: eax is the signature (family/model/stepping); ebx holds the APIC id (per core): left out.
  if (__get_cpuid(1, &a, &b, &c, &d)) {
    char text[64];
    std::snprintf(text, sizeof text, " 1:%08x/%08x/%08x", a, c, d);
    id << text;
    if (c & (1u << 27)) { // OSXSAVE: which register state the OS enables (AVX, AVX-512)
      unsigned lo, hi;
      __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
      std::snprintf(text, sizeof text, " xcr0:%08x%08x", hi, lo);
      id << text;
    }
  }
  if (maxLeaf >= 7) {
    leaf(7, 0, false);
    leaf(7, 1, true);
  }
  if (maxLeaf >= 0xd)
    leaf(0xd, 1, true);
  __cpuid(0x80000000, a, b, c, d);
  if (a >= 0x80000001)
    leaf(0x80000001, 0, false);
#else
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, lines;
  while (std::getline(cpuinfo, line))
    if (line.rfind("processor", 0) != 0 && line.rfind("BogoMIPS", 0) != 0)
      lines += line + "\n";
  id << "cpuinfo " << std::hash<std::string>{}(lines);
#endif
  return id.str();
}

} // namespace tensorc::runtime
