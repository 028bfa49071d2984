#include "cli/app.hpp"

#include <fmt/format.h>

#include "cli/command.hpp"
#include "env/build_info.hpp"
#include "isobench/error.hpp"

namespace isobench::cli {

int run_app(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"isobench: per-commit kernel benchmarks with equivalence checks"};
  app.name("isobench");
  app.require_subcommand(1);
  app.set_version_flag("--version", fmt::format("isobench {} ({})", build::version, build::git_revision));
  app.footer(
      "Exit codes: 0 ok, 1 target not resolved, 2 capability unsupported, 3 optimized path not triggered,\n"
      "4 memory insufficient, 5 equivalence failed, 6 invalid config or usage, 7 gate failed,\n"
      "8 reference error, 9 I/O error, 10 internal error.");

  registry::global().validate();
  const command_context ctx{out, err, registry::global()};
  const command commands[] = {add_run_command(app, ctx), add_compare_command(app, ctx), add_list_command(app, ctx),
                              add_env_command(app, ctx), add_selfcheck_command(app, ctx)};

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

}  // namespace isobench::cli
