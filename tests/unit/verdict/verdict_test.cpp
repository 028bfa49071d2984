#include "verdict/verdict.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace isobench::detail {
namespace {

speedup_estimate estimate(double speedup, double lo, double hi, double p) {
  speedup_estimate e;
  e.speedup = speedup;
  e.ci = {lo, hi};
  e.p_value = p;
  return e;
}

adjusted_p ps(double two_sided, double claim = 1.0) {
  return adjusted_p{two_sided, claim};
}

TEST(decide, claim_rules) {
  verdict_policy pol;
  pol.claim = claim{2.8, 0.8};  // bar: 2.24
  EXPECT_EQ(decide(estimate(2.9, 2.5, 3.1, 1e-6), ps(1e-6, 1e-5), pol, true), verdict::pass);
  EXPECT_EQ(decide(estimate(2.3, 2.1, 2.4, 1e-6), ps(1e-6, 0.2), pol, true), verdict::partial);  // claim not shown
  EXPECT_EQ(decide(estimate(1.01, 0.98, 1.04, 0.3), ps(0.3, 1.0), pol, true), verdict::fail);    // not significant
  EXPECT_EQ(decide(estimate(0.9, 0.88, 0.92, 1e-6), ps(1e-6, 1.0), pol, true), verdict::fail);   // significantly slower
  // Fast but wrong is never a pass.
  EXPECT_EQ(decide(estimate(2.9, 2.5, 3.1, 1e-6), ps(1e-6, 1e-5), pol, false), verdict::error);
}

// A claim never excuses a slowdown, whatever its tolerance (the cases an outside check found).
TEST(decide, a_claim_never_passes_a_slower_candidate) {
  verdict_policy pol;
  pol.claim = claim{1.0, 0.8};  // "not slower", tolerance 0.8: bar 0.8
  // Significantly 10% slower: the claim test shows speedup > 0.8, yet the verdict is FAIL.
  EXPECT_EQ(decide(estimate(0.9, 0.89, 0.91, 1e-6), ps(1e-6, 1e-6), pol, true), verdict::fail);
  // Not measurably different and speedup > 0.8 shown: "not slower" holds.
  EXPECT_EQ(decide(estimate(1.0, 0.99, 1.01, 0.6), ps(0.6, 1e-6), pol, true), verdict::pass);
  pol.claim = claim{1.1, 0.8};  // "1.1x faster" at tolerance 0.8: bar 0.88 < 1
  EXPECT_EQ(decide(estimate(0.9, 0.89, 0.91, 1e-6), ps(1e-6, 1e-6), pol, true), verdict::fail);
  EXPECT_EQ(decide(estimate(0.97, 0.9, 1.04, 0.3), ps(0.3, 1e-6), pol, true), verdict::fail);  // not faster
  EXPECT_EQ(decide(estimate(1.2, 1.1, 1.3, 1e-4), ps(1e-4, 1e-6), pol, true), verdict::pass);
}

TEST(decide, no_claim_needs_significance_and_the_noise_threshold) {
  verdict_policy pol;  // alpha 0.01, threshold 2%
  EXPECT_EQ(decide(estimate(1.10, 1.08, 1.12, 1e-4), ps(1e-4), pol, true), verdict::improved);
  EXPECT_EQ(decide(estimate(0.95, 0.94, 0.96, 1e-4), ps(1e-4), pol, true), verdict::regressed);
  EXPECT_EQ(decide(estimate(1.01, 1.005, 1.015, 1e-6), ps(1e-6), pol, true), verdict::unchanged);  // below 2%
  EXPECT_EQ(decide(estimate(0.90, 0.70, 1.10, 0.2), ps(0.2), pol, true), verdict::unchanged);      // not significant
  EXPECT_EQ(decide(estimate(0.95, 0.94, 0.96, 0.02), ps(0.02), pol, true), verdict::unchanged);    // p above alpha
  // Symmetric in log space: 2% slower is a ratio of 1/1.02.
  EXPECT_EQ(decide(estimate(1.0 / 1.02, 0.97, 0.99, 1e-6), ps(1e-6), pol, true), verdict::regressed);
  EXPECT_EQ(decide(estimate(NAN, 0, 0, 1), ps(1), pol, true), verdict::error);
}

TEST(decide, a_change_exactly_at_the_threshold_reaches_it) {
  verdict_policy pol;
  pol.noise_threshold = 0.25;
  // Head exactly 1.25x slower, through the Welch path (whose ratio is exp of a difference of logs).
  const std::vector<double> base = {1.0, 1.0, 1.0};
  const std::vector<double> head = {1.25, 1.25, 1.25};
  const auto e = estimate_runs(base, head, 0.95);
  EXPECT_EQ(decide(e, ps(e.p_value), pol, true), verdict::regressed) << e.speedup;
  EXPECT_EQ(decide(estimate(1.0 / 1.25, 0.7, 0.9, 1e-6), ps(1e-6), pol, true), verdict::regressed);
  EXPECT_EQ(decide(estimate(1.25, 1.2, 1.3, 1e-6), ps(1e-6), pol, true), verdict::improved);
  EXPECT_EQ(decide(estimate(1.2499, 1.2, 1.3, 1e-6), ps(1e-6), pol, true), verdict::unchanged);
}

// The A/A series that raised this rule: two precise launches at 0.990 outweighed two noisier ones
// at 1.098 and 1.053. The weighted estimate is significant, but the launches' median leans the other
// way, so the label would say more about the weights than about the code.
TEST(decide, a_verdict_most_launches_contradict_is_unchanged) {
  verdict_policy pol;
  pol.noise_threshold = 0.01;
  auto e = estimate(0.9895, 0.9874, 0.9917, 6e-4);
  e.launch_log_speedups = {std::log(1.098), std::log(0.990), std::log(1.053), std::log(0.990)};
  EXPECT_EQ(decide(e, ps(6e-4), pol, true), verdict::unchanged);
  EXPECT_NE(explain(e, ps(6e-4), pol, verdict::unchanged).find("launches lean the other way"), std::string::npos);
  // Launches that agree in direction keep the verdict, however unequal their weights.
  e.launch_log_speedups = {std::log(0.970), std::log(0.990), std::log(0.985), std::log(0.990)};
  EXPECT_EQ(decide(e, ps(6e-4), pol, true), verdict::regressed);
  // Too few launches to take a median of: the estimate alone decides.
  e.launch_log_speedups = {std::log(1.098), std::log(0.990)};
  EXPECT_EQ(decide(e, ps(6e-4), pol, true), verdict::regressed);
}

TEST(decide, gate_failures) {
  EXPECT_TRUE(is_gate_failure(verdict::fail));
  EXPECT_TRUE(is_gate_failure(verdict::partial));
  EXPECT_TRUE(is_gate_failure(verdict::error));
  EXPECT_TRUE(is_gate_failure(verdict::regressed));
  EXPECT_FALSE(is_gate_failure(verdict::pass));
  EXPECT_FALSE(is_gate_failure(verdict::improved));
  EXPECT_FALSE(is_gate_failure(verdict::unchanged));
}

TEST(estimate, paired_rounds) {
  // 20 pairs, candidate about twice as fast (no two ratios tied), with drift shared by each pair.
  std::vector<double> base, head;
  for (int i = 0; i < 20; ++i) {
    const double drift = 1.0 + 0.01 * (i % 5);
    base.push_back((2.0 + 0.001 * i) * drift);
    head.push_back(drift);
  }
  const auto e = estimate_paired(base, head, 0.95, 2000);
  EXPECT_NEAR(e.speedup, 2.01, 0.01);
  EXPECT_GT(e.ci.low, 1.99);
  EXPECT_LT(e.ci.high, 2.03);
  EXPECT_NEAR(e.p_value, 2.0 / std::pow(2.0, 20), 1e-15);  // all 20 signs agree: exact signed-rank
  EXPECT_EQ(e.units, 20u);
  EXPECT_NE(e.method.find("wilcoxon"), std::string::npos);
}

TEST(estimate, independent_runs_and_mde) {
  const std::vector<double> base = {1.00, 1.01, 0.99, 1.02, 1.005};
  const std::vector<double> head = {1.10, 1.11, 1.09, 1.12, 1.105};
  const auto e = estimate_independent(base, head, 0.95, 2000);
  EXPECT_NEAR(e.speedup, 1.005 / 1.105, 1e-12);
  EXPECT_NEAR(e.p_value, 2.0 / 252.0, 1e-12);  // complete separation of 5 vs 5
  EXPECT_LT(e.ci.high, 1.0);
  EXPECT_EQ(e.base_units, 5u);
  // MDE from a normal standard error of 1%/1.96 in log terms at alpha 0.01, 80% power.
  speedup_estimate w;
  w.se_log = 0.01 / 1.959963984540054;
  EXPECT_NEAR(w.mde(0.01), std::exp((2.5758293035489004 + 0.8416212335729143) / 1.959963984540054 * 0.01) - 1, 1e-9);
}

// Claims are tested by each estimate's own test with the baseline scaled by 1/bar; scipy 1.10:
//   wilcoxon(log(b/1.9) - log(h), alternative='greater')                       = 0.00390625
//   mannwhitneyu(b/1.9, h, alternative='greater') (ties in h: asymptotic)     = 0.00044945639405704485
//   ttest_ind(log(b/1.9), log(h), equal_var=False, alternative='greater')      = 3.419404326587325e-06
TEST(estimate, claim_p_values_match_scipy) {
  const std::vector<double> b = {2.00, 2.05, 1.98, 2.10, 2.02, 1.99, 2.07, 2.03};
  const std::vector<double> h = {1.00, 1.01, 0.99, 1.02, 1.00, 1.01, 0.98, 1.00};
  EXPECT_NEAR(claim_p_value(estimate_paired(b, h, 0.95, 200), 1.9), 0.00390625, 1e-15);
  EXPECT_NEAR(claim_p_value(estimate_independent(b, h, 0.95, 200), 1.9), 0.00044945639405704485, 1e-15);
  EXPECT_NEAR(claim_p_value(estimate_runs(b, h, 0.95), 1.9), 3.419404326587325e-06, 1e-12);
  // A bar above what the data show is not shown.
  EXPECT_GT(claim_p_value(estimate_paired(b, h, 0.95, 200), 2.2), 0.5);
}

TEST(estimate, runs_use_welch_on_log_medians) {
  const std::vector<double> base = {1.00, 1.02, 0.99};
  const std::vector<double> head = {1.10, 1.12, 1.09};
  const auto e = estimate_runs(base, head, 0.95);
  EXPECT_EQ(e.method, "welch_t(log run medians)");
  // Ratio of geometric means.
  EXPECT_NEAR(e.speedup, std::cbrt(1.00 * 1.02 * 0.99) / std::cbrt(1.10 * 1.12 * 1.09), 1e-12);
  EXPECT_LT(e.ci.high, 1.0);
  EXPECT_LT(e.ci.low, e.speedup);
  EXPECT_LT(e.p_value, 0.01);  // 3 vs 3 can be significant, unlike an exact rank test
  // Welch's MDE uses t quantiles at Welch's df (scipy: se 0.011854670226583175, df 3.9646,
  // exp((t.ppf(0.995, df) + t.ppf(0.8, df)) * se) - 1 = 0.06831309434453603).
  EXPECT_NEAR(e.se_log, 0.011854670226583175, 1e-12);
  EXPECT_NEAR(e.df, 3.964577344741808, 1e-9);
  EXPECT_NEAR(e.mde(0.01), 0.06831309434453603, 1e-6);
  const std::vector<double> same = {1.0, 1.0, 1.0};
  const auto z = estimate_runs(same, same, 0.95);
  EXPECT_DOUBLE_EQ(z.speedup, 1.0);
  EXPECT_DOUBLE_EQ(z.p_value, 1.0);
}

TEST(explain, says_why) {
  verdict_policy pol;
  pol.claim = claim{2.8, 0.8};
  const auto e = estimate(2.3, 2.1, 2.4, 1e-6);
  const auto text = explain(e, ps(1e-6, 0.2), pol, verdict::partial);
  EXPECT_NE(text.find("2.300x [2.100, 2.400]"), std::string::npos) << text;
  EXPECT_NE(text.find("2.240"), std::string::npos) << text;
  EXPECT_NE(text.find("p_claim=0.2"), std::string::npos) << text;
}

}  // namespace
}  // namespace isobench::detail
