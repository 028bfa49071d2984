#pragma once
// A short command whose standard output is the answer (git plumbing, `--version` probes): run
// through run_child under a time limit, stdout and stderr kept apart in scratch files.

#include <cstddef>
#include <string>
#include <vector>

#include "io/child_process.hpp"

namespace isobench::detail {

struct captured_run {
  child_outcome outcome;
  std::string out;       // standard output
  std::string err_tail;  // the end of standard error
  [[nodiscard]] bool ok() const { return outcome.end == child_end::exited && outcome.exit_code == 0; }
};

// "exited with code 3", "killed by signal 9 (Killed)", "timed out after 120 s".
std::string describe_end(const child_outcome& o, double timeout_s);

// Runs argv to its end (see run_child). Throws interrupted_error at Ctrl-C, io_error when it cannot
// start or its output exceeds max_out_bytes.
captured_run run_captured(const std::vector<std::string>& argv, const child_setup& setup, double timeout_s,
                          std::size_t max_out_bytes = std::size_t{64} << 20);

}  // namespace isobench::detail
