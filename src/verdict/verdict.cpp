#include "verdict/verdict.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "stats/distributions.hpp"
#include "stats/hypothesis.hpp"
#include "stats/summary.hpp"

namespace isobench {

std::string_view to_string(verdict v) noexcept {
  switch (v) {
    case verdict::pass: return "PASS";
    case verdict::partial: return "PARTIAL";
    case verdict::fail: return "FAIL";
    case verdict::error: return "ERROR";
    case verdict::improved: return "IMPROVED";
    case verdict::unchanged: return "UNCHANGED";
    case verdict::regressed: return "REGRESSED";
  }
  return "ERROR";
}

bool is_gate_failure(verdict v) noexcept {
  return v == verdict::fail || v == verdict::partial || v == verdict::error || v == verdict::regressed;
}

double speedup_estimate::mde(double alpha, double level) const {
  if (!(ci.low > 0.0 && ci.high > 0.0)) return NAN;
  const double se_log = (std::log(ci.high) - std::log(ci.low)) / (2.0 * stats::normal_quantile(0.5 + level / 2.0));
  return std::exp((stats::normal_quantile(1.0 - alpha / 2.0) + stats::normal_quantile(0.8)) * se_log) - 1.0;
}

namespace {

stats::bootstrap_options boot(double level, int resamples) {
  stats::bootstrap_options o;
  o.level = level;
  o.resamples = resamples;
  return o;
}

// An estimate's identity: how it was computed and on how many units per side.
speedup_estimate labelled(const char* method, const char* unit, std::size_t base_units, std::size_t head_units) {
  speedup_estimate e;
  e.method = method;
  e.unit = unit;
  e.base_units = base_units;
  e.head_units = head_units;
  e.units = std::min(base_units, head_units);
  return e;
}

}  // namespace

speedup_estimate estimate_paired(std::span<const double> base_units, std::span<const double> head_units,
                                 double ci_level, int resamples) {
  auto e = labelled("wilcoxon_signed_rank(paired rounds)", "rounds", base_units.size(), head_units.size());
  e.speedup = stats::median(base_units) / stats::median(head_units);
  e.ci = stats::bootstrap_paired_median_ratio_ci(base_units, head_units, boot(ci_level, resamples));
  std::vector<double> log_ratio(base_units.size());
  for (std::size_t i = 0; i < log_ratio.size(); ++i) log_ratio[i] = std::log(base_units[i] / head_units[i]);
  e.p_value = stats::wilcoxon_signed_rank(log_ratio, stats::alternative::two_sided).p_value;
  return e;
}

speedup_estimate estimate_independent(std::span<const double> base_units, std::span<const double> head_units,
                                      double ci_level, int resamples) {
  auto e = labelled("mann_whitney_u(units)", "units", base_units.size(), head_units.size());
  e.speedup = stats::median(base_units) / stats::median(head_units);
  e.ci = stats::bootstrap_median_ratio_ci(base_units, head_units, boot(ci_level, resamples));
  e.p_value = stats::mann_whitney_u(base_units, head_units, stats::alternative::two_sided).p_value;
  return e;
}

speedup_estimate estimate_runs(std::span<const double> base_runs, std::span<const double> head_runs, double ci_level) {
  std::vector<double> lb(base_runs.size()), lh(head_runs.size());
  std::transform(base_runs.begin(), base_runs.end(), lb.begin(), [](double v) { return std::log(v); });
  std::transform(head_runs.begin(), head_runs.end(), lh.begin(), [](double v) { return std::log(v); });
  auto e = labelled("welch_t(log run medians)", "runs", lb.size(), lh.size());
  const double d = stats::mean(lb) - stats::mean(lh);
  e.speedup = std::exp(d);
  const auto t = stats::welch_t_test(lb, lh, stats::alternative::two_sided);
  e.p_value = t.p_value;
  const double se = std::sqrt(std::pow(stats::stddev(lb), 2) / static_cast<double>(lb.size()) +
                              std::pow(stats::stddev(lh), 2) / static_cast<double>(lh.size()));
  const double half = se > 0.0 ? stats::student_t_quantile(0.5 + ci_level / 2.0, stats::welch_df(lb, lh)) * se : 0.0;
  e.ci = {std::exp(d - half), std::exp(d + half)};
  return e;
}

verdict decide(const speedup_estimate& e, double p_adjusted, const verdict_policy& policy, bool equivalent) {
  if (!equivalent || !std::isfinite(e.speedup)) return verdict::error;
  const bool significant = p_adjusted < policy.alpha;
  if (policy.claim) {
    const double bar = policy.claim->speedup * policy.claim->tolerance;
    if (e.ci.low >= bar) return verdict::pass;
    if (significant && e.speedup > 1.0) return verdict::partial;
    return verdict::fail;
  }
  const bool beyond_noise = std::fabs(std::log(e.speedup)) >= std::log1p(policy.noise_threshold);
  if (!significant || !beyond_noise) return verdict::unchanged;
  return e.speedup > 1.0 ? verdict::improved : verdict::regressed;
}

std::string explain(const speedup_estimate& e, double p_adjusted, const verdict_policy& policy, verdict v) {
  if (!std::isfinite(e.speedup)) return fmt::format("no estimate: {}", e.method.empty() ? "run failed" : e.method);
  const auto head = fmt::format("{:.3f}x [{:.3f}, {:.3f}], p={:.2g}", e.speedup, e.ci.low, e.ci.high, p_adjusted);
  switch (v) {
    case verdict::error: return head + ": outputs not equivalent or run failed";
    case verdict::pass:
      return fmt::format("{}: CI lower bound >= claim {:g}x x {:g}", head, policy.claim->speedup,
                         policy.claim->tolerance);
    case verdict::partial:
      return fmt::format("{}: faster, but CI lower bound < claim {:g}x x {:g} = {:.3f}", head, policy.claim->speedup,
                         policy.claim->tolerance, policy.claim->speedup * policy.claim->tolerance);
    case verdict::fail:
      return fmt::format("{}: not significantly faster (alpha {:g}); claim {:g}x x {:g}", head, policy.alpha,
                         policy.claim->speedup, policy.claim->tolerance);
    case verdict::unchanged:
      return fmt::format("{}: within noise (alpha {:g}, threshold {:g}%)", head, policy.alpha,
                         100.0 * policy.noise_threshold);
    case verdict::improved:
      return fmt::format("{}: faster beyond the {:g}% threshold", head, 100.0 * policy.noise_threshold);
    case verdict::regressed:
      return fmt::format("{}: slower beyond the {:g}% threshold", head, 100.0 * policy.noise_threshold);
  }
  return head;
}

}  // namespace isobench
