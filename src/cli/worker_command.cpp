#include <iostream>

#include "cli/command.hpp"
#include "runner/worker.hpp"

namespace isobench::detail::cli {

// Not listed in --help: the side of `isobench ab` that runs in each build (runner/worker.hpp).
command add_worker_command(CLI::App& parent, const command_context& ctx) {
  auto* sub = parent.add_subcommand("worker", "Serve an `isobench ab` driver on stdin/stdout (internal)");
  sub->group("");
  return {sub, [&ctx] { return run_worker(std::cin, ctx.out, ctx.reg); }};
}

}  // namespace isobench::detail::cli
