// `isobench suite`: a suite in which one case crashes, one hangs and one exhausts memory while the
// rest complete, and the CSV and JSON hold every case with its status and reason; --resume keeps
// finished cases; results are never replaced without --resume or --force.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace isobench::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::vector<std::string>> read_csv(const fs::path& file) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char ch = line[i];
      if (quoted) {
        if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          cell += '"';
          ++i;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cell += ch;
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell += ch;
      }
    }
    cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

constexpr const char* k_fault_suite = R"({
  "name": "faults",
  "timing": {"warmup": 1, "min_iters": 3, "min_time_s": 0.01, "max_time_s": 2, "cache": "warm"},
  "benchmarks": [
    {"name": "fault.ok", "params": {"n": 4096}},
    {"name": "fault.crash"},
    {"name": "fault.hang"},
    {"name": "fault.oom"},
    {"name": "rmsnorm.fused", "baseline": "rmsnorm.naive", "params": {"rows": 4, "dim": 1024},
     "equivalence": {"level": "numeric", "rtol": 1e-5, "atol": 1e-6}},
    {"name": "fault.ok", "device": "cuda"}
  ]
})";

TEST(suite_cli, crash_hang_and_oom_do_not_stop_the_rest) {
  temp_dir dir;
  write_text(dir.path() / "faults.json", k_fault_suite);
  // One time limit for every case: the hang case costs all of it, the others must finish well inside
  // it on a loaded machine (4 tests on one core). First touches of memory are slow in a VM: 192 MiB
  // keeps the OOM case near 2 s there; "cache": "warm" keeps a flush buffer out of the limit.
  auto r = run_binary(ISOBENCH_FAULT_BINARY,
                      {"suite", "faults.json", "--out", "out", "--case-timeout-s", "10", "--case-memory-mib", "192"},
                      dir.path());
  EXPECT_EQ(r.code, 7) << r.err;  // some cases did not succeed
  EXPECT_NE(r.err.find("[6/6]"), std::string::npos) << r.err;

  const auto csv = read_csv(dir.path() / "out" / "results.csv");
  ASSERT_EQ(csv.size(), 7u) << r.err;  // header + every case
  const auto& h = csv[0];
  EXPECT_EQ(h[0], "name");
  EXPECT_EQ(h[13], "baseline_model_eager_inference_time_in_ms");
  const auto status = column(h, "status"), reason = column(h, "reason"), rss = column(h, "peak_host_memory_bytes");
  EXPECT_EQ(csv[1][status], "ok");
  EXPECT_EQ(csv[2][status], "crashed");
  EXPECT_NE(csv[2][reason].find("signal 11"), std::string::npos) << csv[2][reason];
  EXPECT_EQ(csv[3][status], "timed_out");
  EXPECT_NE(csv[3][reason].find("10 s"), std::string::npos) << csv[3][reason];
#if !defined(__SANITIZE_ADDRESS__)
  EXPECT_EQ(csv[4][status], "failed");
  EXPECT_EQ(csv[4][column(h, "exit_code")], "4");
  EXPECT_NE(csv[4][reason].find("out of memory"), std::string::npos) << csv[4][reason];
  EXPECT_LE(std::stod(csv[4][rss]), 224.0 * 1048576.0);  // held to the limit
#endif
  EXPECT_EQ(csv[5][status], "ok");
  EXPECT_FALSE(csv[5][column(h, "speedup_ci_low")].empty());
  EXPECT_FALSE(csv[5][column(h, "verdict")].empty());
  EXPECT_GT(std::stod(csv[5][rss]), 1e6);
  EXPECT_EQ(csv[6][status], "skipped");
  EXPECT_NE(csv[6][reason].find("CUDA"), std::string::npos);

  const auto j = nlohmann::json::parse(read_text(dir.path() / "out" / "suite_results.json"));
  EXPECT_TRUE(j["complete"].get<bool>());
  EXPECT_EQ(j["cases"].size(), 6u);
  EXPECT_EQ(j["counts"]["crashed"], 1);

  // Results exist: a new run needs --resume or --force.
  r = run_binary(ISOBENCH_FAULT_BINARY, {"suite", "faults.json", "--out", "out"}, dir.path());
  EXPECT_EQ(r.code, 6);
  EXPECT_NE(r.err.find("--resume"), std::string::npos);
  // --resume keeps every finished case (the failures too): nothing runs again.
  r = run_binary(ISOBENCH_FAULT_BINARY, {"suite", "faults.json", "--out", "out", "--resume"}, dir.path());
  EXPECT_EQ(r.code, 7) << r.err;
  EXPECT_NE(r.err.find("[3/6] fault.hang: timed_out (finished earlier, kept)"), std::string::npos) << r.err;
  EXPECT_EQ(read_csv(dir.path() / "out" / "results.csv").size(), 7u);
}

