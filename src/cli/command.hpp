#pragma once
// One subcommand per file: each adds itself to the CLI11 app and returns what to run when parsed.

#include <functional>
#include <ostream>

#include <CLI/CLI.hpp>

#include "isobench/registry.hpp"

namespace isobench::cli {

struct command_context {
  std::ostream& out;
  std::ostream& err;
  const registry& reg;
};

struct command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

command add_run_command(CLI::App& parent, const command_context& ctx);
command add_list_command(CLI::App& parent, const command_context& ctx);
command add_env_command(CLI::App& parent, const command_context& ctx);

}  // namespace isobench::cli
