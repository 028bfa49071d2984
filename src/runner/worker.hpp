#pragma once
// `isobench worker`: one build's side of `isobench ab`. It serves the driver's messages (runner/
// worker_protocol.hpp: hello, setup, rounds, outputs, quit) on stdin/stdout, running one
// implementation of one workload in this process, and exits on "quit", end of input or an error.

#include <iosfwd>

#include "isobench/registry.hpp"

namespace isobench::detail {

// Serves one driver until "quit", end of input or an error; returns the process exit code.
int run_worker(std::istream& in, std::ostream& out, const registry& reg);

}  // namespace isobench::detail
