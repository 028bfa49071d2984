// `isobench bisect GOOD BAD SPEC`: the first commit slower than GOOD, each probe a two-build
// verdict (commits/bisect.hpp).
#include <memory>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/commit_options.hpp"
#include "cli/validators.hpp"
#include "commits/bisect.hpp"

namespace isobench::detail::cli {

command add_bisect_command(CLI::App& parent, const command_context& ctx) {
  auto* sub = parent.add_subcommand(
      "bisect", "Find the first commit slower than GOOD up to BAD, each probe judged by a two-build run");
  auto rq = std::make_shared<bisect_request>();
  rq->ab.run.impl_tag = "bisect";
  auto b = std::make_shared<commit_build_options>();
  auto x = std::make_shared<judge_extras>();
  auto threshold_pct = std::make_shared<double>(-1.0);
  sub->add_option("good", rq->good, "A commit without the regression")->required();
  sub->add_option("bad", rq->bad, "A later commit with it")->required();
  sub->add_option("spec", rq->ab.run.spec_file, "Spec file (JSON)")->required();
  sub->add_option("--threshold", *threshold_pct,
                  "A probe is bad when significantly slower than GOOD by more than this, percent (default: the "
                  "spec's noise threshold)")
      ->check(finite_range(0.0, 1000.0));
  add_commit_build_options(sub, *b);
  add_judge_options(sub, rq->ab, *x, false);
  return {sub, [&ctx, rq, b, x, threshold_pct] {
            return exit_130_on_interrupt(
                [&] {
                  if (*threshold_pct >= 0.0) rq->threshold = *threshold_pct / 100.0;
                  commit_workspace ws(*b, rq->ab.run.quiet ? nullptr : &ctx.err);
                  (void)prepare_judging(rq->ab, *x, ctx.out, ctx.err);  // a probe's report is bisect's own line
                  rq->cpus = judging_cpus(x->pin_cpu, rq->ab.run.quiet, ctx.err);
                  const auto r = run_bisect(ws.builds, *rq, ctx.err);
                  print_bisect_summary(r, ws.repo, ctx.out);
                  return 0;
                },
                ctx.err);
          }};
}

}  // namespace isobench::detail::cli
