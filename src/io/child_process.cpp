#include "io/child_process.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "isobench/error.hpp"

extern char** environ;

namespace isobench::detail {

namespace {

sigset_t interrupt_signals() {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGINT);
  sigaddset(&s, SIGTERM);
  return s;
}

}  // namespace

interrupt_guard::interrupt_guard() {
  const auto s = interrupt_signals();
  sigprocmask(SIG_BLOCK, &s, &m_old);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(SIGINT, &dfl, &m_old_int);
  sigaction(SIGTERM, &dfl, &m_old_term);
}

interrupt_guard::~interrupt_guard() {
  // Drop an interrupt we already acted on rather than let it kill us on unblocking.
  (void)interrupted();
  sigaction(SIGINT, &m_old_int, nullptr);
  sigaction(SIGTERM, &m_old_term, nullptr);
  sigprocmask(SIG_SETMASK, &m_old, nullptr);
}

bool interrupt_guard::interrupted() {
  const auto s = interrupt_signals();
  const timespec zero{0, 0};
  bool any = false;
  while (sigtimedwait(&s, nullptr, &zero) > 0) any = true;
  return any;
}

namespace {

// A log opened for the child's output: -1 when it cannot be.
int open_log(const std::filesystem::path& log) {
  // O_NONBLOCK: a FIFO without a reader at the log's path fails (ENXIO) instead of hanging.
  int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0644);
  if (log_fd >= 0) {
    const int flags = ::fcntl(log_fd, F_GETFL);
    if (flags < 0 || ::fcntl(log_fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
      ::close(log_fd);
      log_fd = -1;
    }
  }
  return log_fd;
}

// This process's environment with `extra` ("NAME=value") replacing the same names; built before
// fork, since the child may only make async-signal-safe calls.
std::vector<std::string> child_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  auto overridden = [&](std::string_view entry) {
    const auto eq = entry.find('=');
    return std::any_of(extra.begin(), extra.end(),
                       [&](const std::string& e) { return e.compare(0, e.find('='), entry.substr(0, eq)) == 0; });
  };
  for (char** e = environ; *e != nullptr; ++e) {
    if (!overridden(*e)) env.emplace_back(*e);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

// The child after fork: its own process group, dying with its parent, stdout into `log_fd` and
// stderr into `err_fd`, in the setup's working directory, limited; only async-signal-safe calls
// until exec.
[[noreturn]] void exec_child(const std::string& program, char* const* args, char* const* envp, int log_fd, int err_fd,
                             const child_limits& limits, const child_setup& setup) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a runner killed by its scheduler takes its case with it
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
  ::dup2(log_fd, STDOUT_FILENO);
  ::dup2(err_fd, STDERR_FILENO);
  if (!setup.working_dir.empty() && ::chdir(setup.working_dir.c_str()) != 0) ::_exit(127);
  const int devnull = ::open("/dev/null", O_RDONLY);
  if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
  if (limits.address_space_bytes) {
    const rlimit lim{*limits.address_space_bytes, *limits.address_space_bytes};
    ::setrlimit(RLIMIT_AS, &lim);
  }
  ::execve(program.c_str(), args, envp);
  ::_exit(127);
}

// Collects the child's status once it has ended (false while it runs, with WNOHANG).
bool reap(pid_t pid, int options, child_outcome& out) {
  int status = 0;
  rusage ru{};
  const pid_t r = ::wait4(pid, &status, options, &ru);
  if (r != pid) return false;
  out.max_rss_bytes = static_cast<std::size_t>(ru.ru_maxrss) * 1024;  // Linux reports KiB
  if (WIFEXITED(status)) {
    out.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    if (out.end == child_end::exited) out.end = child_end::signaled;
    out.signal = WTERMSIG(status);
  }
  return true;
}

// Kills the child's process group: SIGTERM, up to grace_s for the child to exit, then SIGKILL to
// whatever is left of the group; reaps the child.
void stop_group(pid_t pid, double grace_s, child_outcome& out) {
  if (grace_s > 0.0) {
    ::kill(-pid, SIGTERM);
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(grace_s);
    while (!reap(pid, WNOHANG, out) && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ::kill(-pid, SIGKILL);
  reap(pid, 0, out);
}

// Waits for the child until it ends, its deadline passes or we are interrupted (then its process
// group is stopped); wait_set must be blocked.
void wait_child(pid_t pid, const sigset_t& wait_set, std::chrono::steady_clock::time_point start,
                const child_limits& limits, child_outcome& out) {
  const auto deadline = start + std::chrono::duration<double>(limits.timeout_s);
  for (;;) {
    if (reap(pid, WNOHANG, out)) return;
    const auto left = std::chrono::duration<double>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0.0) {
      out.end = child_end::timed_out;
      stop_group(pid, limits.term_grace_s, out);
      return;
    }
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(left);
    ts.tv_nsec = static_cast<long>((left - std::floor(left)) * 1e9);
    const int sig = ::sigtimedwait(&wait_set, nullptr, &ts);
    if (sig == SIGINT || sig == SIGTERM) {
      out.end = child_end::interrupted;
      stop_group(pid, limits.term_grace_s, out);
      return;
    }
    // SIGCHLD, a timeout or EINTR: loop to reap or to check the deadline.
  }
}

}  // namespace

std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!name.empty()) {
    const auto colon = dirs.find(':');
    const auto dir = dirs.substr(0, colon);
    const auto candidate = (dir.empty() ? std::filesystem::path(".") : std::filesystem::path(dir)) / name;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate.string();
    }
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return {};
}

