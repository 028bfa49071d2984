#pragma once
// From measurements to a decision. Speedup is always baseline time / candidate time (> 1: the
// candidate is faster), estimated on "units": round medians of an interleaved run (paired), or
// per-run medians of separate runs (independent). Samples inside one run are never treated as
// independent draws: they are not (see README, Statistics).

#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "isobench/enum_string.hpp"
#include "spec/spec.hpp"
#include "stats/bootstrap.hpp"

namespace isobench::detail {

enum class verdict : std::uint8_t { pass, partial, fail, error, improved, unchanged, regressed };
std::string_view to_string(verdict v) noexcept;
// The verdicts that make a CI gate fail: fail, partial (claim not met), error, regressed.
bool is_gate_failure(verdict v) noexcept;

struct verdict_policy {
  double alpha = 0.01;            // significance level of the test (after Holm across workloads)
  double noise_threshold = 0.02;  // changes smaller than this are UNCHANGED even when significant
  double ci_level = 0.95;
  std::optional<isobench::detail::claim> claim;
};

// Which test an estimate came from; the claim test uses the same one, shifted.
enum class estimate_kind : std::uint8_t { paired, independent, runs, launches };

struct speedup_estimate {
  double speedup = 1.0;   // baseline / candidate
  stats::interval ci;     // at ci_level
  double p_value = 1.0;   // two-sided, before any multiple-comparison correction
  std::string method;     // e.g. "wilcoxon_signed_rank(paired rounds)"
  std::string unit;       // what one unit is: "rounds", "runs" or "blocks"
  std::size_t units = 0;  // pairs, or units per side
  std::size_t base_units = 0;
  std::size_t head_units = 0;
  bool run_variance_unaccounted = false;  // one run per side: p ignores run-to-run noise
  // The standard error of log(speedup) and its degrees of freedom (infinite: normal), for the MDE.
  double se_log = NAN;
  double df = INFINITY;
  // The units themselves, so a claim can be tested on them (claim_p_value).
  estimate_kind kind = estimate_kind::independent;
  std::vector<double> base_values, head_values;
  // Launches (kind launches): each launch's log(speedup) and its squared standard error.
  std::vector<double> launch_log_speedups, launch_variances;
  // Between-launch spread of the speedup, sqrt(tau^2) as a relative change (exp(tau) - 1): how much
  // where memory landed moved the result. NAN when not estimated on launches.
  double layout_sensitivity = NAN;
  // Smallest relative change detectable at alpha (two-sided) with 80% power:
  // (t_{1-alpha/2,df} + t_{0.8,df}) x se_log, as a ratio minus one.
  [[nodiscard]] double mde(double alpha) const;
};

// One-sided p-value of "speedup <= bar" against "speedup > bar", by the estimate's own test on its
// units with the baseline scaled by 1/bar (paired: Wilcoxon signed-rank on log ratios - log bar;
// independent: Mann-Whitney U; runs: Welch's t on logs). Small p: the claim is shown.
double claim_p_value(const speedup_estimate& e, double bar);

// Relative changes within this of the noise threshold count as reaching it: a head exactly 25%
// slower meets --threshold 25 although its ratio went through floating point.
inline constexpr double threshold_rel_tolerance = 1e-9;

// Interleaved rounds in several launches (round medians per launch, paired by index): each
// launch's 20%-trimmed mean log ratio and its standard error, combined by a random-effects model
// over launches (stats/random_effects.hpp); speedup exp(estimate), CI and p from Student's t with
// launches - 1 degrees of freedom.
speedup_estimate estimate_launches(const std::vector<std::vector<double>>& base_rounds,
                                   const std::vector<std::vector<double>>& head_rounds, double ci_level);
// Interleaved rounds: paired by index; Wilcoxon signed-rank on log ratios, paired bootstrap CI.
speedup_estimate estimate_paired(std::span<const double> base_units, std::span<const double> head_units,
                                 double ci_level, int resamples = 10000);
// Independent units (blocks of samples): Mann-Whitney U, independent bootstrap CI.
speedup_estimate estimate_independent(std::span<const double> base_units, std::span<const double> head_units,
                                      double ci_level, int resamples = 10000);
// Per-run medians of separate runs (>= 2 per side): Welch's t-test on their logarithms, CI from
// the t distribution, speedup = ratio of geometric means. A rank test cannot serve here: with the
// few runs CI can afford, Mann-Whitney's smallest two-sided p (0.1 for 3 vs 3) exceeds any
// sensible alpha.
speedup_estimate estimate_runs(std::span<const double> base_runs, std::span<const double> head_runs, double ci_level);

// The p-values a decision uses, each Holm-adjusted across the workloads judged together.
struct adjusted_p {
  double two_sided = 1.0;  // any difference
  double claim = 1.0;      // "speedup <= claim x tolerance" (with a claim)
};

// Decision rules (README, "Verdicts"):
//   any claim:        FAIL when the candidate is significantly slower (tolerance never excuses that);
//   claim > 1:        PASS when significantly faster and the claim test rejects speedup <= bar;
//                     PARTIAL when significantly faster but the claim is not shown; else FAIL;
//   claim <= 1:       PASS when the claim test rejects speedup <= bar, else FAIL;
//   without a claim:  IMPROVED / REGRESSED when significant and beyond the noise threshold (and
//                     beyond the layout sensitivity, when launches measured one), else UNCHANGED.
// equivalent: false when outputs failed their check (or a run failed): always ERROR.
verdict decide(const speedup_estimate& e, const adjusted_p& p, const verdict_policy& policy, bool equivalent);

// One sentence saying why, for reports: "1.52x [1.49, 1.55], p=1.2e-05: claim 2.8x x 0.8 not shown".
std::string explain(const speedup_estimate& e, const adjusted_p& p, const verdict_policy& policy, verdict v);

}  // namespace isobench::detail

namespace isobench {

template <>
std::optional<detail::verdict> from_string<detail::verdict>(std::string_view text) noexcept;

}  // namespace isobench
