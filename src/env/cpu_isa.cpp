#include "env/cpu_isa.hpp"

namespace isobench::detail {

namespace {

// The levels in the order of width; each needs everything before it.
struct level {
  std::string_view name;
  bool (*supported)();
};

#if defined(__x86_64__) || defined(__i386__)
// x86-64-v4's core (F, CD, BW, DQ, VL): what -march=x86-64-v4 lets the compiler emit.
bool has_avx512() {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
         __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
}
bool has_avx2() {
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
bool has_avx() {
  return __builtin_cpu_supports("avx");
}
bool has_sse2() {
  return __builtin_cpu_supports("sse2");
}
constexpr level k_levels[] = {{"avx512", has_avx512}, {"avx2", has_avx2}, {"avx", has_avx}, {"sse2", has_sse2}};
#else
constexpr level k_levels[] = {{"scalar", [] { return true; }}};
#endif

}  // namespace

std::string_view best_cpu_isa() noexcept {
  for (const auto& l : k_levels) {
    if (l.supported()) return l.name;
  }
  return "scalar";
}

bool cpu_supports_isa(std::string_view isa) noexcept {
  for (const auto& l : k_levels) {
    if (l.name == isa) return l.supported();
  }
  return true;
}

}  // namespace isobench::detail
