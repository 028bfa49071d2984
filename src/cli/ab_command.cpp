#include <memory>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/commit_options.hpp"
#include "cli/validators.hpp"
#include "env/affinity.hpp"
#include "report/reporter.hpp"
#include "report/verdict_reporter.hpp"
#include "runner/ab.hpp"

namespace isobench::detail::cli {

command add_ab_command(CLI::App& parent, const command_context& ctx) {
  auto* sub = parent.add_subcommand(
      "ab", "Judge two builds (base and head benchmark executables) on one spec in one interleaved run");
  auto o = std::make_shared<two_build_options>();
  o->run.impl_tag = "ab";
  auto x = std::make_shared<judge_extras>();
  sub->add_option("spec", o->run.spec_file, "Spec file (JSON)")->required();
  sub->add_option("--base", o->base_executable, "The base (parent) commit's benchmark executable")->required();
  sub->add_option("--head", o->head_executable, "The head (child) commit's benchmark executable")->required();
  sub->add_option("--commit-hash", o->run.commit_hash, "Commit judged (default: the spec's commit.hash)")
      ->check(json_text(256));
  add_judge_options(sub, *o, *x);

  return {sub, [&ctx, o, x] {
            if (const auto cpus = judging_cpus(x->pin_cpu, o->run.quiet, ctx.err); !cpus.empty()) pin_to_cpus(cpus);
            const auto reporters = prepare_judging(*o, *x, ctx.out, ctx.err);
            const auto outcome = run_two_builds(*o, reporters, ctx.err);
            const auto& rep = outcome.report;
            write_verdict_outputs(verdict_report{fmt::format("isobench ab {}: {} vs {}", rep.spec_name,
                                                             o->base_executable.string(), o->head_executable.string()),
                                                 rep.policy,
                                                 rep.verdicts,
                                                 {}},
                                  "", x->junit, x->markdown);
            if (outcome.code != exit_code::ok) {
              ctx.err << fmt::format("isobench: {} (exit {})\n", to_string(outcome.code),
                                     static_cast<int>(outcome.code));
            }
            return static_cast<int>(outcome.code);
          }};
}

}  // namespace isobench::detail::cli
