#pragma once
// Which vector instruction sets this CPU runs, asked at run time (cpuid through the compiler's
// builtins), so the harness itself needs no -march: kernels compiled for AVX-512 are refused with a
// clear message on a CPU without it instead of dying of SIGILL mid-measurement.

#include <string_view>

namespace isobench::detail {

// The widest of "avx512", "avx2", "avx", "sse2" (x86-64) this CPU supports; "scalar" elsewhere.
std::string_view best_cpu_isa() noexcept;

// Whether code compiled for `isa` (a kernel_info::isa name) runs here; unknown names are assumed to.
bool cpu_supports_isa(std::string_view isa) noexcept;

}  // namespace isobench::detail
