#pragma once
// What `continuous` and `bisect` report when a commit does not build: the outcome `ab` gives for a
// build that fails, without running anything. Every workload of the spec is an ERROR verdict whose
// reason names the build that failed and ends with its build log; the result file and reporters
// are ab's, and so is the exit code (7 with --gate).

#include <ostream>
#include <string>
#include <vector>

#include "runner/run.hpp"
#include "runner/ab.hpp"

namespace isobench::detail {

// `reason`: "base build of 1a2b3c4d5e6f failed: the build step (cmake) exited with code 1 (log: ...)".
run_outcome failed_build_outcome(const two_build_options& o, const std::string& reason,
                                 const std::vector<report_target>& reporters, std::ostream& err);

}  // namespace isobench::detail
