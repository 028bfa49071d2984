#pragma once
// Running another process (the self-check runs isobench itself, as CI would).

#include <string>
#include <vector>

namespace isobench::detail {

// Runs argv[0] with argv, stdout and stderr sent to /dev/null; returns its exit code (128 + signal
// when killed). Throws io_error when it cannot be started.
int run_process(const std::vector<std::string>& argv);

// This executable's path (/proc/self/exe), for re-running isobench.
std::string self_executable();

}  // namespace isobench::detail
