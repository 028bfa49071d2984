#include "compare/compare_runs.hpp"

#include <gtest/gtest.h>

#include "isobench/error.hpp"
#include "isobench/random.hpp"

namespace isobench::detail {
namespace {

// A result as load_result would return it: one case per workload, samples around `center_ms`.
loaded_result make_run(const std::string& tag, double center_ms, std::uint64_t seed,
                       const std::vector<std::string>& workloads = {"w"}, std::optional<bool> eq = std::nullopt) {
  loaded_result r;
  r.file = tag + ".json";
  r.spec_name = "s";
  r.impl_tag = tag;
  r.isobench_version = "0.1.0";
  r.environment = {{"cpu_model", "cpu"}, {"build_type", "Release"}};
  gen::rng g(seed);
  for (const auto& w : workloads) {
    loaded_case c;
    c.workload = w;
    c.implementation = "k.impl";
    c.role = "single";
    c.device = "cpu";
    for (int i = 0; i < 60; ++i) c.samples_ms.push_back(center_ms * (1.0 + 0.002 * g.normal()));
    c.eq_passed = eq;
    r.cases.push_back(std::move(c));
  }
  return r;
}

TEST(compare, runs_are_the_unit_with_two_or_more_per_side) {
  std::vector<loaded_result> base, head;
  for (std::uint64_t i = 0; i < 5; ++i) {
    base.push_back(make_run("base", 1.0, i));
    head.push_back(make_run("head", 1.10, 100 + i));  // 10% slower
  }
  const auto rep = compare_results(base, head, {});
  ASSERT_EQ(rep.verdicts.size(), 1u);
  const auto& v = rep.verdicts[0];
  EXPECT_EQ(v.estimate.method, "welch_t(log run medians)");
  EXPECT_EQ(v.estimate.base_units, 5u);
  EXPECT_FALSE(v.estimate.run_variance_unaccounted);
  EXPECT_NEAR(v.estimate.speedup, 1.0 / 1.10, 0.005);
  EXPECT_LT(v.estimate.ci.high, 1.0);
  EXPECT_GT(v.estimate.ci.low, 0.85);
  EXPECT_LT(v.p_adjusted, 1e-6);
  EXPECT_EQ(v.verdict, verdict::regressed);
  EXPECT_EQ(v.baseline, "k.impl@base");
  EXPECT_TRUE(rep.notes.empty());
}

TEST(compare, six_or_more_runs_per_side_use_the_rank_test) {
  std::vector<loaded_result> base, head;
  for (std::uint64_t i = 0; i < 8; ++i) {
    base.push_back(make_run("base", 1.0, i));
    head.push_back(make_run("head", 1.05, 100 + i));
  }
  // One disturbed head run (a noisy neighbour) lands among the base runs: the rank test loses a
  // few inversions, where Welch's variance would explode.
  for (auto& s : head[3].cases[0].samples_ms) s /= 1.05;
  const auto rep = compare_results(base, head, {});
  const auto& v = rep.verdicts.at(0);
  EXPECT_EQ(v.estimate.method, "mann_whitney_u(run medians)");
  EXPECT_EQ(v.estimate.unit, "runs");
  EXPECT_LT(v.p_adjusted, 0.01);
  EXPECT_GT(v.p_adjusted, 2.0 / 12870.0);  // not a complete separation any more
  EXPECT_EQ(v.verdict, verdict::regressed);
}

TEST(compare, single_runs_fall_back_to_blocks_and_say_so) {
  const auto rep = compare_results({make_run("base", 1.0, 1)}, {make_run("head", 1.0, 2)}, {});
  ASSERT_EQ(rep.verdicts.size(), 1u);
  EXPECT_TRUE(rep.verdicts[0].estimate.run_variance_unaccounted);
  EXPECT_EQ(rep.verdicts[0].estimate.method, "mann_whitney_u(sample blocks)");
  EXPECT_EQ(rep.verdicts[0].verdict, verdict::unchanged);
  ASSERT_FALSE(rep.notes.empty());
  EXPECT_NE(rep.notes[0].find("run-to-run noise"), std::string::npos);
}

TEST(compare, claims_holm_and_errors) {
  std::vector<loaded_result> base, head;
  for (std::uint64_t i = 0; i < 4; ++i) {
    base.push_back(make_run("base", 3.0, i, {"a", "b"}));
    head.push_back(make_run("head", 1.0, 50 + i, {"a", "b"}));  // 3x faster on both
  }
  compare_options o;
  o.policy.claim = claim{2.8, 0.8};
  auto rep = compare_results(base, head, o);
  ASSERT_EQ(rep.verdicts.size(), 2u);
  const double p_a = rep.verdicts[0].estimate.p_value;
  const double p_b = rep.verdicts[1].estimate.p_value;
  for (const auto& v : rep.verdicts) EXPECT_EQ(v.verdict, verdict::pass) << v.reason;
  // Holm over two: the smaller p doubles, the larger is at least that.
  EXPECT_DOUBLE_EQ(std::min(rep.verdicts[0].p_adjusted, rep.verdicts[1].p_adjusted), 2.0 * std::min(p_a, p_b));
  EXPECT_DOUBLE_EQ(std::max(rep.verdicts[0].p_adjusted, rep.verdicts[1].p_adjusted),
                   std::max(2.0 * std::min(p_a, p_b), std::max(p_a, p_b)));
  // A head whose outputs failed equivalence is an ERROR however fast it is.
  head[1] = make_run("head", 1.0, 99, {"a", "b"}, false);
  rep = compare_results(base, head, o);
  EXPECT_EQ(rep.verdicts[0].verdict, verdict::error);
  // A case missing from head is an ERROR too.
  head = {make_run("head", 1.0, 7, {"a"})};
  rep = compare_results(base, head, o);
  ASSERT_EQ(rep.verdicts.size(), 2u);
  EXPECT_EQ(rep.verdicts[1].workload, "b");
  EXPECT_EQ(rep.verdicts[1].verdict, verdict::error);
}

TEST(compare, refuses_different_environments_unless_allowed) {
  auto other = make_run("head", 1.0, 2);
  other.environment["cpu_model"] = "another cpu";
  other.cases[0].device = "cuda";
  try {
    (void)compare_results({make_run("base", 1.0, 1)}, {other}, {});
    FAIL();
  } catch (const config_error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("cpu_model: cpu vs another cpu"), std::string::npos) << msg;
    EXPECT_NE(msg.find("device: cpu vs cuda"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--allow-env-mismatch"), std::string::npos) << msg;
  }
  compare_options o;
  o.allow_env_mismatch = true;
  const auto rep = compare_results({make_run("base", 1.0, 1)}, {other}, o);
  EXPECT_FALSE(rep.notes.empty());
  EXPECT_THROW((void)compare_results({}, {other}, o), config_error);
}

TEST(compare, block_medians) {
  const std::vector<double> x = {1, 9, 2, 8, 3, 7, 4};
  EXPECT_EQ(block_medians(x, 3), (std::vector<double>{5.0, 5.0, 4.0}));  // [1 9] [2 8] [3 7 4]
  EXPECT_EQ(block_medians(x, 1), (std::vector<double>{4.0}));
  EXPECT_EQ(block_medians(x, 0).size(), 1u);
}

}  // namespace
}  // namespace isobench::detail
