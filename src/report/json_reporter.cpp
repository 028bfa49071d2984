#include "report/json_reporter.hpp"

#include <ostream>

#include <nlohmann/json.hpp>

namespace isobench {

namespace {

double ms(double s) { return s * 1e3; }

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

nlohmann::json params_to_json(const params& p) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : p.items()) std::visit([&](const auto& x) { j[k] = x; }, v);
  return j;
}

nlohmann::json to_json(const case_result& c, const run_report& r) {
  const auto& m = c.measurement;
  const auto& s = c.summary_ms;
  nlohmann::json samples = nlohmann::json::array();
  for (double x : m.samples_s) samples.push_back(ms(x));
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
          {"samples_ms", samples},
          {"timed_s", m.timed_s},
          {"wall_s", m.wall_s},
          {"stop_reason", m.stop_reason},
          {"flops", optional_number(c.flops)},
          {"bytes", optional_number(c.bytes)},
          {"gflops", optional_number(c.gflops)},
          {"gbps", optional_number(c.gbps)},
          {"eq_level", c.eq ? nlohmann::json(to_string(c.eq->result.achieved)) : nlohmann::json(nullptr)},
          {"eq", c.eq ? eq_to_json(*c.eq) : nlohmann::json(nullptr)},
          {"opt_path_hit", c.opt_path_hit}};
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
          {"results", cases}};
}

void json_reporter::report(const run_report& r, std::ostream& os) const { os << to_json(r).dump(2) << '\n'; }

}  // namespace isobench
