#include "compare/compare_runs.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include <fmt/format.h>

#include "isobench/error.hpp"
#include "stats/summary.hpp"

namespace isobench::detail {

namespace {

std::string major_version(const std::string& v) {
  return v.substr(0, v.find('.'));
}

std::string env_field(const loaded_result& r, const char* key) {
  const auto it = r.environment.find(key);
  return it != r.environment.end() && it->is_string() ? it->get<std::string>() : std::string("?");
}

// (spec, workload, implementation) identifies what is compared.
using case_key = std::tuple<std::string, std::string, std::string>;

struct side_runs {
  std::vector<const loaded_case*> runs;  // one per file that has the case
};

std::map<case_key, side_runs> index(const std::vector<loaded_result>& side) {
  std::map<case_key, side_runs> out;
  for (const auto& r : side) {
    for (const auto& c : r.cases) out[{r.spec_name, c.workload, c.implementation}].runs.push_back(&c);
  }
  return out;
}

// Two real runs never produce the same samples: equal fingerprints mean one run given twice.
std::size_t run_fingerprint(const loaded_result& r) {
  std::string bytes;
  for (const auto& c : r.cases) {
    bytes += c.workload + '\0' + c.implementation + '\0';
    bytes.append(reinterpret_cast<const char*>(c.samples_ms.data()), c.samples_ms.size() * sizeof(double));
  }
  return std::hash<std::string>{}(bytes);
}

std::string label(const std::vector<loaded_result>& side) {
  std::set<std::string> tags;
  for (const auto& r : side) tags.insert(r.impl_tag);
  return fmt::format("{}", fmt::join(tags, "+"));
}

}  // namespace

std::vector<double> block_medians(const std::vector<double>& samples, std::size_t blocks) {
  blocks = std::clamp<std::size_t>(blocks, 1, std::max<std::size_t>(samples.size(), 1));
  std::vector<double> out;
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t begin = samples.size() * b / blocks;
    const std::size_t end = samples.size() * (b + 1) / blocks;
    if (end > begin) out.push_back(stats::median(std::span(samples).subspan(begin, end - begin)));
  }
  return out;
}

std::vector<std::string> environment_differences(const std::vector<loaded_result>& base,
                                                 const std::vector<loaded_result>& head) {
  std::vector<std::string> diffs;
  auto collect = [](const std::vector<loaded_result>& side, auto get) {
    std::set<std::string> values;
    for (const auto& r : side) values.insert(get(r));
    return values;
  };
  auto check = [&](const char* name, auto get) {
    const auto b = collect(base, get);
    const auto h = collect(head, get);
    std::set<std::string> all(b.begin(), b.end());
    all.insert(h.begin(), h.end());
    if (all.size() > 1) diffs.push_back(fmt::format("{}: {} vs {}", name, fmt::join(b, " | "), fmt::join(h, " | ")));
  };
  check("cpu_model", [](const loaded_result& r) { return env_field(r, "cpu_model"); });
  check("build_type", [](const loaded_result& r) { return env_field(r, "build_type"); });
  check("isobench major version", [](const loaded_result& r) { return major_version(r.isobench_version); });
  check("device", [](const loaded_result& r) {
    std::set<std::string> devices;
    for (const auto& c : r.cases) devices.insert(c.device);
    return fmt::format("{}", fmt::join(devices, ","));
  });
  return diffs;
}

