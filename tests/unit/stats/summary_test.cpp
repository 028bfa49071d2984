#include "stats/summary.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace isobench::detail::stats {
namespace {

// Expected values computed by hand (and checked with numpy: np.percentile default method
// "linear", np.std(ddof=1)).
TEST(stats, one_to_ten) {
  const std::vector<double> x = {7, 1, 10, 4, 2, 9, 3, 8, 6, 5};
  EXPECT_DOUBLE_EQ(mean(x), 5.5);
  EXPECT_NEAR(stddev(x), 3.0276503540974917, 1e-12);  // sqrt(82.5 / 9)
  EXPECT_NEAR(cv(x), 3.0276503540974917 / 5.5, 1e-12);
  EXPECT_DOUBLE_EQ(median(x), 5.5);
  EXPECT_NEAR(quantile(x, 0.95), 9.55, 1e-12);  // h = 8.55: 9 + 0.55 * (10 - 9)
  EXPECT_NEAR(quantile(x, 0.99), 9.91, 1e-12);
  EXPECT_DOUBLE_EQ(quantile(x, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile(x, 1.0), 10.0);
  EXPECT_DOUBLE_EQ(min(x), 1.0);
  EXPECT_DOUBLE_EQ(max(x), 10.0);
}

TEST(stats, small_and_uneven) {
  const std::vector<double> x = {4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(quantile(x, 0.25), 1.75);  // h = 0.75
  EXPECT_DOUBLE_EQ(median(x), 2.5);
  const std::vector<double> y = {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0};
  EXPECT_DOUBLE_EQ(mean(y), 5.0);
  EXPECT_NEAR(stddev(y), std::sqrt(32.0 / 7.0), 1e-12);
  const std::vector<double> one = {3.5};
  EXPECT_DOUBLE_EQ(stddev(one), 0.0);
  EXPECT_DOUBLE_EQ(quantile(one, 0.95), 3.5);
}

TEST(stats, summarize_matches_the_functions) {
  const std::vector<double> x = {0.31, 0.30, 0.45, 0.29, 0.33, 0.30, 0.32, 0.90, 0.31, 0.30, 0.28};
  const auto s = summarize(x);
  EXPECT_EQ(s.count, x.size());
  EXPECT_DOUBLE_EQ(s.mean, mean(x));
  EXPECT_DOUBLE_EQ(s.stddev, stddev(x));
  EXPECT_DOUBLE_EQ(s.p50, 0.31);
  EXPECT_NEAR(s.p95, 0.675, 1e-12);  // h = 9.5: 0.45 + 0.5 * (0.90 - 0.45)
  EXPECT_NEAR(s.p99, 0.855, 1e-12);  // h = 9.9: 0.45 + 0.9 * 0.45
  EXPECT_DOUBLE_EQ(s.min, 0.28);
  EXPECT_DOUBLE_EQ(s.max, 0.90);
}

TEST(stats, rejects_empty_and_bad_quantiles) {
  const std::vector<double> none;
  EXPECT_THROW((void)mean(none), std::invalid_argument);
  EXPECT_THROW((void)summarize(none), std::invalid_argument);
  const std::vector<double> x = {1, 2};
  EXPECT_THROW((void)quantile(x, 1.5), std::invalid_argument);
  EXPECT_THROW((void)quantile(x, -0.1), std::invalid_argument);
}

}  // namespace
}  // namespace isobench::detail::stats
