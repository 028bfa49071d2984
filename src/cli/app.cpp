#include "cli/app.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/command.hpp"
#include "env/build_info.hpp"
#include "history/sql.hpp"
#include "io/json_document.hpp"
#include "isobench/error.hpp"

namespace isobench::detail::cli {

int run_app(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"isobench: per-commit kernel benchmarks with equivalence checks"};
  app.name("isobench");
  app.require_subcommand(1);
  app.set_version_flag("--version", fmt::format("isobench {} ({})", build::version, build::git_revision));
  app.footer(
      "Exit codes: 0 ok, 1 target not resolved, 2 capability unsupported, 3 optimized path not triggered,\n"
      "4 memory insufficient, 5 equivalence failed, 6 invalid config or usage, 7 gate failed,\n"
      "8 reference error, 9 I/O error, 10 internal error; 130 interrupted (suite, continuous, backfill, bisect).");

  // Any argument that is a PostgreSQL URL or connection string may hold a password: register it
  // before anything can echo it (error messages are scrubbed in main).
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) arg = arg.substr(eq + 1);
    if (history::is_postgres(arg)) history::register_connection_secrets(arg);
  }
  if (const char* env_db = std::getenv("ISOBENCH_DB"); env_db != nullptr && history::is_postgres(env_db)) {
    history::register_connection_secrets(env_db);
  }
  registry::global().validate();
  const command_context ctx{out, err, registry::global()};
  const command commands[] = {
      add_run_command(app, ctx),      add_compare_command(app, ctx),   add_list_command(app, ctx),
      add_env_command(app, ctx),      add_selfcheck_command(app, ctx), add_ab_command(app, ctx),
      add_generate_command(app, ctx), add_suite_command(app, ctx),     add_history_command(app, ctx),
      add_report_command(app, ctx),   add_worker_command(app, ctx),    add_continuous_command(app, ctx),
      add_backfill_command(app, ctx), add_bisect_command(app, ctx)};

  // CLI11 reports an unknown first word as "a subcommand is required"; name it instead.
  if (argc > 1 && argv[1][0] != '-') {
    const std::string word = argv[1];
    std::vector<std::string> names;
    for (const auto* c : app.get_subcommands({})) names.push_back(c->get_name());
    if (std::find(names.begin(), names.end(), word) == names.end()) {
      const std::string shown = !is_valid_utf8(word) ? "(invalid UTF-8)"
                                : word.size() > 40   ? word.substr(0, 37) + "..."
                                                     : word;
      throw config_error(
          fmt::format("unknown command '{}' (commands: {}; see isobench --help)", shown, fmt::join(names, ", ")));
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    throw config_error(fmt::format("{} (see isobench --help)", e.what()));
  }
  for (const auto& c : commands) {
    if (c.app->parsed()) return c.run();
  }
  return static_cast<int>(exit_code::invalid_config);  // unreachable: require_subcommand(1)
}

}  // namespace isobench::detail::cli
