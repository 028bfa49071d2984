// line_process: a worker's own children die with it, a program that cannot start says why, a
// child that closes its output is not reported as killed by a signal, and scratch goes under
// TMPDIR, where a dead run's leftovers are removed by the next.
#include "io/line_process.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "io/scratch.hpp"
#include "isobench/error.hpp"

namespace isobench::detail {
namespace {

namespace fs = std::filesystem;

struct temp_dir {
  fs::path path = fs::temp_directory_path() / fmt::format("isobench_lp_{}_{}", ::getpid(), counter++);
  temp_dir() { fs::create_directories(path); }
  ~temp_dir() { fs::remove_all(path); }
  static inline int counter = 0;
};

fs::path script(const fs::path& dir, const std::string& name, const std::string& body) {
  const auto p = dir / name;
  std::ofstream(p) << body;
  fs::permissions(p, fs::perms::owner_all);
  return p;
}

bool alive(pid_t pid) {
  return ::kill(pid, 0) == 0;
}

// Waits (bounded) for a process to disappear: SIGKILL is delivered asynchronously.
bool gone_within(pid_t pid, double seconds) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (!alive(pid)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return !alive(pid);
}

TEST(line_process, a_killed_workers_own_children_die_with_it) {
  temp_dir t;
  // The worker starts a grandchild (reparented to init when the worker dies) and reports its pid.
  const auto exe = script(t.path, "w.sh", "#!/bin/sh\nsleep 300 &\necho $!\nexec sleep 300\n");
  pid_t grandchild = 0;
  {
    line_process p({exe.string()});
    const auto line = p.receive(30.0);
    ASSERT_TRUE(line.has_value());
    grandchild = static_cast<pid_t>(std::stol(*line));
    ASSERT_TRUE(alive(grandchild));
    p.kill();
    EXPECT_NE(p.status().find("stopped by isobench"), std::string::npos) << p.status();
  }
  EXPECT_TRUE(gone_within(grandchild, 10.0)) << "grandchild " << grandchild << " outlived its worker";
}

TEST(line_process, a_program_that_cannot_start_says_why) {
  temp_dir t;
  const auto bad_interpreter = script(t.path, "a.sh", "#!/nonexistent/interpreter\necho hi\n");
  try {
    line_process p({bad_interpreter.string()});
    FAIL() << "started";
  } catch (const config_error& e) {
    EXPECT_NE(std::string(e.what()).find("interpreter '/nonexistent/interpreter'"), std::string::npos) << e.what();
  }
  const auto not_binary = script(t.path, "b.bin", std::string("\x7f\x45\x4c\x46garbage", 11));
  try {
    line_process p({not_binary.string()});
    FAIL() << "started";
  } catch (const config_error& e) {
    EXPECT_NE(std::string(e.what()).find("not an executable this machine can run"), std::string::npos) << e.what();
  }
}

TEST(line_process, a_child_that_closes_its_output_and_exits_is_not_reported_as_killed) {
  temp_dir t;
  const auto exe = script(t.path, "c.sh", "#!/bin/sh\nexec 1>&-\nsleep 0.2\nexit 3\n");
  line_process p({exe.string()});
  EXPECT_FALSE(p.receive(30.0).has_value());
  p.kill(10.0, "it closed its output");
  EXPECT_EQ(p.status(), "exited with code 3");
}

TEST(scratch, goes_under_tmpdir_and_a_dead_runs_leftovers_are_removed) {
  temp_dir t;
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  ::setenv("TMPDIR", t.path.c_str(), 1);
  // A leftover of a process that no longer exists (pid_max is below 2^22 on Linux).
  fs::create_directories(t.path / "isobench-ab-4194303-abcdef");
  fs::create_directories(t.path / "isobench-ab-1-keep");  // init is alive: not a leftover
  const auto dir = make_scratch_dir("isobench-ab");
  EXPECT_EQ(dir.parent_path(), t.path);
  EXPECT_FALSE(fs::exists(t.path / "isobench-ab-4194303-abcdef"));
  EXPECT_TRUE(fs::exists(t.path / "isobench-ab-1-keep"));
  {
    const auto exe = script(t.path, "e.sh", "#!/bin/sh\necho err >&2\necho ok\n");
    line_process p({exe.string()});
    EXPECT_EQ(p.receive(30.0).value_or(""), "ok");
    bool found = false;
    for (const auto& e : fs::directory_iterator(t.path))
      found = found || e.path().filename().string().starts_with("isobench-worker-");
    EXPECT_TRUE(found) << "the worker's stderr file is under TMPDIR";
  }
  if (old) {
    ::setenv("TMPDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
}

}  // namespace
}  // namespace isobench::detail
