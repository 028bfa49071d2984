#pragma once
// The plain data a run produces; reporters turn it into JSON, tables and summaries.

#include <optional>
#include <string>
#include <vector>

#include "device/device.hpp"
#include "env/host_info.hpp"
#include "equivalence/output_compare.hpp"
#include "isobench/enum_string.hpp"
#include "isobench/kernel.hpp"
#include "report/settings_json.hpp"
#include "spec/spec.hpp"
#include "stats/summary.hpp"
#include "timing/measure.hpp"
#include "verdict/judge.hpp"

namespace isobench::detail {

inline constexpr int result_schema_version = 1;

enum class run_mode : std::uint8_t { measure, reference, eqcheck };
std::string_view to_string(run_mode m) noexcept;

struct eq_outcome {
  std::string against;  // "reference" (a stored file) or "baseline" (same run)
  comparison result;
};

struct case_result {
  std::string workload;
  params workload_params;
  std::uint64_t seed = 0;
  std::string implementation;
  isobench::detail::role role = role::single;
  device_kind device = device_kind::cpu;
  dtype type = dtype::f32;
  timing::measurement measurement;
  stats::summary summary_ms;  // of measurement.samples_s, in milliseconds
  std::optional<double> flops;
  std::optional<double> bytes;
  std::optional<double> gflops;  // flops / p50
  std::optional<double> gbps;    // bytes / p50
  bool opt_path_hit = true;
  std::string isa;                      // vector path the kernel ran: kernel::isa(), else its build's
  std::vector<counter> counters;        // the kernel's own figures (kernel::counters)
  std::optional<eq_outcome> eq;         // absent when nothing was compared
  std::vector<double> round_medians_s;  // interleaved runs: one per round, paired across roles
  // Device runs: peak device memory while the kernel existed, and the event-vs-host cross-check.
  std::optional<std::size_t> peak_device_memory_bytes;
  std::optional<device_context::cross_check> cross_check;
  [[nodiscard]] bool work_escaped_stream() const noexcept {
    return cross_check && cross_check->escaped * 10 > cross_check->samples;
  }
  [[nodiscard]] bool eq_failed() const noexcept { return eq && !eq->result.passed(); }
};

// One build of `isobench ab`: its executable and what its own fingerprint says.
struct build_identity {
  std::string role;  // base or head
  std::string executable;
  std::string isobench_version, git_revision, user_project, user_revision;
  std::string cpu_model, build_type, kernel_cxx_flags;
};

struct run_report {
  std::string spec_name;
  std::string spec_file;
  std::string target;
  isobench::detail::spec spec;  // as loaded (timing, equivalence, claim, commit)
  run_mode mode = run_mode::measure;
  std::string impl_tag;
  std::string commit_hash;
  std::string timestamp;       // UTC, ISO 8601
  std::string reference_file;  // read (eqcheck) or written (reference); empty otherwise
  host_info host;
  cuda_status device;  // the CUDA fingerprint (probe_cuda), also when unavailable
  std::vector<case_result> cases;
  run_settings settings;  // every setting the run measured and judged with, decided once
  verdict_policy policy;
  std::vector<verdict_result> verdicts;  // one per workload when a baseline and a candidate ran
  std::vector<build_identity> builds;    // `isobench ab`: base and head
};

}  // namespace isobench::detail

namespace isobench {

template <>
std::optional<detail::run_mode> from_string<detail::run_mode>(std::string_view text) noexcept;

}  // namespace isobench
