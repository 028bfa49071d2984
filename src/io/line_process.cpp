#include "io/line_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "io/child_process.hpp"
#include "io/scratch.hpp"
#include "isobench/error.hpp"

extern char** environ;

namespace isobench::detail {

namespace {

// Why argv[0] cannot be executed, in words a user can act on.
std::string exec_failure(const std::string& exe, int err) {
  std::string why = std::strerror(err);
  if (err == ENOEXEC) why = "not an executable this machine can run (not a binary, no #! line)";
  if (err == ENOENT || err == EACCES) {
    // execv says ENOENT for a missing #! interpreter: name it.
    std::string head(256, '\0');
    const int fd = ::open(exe.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd >= 0) {
      const ssize_t n = ::read(fd, head.data(), head.size());
      ::close(fd);
      head.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
      if (head.starts_with("#!")) {
        why = fmt::format("its interpreter '{}' cannot be run ({})", head.substr(2, head.find_first_of("\n ", 3) - 2),
                          std::strerror(err));
      }
    }
  }
  return fmt::format("cannot start {}: {}", exe, why);
}

}  // namespace

line_process::line_process(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env) {
  const int err_fd = make_scratch_file("isobench-worker", m_err_file);
  int to_child[2], from_child[2], exec_status[2];
  if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0 ||
      ::pipe2(exec_status, O_CLOEXEC) != 0) {
    ::close(err_fd);
    throw io_error(fmt::format("cannot create pipes: {}", std::strerror(errno)));
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> env;
  for (char** e = environ; *e != nullptr; ++e) env.push_back(*e);
  for (const auto& e : extra_env) env.push_back(const_cast<char*>(e.c_str()));
  env.push_back(nullptr);
  const pid_t parent = ::getpid();
  m_pid = ::fork();
  if (m_pid < 0) throw io_error(fmt::format("cannot start {}: {}", argv.at(0), std::strerror(errno)));
  if (m_pid == 0) {  // the child: only async-signal-safe calls until exec
    // Its own process group, killed as a whole (with whatever it starts), and dead with the driver
    // even when the driver is killed with SIGKILL.
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(to_child[0], 0);
    ::dup2(from_child[1], 1);
    ::dup2(err_fd, 2);
    ::execve(args[0], args.data(), env.data());
    const int err = errno;  // exec failed: tell the parent why through the close-on-exec pipe
    (void)!::write(exec_status[1], &err, sizeof err);
    ::_exit(127);
  }
  ::setpgid(m_pid, m_pid);  // also from here, so the group exists before we may kill it
  ::close(err_fd);
  ::close(to_child[0]);
  ::close(from_child[1]);
  ::close(exec_status[1]);
  m_in = to_child[1];
  m_out = from_child[0];
  int err = 0;
  ssize_t n = 0;
  while ((n = ::read(exec_status[0], &err, sizeof err)) < 0 && errno == EINTR) {
  }
  ::close(exec_status[0]);
  if (n == static_cast<ssize_t>(sizeof err)) {
    kill();
    throw config_error(exec_failure(argv.at(0), err));  // the program given cannot run here
  }
}

line_process::~line_process() {
  kill();
  if (m_in >= 0) ::close(m_in);
  if (m_out >= 0) ::close(m_out);
  if (!m_err_file.empty()) ::unlink(m_err_file.c_str());
}

bool line_process::send(std::string_view line) {
  std::string data(line);
  data += '\n';
  std::string_view rest = data;
  while (!rest.empty()) {
    // MSG_NOSIGNAL is for sockets; a pipe raises SIGPIPE when the child is gone, so block it here.
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    const ssize_t n = ::write(m_in, rest.data(), rest.size());
    const int err = errno;
    if (n < 0 && err == EPIPE) {
      // Consume the pending SIGPIPE before unblocking it.
      const timespec zero{0, 0};
      sigtimedwait(&block, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (n < 0) {
      if (err == EINTR) continue;
      return false;
    }
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::optional<std::string> line_process::receive(double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (true) {
    if (const auto nl = m_buffer.find('\n'); nl != std::string::npos) {
      std::string line = m_buffer.substr(0, nl);
      m_buffer.erase(0, nl + 1);
      return line;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw io_error(fmt::format("gave no answer within {:g} s (hung?)", timeout_s));
    pollfd p{m_out, POLLIN, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (rc < 0 && errno != EINTR) throw io_error(fmt::format("poll failed: {}", std::strerror(errno)));
    if (rc <= 0) continue;
    char chunk[65536];
    const ssize_t n = ::read(m_out, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw io_error(fmt::format("read failed: {}", std::strerror(errno)));
    }
    if (n == 0) return std::nullopt;
    m_buffer.append(chunk, static_cast<std::size_t>(n));
    if (m_buffer.size() > k_max_line) {
      throw io_error(fmt::format("wrote a line longer than {} MiB (not the worker protocol)", k_max_line >> 20));
    }
  }
}

std::string line_process::status() {
  if (!m_wait_status && m_pid > 0) reap(false);
  if (!m_wait_status) return "running";
  const int st = *m_wait_status;
  if (WIFEXITED(st)) return fmt::format("exited with code {}", WEXITSTATUS(st));
  if (m_killed && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) {
    return fmt::format("was still running; stopped by isobench ({})", m_kill_reason);
  }
  if (WIFSIGNALED(st)) return fmt::format("killed by signal {} ({})", WTERMSIG(st), ::strsignal(WTERMSIG(st)));
  return "stopped";
}

std::string line_process::stderr_tail(std::size_t max_bytes) const {
  // Only the tail is read (a child may have written gigabytes), through the same bounded,
  // non-blocking read as suite case logs.
  std::string text = file_tail(m_err_file, max_bytes);
  std::error_code ec;
  if (std::filesystem::file_size(m_err_file, ec) > max_bytes && !ec) text = "..." + text;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

bool line_process::reap(bool block) {
  // Peek first (WNOWAIT): while the child is an unreaped zombie its process group id cannot be
  // reused, so killing the group reaches only what it started.
  siginfo_t info{};
  while (::waitid(P_PID, static_cast<id_t>(m_pid), &info, WEXITED | WNOWAIT | (block ? 0 : WNOHANG)) != 0) {
    if (errno != EINTR) return false;
  }
  if (info.si_pid != m_pid) return false;
  ::kill(-m_pid, SIGKILL);
  int st = 0;
  while (::waitpid(m_pid, &st, 0) < 0 && errno == EINTR) {
  }
  m_wait_status = st;
  return true;
}

void line_process::kill(double grace_s, std::string_view reason) {
  if (m_pid <= 0 || m_wait_status) return;
  // A child that closed its output is usually exiting: give it the grace to say how.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(grace_s);
  while (!reap(false)) {
    if (std::chrono::steady_clock::now() >= deadline) {
      m_killed = true;
      m_kill_reason = std::string(reason);
      ::kill(-m_pid, SIGKILL);
      ::kill(m_pid, SIGKILL);
      reap(true);
      return;
    }
    ::usleep(10'000);
  }
}

}  // namespace isobench::detail
