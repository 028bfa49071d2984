#include "report/json_reporter.hpp"

#include "core/params_json.hpp"

#include <cmath>
#include <ostream>

#include <nlohmann/json.hpp>

#include "stats/robust.hpp"

namespace isobench::detail {

namespace {

double ms(double s) {
  return s * 1e3;
}

// {"weight_bytes": ..., ...}: a kernel's counters by name.
nlohmann::json counters_json(const std::vector<counter>& counters) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& x : counters) out[x.name] = x.value;
  return out;
}

nlohmann::json optional_number(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json eq_to_json(const eq_outcome& eq) {
  const auto& c = eq.result;
  nlohmann::json tensors = nlohmann::json::array();
  for (const auto& t : c.tensors) {
    nlohmann::json j = {{"name", t.name},
                        {"level", to_string(t.level)},
                        {"max_abs_err", t.max_abs_err},
                        {"max_rel_err", t.max_rel_err}};
    if (t.first_mismatch) {
      j["first_mismatch_index"] = *t.first_mismatch;
      j["expected"] = t.expected_value;
      j["actual"] = t.actual_value;
    }
    if (!t.problem.empty()) j["problem"] = t.problem;
    tensors.push_back(std::move(j));
  }
  return {{"against", eq.against},
          {"required", to_string(c.required)},
          {"achieved", to_string(c.achieved)},
          {"passed", c.passed()},
          {"rtol", c.used.rtol},
          {"atol", c.used.atol},
          {"max_abs_err", c.max_abs_err()},
          {"max_rel_err", c.max_rel_err()},
          {"message", c.summary()},
          {"tensors", tensors}};
}

}  // namespace

nlohmann::json to_json(const case_result& c, const run_report& r) {
  const auto& m = c.measurement;
  const auto& s = c.summary_ms;
  nlohmann::json samples = nlohmann::json::array();
  std::vector<double> samples_ms;
  samples_ms.reserve(m.samples_s.size());
  for (double x : m.samples_s) samples_ms.push_back(ms(x));
  for (double x : samples_ms) samples.push_back(x);
  // Outliers are counted, never dropped: slow samples are data about the code too.
  const auto outliers = samples_ms.empty() ? stats::outlier_counts{} : stats::tukey_outliers(samples_ms);
  return {{"workload", c.workload},
          {"params", params_to_json(c.workload_params)},
          {"seed", c.seed},
          {"implementation", c.implementation},
          {"role", to_string(c.role)},
          {"impl_tag", r.impl_tag},
          {"commit_hash", r.commit_hash},
          {"device", to_string(c.device)},
          {"dtype", to_string(c.type)},
          {"iters", m.measured_calls},
          {"warmup", m.warmup_calls},
          {"calibration_calls", m.calibration_calls},
          {"samples", s.count},
          {"batch", m.batch},
          {"cache", to_string(r.spec.timing.cache)},
          {"avg_ms", s.mean},
          {"p50_ms", s.p50},
          {"p95_ms", s.p95},
          {"p99_ms", s.p99},
          {"min_ms", s.min},
          {"max_ms", s.max},
          {"std_ms", s.stddev},
          {"cv", s.cv},
          {"mad_ms", samples_ms.empty() ? 0.0 : stats::mad(samples_ms)},
          {"iqr_ms", samples_ms.empty() ? 0.0 : stats::iqr(samples_ms)},
          {"outliers",
           {{"mild", outliers.mild}, {"extreme", outliers.extreme}, {"low", outliers.low}, {"high", outliers.high}}},
          {"samples_ms", samples},
          {"timed_s", m.timed_s},
          {"wall_s", m.wall_s},
          {"stop_reason", m.stop_reason},
          {"flops", optional_number(c.flops)},
          {"bytes", optional_number(c.bytes)},
          {"gflops", optional_number(c.gflops)},
          {"gbps", optional_number(c.gbps)},
          // On a GPU, achieved bandwidth against the fingerprint's peak (2 x memory clock x bus width).
          {"pct_peak_bandwidth",
           c.device == device_kind::cuda && c.gbps && r.device.gpu && r.device.gpu->peak_bandwidth_gbps > 0.0
               ? nlohmann::json(100.0 * *c.gbps / r.device.gpu->peak_bandwidth_gbps)
               : nlohmann::json(nullptr)},
          // Likewise achieved FLOP/s against the architecture's dense peak for the case's dtype.
          {"pct_peak_flops",
           [&] {
             if (c.device != device_kind::cuda || !c.gflops || !r.device.gpu) return nlohmann::json(nullptr);
             const double peak = peak_tflops(*r.device.gpu, c.type);
             return peak > 0.0 ? nlohmann::json(100.0 * *c.gflops / (peak * 1e3)) : nlohmann::json(nullptr);
           }()},
          {"eq_level", c.eq ? nlohmann::json(to_string(c.eq->result.achieved)) : nlohmann::json(nullptr)},
          {"eq", c.eq ? eq_to_json(*c.eq) : nlohmann::json(nullptr)},
          {"opt_path_hit", c.opt_path_hit},
          {"isa", c.isa},
          {"counters", counters_json(c.counters)},
          {"peak_device_memory_bytes",
           c.peak_device_memory_bytes ? nlohmann::json(*c.peak_device_memory_bytes) : nlohmann::json(nullptr)},
          {"timing_cross_check", c.cross_check ? nlohmann::json{{"samples", c.cross_check->samples},
                                                                {"escaped", c.cross_check->escaped},
                                                                {"event_median_ms", ms(c.cross_check->event_median_s)},
                                                                {"host_median_ms", ms(c.cross_check->host_median_s)},
                                                                {"work_escaped_stream", c.work_escaped_stream()}}
                                               : nlohmann::json(nullptr)},
          {"round_medians_ms", [&] {
             nlohmann::json rounds = nlohmann::json::array();
             for (double x : c.round_medians_s) rounds.push_back(ms(x));
             return rounds;
           }()}};
}

