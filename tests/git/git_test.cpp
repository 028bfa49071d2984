// Judging commits from git on the synthetic repository (synthetic_repo.hpp): continuous, a commit
// that does not build, the build cache, backfill, bisect (a regression, a hang) and generate --git.
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <string_view>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "git/extraction.hpp"
#include "isobench/error.hpp"
#include "synthetic_repo.hpp"

namespace isobench::testing {
namespace {

namespace fs = std::filesystem;

class git_commits : public ::testing::Test {
protected:
  void SetUp() override {
    m_repo = synthetic_repo::load();
    ASSERT_EQ(m_repo.commits.size(), synthetic_repo::hang + 1);
  }
  const std::string& c(std::size_t i) const { return m_repo.commits.at(i); }
  static std::string short12(const std::string& sha) { return sha.substr(0, 12); }
  // isobench with the repository, its cache and this test's output directory.
  cli_result run(std::vector<std::string> args) {
    args.insert(args.end(), {"--repo", m_repo.repo.string(), "--cache-dir", m_repo.cache.string()});
    return run_isobench(args, m_out.path());
  }
  nlohmann::json read_json(const std::string& file) const {
    return nlohmann::json::parse(read_text(m_out.path() / file));
  }
  // The build directories of a commit in the cache (one per recipe and compiler).
  std::vector<fs::path> builds_of(const std::string& sha) const {
    std::vector<fs::path> out;
    for (const auto& repo_dir : fs::directory_iterator(m_repo.cache)) {
      for (const auto& e : fs::directory_iterator(repo_dir.path())) {
        if (e.path().filename().string().starts_with(sha + "-")) out.push_back(e.path());
      }
    }
    return out;
  }
  fs::file_time_type log_time(const std::string& sha) const {
    const auto dirs = builds_of(sha);
    return dirs.size() == 1 ? fs::last_write_time(dirs.front() / "build.log") : fs::file_time_type{};
  }
  const fs::path& out() const { return m_out.path(); }

