#include "verdict/verdict.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace isobench {
namespace {

speedup_estimate estimate(double speedup, double lo, double hi, double p) {
  speedup_estimate e;
  e.speedup = speedup;
  e.ci = {lo, hi};
  e.p_value = p;
  return e;
}

TEST(decide, claim_rules) {
  verdict_policy pol;
  pol.claim = claim{2.8, 0.8};  // bar: 2.24
  EXPECT_EQ(decide(estimate(2.9, 2.5, 3.1, 1e-6), 1e-6, pol, true), verdict::pass);
  EXPECT_EQ(decide(estimate(2.3, 2.24, 2.4, 1e-6), 1e-6, pol, true), verdict::pass);  // lower bound at the bar
  EXPECT_EQ(decide(estimate(2.3, 2.1, 2.4, 1e-6), 1e-6, pol, true), verdict::partial);
  EXPECT_EQ(decide(estimate(1.01, 0.98, 1.04, 0.3), 0.3, pol, true), verdict::fail);   // not significant
  EXPECT_EQ(decide(estimate(0.9, 0.88, 0.92, 1e-6), 1e-6, pol, true), verdict::fail);  // significantly slower
  // Fast but wrong is never a pass.
  EXPECT_EQ(decide(estimate(2.9, 2.5, 3.1, 1e-6), 1e-6, pol, false), verdict::error);
}

TEST(decide, no_claim_needs_significance_and_the_noise_threshold) {
  verdict_policy pol;  // alpha 0.01, threshold 2%
  EXPECT_EQ(decide(estimate(1.10, 1.08, 1.12, 1e-4), 1e-4, pol, true), verdict::improved);
  EXPECT_EQ(decide(estimate(0.95, 0.94, 0.96, 1e-4), 1e-4, pol, true), verdict::regressed);
  EXPECT_EQ(decide(estimate(1.01, 1.005, 1.015, 1e-6), 1e-6, pol, true), verdict::unchanged);  // below 2%
  EXPECT_EQ(decide(estimate(0.90, 0.70, 1.10, 0.2), 0.2, pol, true), verdict::unchanged);      // not significant
  EXPECT_EQ(decide(estimate(0.95, 0.94, 0.96, 0.02), 0.02, pol, true), verdict::unchanged);    // p above alpha
  // Symmetric in log space: 2% slower is a ratio of 1/1.02.
  EXPECT_EQ(decide(estimate(1.0 / 1.02, 0.97, 0.99, 1e-6), 1e-6, pol, true), verdict::regressed);
  EXPECT_EQ(decide(estimate(NAN, 0, 0, 1), 1, pol, true), verdict::error);
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
  // MDE from a CI of +-1% (in log terms) at alpha 0.01, 80% power: (2.576 + 0.842) / 1.96 * 1%.
  speedup_estimate w;
  w.ci = {std::exp(-0.01), std::exp(0.01)};
  EXPECT_NEAR(w.mde(0.01, 0.95), std::exp((2.5758293035489004 + 0.8416212335729143) / 1.959963984540054 * 0.01) - 1,
              1e-9);
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
  const std::vector<double> same = {1.0, 1.0, 1.0};
  const auto z = estimate_runs(same, same, 0.95);
  EXPECT_DOUBLE_EQ(z.speedup, 1.0);
  EXPECT_DOUBLE_EQ(z.p_value, 1.0);
}

TEST(explain, says_why) {
  verdict_policy pol;
  pol.claim = claim{2.8, 0.8};
  const auto e = estimate(2.3, 2.1, 2.4, 1e-6);
  const auto text = explain(e, 1e-6, pol, verdict::partial);
  EXPECT_NE(text.find("2.300x [2.100, 2.400]"), std::string::npos) << text;
  EXPECT_NE(text.find("2.240"), std::string::npos) << text;
}

}  // namespace
}  // namespace isobench
