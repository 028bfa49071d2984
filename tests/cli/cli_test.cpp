// End-to-end tests of the real binary: exit codes, files written (or not), messages.
#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace isobench::testing {
namespace {

namespace fs = std::filesystem;

// Small shapes and short timing so each run takes well under a second.
std::string gemm_spec(const std::string& name, const std::string& implementations, const std::string& level,
                      const std::string& m1 = "33") {
  return fmt::format(R"({{
  "name": "{}",
  "target": "gemm",
  {},
  "dtype": "fp32",
  "seed": 3,
  "workloads": [
    {{"name": "w0", "m": 16, "n": 24, "k": 40}},
    {{"name": "w1", "m": {}, "n": 17, "k": 65}}
  ],
  "timing": {{"warmup": 1, "min_iters": 3, "max_iters": 50, "min_time_s": 0.002, "max_time_s": 0.5}},
  "equivalence": {},
  "commit": {{"hash": "feedface"}}
}})",
                     name, implementations, m1,
                     // GEMM sums k products in another order per kernel: fp32 needs k-scaled tolerances.
                     level == "exact" ? R"({"level": "exact"})"
                                      : fmt::format(R"({{"level": "{}", "rtol": 1e-4, "atol": 1e-5}})", level));
}

class cli : public ::testing::Test {
protected:
  fs::path write_spec(const std::string& file, const std::string& text) {
    const auto p = m_dir.path() / file;
    write_text(p, text);
    return p;
  }
  cli_result run(const std::vector<std::string>& args) { return run_isobench(args, m_dir.path()); }
  fs::path dir() const { return m_dir.path(); }

private:
  temp_dir m_dir;
};

