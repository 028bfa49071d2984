#include "equivalence/output_compare.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace isobench::detail {
namespace {

named_tensor floats(std::string name, std::vector<float> v) {
  tensor t(dtype::f32, {static_cast<std::int64_t>(v.size())});
  std::copy(v.begin(), v.end(), t.as<float>().begin());
  return {std::move(name), std::move(t)};
}

eq_request numeric_fp32() {
  return {eq_level::numeric, dtype::f32, std::nullopt, std::nullopt};
}

TEST(compare, bitwise_equal_is_exact) {
  const auto a = floats("y", {1.0F, -2.0F, 3.5F});
  const auto c = compare_tensor(a, a, numeric_fp32());
  EXPECT_EQ(c.level, eq_level::exact);
  EXPECT_EQ(c.max_abs_err, 0.0);
  EXPECT_FALSE(c.first_mismatch.has_value());
}

TEST(compare, levels_follow_the_tolerance_table) {
  const auto ref = floats("y", {1.0F, 100.0F, 0.0F});
  // |d| <= 1e-7 + 1e-5 |x|: numeric for fp32.
  EXPECT_EQ(compare_tensor(ref, floats("y", {1.000005F, 100.0F, 0.0F}), numeric_fp32()).level, eq_level::numeric);
  // 1e-3 relative: fails numeric (1e-5), holds behavioral (1e-2).
  auto c = compare_tensor(ref, floats("y", {1.0F, 100.1F, 0.0F}), numeric_fp32());
  EXPECT_EQ(c.level, eq_level::behavioral);
  ASSERT_TRUE(c.first_mismatch.has_value());
  EXPECT_EQ(*c.first_mismatch, 1u);
  EXPECT_DOUBLE_EQ(c.expected_value, 100.0);
  EXPECT_NEAR(c.actual_value, 100.1, 1e-5);
  EXPECT_NEAR(c.max_abs_err, 0.1, 1e-5);
  EXPECT_NEAR(c.max_rel_err, 1e-3, 1e-7);
  // 10% off: nothing holds.
  EXPECT_EQ(compare_tensor(ref, floats("y", {1.1F, 100.0F, 0.0F}), numeric_fp32()).level, eq_level::none);
  // atol matters near zero: 5e-4 at x = 0 passes behavioral (atol 1e-3) only.
  EXPECT_EQ(compare_tensor(ref, floats("y", {1.0F, 100.0F, 5e-4F}), numeric_fp32()).level, eq_level::behavioral);
}

TEST(compare, exact_request_reports_first_differing_index) {
  const auto ref = floats("y", {1.0F, 2.0F, 3.0F, 4.0F});
  eq_request req{eq_level::exact, dtype::f32, std::nullopt, std::nullopt};
  const auto out = compare_outputs(std::vector{ref}, std::vector{floats("y", {1.0F, 2.0F, 3.0000002F, 5.0F})}, req);
  EXPECT_FALSE(out.passed());
  EXPECT_EQ(out.achieved, eq_level::none);
  ASSERT_EQ(out.tensors.size(), 1u);
  EXPECT_EQ(out.tensors[0].first_mismatch, 2u);
  EXPECT_NE(out.summary().find("first mismatch at index 2"), std::string::npos) << out.summary();
}

TEST(compare, overrides_apply_to_the_requested_level) {
  const auto ref = floats("y", {1.0F});
  const auto act = floats("y", {1.001F});
  eq_request loose{eq_level::numeric, dtype::f32, 1e-2, std::nullopt};
  EXPECT_EQ(compare_tensor(ref, act, loose).level, eq_level::numeric);
  EXPECT_EQ(loose.tolerance_for(eq_level::numeric), (tolerance{1e-2, 1e-7}));
  EXPECT_EQ(loose.tolerance_for(eq_level::behavioral), (tolerance{1e-2, 1e-3}));
}

TEST(compare, nan_matches_only_nan_and_inf_only_itself) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const auto ref = floats("y", {nan, inf, 1.0F});
  EXPECT_GE(compare_tensor(ref, floats("y", {nan, inf, 1.0F}), numeric_fp32()).level, eq_level::numeric);
  EXPECT_EQ(compare_tensor(ref, floats("y", {0.0F, inf, 1.0F}), numeric_fp32()).level, eq_level::none);
  EXPECT_EQ(compare_tensor(ref, floats("y", {nan, -inf, 1.0F}), numeric_fp32()).level, eq_level::none);
}

TEST(compare, structural_mismatches_fail_with_a_reason) {
  const auto ref = floats("y", {1.0F, 2.0F});
  auto c = compare_tensor(ref, floats("y", {1.0F, 2.0F, 3.0F}), numeric_fp32());
  EXPECT_EQ(c.level, eq_level::none);
  EXPECT_NE(c.problem.find("shape [2] expected, got [3]"), std::string::npos);

  named_tensor ints{"y", tensor(dtype::i32, {2})};
  c = compare_tensor(ref, ints, numeric_fp32());
  EXPECT_NE(c.problem.find("dtype fp32 expected, got int32"), std::string::npos);

  auto out = compare_outputs(std::vector{ref}, std::vector{floats("z", {1.0F, 2.0F})}, numeric_fp32());
  EXPECT_FALSE(out.passed());
  ASSERT_EQ(out.tensors.size(), 2u);
  EXPECT_EQ(out.tensors[0].problem, "missing from the outputs");
  EXPECT_EQ(out.tensors[1].problem, "not in the reference");
}

TEST(compare, run_level_is_the_weakest_tensor) {
  const std::vector refs = {floats("a", {1.0F}), floats("b", {1.0F})};
  const std::vector acts = {floats("a", {1.0F}), floats("b", {1.005F})};
  const auto out = compare_outputs(refs, acts, numeric_fp32());
  EXPECT_EQ(out.achieved, eq_level::behavioral);
  EXPECT_FALSE(out.passed());
  eq_request behavioral{eq_level::behavioral, dtype::f32, std::nullopt, std::nullopt};
  EXPECT_TRUE(compare_outputs(refs, acts, behavioral).passed());
}

}  // namespace
}  // namespace isobench::detail
