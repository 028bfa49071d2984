#include "stats/hypothesis.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "stats/distributions.hpp"

namespace isobench::detail::stats {
namespace {

// Expected values from scipy 1.10.1 (Debian's python3-scipy), e.g.
//   scipy.stats.mannwhitneyu(x, y, alternative="two-sided", method="exact")
const std::vector<double> x = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
const std::vector<double> y = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};

// Complete separation of 40 vs 40: scipy 1.10 mannwhitneyu(method="exact") = 1.8603403656036278e-23,
// i.e. 2 / C(80, 40). Counts built by subtraction lose it (they gave 0).
TEST(mann_whitney_u, exact_keeps_tiny_p_values) {
  std::vector<double> a, b;
  for (int i = 0; i < 40; ++i) {
    a.push_back(100.0 + i);
    b.push_back(i);
  }
  const auto r = mann_whitney_u(a, b, alternative::two_sided, test_method::exact);
  EXPECT_NEAR(r.p_value / 1.8603403656036278e-23, 1.0, 1e-12) << r.p_value;
  // Up to 50 per side is exact by default.
  EXPECT_TRUE(mann_whitney_u(a, b, alternative::two_sided).exact);
}

TEST(mann_whitney_u, exact_matches_scipy) {
  auto r = mann_whitney_u(x, y, alternative::two_sided, test_method::exact);
  EXPECT_DOUBLE_EQ(r.statistic, 58.0);
  EXPECT_NEAR(r.p_value, 0.13591114767585355, 1e-12);
  EXPECT_TRUE(r.exact);
  EXPECT_NEAR(mann_whitney_u(x, y, alternative::less, test_method::exact).p_value, 0.9432538050185106, 1e-12);
  EXPECT_NEAR(mann_whitney_u(x, y, alternative::greater, test_method::exact).p_value, 0.06795557383792677, 1e-12);
  // All of x below all of y: the smallest two-sided p for 3 vs 4 values, 2 / C(7, 3).
  const std::vector<double> a = {1, 2, 3};
  const std::vector<double> b = {4, 5, 6, 7};
  r = mann_whitney_u(a, b, alternative::two_sided);
  EXPECT_DOUBLE_EQ(r.statistic, 0.0);
  EXPECT_NEAR(r.p_value, 2.0 / 35.0, 1e-12);
}

TEST(mann_whitney_u, asymptotic_matches_scipy) {
  EXPECT_NEAR(mann_whitney_u(x, y, alternative::two_sided, test_method::asymptotic).p_value, 0.13291945818531892,
              1e-10);
  EXPECT_NEAR(mann_whitney_u(x, y, alternative::less, test_method::asymptotic).p_value, 0.9442044002897128, 1e-10);
  EXPECT_NEAR(mann_whitney_u(x, y, alternative::greater, test_method::asymptotic).p_value, 0.06645972909265946, 1e-10);
}

TEST(mann_whitney_u, ties_use_the_corrected_normal_approximation) {
  const std::vector<double> a = {1, 2, 2, 3, 3, 3, 4, 5, 6, 6};
  const std::vector<double> b = {2, 3, 4, 4, 5, 5, 6, 7, 7, 8, 9};
  auto r = mann_whitney_u(a, b, alternative::two_sided);  // automatic: ties -> asymptotic
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.statistic, 26.5);
  EXPECT_NEAR(r.p_value, 0.04667740501395502, 1e-10);
  EXPECT_NEAR(mann_whitney_u(a, b, alternative::less).p_value, 0.02333870250697751, 1e-10);
  EXPECT_NEAR(mann_whitney_u(a, b, alternative::greater).p_value, 0.9803131096324298, 1e-10);
}

TEST(welch, matches_scipy) {
  auto r = welch_t_test(x, y, alternative::two_sided);
  EXPECT_NEAR(r.statistic, 1.2051727991066508, 1e-12);
  EXPECT_NEAR(r.p_value, 0.24588283853317092, 1e-10);
  EXPECT_NEAR(welch_df(x, y), 15.795035582541257, 1e-10);
  EXPECT_NEAR(welch_t_test(x, y, alternative::less).p_value, 0.8770585807334145, 1e-10);
  EXPECT_NEAR(welch_t_test(x, y, alternative::greater).p_value, 0.12294141926658546, 1e-10);
}

