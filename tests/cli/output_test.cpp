// Outputs never replace what is at their path. Every output option is run against a FIFO with a
// reader (the data must arrive, the FIFO stays), a FIFO without one (exit 9 naming it, no hang) and,
// as root, a character device made with mknod (written through, still a device). A block device is
// refused; a symlink is followed and the link kept.
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace isobench::testing {
namespace {

namespace fs = std::filesystem;

// Reads a FIFO on a thread from before the command starts until finish(): opened O_NONBLOCK at once,
// so a writer that opens it O_NONBLOCK finds a reader, and kept open across several writers.
class fifo_reader {
public:
  explicit fifo_reader(const fs::path& fifo) : m_fd(::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)) {
    if (m_fd < 0) {
      ADD_FAILURE() << fifo << ": " << std::strerror(errno);
      return;
    }
    m_thread = std::thread([this] { loop(); });
  }
  ~fifo_reader() { finish(); }
  fifo_reader(const fifo_reader&) = delete;
  fifo_reader& operator=(const fifo_reader&) = delete;

  std::string finish() {
    m_stop = true;
    if (m_thread.joinable()) m_thread.join();
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
    return m_data;
  }

private:
  void loop() {
    char buf[65536];
    while (true) {
      pollfd p{m_fd, POLLIN, 0};
      const int ready = ::poll(&p, 1, 20);
      const ssize_t n = ready > 0 ? ::read(m_fd, buf, sizeof buf) : 0;
      if (n > 0) {
        m_data.append(buf, static_cast<std::size_t>(n));
        continue;
      }
      if (m_stop) return;  // the command has ended: everything it wrote has been read
      // A writer came and went (POLLHUP, read 0): poll reports it at once, so wait a little.
      if (ready > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  int m_fd = -1;
  std::atomic<bool> m_stop{false};
  std::string m_data;
  std::thread m_thread;
};

mode_t type_of(const fs::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 ? st.st_mode & S_IFMT : 0;
}

bool is_null_device(const fs::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3);
}

bool is_root() {
  return ::geteuid() == 0;
}

// Small shapes and short timing: each run takes a fraction of a second.
constexpr const char* k_spec = R"({"name": "spin", "target": "spin", "implementation": "spin.loop", "dtype": "int64",
  "workloads": [{"name": "w", "iterations": 2000}],
  "timing": {"warmup": 1, "min_iters": 3, "min_time_s": 0.001, "max_time_s": 1}, "equivalence": {"level": "exact"}})";

constexpr int k_any_verdict = -1;

void expect_code(const cli_result& r, int code) {
  if (code == k_any_verdict) {
    EXPECT_TRUE(r.code == 0 || r.code == 7) << r.code << ": " << r.err;
  } else {
    EXPECT_EQ(r.code, code) << r.err;
  }
}

class outputs : public ::testing::Test {
protected:
  outputs() { write_text(dir() / "spin.json", k_spec); }
  const fs::path& dir() const { return m_dir.path(); }
  cli_result run(const std::vector<std::string>& args) { return run_isobench(args, dir()); }

  // Runs `args` with `target` a FIFO with a reader, a FIFO without one and (as root) /dev/null's
  // device node; `arrived` checks what the reader got. `code`: the command's exit status otherwise
  // (k_any_verdict: 0 or 7).
  void check_option(const std::vector<std::string>& args, const fs::path& target,
                    const std::function<void(const std::string&)>& arrived, int code = 0,
                    const std::function<cli_result(const std::vector<std::string>&)>& runner = {}) {
    const auto go = [&] { return runner ? runner(args) : run(args); };
    SCOPED_TRACE(fmt::format("{} -> {}", fmt::join(args, " "), target.string()));
    fs::create_directories(target.parent_path());
    fs::remove(target);  // a file an earlier call wrote
    ASSERT_EQ(::mkfifo(target.c_str(), 0644), 0) << std::strerror(errno);
    {
      fifo_reader reader(target);
      const auto r = go();
      const auto data = reader.finish();
      expect_code(r, code);
      EXPECT_EQ(type_of(target), S_IFIFO) << "the FIFO was replaced";
      arrived(data);
    }
    {
      const auto r = go();  // nobody reads: refused at once, never a hang
      EXPECT_EQ(r.code, 9) << r.err;
      EXPECT_NE(r.err.find(target.filename().string()), std::string::npos) << r.err;
      EXPECT_NE(r.err.find("no reader"), std::string::npos) << r.err;
      EXPECT_EQ(type_of(target), S_IFIFO);
    }
    fs::remove(target);
    if (!is_root()) return;  // the device-node half needs mknod (see device_tests_need_root)
    ASSERT_EQ(::mknod(target.c_str(), S_IFCHR | 0666, makedev(1, 3)), 0) << std::strerror(errno);
    const auto r = go();
    expect_code(r, code);
    EXPECT_TRUE(is_null_device(target)) << "the device node was replaced";
    fs::remove(target);
  }

  // Two result files of the spin spec, for compare and the history store.
  void make_results() {
    for (const char* tag : {"a", "b"}) {
      const auto r = run({"run", "spin.json", "-q", "--out", "res", "--impl-tag", tag});
      ASSERT_EQ(r.code, 0) << r.err;
    }
    const auto r = run({"history", "record", "res/spin_a.json", "--db", "h.sqlite"});
    ASSERT_EQ(r.code, 0) << r.err;
  }

private:
  temp_dir m_dir;
};

const auto json_arrived = [](const std::string& data) {
  EXPECT_TRUE(nlohmann::json::accept(data)) << data.substr(0, 200);
};
auto contains(const std::string& what) {
  return [what](const std::string& data) { EXPECT_NE(data.find(what), std::string::npos) << data.substr(0, 300); };
}

TEST_F(outputs, device_tests_need_root) {
  if (!is_root()) GTEST_SKIP() << "not root: mknod cannot make device nodes; only FIFOs are tested";
  SUCCEED();
}

TEST_F(outputs, run_result_junit_markdown_and_reference) {
  check_option({"run", "spin.json", "-q", "--out", "out", "--impl-tag", "t"}, dir() / "out" / "spin_t.json",
               contains("\"results\""));
  check_option({"run", "spin.json", "-q", "--out", "out", "--junit", "j.xml"}, dir() / "j.xml", contains("<testsuite"));
  check_option({"run", "spin.json", "-q", "--out", "out", "--markdown", "m.md"}, dir() / "m.md", contains("spin"));
  // A reference at a FIFO replaces nothing, so it needs no --force.
  check_option({"run", "spin.json", "-q", "--out", "out", "--reference"}, dir() / "out" / "spin_reference.safetensors",
               contains("data_offsets"));
}

TEST_F(outputs, ab_junit_and_markdown) {
  for (const char* opt : {"--junit", "--markdown"}) {
    check_option(
        {"ab", "spin.json", "--base", ISOBENCH_BINARY, "--head", ISOBENCH_BINARY, "-q", "--out", "out", opt, "v.txt"},
        dir() / "v.txt", contains("spin"));
  }
}

TEST_F(outputs, compare_json_junit_markdown) {
  make_results();
  const std::vector<std::string> base{"compare", "res/spin_a.json", "res/spin_b.json"};
  for (const char* opt : {"--json", "--junit", "--markdown"}) {
    auto args = base;
    args.insert(args.end(), {opt, "v.out"});
    // Two separate runs on a loaded machine may differ (exit 7): any verdict will do here.
    check_option(args, dir() / "v.out", contains("spin"), k_any_verdict);
  }
}

TEST_F(outputs, generate_needs_no_force_for_a_device_or_fifo) {
  const auto extraction = (fs::path(ISOBENCH_CONFIGS_DIR) / "commits" / "vllm_fused_add_rms_norm_vectorized.json");
  check_option({"generate", extraction.string(), "-q", "-o", "spec.json"}, dir() / "spec.json", contains("\"claim\""));
  check_option({"generate", extraction.string(), "-q", "-o", "spec.json", "--force"}, dir() / "spec.json",
               json_arrived);
}

TEST_F(outputs, history_export_detect_and_report) {
  make_results();
  check_option({"history", "export", "--db", "h.sqlite", "-o", "p.csv"}, dir() / "p.csv", contains("spin"));
  check_option({"history", "detect", "--db", "h.sqlite", "--json", "c.json"}, dir() / "c.json", json_arrived);
  check_option({"report", "--db", "h.sqlite", "--markdown", "r.md"}, dir() / "r.md", contains("No verdicts recorded"));
  check_option({"report", "--db", "h.sqlite", "-o", "site"}, dir() / "site" / "index.html",
               contains("no verdicts recorded"));
  if (!is_root()) return;
  // -o names a directory: a device there is refused, not replaced by one.
  ASSERT_EQ(::mknod((dir() / "dev").c_str(), S_IFCHR | 0666, makedev(1, 3)), 0) << std::strerror(errno);
  const auto r = run({"report", "--db", "h.sqlite", "-o", "dev"});
  EXPECT_EQ(r.code, 9) << r.err;
  EXPECT_TRUE(is_null_device(dir() / "dev"));
}

TEST_F(outputs, selfcheck_json) {
  check_option({"selfcheck", "--mode", "interleaved", "--effects", "0", "--comparisons", "1", "--kernel-ms", "0.1",
                "--json", "sc.json", "--work-dir", "work"},
               dir() / "sc.json", contains("\"scenarios\""));
}

TEST_F(outputs, suite_results_and_csv) {
  write_text(dir() / "s.json", R"({"name": "s", "timing": {"warmup": 1, "min_iters": 3, "min_time_s": 0.001},
    "benchmarks": [{"name": "fault.ok"}]})");
  for (const char* file : {"suite_results.json", "results.csv"}) {
    check_option(
        {"suite", "s.json", "--out", "out", "--force"}, dir() / "out" / file, contains("fault.ok"), 0,
        [this](const std::vector<std::string>& args) { return run_binary(ISOBENCH_FAULT_BINARY, args, dir()); });
  }
}

