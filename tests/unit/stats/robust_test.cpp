#include "stats/robust.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "isobench/random.hpp"
#include "stats/bootstrap.hpp"
#include "stats/summary.hpp"

namespace isobench::detail::stats {
namespace {

TEST(robust, mad_and_iqr_by_hand) {
  const std::vector<double> x = {1, 2, 3, 4, 100};
  EXPECT_DOUBLE_EQ(mad(x), 1.0);  // deviations from 3: 2 1 0 1 97
  const std::vector<double> y = {7, 1, 10, 4, 2, 9, 3, 8, 6, 5};
  EXPECT_DOUBLE_EQ(iqr(y), 4.5);  // Q1 3.25, Q3 7.75
}

TEST(robust, tukey_counts_without_dropping) {
  // Sorted: -5 1 2 2 3 3 3 4 4 5 8 11. Q1 = 2, Q3 = 4 + 0.25 = 4.25, IQR = 2.25: mild beyond
  // 3.375 from the quartiles, extreme beyond 6.75.
  const std::vector<double> x = {1, 2, 2, 3, 3, 3, 4, 4, 5, 8, 11, -5};
  const auto c = tukey_outliers(x);
  EXPECT_EQ(c.mild, 2u);     // 8 (3.75 above Q3) and 11 (exactly 6.75 above: not beyond)
  EXPECT_EQ(c.extreme, 1u);  // -5 (7 below Q1)
  EXPECT_EQ(c.high, 2u);
  EXPECT_EQ(c.low, 1u);
  const std::vector<double> quiet = {1, 2, 3, 4, 5};
  EXPECT_EQ(tukey_outliers(quiet).mild + tukey_outliers(quiet).extreme, 0u);
}

TEST(bootstrap, degenerate_samples_give_degenerate_intervals) {
  const std::vector<double> c(20, 3.0);
  const auto ci = bootstrap_median_ci(c);
  EXPECT_DOUBLE_EQ(ci.low, 3.0);
  EXPECT_DOUBLE_EQ(ci.high, 3.0);
  const std::vector<double> d(15, 1.5);
  const auto r = bootstrap_median_ratio_ci(c, d);
  EXPECT_DOUBLE_EQ(r.low, 2.0);
  EXPECT_DOUBLE_EQ(r.high, 2.0);
}

TEST(bootstrap, is_seeded_and_brackets_the_median) {
  std::vector<double> x(101);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i);
  const auto a = bootstrap_median_ci(x);
  const auto b = bootstrap_median_ci(x);
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.high, b.high);
  // For n = 101 the 95% interval of the median spans about +-1.96 * sqrt(n)/2 = +-10 ranks.
  EXPECT_LT(a.low, 50.0);
  EXPECT_GT(a.high, 50.0);
  EXPECT_NEAR(a.low, 40.0, 4.0);
  EXPECT_NEAR(a.high, 60.0, 4.0);
}

TEST(bootstrap, ratio_interval_covers_the_truth_about_95_percent_of_the_time) {
  // 200 simulated experiments with a true median ratio of 1.1; coverage must be near 95%.
  int covered = 0;
  bootstrap_options o;
  o.resamples = 1000;
  for (int trial = 0; trial < 200; ++trial) {
    gen::rng r(static_cast<std::uint64_t>(trial));
    std::vector<double> num(40), den(40);
    for (auto& v : num) v = 1.1 * (1.0 + 0.05 * r.normal());
    for (auto& v : den) v = 1.0 + 0.05 * r.normal();
    o.seed = static_cast<std::uint64_t>(trial) + 1000;
    const auto ci = bootstrap_median_ratio_ci(num, den, o);
    covered += ci.low <= 1.1 && 1.1 <= ci.high;
  }
  EXPECT_GE(covered, 176);  // 88%: the percentile bootstrap of a median is a little liberal
  EXPECT_LE(covered, 199);
}

TEST(bootstrap, paired_resampling_cancels_shared_drift) {
  // Each pair shares a large drift; the ratio within a pair is exactly 2.
  std::vector<double> num, den;
  for (int i = 0; i < 30; ++i) {
    const double drift = 1.0 + 0.5 * (i % 7);
    num.push_back(2.0 * drift);
    den.push_back(drift);
  }
  const auto paired = bootstrap_paired_median_ratio_ci(num, den);
  const auto unpaired = bootstrap_median_ratio_ci(num, den);
  EXPECT_NEAR(paired.low, 2.0, 1e-12);
  EXPECT_NEAR(paired.high, 2.0, 1e-12);
  EXPECT_GT(unpaired.high - unpaired.low, 0.3);
}

}  // namespace
}  // namespace isobench::detail::stats