TEST(wilcoxon, exact_and_approximate_match_scipy) {
  const std::vector<double> d = {0.12, -0.05, 0.33, 0.21, 0.09, -0.02, 0.15, 0.40, 0.07, 0.18};
  auto r = wilcoxon_signed_rank(d, alternative::two_sided);
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.statistic, 3.0);
  EXPECT_NEAR(r.p_value, 0.009765625, 1e-12);
  EXPECT_NEAR(wilcoxon_signed_rank(d, alternative::less).p_value, 0.9970703125, 1e-12);
  r = wilcoxon_signed_rank(d, alternative::greater);
  EXPECT_DOUBLE_EQ(r.statistic, 52.0);
  EXPECT_NEAR(r.p_value, 0.0048828125, 1e-12);
  EXPECT_NEAR(wilcoxon_signed_rank(d, alternative::two_sided, test_method::asymptotic).p_value, 0.012515318690073973,
              1e-10);
  EXPECT_NEAR(wilcoxon_signed_rank(d, alternative::less, test_method::asymptotic).p_value, 0.993742340654963, 1e-10);
  EXPECT_NEAR(wilcoxon_signed_rank(d, alternative::greater, test_method::asymptotic).p_value, 0.0062576593450369864,
              1e-10);
}

TEST(wilcoxon, ties_and_zeros) {
  const std::vector<double> d = {1, 2, 2, -3, 4, 4, 4, 5, -1, 6, 7, 8, 2, 3, -2};
  auto r = wilcoxon_signed_rank(d, alternative::two_sided);
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.statistic, 13.5);
  EXPECT_NEAR(r.p_value, 0.008059107783248393, 1e-10);
  const std::vector<double> zeros = {0, 0, 0};
  EXPECT_DOUBLE_EQ(wilcoxon_signed_rank(zeros, alternative::two_sided).p_value, 1.0);
}

TEST(holm, matches_the_step_down_rule) {
  const std::vector<double> p = {0.01, 0.04, 0.03, 0.005};
  const auto adj = holm_adjust(p);
  ASSERT_EQ(adj.size(), 4u);
  EXPECT_NEAR(adj[0], 0.03, 1e-15);  // 3 * 0.01
  EXPECT_NEAR(adj[1], 0.06, 1e-15);  // max(2 * 0.03, 1 * 0.04)
  EXPECT_NEAR(adj[2], 0.06, 1e-15);
  EXPECT_NEAR(adj[3], 0.02, 1e-15);  // 4 * 0.005
  const std::vector<double> big = {0.5, 0.9};
  EXPECT_EQ(holm_adjust(big), (std::vector<double>{1.0, 1.0}));
}

TEST(distributions, match_scipy) {
  EXPECT_NEAR(student_t_sf(2.1, 7.5), 0.03561853572903902, 1e-12);
  EXPECT_NEAR(normal_sf(1.7), 0.04456546275854304, 1e-15);
  EXPECT_NEAR(student_t_quantile(0.975, 12), 2.1788128296634177, 1e-9);
  EXPECT_NEAR(normal_quantile(0.995), 2.5758293035489004, 1e-12);
  EXPECT_NEAR(normal_quantile(0.5), 0.0, 1e-15);
  EXPECT_NEAR(incomplete_beta(2, 3, 0.4), 0.5248, 1e-12);  // 1 - (0.6^4 + 4 * 0.4 * 0.6^3)
}

TEST(average_ranks, share_ties) {
  const std::vector<double> v = {10, 20, 20, 5};
  double ties = 0.0;
  EXPECT_EQ(average_ranks(v, &ties), (std::vector<double>{2, 3.5, 3.5, 1}));
  EXPECT_DOUBLE_EQ(ties, 6.0);  // one pair: 2^3 - 2
}

}  // namespace
}  // namespace isobench::detail::stats
