#pragma once
// The environment fingerprint recorded with every result: what machine and build produced it.
// Two results are only comparable when what matters here agrees.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace isobench::detail {

struct cache_info {
  int level = 0;
  std::string type;  // Data, Instruction, Unified
  std::size_t size_bytes = 0;
};

struct host_info {
  std::string cpu_model;
  unsigned logical_cpus = 0;
  std::vector<cache_info> caches;
  std::size_t memory_bytes = 0;
  std::string os;
  std::string kernel;
  std::string hostname;
  std::string cpu_governor;  // empty where cpufreq is not exposed (VMs)
  // Transparent huge pages ("always", "madvise", "never"): the arena asks for them with madvise,
  // so "never" leaves physical placement below 2 MiB to chance (core/placement.hpp).
  std::string transparent_hugepage;
  std::string placement;     // "arena" or "heap" (ISOBENCH_PLACEMENT=heap)
  std::string cpu_affinity;  // CPUs the measuring process may run on (see --pin-cpu)
  std::string compiler;
  std::string cxx_flags;
  std::string kernel_cxx_flags;  // the kernels are built with these on top
  std::string build_type;
  std::string kernel_arch;  // -march of the bundled kernels ("" = the compiler's default)
  std::string cpu_isa;      // widest vector instruction set this CPU runs (best_cpu_isa)
  // What reading the clock costs, measured at start-up by the run that records it (absent where
  // nothing was measured); the batch size keeps it under 1% of every sample.
  std::optional<double> timer_overhead_ns;
  std::string isobench_version;
  std::string git_revision;
  // The project that built this benchmark executable with isobench_add_executable(), and its
  // repository's revision; empty for the isobench executable itself.
  std::string user_project;
  std::string user_revision;

  [[nodiscard]] std::size_t last_level_cache_bytes() const noexcept;
};

host_info collect_host_info();
nlohmann::json to_json(const host_info& h);

// Parsers for the /proc and /sys text they read; exposed for tests.
std::optional<std::size_t> parse_cache_size(std::string_view text);  // "48K", "1024K", "32M", "512"
std::string parse_cpu_model(std::string_view cpuinfo);
std::optional<std::size_t> parse_meminfo_total_bytes(std::string_view meminfo);
std::string parse_os_pretty_name(std::string_view os_release);
std::string parse_thp_mode(std::string_view enabled);  // "always [madvise] never" -> "madvise"

}  // namespace isobench::detail
