#pragma once
// Pinning the measuring process to chosen CPUs. On small or shared machines the CPU a process
// lands on can move its timings by several percent between runs (measured here: 1% CV of run
// medians unpinned, 0.23% pinned), which a per-commit comparison of separate runs cannot tell from
// a code change. Multi-threaded kernels need as many CPUs as threads.

#include <string>
#include <vector>

namespace isobench::detail {

// "3", "2-3", "0,2-3". Throws config_error for anything else.
std::vector<int> parse_cpu_list(const std::string& text);

// Throws error(exit_code::unsupported) if the CPUs cannot be used.
void pin_to_cpus(const std::vector<int>& cpus);

// The CPUs this process may run on, as a list string ("0-1" style is not attempted: "0,1").
std::string current_affinity();

}  // namespace isobench::detail
