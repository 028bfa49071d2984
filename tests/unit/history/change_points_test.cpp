// The change-point detector: the energy statistic against its definition, changes found at the
// right commit, quiet noise, and the synthetic evaluation's floor (the README has the full table).
#include "history/change_points.hpp"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "history/evaluate.hpp"

namespace isobench::detail::history {
namespace {

TEST(change_points, energy_statistic_matches_its_definition) {
  // Values from the formula in Matteson & James (2014), computed independently in Python.
  const std::vector<double> y{0.0, 0.1, -0.05, 0.02, 1.0, 1.1, 0.95};
  EXPECT_NEAR(energy_statistic(y, 2), 0.6628571428571428, 1e-12);
  EXPECT_NEAR(energy_statistic(y, 3), 1.508571428571428, 1e-12);
  EXPECT_NEAR(energy_statistic(y, 4), 3.1199999999999997, 1e-12);
  EXPECT_NEAR(energy_statistic(y, 5), 1.5028571428571427, 1e-12);
}

TEST(change_points, level_comparison_is_students_t_without_sampling_variance) {
  // scipy.stats.ttest_ind(after, before, equal_var=True): t = 8.979882536968491, p = 8.695758742143832e-06.
  const std::vector<double> before{0.0, 0.01, -0.012, 0.004, 0.02}, after{0.05, 0.061, 0.047, 0.052, 0.058, 0.049};
  std::vector<point_level> b, a;
  for (double y : before) b.push_back({y, 0.0});
  for (double y : after) a.push_back({y, 0.0});
  const auto d = compare_levels(b, a);
  EXPECT_NEAR(d.t, 8.979882536968491, 1e-9);
  EXPECT_NEAR(d.p_value, 8.695758742143832e-06, 1e-12);
  EXPECT_DOUBLE_EQ(d.df, 9.0);
}

TEST(change_points, noisy_points_weigh_less) {
  // The same levels, but two points measured with a wide spread: their samples say they are
  // uncertain, so the estimate leans on the precise points.
  std::vector<point_level> b{{0.0, 1e-6}, {0.001, 1e-6}, {-0.001, 1e-6}, {0.05, 4e-2}};
  std::vector<point_level> a{{0.05, 1e-6}, {0.051, 1e-6}, {0.049, 1e-6}, {0.0, 4e-2}};
  const auto d = compare_levels(b, a);
  EXPECT_NEAR(d.diff, 0.05, 0.005);  // an unweighted mean difference would say 0.0375
}

std::vector<std::vector<double>> series(std::size_t n, std::size_t at, double step, std::uint64_t seed,
                                        double noise = 0.01) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z(0.0, noise);
  std::vector<std::vector<double>> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double level = (i >= at ? std::log1p(step) : 0.0) + z(rng);
    for (int s = 0; s < 10; ++s) out[i].push_back(2.0 * std::exp(level + z(rng)));
  }
  return out;
}

TEST(change_points, a_step_is_found_at_its_commit_with_its_size) {
  const auto s = series(120, 70, 0.05, 1);
  const auto changes = detect_changes(s);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].index, 70u);
  EXPECT_NEAR(changes[0].magnitude, 1.05, 0.01);
  EXPECT_LT(changes[0].ci_low, 1.05);
  EXPECT_GT(changes[0].ci_high, 1.05);
  EXPECT_LT(changes[0].p_value, 1e-10);
  EXPECT_TRUE(changes[0].persists);
}

TEST(change_points, a_change_that_was_undone_does_not_persist) {
  auto s = series(150, 50, 0.08, 2);
  const auto back = series(150, 0, 0.0, 3);
  for (std::size_t i = 100; i < 150; ++i) s[i] = back[i];  // fixed at 100
  const auto changes = detect_changes(s);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].index, 50u);
  EXPECT_FALSE(changes[0].persists);
  EXPECT_EQ(changes[1].index, 100u);
  EXPECT_LT(changes[1].magnitude, 1.0);
}

TEST(change_points, noise_and_lone_outliers_are_not_changes) {
  for (std::uint64_t seed = 10; seed < 20; ++seed) {
    auto s = series(200, 0, 0.0, seed);
    s[60] = std::vector<double>(10, 2.6);  // one run 30% slow
    EXPECT_TRUE(detect_changes(s).empty()) << "seed " << seed;
  }
}

TEST(change_points, lookback_z_score_flags_a_large_step) {
  const auto levels = point_levels(series(150, 120, 0.10, 5));
  const auto alarms = lookback_z_alarms(levels);
  ASSERT_FALSE(alarms.empty());
  EXPECT_EQ(alarms.front(), 120u);
}

TEST(change_points, synthetic_evaluation_meets_its_targets) {
  evaluation_options o;
  o.series = 25;
  const auto results = evaluate_detectors(standard_scenarios(), o);
  for (const auto& r : results) {
    SCOPED_TRACE(r.s.name);
    if (r.s.name == "noise only") {
      EXPECT_LE(r.edivisive.false_alarms_per_1000(), 1.0);
    }
    if (r.s.name == "5% step" || r.s.name == "10% step") {
      EXPECT_GE(r.edivisive.exact_pct(), 95.0);
      EXPECT_LE(r.edivisive.false_alarms_per_1000(), 1.0);
      EXPECT_GE(r.edivisive.exact_pct(), r.zscore.exact_pct());
    }
  }
}

}  // namespace
}  // namespace isobench::detail::history
