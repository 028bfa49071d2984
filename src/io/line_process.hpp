#pragma once
// A child process spoken to in lines on its stdin and stdout (the workers of `isobench ab`), in a
// process group of its own that dies with it and with the driver (PR_SET_PDEATHSIG). Its stderr
// goes to a scratch file under $TMPDIR, whose tail explains a failure. Reads wait at most a given time,
// so a hung child is seen as such; the destructor kills and reaps a child still running.

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace isobench::detail {

class line_process {
public:
  // Starts argv[0] with argv and this process's environment plus `extra_env` ("NAME=value"
  // entries); throws io_error when it cannot.
  explicit line_process(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env = {});
  ~line_process();
  line_process(const line_process&) = delete;
  line_process& operator=(const line_process&) = delete;

  // Writes one line (a newline is added); false when the child no longer reads (it exited).
  bool send(std::string_view line);
  // The next line; nullopt at end of output (the child exited or crashed). Throws
  // io_error after timeout_s without a complete line.
  std::optional<std::string> receive(double timeout_s);
  // "exited with code 3", "killed by signal 11 (Segmentation fault)", or "running".
  std::string status();
  // The last max_bytes of what the child wrote to stderr.
  std::string stderr_tail(std::size_t max_bytes = 1500) const;
  // Kills the child and everything in its process group, after up to grace_s for it to exit on
  // its own; `reason` is what status() then says isobench stopped it for.
  void kill(double grace_s = 0.0, std::string_view reason = "killed");

  static constexpr std::size_t k_max_line = std::size_t{256} << 20;

private:
  bool reap(bool block);  // true once the child has exited (and its group was killed)
  pid_t m_pid = -1;
  int m_in = -1;   // the child's stdin
  int m_out = -1;  // the child's stdout
  std::string m_err_file;
  std::string m_buffer;
  std::optional<int> m_wait_status;
  bool m_killed = false;
  std::string m_kill_reason;
};

}  // namespace isobench::detail
