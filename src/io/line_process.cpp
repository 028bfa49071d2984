#include "io/line_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "isobench/error.hpp"

extern char** environ;

namespace isobench {

line_process::line_process(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env) {
  std::string err_template = "/tmp/isobench-worker-XXXXXX";
  const int err_fd = ::mkstemp(err_template.data());
  if (err_fd < 0) throw io_error(fmt::format("cannot create a temporary file: {}", std::strerror(errno)));
  m_err_file = err_template;
  int to_child[2], from_child[2];
  if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) {
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
  m_pid = ::fork();
  if (m_pid < 0) throw io_error(fmt::format("cannot start {}: {}", argv.at(0), std::strerror(errno)));
  if (m_pid == 0) {  // the child: only async-signal-safe calls until exec
    ::dup2(to_child[0], 0);
    ::dup2(from_child[1], 1);
    ::dup2(err_fd, 2);
    ::execve(args[0], args.data(), env.data());
    ::_exit(127);
  }
  ::close(err_fd);
  ::close(to_child[0]);
  ::close(from_child[1]);
  m_in = to_child[1];
  m_out = from_child[0];
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
    if (left.count() <= 0) throw io_error(fmt::format("no answer within {:g} s", timeout_s));
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
    if (m_buffer.size() > (std::size_t{256} << 20)) throw io_error("a line longer than 256 MiB");
  }
}

std::string line_process::status() {
  if (!m_wait_status && m_pid > 0) {
    int st = 0;
    const pid_t r = ::waitpid(m_pid, &st, WNOHANG);
    if (r == m_pid) m_wait_status = st;
  }
  if (!m_wait_status) return "running";
  const int st = *m_wait_status;
  if (WIFEXITED(st)) return fmt::format("exited with code {}", WEXITSTATUS(st));
  if (WIFSIGNALED(st)) return fmt::format("killed by signal {} ({})", WTERMSIG(st), ::strsignal(WTERMSIG(st)));
  return "stopped";
}

std::string line_process::stderr_tail(std::size_t max_bytes) const {
  std::ifstream in(m_err_file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  if (text.size() > max_bytes) text = "..." + text.substr(text.size() - max_bytes);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

void line_process::kill() {
  if (m_pid <= 0 || m_wait_status) return;
  int st = 0;
  if (::waitpid(m_pid, &st, WNOHANG) == m_pid) {
    m_wait_status = st;
    return;
  }
  ::kill(m_pid, SIGKILL);
  while (::waitpid(m_pid, &st, 0) < 0 && errno == EINTR) {
  }
  m_wait_status = st;
}

}  // namespace isobench
