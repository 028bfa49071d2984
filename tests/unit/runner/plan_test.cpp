#include "runner/plan.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "isobench/error.hpp"
#include "support/fake_kernels.hpp"

namespace isobench::detail {
namespace {

spec make_spec(const char* json) {
  return parse_spec(nlohmann::json::parse(json), "p.json");
}

const cuda_status no_cuda = [] {
  cuda_status s;
  s.reason = "built without CUDA";
  return s;
}();

TEST(plan, binds_params_fills_defaults_and_fixes_seeds) {
  const auto r = testing::make_fake_registry();
  const auto s = make_spec(R"({"name": "p", "target": "fill", "seed": 5,
      "implementations": {"baseline": "ref", "candidate": "fill.off"},
      "workloads": [{"name": "a", "n": 4}, {"name": "b", "n": 2, "extra": 9, "seed": 11}]})");
  const auto pl = make_plan(s, r, no_cuda);
  EXPECT_EQ(pl.device, device_kind::cpu);
  ASSERT_EQ(pl.impls.size(), 2u);
  EXPECT_EQ(pl.reference_impl().info->full_name(), "fill.ref");
  EXPECT_EQ(pl.impls[1].role, role::candidate);
  ASSERT_EQ(pl.workloads.size(), 2u);
  EXPECT_EQ(pl.workloads[0].per_impl[0].get_int("extra"), 3);  // default
  EXPECT_EQ(pl.workloads[1].per_impl[1].get_int("extra"), 9);
  EXPECT_EQ(pl.workloads[1].seed, 11u);
  EXPECT_EQ(pl.workloads[0].seed, workload_seed(s, s.workloads[0]));
  EXPECT_NE(pl.workloads[0].seed, workload_seed(make_spec(R"({"name": "p", "target": "fill", "seed": 6,
      "implementation": "ref", "workloads": [{"name": "a", "n": 4}]})"),
                                                s.workloads[0]));
}

std::string plan_error(const char* json, exit_code expected_code) {
  const auto r = testing::make_fake_registry();
  try {
    (void)make_plan(make_spec(json), r, no_cuda);
  } catch (const error& e) {
    EXPECT_EQ(e.code(), expected_code) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(plan, parameter_errors_name_the_json_path) {
  auto msg = plan_error(R"({"name": "p", "target": "fill", "implementation": "ref",
      "workloads": [{"name": "a", "n": 4}, {"name": "b", "n": "abc"}]})",
                        exit_code::invalid_config);
  EXPECT_NE(msg.find("p.json: /workloads/1/n: expected an integer >= 1"), std::string::npos) << msg;
  EXPECT_NE(msg.find("got string \"abc\""), std::string::npos) << msg;

  msg = plan_error(R"({"name": "p", "target": "fill", "implementation": "ref",
      "workloads": [{"name": "a"}]})",
                   exit_code::invalid_config);
  EXPECT_NE(msg.find("p.json: /workloads/0: missing parameter 'n'"), std::string::npos) << msg;

  msg = plan_error(R"({"name": "p", "target": "fill", "implementation": "ref",
      "workloads": [{"name": "a", "n": 0}]})",
                   exit_code::invalid_config);
  EXPECT_NE(msg.find("/workloads/0/n: expected an integer >= 1"), std::string::npos) << msg;

  msg = plan_error(R"({"name": "p", "target": "fill", "implementation": "ref",
      "workloads": [{"name": "a", "n": 1, "nn": 2}]})",
                   exit_code::invalid_config);
  EXPECT_NE(msg.find("/workloads/0/nn: unknown parameter for target fill (known: extra, n)"), std::string::npos) << msg;
}

TEST(plan, unresolved_and_unsupported) {
  auto msg = plan_error(R"({"name": "p", "target": "fill", "implementation": "reff",
      "workloads": [{"name": "a", "n": 1}]})",
                        exit_code::target_not_resolved);
  EXPECT_NE(msg.find("did you mean 'fill.ref'"), std::string::npos) << msg;

  msg = plan_error(R"({"name": "p", "target": "fill", "implementation": "ref", "device": "cuda",
      "workloads": [{"name": "a", "n": 1}]})",
                   exit_code::unsupported);
  EXPECT_NE(msg.find("device cuda requested, but built without CUDA"), std::string::npos) << msg;

  msg = plan_error(R"({"name": "p", "target": "other", "implementation": "only_fp16",
      "workloads": [{"name": "a", "n": 1}]})",
                   exit_code::unsupported);
  EXPECT_NE(msg.find("does not support dtype fp32 (it supports fp16)"), std::string::npos) << msg;

  msg = plan_error(R"({"name": "p", "target": "fill", "implementations": {"baseline": "ref", "candidate": "fill.ref"},
      "workloads": [{"name": "a", "n": 1}]})",
                   exit_code::invalid_config);
  EXPECT_NE(msg.find("same implementation"), std::string::npos) << msg;
}

TEST(plan, auto_device_falls_back_to_cpu_and_filters_workloads) {
  const auto r = testing::make_fake_registry();
  const auto s = make_spec(R"({"name": "p", "target": "fill", "implementation": "ref", "device": "auto",
      "workloads": [{"name": "a", "n": 1}, {"name": "b", "n": 2}]})");
  const auto pl = make_plan(s, r, no_cuda, {"b"});
  EXPECT_EQ(pl.device, device_kind::cpu);
  ASSERT_EQ(pl.workloads.size(), 1u);
  EXPECT_EQ(pl.workloads[0].name, "b");
  EXPECT_THROW((void)make_plan(s, r, no_cuda, {"c"}), config_error);
}

// Found by tests/fuzz (spec_fuzz): an unknown target was the one plan error that did not say
// which spec file it was about.
TEST(plan, fuzz_regression_an_unknown_target_names_the_spec_file) {
  const std::string file = ISOBENCH_TEST_DATA_DIR "/fuzz/regressions/spec/unknown_target.json";
  const auto s = load_spec(file);
  try {
    (void)make_plan(s, testing::make_fake_registry(), no_cuda);
    FAIL() << "no error";
  } catch (const error& e) {
    EXPECT_EQ(e.code(), exit_code::target_not_resolved);
    EXPECT_EQ(std::string(e.what()).rfind(file + ": unknown target 'a'", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace isobench::detail
