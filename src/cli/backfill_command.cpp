// `isobench backfill RANGE SPEC... --db DB`: every commit of a range built, run and recorded into
// the history store, then change detection over the series (commits/backfill.hpp).
#include <memory>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/commit_options.hpp"
#include "cli/validators.hpp"
#include "commits/backfill.hpp"
#include "history/detect_report.hpp"
#include "io/atomic_file.hpp"

namespace isobench::detail::cli {

command add_backfill_command(CLI::App& parent, const command_context& ctx) {
  auto* sub = parent.add_subcommand(
      "backfill", "Build, run and record every commit of a range into the history store, then detect changes");
  auto o = std::make_shared<backfill_options>();
  auto b = std::make_shared<commit_build_options>();
  struct extras {
    std::vector<std::string> args;
    std::string out, json_file;
    double threshold_pct = 1.0;
  };
  auto x = std::make_shared<extras>();
  o->db = "history.sqlite";
  sub->add_option("args", x->args, "RANGE SPEC...: commits (\"v1.0..main\", or one revision for its whole history)")
      ->required()
      ->expected(2, -1);
  sub->add_option("--db", o->db, "SQLite file or postgresql:// URL")->capture_default_str()->check(json_text(4096));
  sub->add_option("--steps", o->steps, "Every Nth commit of the range (the newest always)")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  sub->add_option("--since", o->since, "Only commits after this date (git's --since: 2024-01-31, \"3 weeks ago\")");
  sub->add_option("--out", x->out, "Keep each run's result file and log here");
  sub->add_option("--machine", o->machine, "Machine fingerprint to file the points under (as history record)");
  sub->add_option("--workload", o->workloads, "Run only this workload (repeatable)");
  sub->add_option("--run-timeout", o->run_timeout_s, "Seconds one commit's run of one spec may take")
      ->check(finite_range(1.0, 7 * 86400.0))
      ->capture_default_str();
  sub->add_option("--threshold", x->threshold_pct, "Smallest change reported, percent")
      ->check(finite_range(0.0, 1000.0))
      ->capture_default_str();
  sub->add_option("--alpha", o->detect.alpha, "Permutation p-value a change must reach")
      ->check(finite_range(0.001, 0.5))
      ->capture_default_str();
  sub->add_option("--json", x->json_file, "Also write the changes as JSON");
  sub->add_flag("-q,--quiet", o->quiet, "No progress on stderr");
  add_commit_build_options(sub, *b);
  return {sub, [&ctx, o, b, x] {
            return exit_130_on_interrupt(
                [&] {
                  o->range = x->args.front();
                  o->specs.assign(x->args.begin() + 1, x->args.end());
                  if (!x->out.empty()) o->out_dir = x->out;
                  o->detect.min_change = x->threshold_pct / 100.0;
                  commit_workspace ws(*b, o->quiet ? nullptr : &ctx.err);
                  const auto r = run_backfill(ws.builds, *o, ctx.err);
                  const auto findings = history::print_changes(r.changes, ctx.out);
                  if (!x->json_file.empty()) {
                    write_file_atomic(x->json_file, findings.json.dump(2) + "\n", overwrite::allow);
                  }
                  ctx.err << fmt::format(
                      "isobench backfill: {} commits: {} runs recorded {} new points, {} already recorded, "
                      "{} do not build, {} runs failed; {} changes\n",
                      r.commits, r.runs - r.run_failures, r.points_new, r.known, r.build_failures, r.run_failures,
                      r.changes.size());
                  return 0;
                },
                ctx.err);
          }};
}

}  // namespace isobench::detail::cli