namespace {

nlohmann::json launch_speedups_json(const speedup_estimate& e) {
  if (e.kind != estimate_kind::launches) return nullptr;
  auto out = nlohmann::json::array();
  for (double d : e.launch_log_speedups) out.push_back(std::exp(d));
  return out;
}

}  // namespace

nlohmann::json to_json(const verdict_result& v) {
  const auto& e = v.estimate;
  return {{"spec", v.spec_name},
          {"workload", v.workload},
          {"baseline", v.baseline},
          {"candidate", v.candidate},
          {"speedup", e.speedup},
          {"ci_low", e.ci.low},
          {"ci_high", e.ci.high},
          {"ci_level", 0.95},
          {"p_value", e.p_value},
          {"p_adjusted", v.p_adjusted},
          {"p_claim", v.p_claim ? nlohmann::json(*v.p_claim) : nlohmann::json(nullptr)},
          {"p_claim_adjusted", v.p_claim_adjusted ? nlohmann::json(*v.p_claim_adjusted) : nlohmann::json(nullptr)},
          {"method", e.method},
          {"unit", e.unit},
          {"base_units", e.base_units},
          {"head_units", e.head_units},
          {"run_variance_unaccounted", e.run_variance_unaccounted},
          {"samples_per_side", v.samples_per_side},
          {"base_p50_ms", v.base_p50_ms},
          {"head_p50_ms", v.head_p50_ms},
          {"mde_pct", 100.0 * v.mde},
          {"launches",
           e.kind == estimate_kind::launches ? nlohmann::json(e.launch_log_speedups.size()) : nlohmann::json(nullptr)},
          {"launch_speedups", launch_speedups_json(e)},
          {"layout_sensitivity_pct", std::isfinite(e.layout_sensitivity) ? nlohmann::json(100.0 * e.layout_sensitivity)
                                                                         : nlohmann::json(nullptr)},
          {"stop_reason", v.stop_reason},
          {"candidate_eq_level", v.candidate_eq ? nlohmann::json(to_string(*v.candidate_eq)) : nlohmann::json(nullptr)},
          {"candidate_counters", counters_json(v.candidate_counters)},
          {"coordination_overhead_pct",
           v.coordination_overhead ? nlohmann::json(100.0 * *v.coordination_overhead) : nlohmann::json(nullptr)},
          {"verdict", to_string(v.verdict)},
          {"reason", v.reason}};
}

