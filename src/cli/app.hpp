#pragma once
// The isobench command line: parses argv and runs one subcommand. main() only adds the mapping
// from exceptions to exit codes.

#include <ostream>

namespace isobench::detail::cli {

// Returns the process exit code; throws isobench::error for failures that carry their own code.
int run_app(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace isobench::detail::cli
