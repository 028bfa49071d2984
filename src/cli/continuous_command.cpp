// `isobench continuous [BASE] [HEAD] SPEC...`: two commits built with the repository's recipe and
// judged as `ab` judges two builds (commits/continuous.hpp).
#include <memory>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/commit_options.hpp"
#include "commits/continuous.hpp"

namespace isobench::detail::cli {

command add_continuous_command(CLI::App& parent, const command_context& ctx) {
  auto* sub = parent.add_subcommand(
      "continuous", "Build two commits with the repository's recipe and judge them as ab does ([BASE] [HEAD] SPEC...)");
  auto o = std::make_shared<two_build_options>();
  o->run.impl_tag = "ab";
  auto b = std::make_shared<commit_build_options>();
  auto x = std::make_shared<judge_extras>();
  auto args = std::make_shared<std::vector<std::string>>();
  sub->add_option("args", *args,
                  "[BASE] [HEAD] SPEC...: revisions (default: HEAD's first parent and HEAD), then spec files")
      ->required();
  add_commit_build_options(sub, *b);
  add_judge_options(sub, *o, *x);
  return {sub, [&ctx, o, b, x, args] {
            return exit_130_on_interrupt(
                [&] {
                  const auto a = split_revisions(*args);
                  commit_workspace ws(*b, o->run.quiet ? nullptr : &ctx.err);
                  const auto reporters = prepare_judging(*o, *x, ctx.out, ctx.err);
                  const auto cpus = judging_cpus(x->pin_cpu, o->run.quiet, ctx.err);
                  const auto r = run_continuous(ws.builds, a, *o, cpus, reporters, ctx.err);
                  verdict_report all{
                      fmt::format("isobench continuous {}..{}", git::short_sha(r.base), git::short_sha(r.head)),
                      r.judgements.front().outcome.report.policy,
                      {},
                      {}};
                  for (const auto& j : r.judgements) {
                    const auto& v = j.outcome.report.verdicts;
                    all.verdicts.insert(all.verdicts.end(), v.begin(), v.end());
                  }
                  write_verdict_outputs(all, "", x->junit, x->markdown);
                  if (r.code != exit_code::ok) {
                    ctx.err << fmt::format("isobench: {} (exit {})\n", to_string(r.code), static_cast<int>(r.code));
                  }
                  return static_cast<int>(r.code);
                },
                ctx.err);
          }};
}

}  // namespace isobench::detail::cli
