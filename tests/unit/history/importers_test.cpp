// Importers on real files: Google Benchmark (repetitions, and aggregates only) written by a real
// Google Benchmark program, nvbench JSON in its v1 format with a sample-time file, and isobench's
// own result, suite and summary-line files produced by isobench itself in the CLI tests.
#include "history/importers.hpp"

#include <filesystem>

#include <gtest/gtest.h>

#include "isobench/error.hpp"

namespace isobench::detail::history {
namespace {

const std::filesystem::path k_data = ISOBENCH_TEST_DATA_DIR "/history";

TEST(history_import, google_benchmark_repetitions_are_samples) {
  const auto b =
      import_file(k_data / "gbench_repetitions.json", {.commit = "abc", .parent = "", .spec = "", .machine = ""});
  ASSERT_EQ(b.points.size(), 2u);
  EXPECT_EQ(b.points[0].key.spec, "isobench_gbench_demo");
  EXPECT_EQ(b.points[0].key.workload, "BM_sum/1024");
  EXPECT_EQ(b.points[0].samples.size(), 5u);  // 5 repetitions; mean/median/stddev/cv aggregates not samples
  EXPECT_EQ(b.points[0].commit, "abc");
  EXPECT_GT(b.points[0].median, 0.0);
  EXPECT_LT(b.points[0].median, 1.0);  // ns -> ms: a 1024-float sum is far below a millisecond
  EXPECT_GT(b.points[1].median, b.points[0].median);
}

TEST(history_import, google_benchmark_aggregates_only_give_the_median) {
  const auto b =
      import_file(k_data / "gbench_aggregates.json", {.commit = "abc", .parent = "", .spec = "", .machine = ""});
  ASSERT_EQ(b.points.size(), 2u);
  EXPECT_EQ(b.points[0].samples.size(), 1u);
}

TEST(history_import, google_benchmark_needs_a_commit) {
  EXPECT_THROW(import_file(k_data / "gbench_repetitions.json", {}), config_error);
}

TEST(history_import, nvbench_states_with_sample_files) {
  const auto b = import_file(k_data / "nvbench_copy.json", {.commit = "abc", .parent = "", .spec = "", .machine = ""});
  ASSERT_EQ(b.points.size(), 2u);  // the skipped state is not a point
  EXPECT_EQ(b.points[0].key.workload, "Device=0 Elements=2^24");
  EXPECT_EQ(b.points[0].samples.size(), 50u);    // from nvbench_copy.json-bin/0.bin
  EXPECT_NEAR(b.points[0].median, 0.412, 0.01);  // seconds -> ms
  EXPECT_EQ(b.points[1].samples.size(), 1u);     // the mean only
  EXPECT_NEAR(b.points[1].median, 1.61, 1e-9);
  EXPECT_NE(b.points[0].key.machine.find("NVIDIA H200"), std::string::npos);
}

TEST(history_import, unknown_formats_are_refused) {
  const auto tmp = std::filesystem::temp_directory_path() / "isobench_import_unknown.json";
  {
    std::FILE* f = std::fopen(tmp.c_str(), "w");
    std::fputs("{\"hello\": 1}", f);
    std::fclose(f);
  }
  try {
    (void)import_file(tmp, {});
    FAIL();
  } catch (const config_error& e) {
    EXPECT_NE(std::string(e.what()).find("not a format isobench imports"), std::string::npos);
  }
  std::filesystem::remove(tmp);
}

}  // namespace
}  // namespace isobench::detail::history