  synthetic_repo m_repo;
  temp_dir m_out;
};

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST_F(git_commits, continuous_judges_a_faster_commit_faster_and_a_second_run_builds_nothing) {
  const auto base = c(24), head = c(synthetic_repo::fast);  // n x 3 steps, then n x 1
  auto r = run({"continuous", base, head, m_repo.spec.string(), "--gate"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = read_json("synth_ab.json");
  ASSERT_EQ(j["verdicts"].size(), 1u);
  EXPECT_EQ(j["verdicts"][0]["verdict"], "IMPROVED") << j["verdicts"][0].dump();
  EXPECT_GT(j["verdicts"][0]["speedup"].get<double>(), 2.0);
  EXPECT_LT(j["verdicts"][0]["speedup"].get<double>(), 4.5);
  // Each build is its own commit's, built from its own worktree.
  EXPECT_EQ(j["builds"][0]["user_revision"], base);
  EXPECT_EQ(j["builds"][1]["user_revision"], head);
  EXPECT_EQ(j["commit_hash"], head);
  ASSERT_EQ(builds_of(base).size(), 1u);
  ASSERT_EQ(builds_of(head).size(), 1u);
  const auto base_log = log_time(base), head_log = log_time(head);

  // Again: nothing is built, the logs are untouched.
  r = run({"continuous", base, head, m_repo.spec.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(count(r.err, ": built before (cache: "), 2u) << r.err;
  EXPECT_EQ(r.err.find("building "), std::string::npos) << r.err;
  EXPECT_EQ(log_time(base), base_log);
  EXPECT_EQ(log_time(head), head_log);
  EXPECT_EQ(read_json("synth_ab.json")["verdicts"][0]["verdict"], "IMPROVED");
}

TEST_F(git_commits, continuous_gate_fails_on_a_slower_commit) {
  // Only the head named: the base is its parent.
  const auto r = run({"continuous", c(synthetic_repo::regression), m_repo.spec.string(), "--gate", "-q"});
  EXPECT_EQ(r.code, 7) << r.err;
  const auto v = read_json("synth_ab.json")["verdicts"][0];
  EXPECT_EQ(v["verdict"], "REGRESSED") << v.dump();
  EXPECT_LT(v["speedup"].is_number() ? v["speedup"].get<double>() : 1.0, 0.5);  // null for an ERROR verdict
  const auto j = read_json("synth_ab.json");
  EXPECT_EQ(j["builds"][0]["user_revision"], c(synthetic_repo::regression - 1));
  EXPECT_EQ(j["builds"][1]["user_revision"], c(synthetic_repo::regression));
}

TEST_F(git_commits, a_commit_that_does_not_build_is_an_error_verdict_with_its_log) {
  const auto broken = c(synthetic_repo::broken);
  auto r = run({"continuous", c(0), broken, m_repo.spec.string(), "--gate"});
  EXPECT_EQ(r.code, 7) << r.err;  // ERROR fails the gate, as in ab
  auto v = read_json("synth_ab.json")["verdicts"][0];
  EXPECT_EQ(v["verdict"], "ERROR");
  const auto reason = v["reason"].get<std::string>();
  EXPECT_NE(reason.find(fmt::format("head build of {} failed", short12(broken))), std::string::npos) << reason;
  EXPECT_NE(reason.find("build.log"), std::string::npos) << reason;
  EXPECT_NE(reason.find("this commit does not build"), std::string::npos) << reason;  // the compiler's words
  ASSERT_EQ(builds_of(broken).size(), 1u);
  const auto dir = builds_of(broken).front();
  EXPECT_NE(read_text(dir / "build.log").find("#error this commit does not build"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(read_text(dir / "build.json"))["status"], "failed");
  const auto logged = log_time(broken);

  // Without --gate an ERROR verdict exits 0, as in ab; the failure comes from the cache.
  r = run({"continuous", c(0), broken, m_repo.spec.string()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find(fmt::format("head {}: does not build, as before (cache: ", short12(broken))), std::string::npos)
      << r.err;
  EXPECT_EQ(log_time(broken), logged);
  EXPECT_EQ(read_json("synth_ab.json")["verdicts"][0]["verdict"], "ERROR");
}

TEST_F(git_commits, backfill_records_each_commit_once_and_finds_the_change) {
  const auto db = (out() / "history.sqlite").string();
  const std::string range = fmt::format("{}..{}", c(synthetic_repo::broken), c(24));
  auto r = run({"backfill", range, m_repo.spec.string(), "--db", db, "--alpha", "0.05"});
  ASSERT_EQ(r.code, 0) << r.err;
  // c17..c20 at n steps, c21..c24 at 3n: the change is at c21, c20 the last good.
  EXPECT_NE(r.err.find("[8/8]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ETA"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("8 runs recorded 8 new points"), std::string::npos) << r.err;
  // A new regression that persists (as `history detect` prints it).
  const std::regex found(
      fmt::format("REGRESSION synth/w/synth.loop@.* new: \\+[0-9.]+% .* at {} \\(last good {}\\), persists",
                  short12(c(synthetic_repo::regression)), short12(c(synthetic_repo::regression - 1))));
  EXPECT_TRUE(std::regex_search(r.out, found)) << r.out << r.err;

  // Resumable: everything is recorded already, so nothing runs or is built.
  r = run({"backfill", range, m_repo.spec.string(), "--db", db, "--alpha", "0.05"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(count(r.err, "already recorded"), 9u) << r.err;  // 8 lines and the summary
  EXPECT_NE(r.err.find("0 runs recorded 0 new points, 8 already recorded"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("building"), std::string::npos) << r.err;
  const auto shown = run_isobench({"history", "show", "--db", db}, out());
  EXPECT_NE(shown.out.find(fmt::format("8 points  {} .. {}", short12(c(17)), short12(c(24)))), std::string::npos)
      << shown.out;
}

TEST_F(git_commits, bisect_finds_the_planted_regression_in_at_most_6_probes_past_a_broken_commit) {
  const auto r = run({"bisect", c(0), c(32), m_repo.spec.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(fmt::format("first bad commit: {}", c(synthetic_repo::regression))), std::string::npos)
      << r.out << r.err;
  EXPECT_NE(r.out.find("synth: longer chain (3x the steps)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("w: REGRESSED 0."), std::string::npos) << r.out;  // its verdict and CI
  EXPECT_NE(r.out.find(fmt::format("last good commit: {}", c(synthetic_repo::regression - 1))), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m,
                                std::regex("probes: ([0-9]+) two-build verdicts over 32 commits; ([0-9]+) "
                                           "skipped")))
      << r.out;
  EXPECT_LE(std::stoi(m[1]), 6);
  EXPECT_EQ(m[2], "1");  // the middle commit does not build: its neighbour is probed instead
  EXPECT_NE(r.err.find(fmt::format("{}: does not build", short12(c(synthetic_repo::broken)))), std::string::npos)
      << r.err;
}

TEST_F(git_commits, bisect_counts_a_hang_as_slow) {
  // Short, so the hang costs little; a sanitizer build's worker may need more than 1 s to say hello.
  const bool sanitized = std::string_view(ISOBENCH_TEST_CXX_FLAGS).find("-fsanitize") != std::string_view::npos;
  const auto r = run({"bisect", c(synthetic_repo::fast), c(synthetic_repo::hang), m_repo.spec.string(),
                      "--worker-timeout", sanitized ? "10" : "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(fmt::format("first bad commit: {}", c(synthetic_repo::hang))), std::string::npos)
      << r.out << r.err;
  EXPECT_NE(r.err.find("timed out (counts as slow)"), std::string::npos) << r.err;
}

TEST_F(git_commits, generate_reads_the_commit_from_git) {
  const auto r = run_isobench({"generate", "--git", m_repo.repo.string(), c(1), "-o", "spec.json"}, out());
  ASSERT_EQ(r.code, 0) << r.err;
  const auto spec = read_json("spec.json");
  EXPECT_EQ(spec["commit"]["hash"], c(1));
  EXPECT_EQ(spec["commit"]["parent"], c(0));
  EXPECT_EQ(spec["commit"]["message"], "softmax: one online pass for max and sum, 1.5x faster");
  EXPECT_EQ(spec["claim"]["speedup"], 1.5);
  EXPECT_EQ(spec["target"], "softmax") << r.err;
  EXPECT_EQ(spec["_generated"]["format"], "git");
  EXPECT_EQ(spec["_generated"]["input"], fmt::format("{}@{}", m_repo.repo.string(), short12(c(1))));
}

TEST_F(git_commits, the_extraction_holds_message_files_diffs_and_functions) {
  const detail::git::repository repo(m_repo.repo);
  auto e = detail::git::extract_commit(repo, c(1));
  EXPECT_EQ(e.hash, c(1));
  EXPECT_EQ(e.parent, c(0));
  EXPECT_EQ(e.subject, "softmax: one online pass for max and sum, 1.5x faster");
  EXPECT_EQ(e.message, "The max and the sum of exponentials now come from a single pass over each row.");
  EXPECT_EQ(e.author, "Synthetic Author <author@example.com>");
  EXPECT_TRUE(e.date.starts_with("2024-01-01T01:00:00")) << e.date;
  ASSERT_EQ(e.files.size(), 1u);
  EXPECT_EQ(e.files[0].path, "kernels/cpu/softmax.cpp");
  EXPECT_EQ(e.files[0].change_type, "modified");
  EXPECT_NE(e.files[0].diff.find("+      sum = sum * std::exp(mx - m2)"), std::string::npos) << e.files[0].diff;
  EXPECT_EQ(e.functions, std::vector<std::string>{"softmax_rows"});
  e = detail::git::extract_commit(repo, c(synthetic_repo::regression));
  EXPECT_EQ(e.functions, std::vector<std::string>{"spin"});
  EXPECT_EQ(e.files.at(0).path, "kernel.cpp");
  e = detail::git::extract_commit(repo, c(0));  // the root commit: its whole tree, added
  ASSERT_EQ(e.files.size(), 4u);
  for (const auto& f : e.files) EXPECT_EQ(f.change_type, "added") << f.path;
  EXPECT_TRUE(e.parent.empty());
  EXPECT_EQ(repo.resolve("main~1"), c(synthetic_repo::fast));
  EXPECT_EQ(repo.list(fmt::format("{}..{}", c(7), c(30))).size(), 23u);
  EXPECT_THROW((void)repo.resolve("no-such-branch"), isobench::config_error);
}

}  // namespace
}  // namespace isobench::testing
