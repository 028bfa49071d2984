// Issue 21, suite side: duplicate YAML keys, lists longer than a suite may have, a corrupt
// --resume file, shard arguments and a merge output that cannot be created each get a clear
// answer (exit 6, or 9 for the output) before anything runs.
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace isobench::testing {
namespace {

namespace fs = std::filesystem;

std::string torchao(const std::string& shapes, const std::string& extra = "") {
  return fmt::format(R"(benchmark_mode: "inference"
quantization_config_recipe_names: ["baseline", "int8wo"]
sparsity_config_recipe_names: ["None"]
output_dir: "out"
{}model_params:
  - name: "m"
    matrix_shapes:
      - name: "custom"
        shapes: [{}]
    high_precision_dtype: "torch.float32"
    device: "cpu"
    model_type: "linear"
)",
                     extra, shapes);
}

void expect_error(const cli_result& r, int code, const std::string& text) {
  EXPECT_EQ(r.code, code) << r.err;
  EXPECT_NE(r.err.find(text), std::string::npos) << "expected '" << text << "' in: " << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
}

TEST(suite_input, duplicate_yaml_keys_are_refused_with_their_line) {
  temp_dir d;
  write_text(d.path() / "ok.yaml", torchao("[1, 64, 64]"));
  const auto ok = run_isobench({"suite", "ok.yaml", "--list"}, d.path());
  ASSERT_EQ(ok.code, 0) << ok.err;
  write_text(d.path() / "dup.yaml", torchao("[1, 64, 64]", "output_dir: \"elsewhere\"\n"));
  expect_error(run_isobench({"suite", "dup.yaml", "--list"}, d.path()), 6, "config.output_dir (line 5): duplicate key");
  std::string nested = torchao("[1, 64, 64]");
  nested.replace(nested.find("    device: \"cpu\""), 0, "    device: \"cuda\"\n");
  write_text(d.path() / "nested.yaml", nested);
  expect_error(run_isobench({"suite", "nested.yaml", "--list"}, d.path()), 6, "device");
  expect_error(run_isobench({"suite", "nested.yaml", "--list"}, d.path()), 6, "duplicate key");
}

TEST(suite_input, a_list_longer_than_a_suite_may_have_is_refused_not_cut) {
  temp_dir d;
  std::string shapes;
  for (int i = 0; i < 10001; ++i) shapes += (i ? ", " : "") + std::string("[1, 8, 8]");
  write_text(d.path() / "many.yaml", torchao(shapes));
  expect_error(run_isobench({"suite", "many.yaml", "--list"}, d.path()), 6,
               "10001 entries; a suite may have at most 10000");
}

TEST(suite_input, resume_with_corrupt_cases_is_refused_not_rerun) {
  temp_dir d;
  write_text(d.path() / "s.yaml", torchao("[1, 64, 64]"));
  fs::create_directories(d.path() / "out");
  for (const std::string cases : {R"({})", R"("all")", R"(null)", R"([{"id": 3}])"}) {
    write_text(d.path() / "out" / "suite_results.json", R"({"suite": "s", "cases": )" + cases + "}");
    const auto r = run_isobench({"suite", "s.yaml", "--resume"}, d.path());
    expect_error(r, 6, "suite_results.json: cases");
    EXPECT_FALSE(fs::exists(d.path() / "out" / "results.csv")) << cases;
  }
}

TEST(suite_input, shard_arguments_and_merge_outputs_say_what_is_wrong) {
  temp_dir d;
  write_text(d.path() / "s.yaml", torchao("[1, 64, 64]"));
  const auto r = run_isobench({"suite", "s.yaml", "--shard", "0/0", "--db", "h.sqlite", "--run-id", "r"}, d.path());
  expect_error(r, 6, "--shard count: 0 is out of range; expected 1..1000000");
  EXPECT_EQ(r.err.find("0..-1"), std::string::npos) << r.err;
  expect_error(run_isobench({"suite", "s.yaml", "--shard", "0/99999999999", "--db", "h.sqlite"}, d.path()), 6,
               "out of range");
  // suite merge --out under a regular file: exit 9 naming it, not an internal error.
  write_text(d.path() / "line.jsonl", R"({"impl_tag": "t", "commit_hash": "c1", "p50_ms": 2.0})"
                                      "\n");
  ASSERT_EQ(run_isobench({"history", "record", "line.jsonl", "--db", "h.sqlite"}, d.path()).code, 0);
  if (std::system("command -v sqlite3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "needs the sqlite3 shell";
  const auto insert =
      fmt::format("sqlite3 '{}' \"INSERT INTO suite_runs VALUES ('r1', 's', 's.yaml', 'torchao', '[]', 'd', 'now')\"",
                  (d.path() / "h.sqlite").string());
  ASSERT_EQ(std::system(insert.c_str()), 0);
  write_text(d.path() / "file", "x");
  expect_error(run_isobench({"suite", "merge", "r1", "--db", "h.sqlite", "--out", "file/sub"}, d.path()), 9,
               "--out file/sub: cannot create the output directory");
}

}  // namespace
}  // namespace isobench::testing
