#pragma once
// The test spec: what to run (target, implementations, workloads), how to time it, what
// equivalence to demand, and which commit it belongs to. See configs/schema/spec.schema.json.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "equivalence/tolerance.hpp"
#include "isobench/enum_string.hpp"
#include "isobench/kernel.hpp"

namespace isobench::detail {

inline constexpr int spec_format_version = 1;
inline constexpr std::size_t spec_max_bytes = std::size_t{16} << 20;  // a spec is a page of JSON

enum class device_request : std::uint8_t { cpu, cuda, automatic };
std::string_view to_string(device_request d) noexcept;

enum class cache_mode : std::uint8_t { warm, cold };
std::string_view to_string(cache_mode c) noexcept;

struct timing_policy {
  int warmup = 3;            // untimed calls before measuring (calibration comes on top)
  int min_iters = 10;        // samples: a floor, unless max_time_s comes first
  int max_iters = 100000;    // samples: a cap
  double min_time_s = 0.2;   // keep sampling until this much timed work once min_iters is reached
  double max_time_s = 10.0;  // bound on the wall time of the whole case, warmup included
  cache_mode cache = cache_mode::warm;
  bool cache_given = false;  // not given: warm on the CPU, cold (L2 flushed) for GPU kernels
};

struct workload {
  std::string name;
  params values;                      // raw values from the spec; validated against the kernel
  std::optional<std::uint64_t> seed;  // overrides the derived seed
  std::size_t index = 0;              // position in the spec, for error paths (/workloads/<i>)
};

struct equivalence_policy {
  eq_level level = eq_level::numeric;
  std::optional<double> rtol;
  std::optional<double> atol;
};

struct commit_info {
  std::string hash;
  std::string parent;
  std::string message;
};

struct claim {
  double speedup = 1.0;
  double tolerance = 0.8;
};

// How a baseline/candidate comparison is measured and judged (interleaved runs, compare).
struct verdict_settings {
  double alpha = 0.01;            // significance level, after Holm's correction across workloads
  // Relative change below which a significant result is UNCHANGED. 2%: at 1%, 6 of 400 A/A pairs of
  // a 240 ns kernel were flagged (README "Evidence"), so 1% stays opt-in.
  double noise_threshold = 0.02;
  double ci_half_width = 0.01;    // adaptive stopping: target relative half-width of the 95% CI
  int min_rounds = 20;            // interleaved round pairs before stopping may be considered
  int max_rounds = 1000;
  // Duration of one round per side: short, so a launch is cheap and a verdict can afford many (the
  // spread between launches, not within them, limits a small kernel's verdict).
  double round_time_s = 0.003;
  // Launches: fresh kernels (run) or worker processes (ab), each with its own memory layout; the
  // launch is the unit of the test (README, "Statistics").
  int min_launches = 3;
  int max_launches = 20;
  int launch_rounds = 10;  // round pairs per launch
};

enum class role : std::uint8_t { baseline, candidate, single };
std::string_view to_string(role r) noexcept;

struct implementation_ref {
  isobench::detail::role role = role::single;
  std::string name;  // as written in the spec; resolved against the registry later
};

struct spec {
  int version = spec_format_version;
  std::string name;
  std::string source;  // the file it came from, for messages
  std::string target;
  std::vector<implementation_ref> implementations;  // baseline first when present
  device_request device = device_request::cpu;
  dtype type = dtype::f32;
  std::uint64_t seed = 0;
  std::vector<workload> workloads;
  timing_policy timing;
  equivalence_policy equivalence;
  commit_info commit;
  std::optional<isobench::detail::claim> claim;
  verdict_settings verdict;
  bool require_opt_path = false;
};

// Parse and validate. Every problem throws config_error whose message names the source, the JSON
// pointer of the offending field and what was expected.
spec parse_spec(const nlohmann::json& document, const std::string& source);
spec load_spec(const std::filesystem::path& file);
// The same from the file's bytes (`source` names it in messages).
spec parse_spec_text(std::string_view text, const std::string& source);

}  // namespace isobench::detail

namespace isobench {

template <>
std::optional<detail::device_request> from_string<detail::device_request>(std::string_view text) noexcept;
template <>
std::optional<detail::cache_mode> from_string<detail::cache_mode>(std::string_view text) noexcept;
template <>
std::optional<detail::role> from_string<detail::role>(std::string_view text) noexcept;

}  // namespace isobench
