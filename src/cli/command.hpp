#pragma once
// One subcommand per file: each adds itself to the CLI11 app and returns what to run when parsed.

#include <functional>
#include <ostream>

#include <CLI/CLI.hpp>

#include "isobench/registry.hpp"
#include "report/verdict_reporter.hpp"

namespace isobench::detail::cli {

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
command add_compare_command(CLI::App& parent, const command_context& ctx);
command add_selfcheck_command(CLI::App& parent, const command_context& ctx);
command add_ab_command(CLI::App& parent, const command_context& ctx);
command add_worker_command(CLI::App& parent, const command_context& ctx);
command add_generate_command(CLI::App& parent, const command_context& ctx);
command add_suite_command(CLI::App& parent, const command_context& ctx);
command add_history_command(CLI::App& parent, const command_context& ctx);
command add_report_command(CLI::App& parent, const command_context& ctx);
command add_continuous_command(CLI::App& parent, const command_context& ctx);
command add_backfill_command(CLI::App& parent, const command_context& ctx);
command add_bisect_command(CLI::App& parent, const command_context& ctx);

void write_verdict_outputs(const verdict_report& r, const std::string& json_file, const std::string& junit_file,
                           const std::string& markdown_file);

}  // namespace isobench::detail::cli
