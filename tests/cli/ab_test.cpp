// `isobench ab`: two builds judged in one interleaved run, and what happens when one misbehaves.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace isobench::testing {
namespace {

namespace fs = std::filesystem;

std::string spin_spec(const std::string& scale) {
  return fmt::format(R"({{"name": "ab", "target": "spin", "implementation": "spin.scaled", "dtype": "int64",
  "workloads": [{{"name": "w1", "iterations": 20000, "scale": {}}}, {{"name": "w2", "iterations": 8000, "scale": {}}}],
  "timing": {{"warmup": 1, "min_iters": 5, "min_time_s": 0.05, "max_time_s": 3}},
  "equivalence": {{"level": "exact"}}}})",
                     scale, scale);
}

class ab : public ::testing::Test {
protected:
  ab() {
    write_text(dir() / "s.json", spin_spec("1.0"));
    write_text(dir() / "slow.json", spin_spec("1.3"));
  }
  fs::path script(const std::string& name, const std::string& body) {
    const auto p = dir() / name;
    write_text(p, "#!/bin/sh\n" + body);
    ::chmod(p.c_str(), 0755);
    return p;
  }
  // A build that answers "hello" like a worker, then does `then` on "setup".
  fs::path fake_build(const std::string& name, const std::string& then) {
    return script(name, fmt::format(R"(while read line; do
  case "$line" in
    *hello*) echo '{{"isobench_worker": 1, "ok": true, "identity": {{}}}}' ;;
    *quit*) echo '{{"isobench_worker": 1, "ok": true}}'; exit 0 ;;
    *) {} ;;
  esac
done
)",
                                    then));
  }
  cli_result run(const std::vector<std::string>& args) { return run_isobench(args, dir()); }
  const fs::path& dir() const { return m_dir.path(); }
  nlohmann::json result() const { return nlohmann::json::parse(read_text(dir() / "ab_ab.json")); }

private:
  temp_dir m_dir;
};