TEST_F(cli, list_shows_registered_kernels) {
  auto r = run({"list"});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* name : {"gemm.naive", "gemm.blocked", "gemm.openblas", "softmax.online", "spin.loop"}) {
    EXPECT_NE(r.out.find(name), std::string::npos) << name;
  }
  r = run({"list", "--json", "--target", "gemm"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  std::size_t cpu = 0;
  for (const auto& k : j) {
    EXPECT_EQ(k["op"], "gemm");
    EXPECT_TRUE(k["has_flops"].get<bool>());
    cpu += k["devices"] == nlohmann::json::array({"cpu"});
  }
  EXPECT_EQ(cpu, 3u);  // naive, blocked, openblas (+ CUDA ones when built with CUDA)
  r = run({"list", "--target", "gemmm"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("did you mean gemm"), std::string::npos) << r.err;
}

TEST_F(cli, env_prints_the_fingerprint) {
  const auto r = run({"env", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j.contains("cpu_model"));
  EXPECT_FALSE(j["cuda"]["available"].get<bool>());
}

TEST_F(cli, run_writes_results_table_and_summary) {
  const auto spec = write_spec(
      "s.json",
      gemm_spec("demo", R"("implementations": {"baseline": "gemm.naive", "candidate": "gemm.blocked"})", "numeric"));
  const auto r =
      run({"run", spec.string(), "--stdout-json", "--out", "res", "--prefix", "pre", "--impl-tag", "parent"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("p50_ms"), std::string::npos) << r.err;  // the table
  EXPECT_NE(r.err.find("gemm.blocked vs gemm.naive"), std::string::npos) << r.err;

  const auto result_file = dir() / "res" / "pre_demo_parent.json";
  ASSERT_TRUE(fs::exists(result_file)) << r.err;
  const auto j = nlohmann::json::parse(read_text(result_file));
  EXPECT_EQ(j["impl_tag"], "parent");
  EXPECT_EQ(j["commit_hash"], "feedface");
  ASSERT_EQ(j["results"].size(), 4u);  // 2 workloads x 2 implementations
  for (const auto& c : j["results"]) {
    EXPECT_GE(c["samples_ms"].size(), 3u);
    EXPECT_GT(c["p50_ms"].get<double>(), 0.0);
    EXPECT_GT(c["gflops"].get<double>(), 0.0);
  }
  EXPECT_EQ(j["results"][1]["eq_level"], "numeric");  // candidate checked against the baseline in memory

  // --stdout-json: one ISO-Bench line per case, nothing else on stdout.
  std::istringstream lines(r.out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    const auto s = nlohmann::json::parse(line);
    EXPECT_EQ(s["impl_tag"], "parent");
    EXPECT_TRUE(s.contains("p95_ms"));
    ++n;
  }
  EXPECT_EQ(n, 4);
}

TEST_F(cli, reference_then_eqcheck_passes) {
  const auto spec = write_spec("s.json", gemm_spec("eq", R"("implementation": "gemm.blocked")", "numeric"));
  auto r = run({"run", spec.string(), "--reference", "--impl-tag", "parent"});
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_TRUE(fs::exists(dir() / "eq_reference.safetensors"));
  r = run({"run", spec.string(), "--eqcheck", "--impl-tag", "child"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(read_text(dir() / "eq_child.json"));
  for (const auto& c : j["results"]) {
    EXPECT_EQ(c["eq_level"], "exact");  // same code, same seed: bitwise equal
    EXPECT_EQ(c["eq"]["against"], "reference");
  }
}

TEST_F(cli, candidate_that_differs_is_caught_with_exit_5) {
  // Reference from the naive loop; the blocked kernel sums in another order, so it is not
  // bitwise equal: at level exact the check must fail, while numeric passes.
  const auto ref_spec = write_spec("a.json", gemm_spec("cand", R"("implementation": "gemm.naive")", "exact"));
  auto r = run({"run", ref_spec.string(), "--reference"});
  ASSERT_EQ(r.code, 0) << r.err;

  const auto exact = write_spec("b.json", gemm_spec("cand", R"("implementation": "gemm.blocked")", "exact"));
  r = run({"run", exact.string(), "--eqcheck"});
  EXPECT_EQ(r.code, 5) << r.err;
  EXPECT_NE(r.err.find("EQUIVALENCE FAILED"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("first mismatch at index"), std::string::npos) << r.err;
  // Nothing lost: the results are still written, with the failure recorded.
  const auto j = nlohmann::json::parse(read_text(dir() / "cand_child.json"));
  EXPECT_FALSE(j["results"][0]["eq"]["passed"].get<bool>());
  // eq_level is the strongest level that does hold: not exact, but not nothing either.
  EXPECT_NE(j["results"][0]["eq_level"], "exact");
  EXPECT_NE(j["results"][0]["eq_level"], "none");

  const auto numeric = write_spec("c.json", gemm_spec("cand", R"("implementation": "gemm.blocked")", "numeric"));
  r = run({"run", numeric.string(), "--eqcheck"});
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST_F(cli, eqcheck_without_reference_fails) {
  const auto spec = write_spec("s.json", gemm_spec("noref", R"("implementation": "gemm.naive")", "numeric"));
  const auto r = run({"run", spec.string(), "--eqcheck"});
  EXPECT_EQ(r.code, 8) << r.err;
  EXPECT_NE(r.err.find("reference not found"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir() / "noref_child.json"));  // nothing measured
}

TEST_F(cli, reference_is_not_overwritten_without_force) {
  const auto spec = write_spec("s.json", gemm_spec("keep", R"("implementation": "gemm.naive")", "numeric"));
  ASSERT_EQ(run({"run", spec.string(), "--reference"}).code, 0);
  const auto ref = dir() / "keep_reference.safetensors";
  const auto before = read_text(ref);
  auto r = run({"run", spec.string(), "--reference", "--commit-hash", "other"});
  EXPECT_EQ(r.code, 8) << r.err;
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_EQ(read_text(ref), before);
  r = run({"run", spec.string(), "--reference", "--force", "--commit-hash", "other"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(read_text(ref), before);  // the commit hash in its metadata changed
}

TEST_F(cli, corrupted_or_mismatched_reference_is_an_error) {
  const auto spec = write_spec("s.json", gemm_spec("bad", R"("implementation": "gemm.naive")", "numeric"));
  ASSERT_EQ(run({"run", spec.string(), "--reference"}).code, 0);
  const auto ref = dir() / "bad_reference.safetensors";
  auto bytes = read_text(ref);
  bytes[bytes.size() - 7] ^= 0x10;
  write_text(ref, bytes);
  auto r = run({"run", spec.string(), "--eqcheck"});
  EXPECT_EQ(r.code, 8) << r.err;
  EXPECT_NE(r.err.find("checksum mismatch"), std::string::npos) << r.err;

  write_text(ref, bytes.substr(0, bytes.size() / 2));
  r = run({"run", spec.string(), "--eqcheck"});
  EXPECT_EQ(r.code, 8) << r.err;
  EXPECT_NE(r.err.find("truncated"), std::string::npos) << r.err;

  // A reference recorded for other shapes is refused, not compared.
  ASSERT_EQ(run({"run", spec.string(), "--reference", "--force"}).code, 0);
  const auto other = write_spec("t.json", gemm_spec("bad", R"("implementation": "gemm.naive")", "numeric", "34"));
  r = run({"run", other.string(), "--eqcheck"});
  EXPECT_EQ(r.code, 8) << r.err;
  EXPECT_NE(r.err.find("workload 'w1' was recorded with"), std::string::npos) << r.err;
}

TEST_F(cli, malformed_specs_exit_6_with_the_json_path) {
  auto spec = write_spec("s.json", gemm_spec("bad", R"("implementation": "gemm.naive")", "numeric", R"("abc")"));
  auto r = run({"run", spec.string()});
  EXPECT_EQ(r.code, 6) << r.err;
  EXPECT_NE(r.err.find("s.json: /workloads/1/m: expected an integer >= 0"), std::string::npos) << r.err;

  spec = write_spec("t.json", "{\"name\": \"x\",");
  r = run({"run", spec.string()});
  EXPECT_EQ(r.code, 6) << r.err;
  EXPECT_NE(r.err.find("t.json: not valid JSON"), std::string::npos) << r.err;

  spec = write_spec(
      "u.json",
      R"({"name": "x", "target": "gemm", "implementation": "gemm.naive", "workloads": [{"name": "w", "m": 1, "n": 1, "k": 1}], "timing": {"warmup": "three"}})");
  r = run({"run", spec.string()});
  EXPECT_EQ(r.code, 6) << r.err;
  EXPECT_NE(r.err.find("u.json: /timing/warmup: expected an integer"), std::string::npos) << r.err;

  r = run({"run", (dir() / "missing.json").string()});
  EXPECT_EQ(r.code, 6) << r.err;
  r = run({"run"});
  EXPECT_EQ(r.code, 6) << r.err;
  r = run({"run", spec.string(), "--no-such-flag"});
  EXPECT_EQ(r.code, 6) << r.err;
  r = run({"run", spec.string(), "--reference", "--eqcheck"});
  EXPECT_EQ(r.code, 6) << r.err;
}

TEST_F(cli, unknown_target_or_implementation_exit_1_with_suggestions) {
  auto spec = write_spec("s.json", gemm_spec("x", R"("implementation": "gemm.blokced")", "numeric"));
  auto r = run({"run", spec.string()});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("did you mean 'gemm.blocked'"), std::string::npos) << r.err;

  auto text = gemm_spec("x", R"("implementation": "gemm.naive")", "numeric");
  text.replace(text.find("\"gemm\""), 6, "\"gemmm\"");
  spec = write_spec("t.json", text);
  r = run({"run", spec.string()});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("did you mean 'gemm'"), std::string::npos) << r.err;
}

TEST_F(cli, cuda_without_a_device_exits_2) {
  const auto spec = write_spec("s.json", gemm_spec("x", R"("implementation": "gemm.naive")", "numeric"));
  auto r = run({"run", spec.string(), "--device", "cuda"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("device cuda requested"), std::string::npos) << r.err;
  r = run({"run", spec.string(), "--device", "auto", "-q"});
  EXPECT_EQ(r.code, 0) << r.err;  // auto falls back to the CPU
}

TEST_F(cli, cold_cache_mode_runs_unbatched) {
  const auto spec = write_spec("s.json", gemm_spec("cold", R"("implementation": "gemm.blocked")", "numeric"));
  const auto r = run({"run", spec.string(), "--cache", "cold", "--workload", "w0", "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;  // --quiet
  const auto j = nlohmann::json::parse(read_text(dir() / "cold_child.json"));
  ASSERT_EQ(j["results"].size(), 1u);
  EXPECT_EQ(j["results"][0]["cache"], "cold");
  EXPECT_EQ(j["results"][0]["batch"], 1);
}

TEST_F(cli, version_and_help) {
  auto r = run({"--version"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("isobench 0."), std::string::npos) << r.out;
  r = run({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("Exit codes"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace isobench::testing

namespace isobench::testing {
namespace {

std::string spin_spec(const std::string& implementations, const std::string& params, const std::string& extra = "") {
  return fmt::format(R"({{
  "name": "spin", "target": "spin", {}, "dtype": "int64",
  "workloads": [{{"name": "w", {}}}],
  "timing": {{"warmup": 1, "min_iters": 5, "min_time_s": 0.02, "max_time_s": 2}},
  "equivalence": {{"level": "exact"}}{}
}})",
                     implementations, params, extra);
}

TEST_F(cli, interleaved_run_records_a_verdict_and_gates_on_request) {
  // The candidate does 3x the work with the same output: a claim of 2x must fail.
  const auto spec =
      write_spec("s.json", spin_spec(R"("implementations": {"baseline": "spin.loop", "candidate": "spin.scaled"})",
                                     R"("iterations": 20000, "scale": 3.0)", R"(, "claim": {"speedup": 2.0})"));
  auto r = run({"run", spec.string(), "--junit", "j.xml", "--markdown", "m.md"});
  ASSERT_EQ(r.code, 0) << r.err;  // without --gate a failed claim is reported, not fatal
  EXPECT_NE(r.err.find("FAIL w: spin.scaled vs spin.loop"), std::string::npos) << r.err;
  const auto j = nlohmann::json::parse(read_text(dir() / "spin_child.json"));
  ASSERT_EQ(j["verdicts"].size(), 1u);
  const auto& v = j["verdicts"][0];
  EXPECT_EQ(v["verdict"], "FAIL");
  EXPECT_NEAR(v["speedup"].get<double>(), 1.0 / 3.0, 0.05);
  EXPECT_LT(v["ci_high"].get<double>(), 1.0);
  EXPECT_EQ(v["unit"], "launches");
  // min_launches and min_rounds, unless a loaded machine ran out of max_time_s first (the limit wins)
  EXPECT_GE(v["base_units"].get<int>(), 2) << v.dump();
  if (v["stop_reason"] != "max_time") {
    EXPECT_GE(v["base_units"].get<int>(), 3) << v.dump();
    EXPECT_GE(j["results"][0]["round_medians_ms"].size(), 20u);
  }
  EXPECT_FALSE(v["stop_reason"].get<std::string>().empty());
  EXPECT_EQ(v["candidate_eq_level"], "exact");
  EXPECT_EQ(j["results"][0]["round_medians_ms"].size(), j["results"][1]["round_medians_ms"].size());
  EXPECT_NE(read_text(dir() / "j.xml").find("<failure type=\"FAIL\""), std::string::npos);
  EXPECT_NE(read_text(dir() / "m.md").find("**FAIL**"), std::string::npos);

  r = run({"run", spec.string(), "--gate", "-q"});
  EXPECT_EQ(r.code, 7) << r.err;
}

TEST_F(cli, compare_judges_separate_runs) {
  // base does twice the work of head: head is 2x faster (same implementation, same output).
  const auto base =
      write_spec("b.json", spin_spec(R"("implementation": "spin.scaled")", R"("iterations": 20000, "scale": 2.0)"));
  const auto head =
      write_spec("h.json", spin_spec(R"("implementation": "spin.scaled")", R"("iterations": 20000, "scale": 1.0)"));
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(run({"run", base.string(), "--impl-tag", "parent", "--prefix", fmt::format("r{}", i), "-q"}).code, 0);
    ASSERT_EQ(run({"run", head.string(), "--impl-tag", "child", "--prefix", fmt::format("r{}", i), "-q"}).code, 0);
  }
  // One run per side: the block fallback, with its warning; a 2x change is beyond any noise.
  auto r = run({"compare", "r0_spin_parent.json", "r0_spin_child.json"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("IMPROVED w"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("run-to-run noise"), std::string::npos) << r.out;

  // Three runs per side: runs are the unit; claims gate with exit 7.
  r = run({"compare", "--base", "r0_spin_parent.json", "r1_spin_parent.json", "r2_spin_parent.json", "--head",
           "r0_spin_child.json", "r1_spin_child.json", "r2_spin_child.json", "--claim", "1.5", "--junit", "c.xml",
           "--markdown", "c.md", "--json", "c.json"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("PASS w"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3 runs / side"), std::string::npos) << r.out;
  const auto j = nlohmann::json::parse(read_text(dir() / "c.json"));
  EXPECT_EQ(j["verdicts"][0]["method"], "welch_t(log run medians)");
  EXPECT_TRUE(fs::exists(dir() / "c.xml"));
  EXPECT_TRUE(fs::exists(dir() / "c.md"));

  r = run({"compare", "--base", "r0_spin_parent.json", "r1_spin_parent.json", "r2_spin_parent.json", "--head",
           "r0_spin_child.json", "r1_spin_child.json", "r2_spin_child.json", "--claim", "5"});
  EXPECT_EQ(r.code, 7) << r.out << r.err;

  // Swapped: head 2x slower is a regression.
  r = run({"compare", "--base", "r0_spin_child.json", "r1_spin_child.json", "r2_spin_child.json", "--head",
           "r0_spin_parent.json", "r1_spin_parent.json", "r2_spin_parent.json"});
  EXPECT_EQ(r.code, 7) << r.out << r.err;
  EXPECT_NE(r.out.find("REGRESSED w"), std::string::npos) << r.out;
}

TEST_F(cli, compare_refuses_other_environments_and_bad_files) {
  const auto spec = write_spec("s.json", spin_spec(R"("implementation": "spin.loop")", R"("iterations": 1000)"));
  ASSERT_EQ(run({"run", spec.string(), "--impl-tag", "a", "-q"}).code, 0);
  ASSERT_EQ(run({"run", spec.string(), "--impl-tag", "b", "-q"}).code, 0);
  auto j = nlohmann::json::parse(read_text(dir() / "spin_b.json"));
  j["environment"]["cpu_model"] = "Some Other CPU";
  write_text(dir() / "spin_b.json", j.dump());
  auto r = run({"compare", "spin_a.json", "spin_b.json"});
  EXPECT_EQ(r.code, 6) << r.err;
  EXPECT_NE(r.err.find("cpu_model"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Some Other CPU"), std::string::npos) << r.err;
  r = run({"compare", "spin_a.json", "spin_b.json", "--allow-env-mismatch"});
  EXPECT_NE(r.code, 6) << r.err;

  write_text(dir() / "bad.json", R"({"schema_version": 1, "spec": {"name": "x"}})");
  r = run({"compare", "spin_a.json", "bad.json"});
  EXPECT_EQ(r.code, 6) << r.err;
  EXPECT_NE(r.err.find("bad.json: /impl_tag: required field is missing"), std::string::npos) << r.err;
  r = run({"compare", "spin_a.json"});
  EXPECT_EQ(r.code, 6) << r.err;
}

TEST_F(cli, pin_cpu_is_recorded) {
  const auto spec = write_spec("s.json", spin_spec(R"("implementation": "spin.loop")", R"("iterations": 1000)"));
  auto r = run({"run", spec.string(), "--pin-cpu", "0", "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(read_text(dir() / "spin_child.json"))["environment"]["cpu_affinity"], "0");
  r = run({"run", spec.string(), "--pin-cpu", "x"});
  EXPECT_EQ(r.code, 6) << r.err;
}

}  // namespace
}  // namespace isobench::testing

namespace isobench::testing {
namespace {

TEST_F(cli, selfcheck_runs_end_to_end) {
  // Tiny: two interleaved verdicts per effect. A 50% slowdown cannot be missed; the rates this
  // prints for real (200 verdicts per scenario) are benchmark figures, not test assertions.
  const auto r = run({"selfcheck", "--mode", "interleaved", "--effects", "0.5", "--comparisons", "2", "--kernel-ms",
                      "0.2", "--json", "sc.json", "--work-dir", (dir() / "work").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("interleaved"), std::string::npos) << r.out;
  const auto j = nlohmann::json::parse(read_text(dir() / "sc.json"));
  ASSERT_EQ(j["scenarios"].size(), 1u);
  EXPECT_EQ(j["scenarios"][0]["comparisons"], 2);
  EXPECT_EQ(j["scenarios"][0]["detected"], 2);
  EXPECT_NEAR(j["scenarios"][0]["median_speedup"].get<double>(), 1.0 / 1.5, 0.05);
  // Every verdict is kept, so a false alarm can be read afterwards, not only counted.
  const auto& verdicts = j["scenarios"][0]["verdicts"];
  ASSERT_EQ(verdicts.size(), 2u);
  EXPECT_EQ(verdicts[0]["verdict"], "REGRESSED") << verdicts[0].dump();
  EXPECT_GT(verdicts[0]["verdict_s"].get<double>(), 0.0);
  EXPECT_FALSE(fs::exists(dir() / "work"));  // scratch removed
}

}  // namespace
}  // namespace isobench::testing
