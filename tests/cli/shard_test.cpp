// Sharded suites on a real throwaway PostgreSQL server: shards started together with Slurm's or
// Kubernetes' environment record into one run whose merge equals the unsharded run; a shard killed
// midway and re-run leaves no duplicates; two live shards with the same index are refused.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "postgres_server.hpp"

namespace isobench::testing {
namespace {

namespace fs = std::filesystem;

// 9 quick cases, one slower (for the kill test), one skipped.
constexpr const char* k_suite = R"({
  "name": "sharded",
  "timing": {"warmup": 1, "min_iters": 3, "min_time_s": 0.01, "max_time_s": 1},
  "benchmarks": [
    {"name": "fault.ok", "workload": "a", "params": {"n": 1000}},
    {"name": "fault.ok", "workload": "b", "params": {"n": 2000}},
    {"name": "fault.ok", "workload": "c", "params": {"n": 3000}},
    {"name": "spin.loop", "workload": "slow", "params": {"duration_us": 300000},
     "timing": {"warmup": 1, "min_iters": 3, "min_time_s": 1.5, "max_time_s": 3}},
    {"name": "fault.ok", "workload": "d", "params": {"n": 4000}},
    {"name": "fault.ok", "workload": "e", "params": {"n": 5000}},
    {"name": "fault.ok", "workload": "f", "params": {"n": 6000}},
    {"name": "fault.ok", "workload": "g", "params": {"n": 7000}},
    {"name": "fault.ok", "device": "cuda", "workload": "gpu"}
  ]
})";