TEST_F(ab, one_build_against_itself_is_unchanged_and_both_are_recorded) {
  const auto r = run({"ab", "s.json", "--base", ISOBENCH_BINARY, "--head", ISOBENCH_BINARY, "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = result();
  ASSERT_EQ(j["builds"].size(), 2u);
  EXPECT_EQ(j["builds"][0]["role"], "base");
  EXPECT_EQ(j["builds"][1]["executable"], ISOBENCH_BINARY);
  ASSERT_EQ(j["verdicts"].size(), 2u);
  for (const auto& v : j["verdicts"]) {
    EXPECT_NE(v["verdict"], "ERROR") << v.dump();
    EXPECT_NE(v["verdict"], "REGRESSED") << v.dump();
    EXPECT_EQ(v["candidate_eq_level"], "exact");
    EXPECT_EQ(v["launches"].get<int>(), v["base_units"].get<int>());
    EXPECT_TRUE(v["layout_sensitivity_pct"].is_number());
    // min_launches, as in-process, unless a loaded machine ran out of max_time_s first (the limit wins)
    EXPECT_GE(v["base_units"].get<int>(), 2) << v.dump();
    if (v["stop_reason"] != "max_time") {
      EXPECT_GE(v["base_units"].get<int>(), 3) << v.dump();
    }
  }
  ASSERT_EQ(j["results"].size(), 4u);
  EXPECT_EQ(j["results"][1]["implementation"], "spin.scaled@head");
  EXPECT_EQ(j["results"][1]["round_medians_ms"].size(), j["results"][0]["round_medians_ms"].size());
}

TEST_F(ab, a_slower_build_is_found_slower) {
  // The head "build" does 30% more work: the same binary, its worker fed the slower spec.
  const auto slow =
      script("slow.sh", fmt::format("sed -u 's#/s.json#/slow.json#' | exec {} worker\n", ISOBENCH_BINARY));
  const auto r = run({"ab", "s.json", "--base", ISOBENCH_BINARY, "--head", slow.string(), "-q", "--gate"});
  EXPECT_EQ(r.code, 7) << r.err;  // REGRESSED fails the gate
  const auto j = result();
  for (const auto& v : j["verdicts"]) {
    EXPECT_EQ(v["verdict"], "REGRESSED") << v.dump();
    EXPECT_NEAR(v["speedup"].get<double>(), 1.0 / 1.3, 0.06);
  }
}

TEST_F(ab, a_crashing_or_hanging_build_is_an_error_verdict_not_a_crash) {
  const auto crash = fake_build("crash.sh", R"(echo "about to crash" >&2; kill -SEGV $$)");
  auto r = run(
      {"ab", "s.json", "--base", ISOBENCH_BINARY, "--head", crash.string(), "--allow-env-mismatch", "--gate", "-q"});
  EXPECT_EQ(r.code, 7) << r.err;
  auto j = result();
  ASSERT_EQ(j["verdicts"].size(), 2u);
  EXPECT_EQ(j["verdicts"][0]["verdict"], "ERROR");
  const auto reason = j["verdicts"][0]["reason"].get<std::string>();
  EXPECT_NE(reason.find("killed by signal 11"), std::string::npos) << reason;
  EXPECT_NE(reason.find("about to crash"), std::string::npos) << reason;

  const auto hang = fake_build("hang.sh", "exec sleep 100");
  const auto start = std::chrono::steady_clock::now();
  r = run({"ab", "s.json", "--base", ISOBENCH_BINARY, "--head", hang.string(), "--allow-env-mismatch",
           "--worker-timeout", "3", "--workload", "w2", "-q"});
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.code, 0) << r.err;  // an ERROR verdict fails only a gate
  EXPECT_LT(took.count(), 60.0);  // not the hang's 100 s; 3 s lets the base answer on a busy machine
  j = result();
  EXPECT_EQ(j["verdicts"][0]["verdict"], "ERROR");
  EXPECT_NE(j["verdicts"][0]["reason"].get<std::string>().find("gave no answer"), std::string::npos);
}

TEST_F(ab, builds_that_cannot_serve_are_refused_before_measuring) {
  const auto v2 = script("v2.sh", R"(read line; echo '{"isobench_worker": 2, "ok": true}')"
                                  "\n");
  auto r = run({"ab", "s.json", "--base", ISOBENCH_BINARY, "--head", v2.string()});
  EXPECT_EQ(r.code, 6) << r.err;
  EXPECT_NE(r.err.find("speaks worker protocol 2, this driver 1"), std::string::npos) << r.err;
  r = run({"ab", "s.json", "--base", ISOBENCH_BINARY, "--head", "/bin/true"});
  EXPECT_EQ(r.code, 6) << r.err;
  EXPECT_NE(r.err.find("cannot use /bin/true as the head build"), std::string::npos) << r.err;
  // Another machine's (or build type's) fingerprint is refused unless allowed.
  const auto other = fake_build("other.sh", "exit 1");
  r = run({"ab", "s.json", "--base", ISOBENCH_BINARY, "--head", other.string()});
  EXPECT_EQ(r.code, 6) << r.err;
  EXPECT_NE(r.err.find("different environments"), std::string::npos) << r.err;
  r = run({"ab", "s.json", "--base", ISOBENCH_BINARY, "--head", (dir() / "missing").string()});
  EXPECT_EQ(r.code, 6) << r.err;
  EXPECT_FALSE(fs::exists(dir() / "ab_ab.json"));
}

TEST_F(ab, eqcheck_uses_the_reference_recorded_on_the_base) {
  auto r = run({"run", "s.json", "--reference", "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = run({"ab", "s.json", "--base", ISOBENCH_BINARY, "--head", ISOBENCH_BINARY, "--eqcheck", "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = result();
  for (const auto& c : j["results"]) EXPECT_EQ(c["eq"]["against"], "reference");
}

// The processes whose parent is `pid`, from /proc.
std::vector<pid_t> children_of(pid_t pid) {
  std::vector<pid_t> out;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const auto name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(e.path() / "stat");
    std::string stat;
    std::getline(in, stat);
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 2));
    char state = 0;
    long ppid = 0;
    rest >> state >> ppid;
    if (ppid == pid && state != 'Z') out.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return out;
}

bool gone_within(pid_t pid, double seconds) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (::kill(pid, 0) != 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::vector<std::string> scratch_entries(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const auto n = e.path().filename().string();
    if (n.starts_with("isobench-ab-") || n.starts_with("isobench-worker-")) out.push_back(n);
  }
  return out;
}

TEST_F(ab, workers_die_with_a_killed_driver_and_its_scratch_is_removed_next_time) {
  const auto tmp = dir() / "tmp";
  fs::create_directories(tmp);
  const auto hang = fake_build("hang.sh", "exec sleep 120");
  const pid_t driver = ::fork();
  ASSERT_GE(driver, 0);
  if (driver == 0) {
    ::setenv("TMPDIR", tmp.c_str(), 1);
    ::chdir(dir().c_str());
    ::execl(ISOBENCH_BINARY, ISOBENCH_BINARY, "ab", "s.json", "--base", ISOBENCH_BINARY, "--head", hang.c_str(),
            "--allow-env-mismatch", "--worker-timeout", "100", "-q", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Both workers running and the scratch directory made: the head hangs in 'setup'.
  std::vector<pid_t> workers;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < until) {
    workers = children_of(driver);
    const auto entries = scratch_entries(tmp);
    const bool have_dir =
        std::any_of(entries.begin(), entries.end(), [](const auto& n) { return n.starts_with("isobench-ab-"); });
    if (workers.size() == 2 && have_dir) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(workers.size(), 2u);
  ::kill(driver, SIGKILL);
  int st = 0;
  ::waitpid(driver, &st, 0);
  for (const auto w : workers) EXPECT_TRUE(gone_within(w, 10.0)) << "worker " << w << " outlived the driver";
  EXPECT_FALSE(scratch_entries(tmp).empty()) << "scratch goes under TMPDIR";
  // The next run removes the dead driver's scratch (and its own).
  const pid_t next = ::fork();
  ASSERT_GE(next, 0);
  if (next == 0) {
    ::setenv("TMPDIR", tmp.c_str(), 1);
    ::chdir(dir().c_str());
    ::execl(ISOBENCH_BINARY, ISOBENCH_BINARY, "ab", "s.json", "--base", ISOBENCH_BINARY, "--head", ISOBENCH_BINARY,
            "--workload", "w2", "-q", "--out", "again", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::waitpid(next, &st, 0);
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
  EXPECT_TRUE(scratch_entries(tmp).empty()) << scratch_entries(tmp).front();
}

TEST_F(ab, messages_say_what_is_wrong_with_a_build) {
  auto r = run({"ab", "s.json", "--base", "", "--head", ISOBENCH_BINARY});
  EXPECT_EQ(r.code, 6) << r.err;
  EXPECT_NE(r.err.find("--base: empty"), std::string::npos) << r.err;
  const auto interp = script("interp.sh", "");
  write_text(interp, "#!/no/such/shell\n");
  r = run({"ab", "s.json", "--base", ISOBENCH_BINARY, "--head", interp.string()});
  EXPECT_EQ(r.code, 6) << r.err;
  EXPECT_NE(r.err.find("interpreter '/no/such/shell'"), std::string::npos) << r.err;
  write_text(dir() / "data.bin", "just some text, not a program\n");
  ::chmod((dir() / "data.bin").c_str(), 0755);
  r = run({"ab", "s.json", "--base", ISOBENCH_BINARY, "--head", (dir() / "data.bin").string()});
  EXPECT_EQ(r.code, 6) << r.err;
  EXPECT_EQ(r.err.find("code 127"), std::string::npos) << r.err;
  // Closing its output and exiting is the build's own doing, not a signal of ours.
  const auto closes = fake_build("closes.sh", "exec 1>&-; sleep 0.2; exit 0");
  r = run({"ab", "s.json", "--base", ISOBENCH_BINARY, "--head", closes.string(), "--allow-env-mismatch", "--workload",
           "w2", "-q"});
  auto reason = result()["verdicts"][0]["reason"].get<std::string>();
  EXPECT_NE(reason.find("exited with code 0"), std::string::npos) << reason;
  EXPECT_EQ(reason.find("signal 9"), std::string::npos) << reason;
  // A build that answers 'outputs' but writes them elsewhere: not "reference not found".
  const auto elsewhere =
      script("elsewhere.sh",
             fmt::format("sed -u 's#_head.safetensors#_elsewhere.safetensors#' | exec {} worker\n", ISOBENCH_BINARY));
  r = run({"ab", "s.json", "--base", ISOBENCH_BINARY, "--head", elsewhere.string(), "--workload", "w2", "-q"});
  reason = result()["verdicts"][0]["reason"].get<std::string>();
  EXPECT_NE(reason.find("wrote no outputs file"), std::string::npos) << reason;
  EXPECT_EQ(reason.find("reference"), std::string::npos) << reason;
  r = run({"ab", "s.json", "--base", ISOBENCH_BINARY, "--head", ISOBENCH_BINARY, "--pin-cpu", "1000"});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("may run on CPUs"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace isobench::testing