namespace {

// The same run given twice would count as two independent runs (6 copies of one run look like 6
// runs that agree perfectly): refuse it, on either side or across them.
void check_distinct_runs(const std::vector<loaded_result>& base, const std::vector<loaded_result>& head) {
  std::map<std::size_t, const std::string*> seen;
  for (const auto* side : {&base, &head}) {
    for (const auto& r : *side) {
      const auto [it, fresh] = seen.emplace(run_fingerprint(r), &r.file);
      if (!fresh) {
        throw config_error(
            fmt::format("{} and {} hold the same run (identical samples): give each run once", *it->second, r.file));
      }
    }
  }
}

// One side's units of comparison: each run's median (enough runs), else blocks of each run's samples.
void side_units(const side_runs& s, bool per_run, std::vector<double>& out, std::vector<double>& all) {
  for (const auto* c : s.runs) {
    all.insert(all.end(), c->samples_ms.begin(), c->samples_ms.end());
    if (per_run) {
      out.push_back(stats::median(c->samples_ms));
    } else {
      const auto blocks = block_medians(c->samples_ms, std::min<std::size_t>(20, c->samples_ms.size() / 3));
      out.insert(out.end(), blocks.begin(), blocks.end());
    }
  }
}

// One case's speedup estimate (rank test on run medians, runs, or sample blocks), medians and the
// head's equivalence; returns whether every head run was equivalent.
bool estimate_case(verdict_result& v, const side_runs& b, const side_runs& h, const compare_options& o,
                   compare_report& rep, bool& fallback_noted) {
  std::vector<double> bu, hu, b_all, h_all;
  const bool per_run = b.runs.size() >= static_cast<std::size_t>(o.min_runs_per_side) &&
                       h.runs.size() >= static_cast<std::size_t>(o.min_runs_per_side);
  side_units(b, per_run, bu, b_all);
  side_units(h, per_run, hu, h_all);
  const auto fewest = std::min(b.runs.size(), h.runs.size());
  if (per_run && fewest >= static_cast<std::size_t>(o.rank_test_runs)) {
    v.estimate = estimate_independent(bu, hu, o.policy.ci_level, o.resamples);
    v.estimate.method = "mann_whitney_u(run medians)";
    v.estimate.unit = "runs";
  } else if (per_run) {
    v.estimate = estimate_runs(bu, hu, o.policy.ci_level);
  } else {
    v.estimate = estimate_independent(bu, hu, o.policy.ci_level, o.resamples);
    v.estimate.method = "mann_whitney_u(sample blocks)";
    v.estimate.unit = "blocks";
    v.estimate.run_variance_unaccounted = true;
    if (!fallback_noted) {
      rep.notes.push_back(fmt::format(
          "fewer than {} runs per side: p-values treat blocks of one run as independent and ignore run-to-run "
          "noise; only the {:g}% noise threshold guards against false alarms (measure >= {} runs per side, "
          "alternating base and head)",
          o.min_runs_per_side, 100.0 * o.policy.noise_threshold, o.min_runs_per_side));
      fallback_noted = true;
    }
  }
  v.base_p50_ms = stats::median(b_all);
  v.head_p50_ms = stats::median(h_all);
  v.samples_per_side = std::min(b_all.size(), h_all.size());
  bool eq_ok = true;
  for (const auto* c : h.runs) {
    if (c->eq_passed && !*c->eq_passed) eq_ok = false;
    if (c->eq_level) v.candidate_eq = from_string<eq_level>(*c->eq_level).value_or(eq_level::none);
    if (!c->counters.empty()) v.candidate_counters = c->counters;
  }
  return eq_ok;
}

}  // namespace

compare_report compare_results(const std::vector<loaded_result>& base, const std::vector<loaded_result>& head,
                               const compare_options& o) {
  if (base.empty() || head.empty()) throw config_error("compare needs at least one base and one head result file");
  check_distinct_runs(base, head);
  compare_report rep;
  rep.policy = o.policy;
  const auto diffs = environment_differences(base, head);
  if (!diffs.empty()) {
    if (!o.allow_env_mismatch) {
      throw config_error(
          fmt::format("refusing to compare results from different environments ({}); pass "
                      "--allow-env-mismatch to compare anyway",
                      fmt::join(diffs, "; ")));
    }
    for (const auto& d : diffs) rep.notes.push_back(fmt::format("environment differs (allowed): {}", d));
  }

  const auto base_index = index(base);
  const auto head_index = index(head);
  const auto base_label = label(base);
  const auto head_label = label(head);
  std::vector<bool> equivalent;
  bool fallback_noted = false;
  for (const auto& [key, b] : base_index) {
    const auto& [spec, workload, impl] = key;
    verdict_result v;
    v.spec_name = spec;
    v.workload = workload;
    v.baseline = fmt::format("{}@{}", impl, base_label);
    v.candidate = fmt::format("{}@{}", impl, head_label);
    const auto it = head_index.find(key);
    if (it == head_index.end()) {
      v.estimate.speedup = NAN;
      v.estimate.method = "missing in head";
      equivalent.push_back(false);
    } else {
      equivalent.push_back(estimate_case(v, b, it->second, o, rep, fallback_noted));
    }
    rep.verdicts.push_back(std::move(v));
  }
  for (const auto& [key, h] : head_index) {
    if (!base_index.contains(key)) {
      rep.notes.push_back(fmt::format("{} / {} / {} is only in head: not compared", std::get<0>(key), std::get<1>(key),
                                      std::get<2>(key)));
    }
  }
  judge(rep.verdicts, rep.policy, equivalent);
  return rep;
}

}  // namespace isobench::detail