child_outcome run_child(const std::vector<std::string>& argv, const std::filesystem::path& log,
                        const child_limits& limits, const child_setup& setup) {
  if (argv.empty()) throw io_error("run_child: empty command");
  const std::string program = find_program(argv[0]);
  if (program.empty()) throw io_error(fmt::format("cannot start {}: not found on $PATH", argv[0]));
  std::vector<std::string> env_strings = child_environment(setup.extra_env);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  sigset_t wait_set = interrupt_signals();
  sigaddset(&wait_set, SIGCHLD);
  sigset_t before;
  sigprocmask(SIG_BLOCK, &wait_set, &before);  // SIGCHLD too, from before the fork

  const int log_fd = open_log(log);
  const int err_fd = setup.stderr_log.empty() ? log_fd : open_log(setup.stderr_log);
  if (log_fd < 0 || err_fd < 0) {
    const int saved = errno;
    if (log_fd >= 0) ::close(log_fd);
    if (err_fd >= 0 && err_fd != log_fd) ::close(err_fd);
    sigprocmask(SIG_SETMASK, &before, nullptr);
    throw io_error(fmt::format("{}: cannot open the log: {}", (log_fd < 0 ? log : setup.stderr_log).string(),
                               std::strerror(saved)));
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int saved = errno;
    ::close(log_fd);
    if (err_fd != log_fd) ::close(err_fd);
    sigprocmask(SIG_SETMASK, &before, nullptr);
    throw io_error(fmt::format("cannot start {}: {}", argv[0], std::strerror(saved)));
  }
  if (pid == 0) exec_child(program, args.data(), envp.data(), log_fd, err_fd, limits, setup);
  ::setpgid(pid, pid);  // also here: no race with the child's own call
  ::close(log_fd);
  if (err_fd != log_fd) ::close(err_fd);

  child_outcome out;
  wait_child(pid, wait_set, start, limits, out);
  out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Keep SIGINT/SIGTERM blocked if the caller had them blocked (interrupt_guard); drop our SIGCHLD block.
  sigprocmask(SIG_SETMASK, &before, nullptr);
  return out;
}

std::string file_tail(const std::filesystem::path& file, std::size_t max_bytes) {
  // Like every read: only a regular file, and never waiting on a FIFO put in its place.
  const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return {};
  std::string s;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    const auto size = static_cast<std::size_t>(st.st_size);
    const auto from = size > max_bytes ? size - max_bytes : 0;
    s.resize(size - from);
    const ssize_t n = ::pread(fd, s.data(), s.size(), static_cast<off_t>(from));
    s.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  }
  ::close(fd);
  return s;
}

}  // namespace isobench::detail