TEST_F(outputs, block_devices_and_sockets_are_refused) {
  if (!is_root()) GTEST_SKIP() << "not root: mknod cannot make a block device node";
  // loop0's numbers: never opened, so the node need not work.
  ASSERT_EQ(::mknod((dir() / "blk").c_str(), S_IFBLK | 0600, makedev(7, 0)), 0) << std::strerror(errno);
  auto r = run({"run", "spin.json", "-q", "--junit", "blk"});
  EXPECT_EQ(r.code, 9) << r.err;
  EXPECT_NE(r.err.find("blk: is a block device"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir() / "spin_child.json")) << "refused before measuring";
  const auto extraction = (fs::path(ISOBENCH_CONFIGS_DIR) / "commits" / "vllm_fused_add_rms_norm_vectorized.json");
  r = run({"generate", extraction.string(), "-q", "-o", "blk", "--force"});
  EXPECT_EQ(r.code, 9) << r.err;
  EXPECT_EQ(type_of(dir() / "blk"), S_IFBLK);
  // A socket cannot be opened as a file: refused, and left in place.
  const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(sock, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const auto sock_path = (dir() / "sock").string();
  ASSERT_LT(sock_path.size(), sizeof addr.sun_path);
  std::memcpy(addr.sun_path, sock_path.c_str(), sock_path.size() + 1);
  ASSERT_EQ(::bind(sock, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0) << std::strerror(errno);
  r = run({"generate", extraction.string(), "-q", "-o", "sock", "--force"});
  ::close(sock);
  EXPECT_EQ(r.code, 9) << r.err;
  EXPECT_NE(r.err.find("sock: is a socket"), std::string::npos) << r.err;
  EXPECT_EQ(type_of(dir() / "sock"), S_IFSOCK);
}

TEST_F(outputs, a_symlink_is_followed_and_kept) {
  const auto extraction = (fs::path(ISOBENCH_CONFIGS_DIR) / "commits" / "vllm_fused_add_rms_norm_vectorized.json");
  fs::create_directory(dir() / "real");
  write_text(dir() / "real" / "spec.json", "old");
  fs::create_symlink("real/spec.json", dir() / "link.json");
  auto r = run({"generate", extraction.string(), "-q", "-o", "link.json", "--force"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(type_of(dir() / "link.json"), S_IFLNK);
  EXPECT_TRUE(nlohmann::json::accept(read_text(dir() / "real" / "spec.json")));
  // Without --force the file behind the link is protected like any file.
  r = run({"generate", extraction.string(), "-q", "-o", "link.json"});
  EXPECT_EQ(r.code, 6) << r.err;
  // A dangling link: its target is created, the link stays.
  fs::create_symlink("real/new.json", dir() / "dangling.json");
  r = run({"run", "spin.json", "-q", "--junit", "dangling.json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(type_of(dir() / "dangling.json"), S_IFLNK);
  EXPECT_NE(read_text(dir() / "real" / "new.json").find("<testsuite"), std::string::npos);
  // A link to a FIFO is a FIFO: written through.
  ASSERT_EQ(::mkfifo((dir() / "f").c_str(), 0644), 0);
  fs::create_symlink("f", dir() / "to_fifo");
  fifo_reader reader(dir() / "f");
  r = run({"run", "spin.json", "-q", "--markdown", "to_fifo"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(reader.finish().find("spin"), std::string::npos);
  EXPECT_EQ(type_of(dir() / "f"), S_IFIFO);
}

}  // namespace
}  // namespace isobench::testing
