#include "equivalence/reference_store.hpp"

#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "isobench/error.hpp"
#include "runner/plan.hpp"
#include "support/fake_kernels.hpp"
#include "support/temp_dir.hpp"

namespace isobench::detail {
namespace {

class reference_store_test : public ::testing::Test {
protected:
  spec make_spec(int n) const {
    return parse_spec(nlohmann::json::parse(fmt::format(
                          R"({{"name": "r", "target": "fill", "implementation": "ref",
                               "workloads": [{{"name": "a", "n": {}}}, {{"name": "b", "n": 2}}]}})",
                          n)),
                      "r.json");
  }
  std::vector<workload_outputs> outputs(const plan& pl) const {
    std::vector<workload_outputs> out;
    for (const auto& w : pl.workloads) {
      tensor t(dtype::f32, {w.values.get_int("n")});
      t.as<float>()[0] = static_cast<float>(w.seed % 1000);
      out.push_back({w.name, {{"out", t}}});
    }
    return out;
  }

  testing::unique_temp_dir m_tmp;
  std::filesystem::path m_dir = m_tmp.path() / "refs";
  registry m_reg = testing::make_fake_registry();
  cuda_status m_cuda;
};

TEST_F(reference_store_test, path_naming) {
  EXPECT_EQ(reference_path("d", "", "s"), std::filesystem::path("d/s_reference.safetensors"));
  EXPECT_EQ(reference_path("d", "pre", "s"), std::filesystem::path("d/pre_s_reference.safetensors"));
}

TEST_F(reference_store_test, round_trip_by_workload) {
  const auto s = make_spec(3);
  const auto pl = make_plan(s, m_reg, m_cuda);
  const auto file = reference_path(m_dir, "", s.name);
  save_reference(file, s, reference_workloads(pl), {"fill.ref", "abc"}, outputs(pl), false);
  const auto loaded = load_reference(file, s, reference_workloads(pl));
  ASSERT_EQ(loaded.outputs.size(), 2u);
  ASSERT_EQ(loaded.outputs.at("a").size(), 1u);
  EXPECT_EQ(loaded.outputs.at("a")[0].name, "out");
  EXPECT_EQ(loaded.outputs.at("a")[0].value.numel(), 3u);
  EXPECT_EQ(loaded.metadata.at("implementation"), "fill.ref");
  EXPECT_EQ(loaded.metadata.at("commit_hash"), "abc");
}

TEST_F(reference_store_test, never_overwritten_without_force) {
  const auto s = make_spec(3);
  const auto pl = make_plan(s, m_reg, m_cuda);
  const auto file = reference_path(m_dir, "", s.name);
  save_reference(file, s, reference_workloads(pl), {"fill.ref", "first"}, outputs(pl), false);
  try {
    save_reference(file, s, reference_workloads(pl), {"fill.ref", "second"}, outputs(pl), false);
    FAIL();
  } catch (const reference_error& e) {
    EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos);
  }
  EXPECT_EQ(load_reference(file, s, reference_workloads(pl)).metadata.at("commit_hash"), "first");
  save_reference(file, s, reference_workloads(pl), {"fill.ref", "third"}, outputs(pl), true);
  EXPECT_EQ(load_reference(file, s, reference_workloads(pl)).metadata.at("commit_hash"), "third");
}

TEST_F(reference_store_test, refuses_a_reference_recorded_for_other_workloads) {
  const auto s3 = make_spec(3);
  const auto pl3 = make_plan(s3, m_reg, m_cuda);
  const auto file = reference_path(m_dir, "", s3.name);
  save_reference(file, s3, reference_workloads(pl3), {"fill.ref", ""}, outputs(pl3), false);

  const auto s4 = make_spec(4);
  try {
    (void)load_reference(file, s4, reference_workloads(make_plan(s4, m_reg, m_cuda)));
    FAIL();
  } catch (const reference_error& e) {
    EXPECT_NE(std::string(e.what()).find("workload 'a' was recorded with"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)load_reference(m_dir / "nope.safetensors", s3, reference_workloads(pl3)), reference_error);
}

}  // namespace
}  // namespace isobench::detail
