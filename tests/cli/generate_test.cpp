// `isobench generate` end to end: a spec file from a shipped extraction that `isobench run --smoke`
// accepts, the explanation on stderr, refusal to overwrite, and the exit codes of bad input.
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace isobench::testing {
namespace {

namespace fs = std::filesystem;
const fs::path k_commits = fs::path(ISOBENCH_CONFIGS_DIR) / "commits";

TEST(generate_cli, writes_a_spec_that_runs) {
  temp_dir dir;
  const auto extraction = (k_commits / "vllm_fused_add_rms_norm_vectorized.json").string();
  auto r = run_isobench({"generate", extraction, "-o", "spec.json"}, dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("claim 1 chosen: 2.8x"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("target: rmsnorm.fused"), std::string::npos) << r.err;
  const auto spec = nlohmann::json::parse(read_text(dir.path() / "spec.json"));
  EXPECT_EQ(spec["claim"]["speedup"], 2.8);
  EXPECT_EQ(spec["_generated"]["claims"].size(), 3u);
  EXPECT_EQ(spec["commit"]["hash"], "8aa1485fcff7be3e42300c0615ee0f3f3cbce9a8");

  r = run_isobench({"run", "spec.json", "--smoke", "--device", "cpu"}, dir.path());
  EXPECT_EQ(r.code, 0) << r.err;

  // An existing output needs --force.
  r = run_isobench({"generate", extraction, "-o", "spec.json"}, dir.path());
  EXPECT_EQ(r.code, 6);
  EXPECT_NE(r.err.find("--force"), std::string::npos);
  r = run_isobench({"generate", extraction, "-o", "spec.json", "--force", "-q"}, dir.path());
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(generate_cli, stdout_and_target_override) {
  temp_dir dir;
  const auto extraction = (k_commits / "vllm_scheduler_chunked_prefill_no_match.json").string();
  auto r = run_isobench({"generate", extraction}, dir.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("Pass --target"), std::string::npos) << r.err;
  // Claims are never lost: the document is written with "target": null.
  const auto found = nlohmann::json::parse(r.out);
  EXPECT_TRUE(found["target"].is_null());
  EXPECT_TRUE(found["_generated"]["claims"].is_array());
  EXPECT_TRUE(found["_generated"]["optimization_type"].is_object());
  r = run_isobench({"generate", extraction, "-o", "found.json", "-q"}, dir.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(nlohmann::json::parse(read_text(dir.path() / "found.json"))["target"].is_null());
  EXPECT_NE(run_isobench({"run", "found.json", "--smoke"}, dir.path()).code, 0);
  r = run_isobench({"generate", extraction, "--target", "softmax.online", "-q"}, dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const auto spec = nlohmann::json::parse(r.out);
  EXPECT_EQ(spec["implementation"], "softmax.online");
  EXPECT_EQ(spec["_generated"]["target"]["why"], "given with --target");
  EXPECT_EQ(run_isobench({"generate", extraction, "--target", "softmax"}, dir.path()).code, 6);
  EXPECT_EQ(run_isobench({"generate", extraction, "--target", "softmax.nope"}, dir.path()).code, 1);
}

TEST(generate_cli, a_field_of_another_shape_is_read_and_noted_not_fatal) {
  temp_dir dir;
  // OmniPerf-style files carry an object where other scrapers put a string: its text is read.
  write_text(dir.path() / "odd.json", R"({"commit_hash": "abc", "parent_hash": "def", "message": "Faster norm",
    "summary": {"title": "x", "result": "rms_norm is 30% faster"}})");
  const auto r = run_isobench({"generate", "odd.json", "--target", "rmsnorm.fused", "-o", "spec.json"}, dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("input: /summary: object read as its text"), std::string::npos) << r.err;
}

TEST(generate_cli, bad_input_exits_6_naming_the_file) {
  temp_dir dir;
  write_text(dir.path() / "bad.json", R"(["not", "an", "object"])");
  const auto r = run_isobench({"generate", "bad.json"}, dir.path());
  EXPECT_EQ(r.code, 6);
  EXPECT_NE(r.err.find("bad.json: expected a JSON object"), std::string::npos) << r.err;
  EXPECT_EQ(run_isobench({"generate", "missing.json"}, dir.path()).code, 6);
}

}  // namespace
}  // namespace isobench::testing