TEST(suite_cli, interrupted_runs_resume) {
  temp_dir dir;
  write_text(dir.path() / "s.json", R"({"name": "s", "timing": {"warmup": 1, "min_iters": 3, "min_time_s": 0.01},
    "benchmarks": [{"name": "fault.ok"}, {"name": "fault.hang"}, {"name": "fault.ok", "workload": "second"}]})");
  // SIGINT the suite while its second case hangs: the first stays finished, the second is
  // interrupted, the third never starts; exit 130.
  const std::string cmd =
      std::string("cd '") + dir.path().string() + "' && (" + ISOBENCH_FAULT_BINARY +
      " suite s.json --out out --case-timeout-s 60 2>err.txt & pid=$!; "
      "for i in $(seq 1 600); do grep -q '\\[2/3\\]' out/cases/fault.hang.log 2>/dev/null && break; "
      "test -f out/cases/fault.hang.log && break; sleep 0.1; done; sleep 0.5; kill -INT $pid; "
      "wait $pid; echo $? > code.txt)";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_EQ(read_text(dir.path() / "code.txt"), "130\n") << read_text(dir.path() / "err.txt");
  auto j = nlohmann::json::parse(read_text(dir.path() / "out" / "suite_results.json"));
  EXPECT_FALSE(j["complete"].get<bool>());
  ASSERT_EQ(j["cases"].size(), 2u);
  EXPECT_EQ(j["cases"][0]["status"], "ok");
  EXPECT_EQ(j["cases"][1]["status"], "interrupted");
  EXPECT_EQ(read_csv(dir.path() / "out" / "results.csv").size(), 2u);  // header + the finished case

  write_text(dir.path() / "s.json", R"({"name": "s", "timing": {"warmup": 1, "min_iters": 3, "min_time_s": 0.01},
    "benchmarks": [{"name": "fault.ok"}, {"name": "fault.ok", "workload": "fixed"}, {"name": "fault.ok", "workload": "second"}]})");
  const auto r = run_binary(ISOBENCH_FAULT_BINARY, {"suite", "s.json", "--out", "out", "--resume"}, dir.path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("[1/3] fault.ok: ok (finished earlier, kept)"), std::string::npos) << r.err;
  j = nlohmann::json::parse(read_text(dir.path() / "out" / "suite_results.json"));
  EXPECT_TRUE(j["complete"].get<bool>());
  EXPECT_EQ(j["counts"]["ok"], 3);
}

TEST(suite_cli, torchao_config_errors_come_before_anything_runs) {
  temp_dir dir;
  auto code_and_err = [&](const std::string& yaml) {
    write_text(dir.path() / "t.yaml", yaml);
    const auto r = run_isobench({"suite", "t.yaml", "--out", "out"}, dir.path());
    EXPECT_FALSE(fs::exists(dir.path() / "out" / "suite_results.json"));
    return std::make_pair(r.code, r.err);
  };
  const std::string good_model =
      "model_params:\n  - name: m\n    matrix_shapes:\n      - name: custom\n        shapes: [[1, 64, 64]]\n    "
      "high_precision_dtype: torch.float32\n    device: cpu\n    model_type: linear\n";
  auto [c1, e1] = code_and_err("quantization_config_recipe_names: [baseline, int9wo]\n" + good_model);
  EXPECT_EQ(c1, 6);
  EXPECT_NE(e1.find("unknown recipe 'int9wo'"), std::string::npos) << e1;
  auto [c2, e2] = code_and_err(
      "quantization_config_recipe_names: [baseline]\nmodel_params:\n  - name: m\n    matrix_shapes: [{name: cubes}]\n  "
      "  model_type: linear\n");
  EXPECT_EQ(c2, 6);
  EXPECT_NE(e2.find("small_sweep"), std::string::npos) << e2;
  auto [c3, e3] = code_and_err(
      "quantization_config_recipe_names: [baseline]\nmodel_params:\n  - name: m\n    matrix_shapes: [{name: llama}]\n  "
      "  model_type: conv2d\n");
  EXPECT_EQ(c3, 6);
  EXPECT_NE(e3.find("unknown model type 'conv2d'"), std::string::npos) << e3;
  auto [c4, e4] = code_and_err(
      "quantization_config_recipe_names: [baseline]\nsparsity_config_recipe_names: [dense-ish]\n" + good_model);
  EXPECT_EQ(c4, 6);
  EXPECT_NE(e4.find("unknown sparsity"), std::string::npos) << e4;
  auto [c5, e5] = code_and_err("quantization_config_recipe_names: [baseline]\nwarmup_iters: 3\n" + good_model);
  EXPECT_EQ(c5, 6);
  EXPECT_NE(e5.find("config.warmup_iters"), std::string::npos) << e5;
  auto [c6, e6] = code_and_err("quantization_config_recipe_names: [baseline\n");
  EXPECT_EQ(c6, 6);
  EXPECT_NE(e6.find("not valid YAML"), std::string::npos) << e6;
  auto [c7, e7] = code_and_err("- just\n- a list\n");
  EXPECT_EQ(c7, 6);
}

TEST(suite_cli, shipped_suites_load) {
  temp_dir dir;
  for (const char* s : {"torchao_small.yaml", "torchao_llama.yaml", "kernels.json", "benchmarks.json"}) {
    const auto r =
        run_isobench({"suite", (fs::path(ISOBENCH_CONFIGS_DIR) / "suites" / s).string(), "--list"}, dir.path());
    EXPECT_EQ(r.code, 0) << s << ": " << r.err;
    EXPECT_FALSE(r.out.empty()) << s;
  }
  const auto r = run_isobench(
      {"suite", (fs::path(ISOBENCH_CONFIGS_DIR) / "suites" / "torchao_llama.yaml").string(), "--list"}, dir.path());
  EXPECT_NE(r.out.find("llama_linear_fp32.attn.wqkv.int8wo.None"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[skipped: no 'semi-sparse' sparse kernel in this build]"), std::string::npos);
  EXPECT_NE(r.err.find("not applicable: use_torch_compile"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace isobench::testing
