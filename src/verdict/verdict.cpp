#include "verdict/verdict.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "stats/distributions.hpp"
#include "stats/hypothesis.hpp"
#include "stats/random_effects.hpp"
#include "stats/summary.hpp"

namespace isobench::detail {

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

double speedup_estimate::mde(double alpha) const {
  if (!(se_log >= 0.0) || !std::isfinite(se_log)) return NAN;
  const auto q = [this](double p) {
    return std::isinf(df) ? stats::normal_quantile(p) : stats::student_t_quantile(p, df);
  };
  return std::exp((q(1.0 - alpha / 2.0) + q(0.8)) * se_log) - 1.0;
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

namespace {

// A bootstrap CI's standard error in log terms (normal approximation: the bootstrap has no df).
double se_from_ci(const stats::interval& ci, double level) {
  if (!(ci.low > 0.0 && ci.high > 0.0)) return NAN;
  return (std::log(ci.high) - std::log(ci.low)) / (2.0 * stats::normal_quantile(0.5 + level / 2.0));
}

std::vector<double> logs(std::span<const double> v) {
  std::vector<double> out(v.size());
  std::transform(v.begin(), v.end(), out.begin(), [](double x) { return std::log(x); });
  return out;
}

}  // namespace

speedup_estimate estimate_paired(std::span<const double> base_units, std::span<const double> head_units,
                                 double ci_level, int resamples) {
  auto e = labelled("wilcoxon_signed_rank(paired rounds)", "rounds", base_units.size(), head_units.size());
  e.kind = estimate_kind::paired;
  e.base_values.assign(base_units.begin(), base_units.end());
  e.head_values.assign(head_units.begin(), head_units.end());
  e.speedup = stats::median(base_units) / stats::median(head_units);
  e.ci = stats::bootstrap_paired_median_ratio_ci(base_units, head_units, boot(ci_level, resamples));
  e.se_log = se_from_ci(e.ci, ci_level);
  std::vector<double> log_ratio(base_units.size());
  for (std::size_t i = 0; i < log_ratio.size(); ++i) log_ratio[i] = std::log(base_units[i] / head_units[i]);
  e.p_value = stats::wilcoxon_signed_rank(log_ratio, stats::alternative::two_sided).p_value;
  return e;
}

speedup_estimate estimate_launches(const std::vector<std::vector<double>>& base_rounds,
                                   const std::vector<std::vector<double>>& head_rounds, double ci_level) {
  auto e =
      labelled("random_effects_hksj(launches of paired rounds)", "launches", base_rounds.size(), head_rounds.size());
  e.kind = estimate_kind::launches;
  for (std::size_t k = 0; k < base_rounds.size() && k < head_rounds.size(); ++k) {
    const auto& b = base_rounds[k];
    const auto& h = head_rounds[k];
    std::vector<double> d(std::min(b.size(), h.size()));
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = std::log(b[i] / h[i]);
    if (d.size() < 2) continue;
    const auto t = stats::trimmed_mean(d);
    e.launch_log_speedups.push_back(t.mean);
    e.launch_variances.push_back(t.se2);
    e.base_values.insert(e.base_values.end(), b.begin(), b.end());
    e.head_values.insert(e.head_values.end(), h.begin(), h.end());
  }
  e.units = e.launch_log_speedups.size();
  if (e.units < 2) {
    e.speedup = NAN;
    e.method = "fewer than 2 launches with 2 or more rounds";
    return e;
  }
  const auto r = stats::random_effects(e.launch_log_speedups, e.launch_variances);
  e.speedup = std::exp(r.estimate);
  e.p_value = r.p_value;
  e.se_log = r.se;
  e.df = r.df;
  const double half = stats::student_t_quantile(0.5 + ci_level / 2.0, r.df) * r.se;
  e.ci = {std::exp(r.estimate - half), std::exp(r.estimate + half)};
  e.layout_sensitivity = std::expm1(std::sqrt(r.tau2));
  return e;
}

speedup_estimate estimate_independent(std::span<const double> base_units, std::span<const double> head_units,
                                      double ci_level, int resamples) {
  auto e = labelled("mann_whitney_u(units)", "units", base_units.size(), head_units.size());
  e.kind = estimate_kind::independent;
  e.base_values.assign(base_units.begin(), base_units.end());
  e.head_values.assign(head_units.begin(), head_units.end());
  e.speedup = stats::median(base_units) / stats::median(head_units);
  e.ci = stats::bootstrap_median_ratio_ci(base_units, head_units, boot(ci_level, resamples));
  e.se_log = se_from_ci(e.ci, ci_level);
  e.p_value = stats::mann_whitney_u(base_units, head_units, stats::alternative::two_sided).p_value;
  return e;
}

speedup_estimate estimate_runs(std::span<const double> base_runs, std::span<const double> head_runs, double ci_level) {
  const auto lb = logs(base_runs);
  const auto lh = logs(head_runs);
  auto e = labelled("welch_t(log run medians)", "runs", lb.size(), lh.size());
  e.kind = estimate_kind::runs;
  e.base_values.assign(base_runs.begin(), base_runs.end());
  e.head_values.assign(head_runs.begin(), head_runs.end());
  const double d = stats::mean(lb) - stats::mean(lh);
  e.speedup = std::exp(d);
  const auto t = stats::welch_t_test(lb, lh, stats::alternative::two_sided);
  e.p_value = t.p_value;
  const double se = std::sqrt(std::pow(stats::stddev(lb), 2) / static_cast<double>(lb.size()) +
                              std::pow(stats::stddev(lh), 2) / static_cast<double>(lh.size()));
  e.se_log = se;
  e.df = se > 0.0 ? stats::welch_df(lb, lh) : INFINITY;
  const double half = se > 0.0 ? stats::student_t_quantile(0.5 + ci_level / 2.0, e.df) * se : 0.0;
  e.ci = {std::exp(d - half), std::exp(d + half)};
  return e;
}

double claim_p_value(const speedup_estimate& e, double bar) {
  if (e.base_values.empty() || e.head_values.empty() || !(bar > 0.0)) return 1.0;
  std::vector<double> scaled(e.base_values.size());
  std::transform(e.base_values.begin(), e.base_values.end(), scaled.begin(), [bar](double x) { return x / bar; });
  switch (e.kind) {
    case estimate_kind::paired: {
      std::vector<double> d(scaled.size());
      for (std::size_t i = 0; i < d.size(); ++i) d[i] = std::log(scaled[i] / e.head_values[i]);
      return stats::wilcoxon_signed_rank(d, stats::alternative::greater).p_value;
    }
    case estimate_kind::independent:
      return stats::mann_whitney_u(scaled, e.head_values, stats::alternative::greater).p_value;
    case estimate_kind::launches: {
      if (e.launch_log_speedups.size() < 2) return 1.0;
      const auto r = stats::random_effects(e.launch_log_speedups, e.launch_variances);
      return stats::random_effects_p_greater(r, std::log(bar));
    }
    case estimate_kind::runs: {
      if (scaled.size() < 2 || e.head_values.size() < 2) return 1.0;
      return stats::welch_t_test(logs(scaled), logs(e.head_values), stats::alternative::greater).p_value;
    }
  }
  return 1.0;
}

namespace {

// Whether the launches, taken alike, lean the other way from the weighted estimate (their median on
// the other side of no change). Inverse-variance weights let two precise launches outvote the rest:
// A/A launches of 1.098, 0.990, 1.053, 0.990 gave "0.990x REGRESSED" while most saw the head faster.
bool launches_lean_against(const speedup_estimate& e) {
  auto y = e.launch_log_speedups;
  if (y.size() < 3 || !(e.speedup > 0.0)) return false;
  const auto mid = y.begin() + static_cast<std::ptrdiff_t>(y.size() / 2);
  std::nth_element(y.begin(), mid, y.end());
  double median = *mid;
  if (y.size() % 2 == 0) median = 0.5 * (median + *std::max_element(y.begin(), mid));
  const double estimate = std::log(e.speedup);
  return median == 0.0 || (median > 0.0) != (estimate > 0.0);
}

}  // namespace

verdict decide(const speedup_estimate& e, const adjusted_p& p, const verdict_policy& policy, bool equivalent) {
  if (!equivalent || !std::isfinite(e.speedup)) return verdict::error;
  const bool significant = p.two_sided < policy.alpha;
  const bool faster = significant && e.speedup > 1.0;
  const bool slower = significant && e.speedup < 1.0;
  if (policy.claim) {
    const bool shown = p.claim < policy.alpha;
    if (slower) return verdict::fail;
    if (policy.claim->speedup <= 1.0) return shown ? verdict::pass : verdict::fail;
    if (faster && shown) return verdict::pass;
    return faster ? verdict::partial : verdict::fail;
  }
  const double change = e.speedup >= 1.0 ? e.speedup : 1.0 / e.speedup;
  // A change smaller than what moving memory around moves is not the commit's to claim.
  const double floor = std::isfinite(e.layout_sensitivity) ? std::max(policy.noise_threshold, e.layout_sensitivity)
                                                           : policy.noise_threshold;
  const bool beyond_noise = change >= (1.0 + floor) * (1.0 - threshold_rel_tolerance);
  if (!significant || !beyond_noise || launches_lean_against(e)) return verdict::unchanged;
  return e.speedup > 1.0 ? verdict::improved : verdict::regressed;
}

std::string explain(const speedup_estimate& e, const adjusted_p& p, const verdict_policy& policy, verdict v) {
  if (!std::isfinite(e.speedup)) return fmt::format("no estimate: {}", e.method.empty() ? "run failed" : e.method);
  const auto head = fmt::format("{:.3f}x [{:.3f}, {:.3f}], p={:.2g}", e.speedup, e.ci.low, e.ci.high, p.two_sided);
  const auto claim_text = [&] {
    const auto& c = *policy.claim;
    return fmt::format("claim {:g}x x {:g} = {:.3f}, p_claim={:.2g}", c.speedup, c.tolerance, c.speedup * c.tolerance,
                       p.claim);
  };
  switch (v) {
    case verdict::error: return head + ": outputs not equivalent or run failed";
    case verdict::pass:
      return fmt::format("{}: speedup > claim shown at alpha {:g} ({})", head, policy.alpha, claim_text());
    case verdict::partial:
      return fmt::format("{}: significantly faster, but speedup > claim not shown at alpha {:g} ({})", head,
                         policy.alpha, claim_text());
    case verdict::fail:
      if (p.two_sided < policy.alpha && e.speedup < 1.0) {
        return fmt::format("{}: significantly slower (alpha {:g}); {}", head, policy.alpha, claim_text());
      }
      return fmt::format("{}: {} not shown at alpha {:g} ({})", head,
                         policy.claim->speedup > 1.0 ? "faster" : "speedup > claim", policy.alpha, claim_text());
    case verdict::unchanged:
      if (p.two_sided < policy.alpha && launches_lean_against(e)) {
        return fmt::format("{}: most launches lean the other way (alpha {:g})", head, policy.alpha);
      }
      if (std::isfinite(e.layout_sensitivity) && e.layout_sensitivity > policy.noise_threshold &&
          p.two_sided < policy.alpha) {
        return fmt::format("{}: within the layout sensitivity of {:.2f}% (alpha {:g})", head,
                           100.0 * e.layout_sensitivity, policy.alpha);
      }
      return fmt::format("{}: within noise (alpha {:g}, threshold {:g}%)", head, policy.alpha,
                         100.0 * policy.noise_threshold);
    case verdict::improved:
      return fmt::format("{}: faster beyond the {:g}% threshold", head, 100.0 * policy.noise_threshold);
    case verdict::regressed:
      return fmt::format("{}: slower beyond the {:g}% threshold", head, 100.0 * policy.noise_threshold);
  }
  return head;
}

}  // namespace isobench::detail

namespace isobench {

template <>
std::optional<detail::verdict> from_string<detail::verdict>(std::string_view text) noexcept {
  using detail::verdict;
  static constexpr verdict all[] = {verdict::pass,     verdict::partial,   verdict::fail,     verdict::error,
                                    verdict::improved, verdict::unchanged, verdict::regressed};
  return from_string_among(text, all);
}

}  // namespace isobench