// Starts isobench_fault_bench with extra environment; returns its pid.
pid_t start(const fs::path& cwd, const std::vector<std::string>& env, const std::vector<std::string>& args,
            const std::string& log) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<char*> argv{const_cast<char*>(ISOBENCH_FAULT_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(ISOBENCH_FAULT_BINARY, argv.data());
    ::_exit(127);
  }
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::set<std::string> case_ids(const fs::path& results_json) {
  std::set<std::string> ids;
  const auto doc = nlohmann::json::parse(read_text(results_json));  // kept alive for the loop
  for (const auto& c : doc["cases"]) ids.insert(c["id"].get<std::string>());
  return ids;
}

class shard_cli : public ::testing::Test {
protected:
  static void SetUpTestSuite() { server = std::make_unique<throwaway_postgres>(); }
  static void TearDownTestSuite() { server.reset(); }
  void SetUp() override { ASSERT_TRUE(server->error().empty()) << server->error(); }
  static inline std::unique_ptr<throwaway_postgres> server;
};

TEST_F(shard_cli, slurm_and_kubernetes_shards_merge_into_the_unsharded_run) {
  temp_dir dir;
  const auto& d = dir.path();
  write_text(d / "s.json", k_suite);
  const auto db = server->database("shards");
  // The unsharded run, for comparison.
  auto r = run_binary(ISOBENCH_FAULT_BINARY, {"suite", "s.json", "--out", "whole"}, d);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto whole = case_ids(d / "whole" / "suite_results.json");

  // Three Slurm array tasks at once.
  std::vector<pid_t> pids;
  for (int i = 0; i < 3; ++i) {
    pids.push_back(start(d,
                         {fmt::format("SLURM_ARRAY_TASK_ID={}", i + 1), "SLURM_ARRAY_TASK_MIN=1",
                          "SLURM_ARRAY_TASK_MAX=3", "SLURM_ARRAY_JOB_ID=4242"},
                         {"suite", "s.json", "--db", db}, (d / fmt::format("slurm{}.log", i)).string()));
  }
  for (int i = 0; i < 3; ++i) EXPECT_EQ(wait_for(pids[i]), 0) << read_text(d / fmt::format("slurm{}.log", i));
  const auto shard0 = nlohmann::json::parse(read_text(d / "suite_results/sharded/shard-0-of-3/suite_results.json"));
  EXPECT_EQ(shard0["run_id"], "slurm-4242");
  EXPECT_EQ(shard0["shard"]["source"], "slurm");
  r = run_binary(ISOBENCH_FAULT_BINARY, {"suite", "merge", "slurm-4242", "--db", db, "--out", "merged"}, d);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(case_ids(d / "merged" / "suite_results.json"), whole);
  const auto merged_csv = read_text(d / "merged" / "results.csv");
  const auto whole_csv = read_text(d / "whole" / "results.csv");
  EXPECT_EQ(std::count(merged_csv.begin(), merged_csv.end(), '\n'),
            std::count(whole_csv.begin(), whole_csv.end(), '\n'));

  // Two Kubernetes indexed-job pods.
  pids.clear();
  for (int i = 0; i < 2; ++i) {
    pids.push_back(start(d,
                         {fmt::format("JOB_COMPLETION_INDEX={}", i), "ISOBENCH_SHARD_COUNT=2", "ISOBENCH_RUN_ID=k8s-1"},
                         {"suite", "s.json", "--db", db}, (d / fmt::format("k8s{}.log", i)).string()));
  }
  for (int i = 0; i < 2; ++i) EXPECT_EQ(wait_for(pids[i]), 0) << read_text(d / fmt::format("k8s{}.log", i));
  r = run_binary(ISOBENCH_FAULT_BINARY, {"suite", "merge", "k8s-1", "--db", db, "--out", "merged-k8s"}, d);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(case_ids(d / "merged-k8s" / "suite_results.json"), whole);
  // A run with a missing shard says so.
  r = run_binary(ISOBENCH_FAULT_BINARY, {"suite", "s.json", "--db", db, "--shard", "0/4", "--run-id", "partial"}, d);
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_binary(ISOBENCH_FAULT_BINARY, {"suite", "merge", "partial", "--db", db, "--out", "merged-partial"}, d);
  EXPECT_EQ(r.code, 7);
  EXPECT_NE(r.err.find("missing ("), std::string::npos) << r.err;
}

TEST_F(shard_cli, a_killed_shard_is_rerun_without_duplicates_and_same_index_twice_is_refused) {
  temp_dir dir;
  const auto& d = dir.path();
  write_text(d / "s.json", k_suite);
  const auto db = server->database("retries");
  const std::vector<std::string> args{"suite", "s.json", "--db", db, "--shard", "0/1", "--run-id", "r1"};
  // Kill the shard while its slow case runs (its case process dies with it).
  const pid_t first = start(d, {}, args, (d / "first.log").string());
  const auto slow_log = d / "suite_results" / "sharded" / "shard-0-of-1" / "cases" / "spin.loop.log";
  for (int i = 0; i < 600 && !fs::exists(slow_log); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(fs::exists(slow_log)) << read_text(d / "first.log");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // Meanwhile a second process given the same index is refused.
  auto dup = run_binary(ISOBENCH_FAULT_BINARY, args, d);
  EXPECT_EQ(dup.code, 6) << dup.err;
  EXPECT_NE(dup.err.find("two shards were given the same index"), std::string::npos) << dup.err;
  ::kill(first, SIGKILL);
  wait_for(first);

  // The scheduler's retry: finishes the rest, keeps what the first attempt recorded.
  auto r = run_binary(ISOBENCH_FAULT_BINARY, args, d);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("attempt 2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(finished earlier, kept)"), std::string::npos) << r.err;
  r = run_binary(ISOBENCH_FAULT_BINARY, {"suite", "merge", "r1", "--db", db, "--out", "merged"}, d);
  EXPECT_EQ(r.code, 0) << r.err;
  const auto merged = nlohmann::json::parse(read_text(d / "merged" / "suite_results.json"));
  EXPECT_EQ(merged["cases"].size(), 9u);
  EXPECT_TRUE(merged["missing"].empty());
  EXPECT_FALSE(merged["retried"].empty());  // the cases the second attempt ran
  // History points: one per result, none twice (the digest), whatever the retries.
  r = run_binary(ISOBENCH_FAULT_BINARY, {"history", "show", "--db", db}, d);
  ASSERT_EQ(r.code, 0) << r.err;
  std::size_t series = 0, points = 0;
  for (std::size_t p = r.out.find(" points"); p != std::string::npos; p = r.out.find(" points", p + 1)) {
    const auto line_start = r.out.rfind('\n', p) + 1;
    const auto num_start = r.out.rfind(' ', p - 1) + 1;
    points += std::stoul(r.out.substr(num_start, p - num_start));
    ++series;
    (void)line_start;
  }
  EXPECT_EQ(points, series) << r.out;  // each series one point: no duplicates
}

}  // namespace
}  // namespace isobench::testing
