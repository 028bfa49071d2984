#pragma once
// `isobench ab`: one spec, two builds (the base commit's and the head commit's benchmark
// executables), judged in one interleaved run. Each build runs as a worker process (runner/
// worker.hpp, speaking runner/worker_protocol.hpp); the driver schedules their rounds exactly as
// in-process pairs are scheduled (timing::run_rounds: A B | B A ..., equal samples, same stopping
// rules), one worker running at a time. The run session (runner/session.hpp) opens and closes the
// run as for `run`: the head's outputs are compared with the base's (and the reference with
// --eqcheck) and judged the same way. A crash, hang or error of either build is an ERROR verdict
// with its reason, never a crash or hang of the driver.

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "runner/plan.hpp"
#include "runner/session.hpp"

namespace isobench::detail {

struct two_build_options {
  run_options run;  // spec, out dir, prefix, impl tag, eqcheck, reference dir, workloads, quiet, gate
  std::filesystem::path base_executable, head_executable;
  std::string implementation;  // empty: the spec's implementation, or its candidate
  bool allow_env_mismatch = false;
  double worker_timeout_s = 0.0;  // extra seconds a worker may take beyond its expected time (0: 60)
};

run_outcome run_two_builds(const two_build_options& o, const std::vector<report_target>& reporters, std::ostream& err);

// The implementation both builds run: the one asked for, the spec's only one, or its candidate.
std::string chosen_implementation(const spec& s, const std::string& asked);

// The driver knows the spec, not the builds' kernels: its plan has the workloads (names,
// parameters, seeds) and a device; each worker binds the parameters to its own registration.
plan driver_plan(const spec& s, const std::vector<std::string>& only);

}  // namespace isobench::detail
