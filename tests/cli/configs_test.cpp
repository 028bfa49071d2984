// Every shipped spec, checked end to end with `run --smoke` (every workload set up, called once and
// checked for equivalence; nothing timed): one ctest test per spec so they run in parallel.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace isobench::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> shipped_specs() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(ISOBENCH_CONFIGS_DIR)) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool have_cuda() {
  static const bool available = [] {
    const temp_dir dir;
    const auto env = nlohmann::json::parse(run_isobench({"env", "--json"}, dir.path()).out);
    return env["cuda"]["available"].get<bool>();
  }();
  return available;
}

class shipped_spec : public ::testing::TestWithParam<std::string> {};

TEST_P(shipped_spec, passes_a_smoke_run) {
  const fs::path file = fs::path(ISOBENCH_CONFIGS_DIR) / (GetParam() + ".json");
  const auto j = nlohmann::json::parse(read_text(file));
  const temp_dir dir;
  const auto r = run_isobench({"run", file.string(), "--smoke"}, dir.path());
  if (j.value("device", "cpu") == "cuda" && !have_cuda()) {
    // Without a usable device a CUDA spec fails with exit 2 and says why.
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("device cuda requested, but"), std::string::npos) << r.err;
    return;
  }
  ASSERT_EQ(r.code, 0) << r.err;
  for (const auto& w : j["workloads"]) {
    EXPECT_NE(r.err.find(fmt::format(" {} / ", w["name"].get<std::string>())), std::string::npos) << r.err;
  }
  EXPECT_EQ(r.err.find("FAILED"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_empty(dir.path())) << "--smoke writes nothing";
}

INSTANTIATE_TEST_SUITE_P(configs, shipped_spec, ::testing::ValuesIn(shipped_specs()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace isobench::testing
