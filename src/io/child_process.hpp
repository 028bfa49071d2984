#pragma once
// One child process run to its end under limits, for suites: a wall-time limit (the whole process
// group is killed past it), an address-space limit (malloc fails in the child, which then exits 4
// rather than taking the machine down), its peak resident memory (wait4's ru_maxrss), and Ctrl-C:
// SIGINT and SIGTERM are blocked in the caller while a child runs and are seen by sigtimedwait,
// so the parent sleeps until the child ends, the limit passes or the user interrupts - it never
// polls, and never wakes while the child measures.

#include <csignal>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace isobench::detail {

struct child_limits {
  double timeout_s = 600.0;
  std::optional<std::size_t> address_space_bytes;  // RLIMIT_AS; none for CUDA (its driver maps huge ranges)
  // Past the limit or at Ctrl-C: SIGTERM to the group first and SIGKILL this much later (a build
  // tool such as ninja then stops the compilers it runs in process groups of their own); 0: SIGKILL.
  double term_grace_s = 0.0;
};

enum class child_end { exited, signaled, timed_out, interrupted };

struct child_outcome {
  child_end end = child_end::exited;
  int exit_code = 0;  // exited
  int signal = 0;     // signaled
  std::size_t max_rss_bytes = 0;
  double wall_s = 0.0;
};

// Blocks SIGINT and SIGTERM for its lifetime (restoring the previous mask after), so an interrupt
// between children is kept pending until interrupted() looks. Their dispositions are set to the
// default meanwhile: a shell starts background jobs with SIGINT ignored, and an ignored signal is
// discarded even while blocked.
class interrupt_guard {
public:
  interrupt_guard();
  ~interrupt_guard();
  interrupt_guard(const interrupt_guard&) = delete;
  interrupt_guard& operator=(const interrupt_guard&) = delete;
  // Consumes a pending SIGINT/SIGTERM, if any.
  bool interrupted();

private:
  sigset_t m_old;
  struct sigaction m_old_int {};
  struct sigaction m_old_term {};
};

// Thrown by callers of run_child that stop at Ctrl-C (git and build steps); their commands exit 130.
class interrupted_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// What a child gets beyond its arguments (git and build steps of `continuous`, `backfill`, `bisect`).
struct child_setup {
  std::vector<std::string> extra_env;  // "NAME=value", replacing those names in this process's environment
  std::filesystem::path working_dir;   // empty: this process's
  std::filesystem::path stderr_log;    // empty: stderr goes to `log` with stdout
};

// Runs argv with stdout and stderr appended to `log`, in its own process group. argv[0] is a path,
// or a name looked up on $PATH (find_program). Must be called with an interrupt_guard alive.
// Throws io_error when it cannot start (a name not on $PATH included).
child_outcome run_child(const std::vector<std::string>& argv, const std::filesystem::path& log,
                        const child_limits& limits, const child_setup& setup = {});

// `name` when it holds a '/', else the first executable file of that name in $PATH; empty if none.
std::string find_program(const std::string& name);

// The last `max_bytes` of a file ("" when unreadable), for a failure's reason.
std::string file_tail(const std::filesystem::path& file, std::size_t max_bytes = 2000);

}  // namespace isobench::detail