nlohmann::json policy_to_json(const verdict_policy& p) {
  return {{"alpha", p.alpha},
          {"noise_threshold", p.noise_threshold},
          {"ci_level", p.ci_level},
          {"correction", "holm"},
          {"claim", p.claim ? nlohmann::json{{"speedup", p.claim->speedup}, {"tolerance", p.claim->tolerance}}
                            : nlohmann::json(nullptr)}};
}

nlohmann::json to_json(const run_report& r) {
  const auto& sp = r.spec;
  nlohmann::json spec = {
      {"name", r.spec_name},
      {"file", r.spec_file},
      {"target", r.target},
      {"dtype", to_string(sp.type)},
      {"device", to_string(sp.device)},
      {"seed", sp.seed},
      {"timing",
       {{"warmup", sp.timing.warmup},
        {"min_iters", sp.timing.min_iters},
        {"max_iters", sp.timing.max_iters},
        {"min_time_s", sp.timing.min_time_s},
        {"max_time_s", sp.timing.max_time_s},
        {"cache", to_string(sp.timing.cache)}}},
      {"equivalence",
       {{"level", to_string(sp.equivalence.level)},
        {"rtol", optional_number(sp.equivalence.rtol)},
        {"atol", optional_number(sp.equivalence.atol)}}},
      {"claim", sp.claim ? nlohmann::json{{"speedup", sp.claim->speedup}, {"tolerance", sp.claim->tolerance}}
                         : nlohmann::json(nullptr)},
      {"verdict",
       {{"alpha", sp.verdict.alpha},
        {"noise_threshold", sp.verdict.noise_threshold},
        {"ci_half_width", sp.verdict.ci_half_width},
        {"min_rounds", sp.verdict.min_rounds},
        {"max_rounds", sp.verdict.max_rounds},
        {"round_time_s", sp.verdict.round_time_s}}},
      {"require_opt_path", sp.require_opt_path}};
  nlohmann::json cases = nlohmann::json::array();
  for (const auto& c : r.cases) cases.push_back(to_json(c, r));
  return {{"schema_version", result_schema_version},
          {"isobench", {{"version", r.host.isobench_version}, {"git_revision", r.host.git_revision}}},
          {"timestamp", r.timestamp},
          {"mode", to_string(r.mode)},
          {"impl_tag", r.impl_tag},
          {"commit_hash", r.commit_hash},
          {"commit", {{"hash", sp.commit.hash}, {"parent", sp.commit.parent}, {"message", sp.commit.message}}},
          {"reference_file", r.reference_file.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.reference_file)},
          {"spec", spec},
          {"environment", to_json(r.host)},
          {"device_info", to_json(r.device)},
          {"results", cases},
          {"settings", to_json(r.settings)},
          {"builds",
           [&] {
             nlohmann::json b = nlohmann::json::array();
             for (const auto& x : r.builds) {
               b.push_back({{"role", x.role},
                            {"executable", x.executable},
                            {"isobench_version", x.isobench_version},
                            {"git_revision", x.git_revision},
                            {"user_project", x.user_project},
                            {"user_revision", x.user_revision},
                            {"cpu_model", x.cpu_model},
                            {"build_type", x.build_type},
                            {"kernel_cxx_flags", x.kernel_cxx_flags}});
             }
             return b;
           }()},
          {"verdict_policy", policy_to_json(r.policy)},
          {"verdicts", [&] {
             nlohmann::json v = nlohmann::json::array();
             for (const auto& x : r.verdicts) v.push_back(to_json(x));
             return v;
           }()}};
}

void json_reporter::report(const run_report& r, std::ostream& os) const {
  os << to_json(r).dump(2) << '\n';
}

}  // namespace isobench::detail
