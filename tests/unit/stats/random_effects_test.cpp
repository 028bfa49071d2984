// Launch-level statistics against scipy 1.10.1: trim_mean and mstats.trimmed_stde for the
// per-launch estimates; the DerSimonian-Laird / modified Hartung-Knapp model computed with numpy
// and scipy.stats.t (the script is in the comment of each case's values).
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "stats/random_effects.hpp"
#include "verdict/verdict.hpp"

namespace isobench::detail::stats {
namespace {

TEST(random_effects, trimmed_mean_and_its_error_match_scipy) {
  // stats.trim_mean(x, 0.2), mstats.trimmed_stde(x, (0.2, 0.2)) ** 2
  const std::vector<double> x = {0.012, -0.003, 0.007, 0.021, -0.011, 0.004, 0.0, 0.009, 0.015, -0.006, 0.031};
  const auto t = trimmed_mean(x);
  EXPECT_NEAR(t.mean, 0.006285714285714285, 1e-15);
  EXPECT_NEAR(t.se2, 1.4435261707988978e-05, 1e-18);
}

struct re_case {
  std::vector<double> y, v;
  double estimate, se, tau2, q, t, p, p_greater_log1005;
};

TEST(random_effects, dersimonian_laird_with_modified_hartung_knapp_matches_scipy) {
  const std::vector<re_case> cases = {
      // launches that agree: tau2 small, se from the model
      {{0.010, 0.014, 0.008, 0.012},
       {1e-6, 2e-6, 1.5e-6, 1e-6},
       0.010939928001763223,
       0.001254923101611401,
       4.068181818181818e-06,
       12.421052631578947,
       8.717608264375452,
       0.0031774541992666333,
       0.008886909463578032},
      // launches that disagree: tau2 dominates, a wide interval, not significant
      {{0.02, -0.01, 0.05},
       {1e-6, 1e-6, 1e-6},
       0.020000000000000004,
       0.017320508075688773,
       0.0008990000000000001,
       1800.0000000000002,
       1.1547005383792517,
       0.36754446796632423,
       0.23872584277628028},
      // two launches closer than their errors: q_HK < 1 is raised to 1
      {{0.001, 0.0012},
       {4e-6, 4e-6},
       0.0011,
       0.001414213562373095,
       0.0,
       0.005,
       0.7778174593052023,
       0.5791511084265752,
       0.8889420938191276},
  };
  for (const auto& c : cases) {
    const auto r = random_effects(c.y, c.v);
    EXPECT_NEAR(r.estimate, c.estimate, 1e-12);
    EXPECT_NEAR(r.se, c.se, 1e-12);
    EXPECT_NEAR(r.tau2, c.tau2, 1e-12);
    EXPECT_NEAR(r.q, c.q, 1e-6 * c.q + 1e-12);
    EXPECT_NEAR(r.t, c.t, 1e-9);
    EXPECT_NEAR(r.p_value, c.p, 1e-9);
    EXPECT_EQ(r.df, static_cast<double>(c.y.size() - 1));
    EXPECT_NEAR(random_effects_p_greater(r, std::log(1.005)), c.p_greater_log1005, 1e-9);
  }
}

TEST(random_effects, a_speedup_estimated_on_launches_matches_scipy) {
  // Three launches of six paired rounds; head 3%, 2.5% and 3.5% faster.
  const std::vector<std::vector<double>> base = {
      {1.0, 1.01, 1.02, 1.03, 1.04, 1.05}, {1.02, 1.03, 1.01, 1.04, 1.02, 1.03}, {0.99, 1.0, 1.01, 0.98, 1.0, 0.99}};
  const std::vector<std::vector<double>> head = {
      {0.970873786407767, 0.9805825242718447, 0.9902912621359223, 1.0, 1.0097087378640777, 1.0194174757281553},
      {0.9951219512195123, 1.0048780487804878, 0.9853658536585367, 1.0146341463414634, 0.9951219512195123,
       1.0048780487804878},
      {0.9565217391304348, 0.9671497584541062, 0.9758454106280194, 0.9478067632850241, 0.9661835748792271,
       0.9574782608695651}};
  const auto e = estimate_launches(base, head, 0.95);
  EXPECT_EQ(e.kind, estimate_kind::launches);
  EXPECT_EQ(e.units, 3u);
  EXPECT_NEAR(e.speedup, 1.0298023134073515, 1e-9);
  EXPECT_NEAR(e.p_value, 0.0080900741686207, 1e-7);
  EXPECT_NEAR(e.ci.low, 1.0180940938611038, 1e-7);
  EXPECT_NEAR(e.ci.high, 1.0416451790592685, 1e-7);
  EXPECT_NEAR(e.layout_sensitivity, 0.003446871741644915, 1e-7);
}

TEST(random_effects, a_change_inside_the_layout_sensitivity_is_unchanged) {
  speedup_estimate e;
  e.speedup = 1.03;
  e.layout_sensitivity = 0.05;
  verdict_policy policy;
  const adjusted_p p{1e-6, 1.0};
  EXPECT_EQ(decide(e, p, policy, true), verdict::unchanged);
  e.layout_sensitivity = 0.004;
  EXPECT_EQ(decide(e, p, policy, true), verdict::improved);
}

}  // namespace
}  // namespace isobench::detail::stats
