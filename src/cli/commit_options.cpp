#include "cli/commit_options.hpp"

#include <fmt/format.h>

#include "build/recipe.hpp"
#include "cli/validators.hpp"
#include "env/affinity.hpp"
#include "io/child_process.hpp"
#include "report/reporter.hpp"

namespace isobench::detail::cli {

void add_commit_build_options(CLI::App* sub, commit_build_options& o) {
  sub->add_option("--repo", o.repo, "The git repository (any directory inside it)")->capture_default_str();
  sub->add_option("--recipe", o.recipe, "Build recipe (JSON; default: <repo>/.isobench/recipe.json)");
  sub->add_option("--cache-dir", o.cache_dir,
                  "Worktrees and builds of commits (default: $XDG_CACHE_HOME/isobench or ~/.cache/isobench)");
  sub->add_flag("--rebuild", o.rebuild, "Build again what the cache holds, failed builds included");
  sub->add_option("--jobs", o.jobs, "Parallel build jobs, the recipe's {jobs} (default: the CPUs available)")
      ->check(CLI::Range(1, 4096));
}

commit_workspace::commit_workspace(const commit_build_options& o, std::ostream* progress)
    : repo(o.repo),
      builds(repo,
             load_recipe(recipe_file(o.recipe.empty() ? std::nullopt : std::optional<std::filesystem::path>(o.recipe),
                                     repo.top())),
             build_settings{o.cache_dir, o.rebuild, o.jobs, progress}) {}

void add_judge_options(CLI::App* sub, two_build_options& o, judge_extras& x, bool reports) {
  sub->add_option("--impl", o.implementation,
                  "Implementation both builds run (default: the spec's implementation, or its candidate)");
  sub->add_flag("--eqcheck", x.eqcheck, "Also check both builds' outputs against the stored reference");
  sub->add_option("--reference-dir", o.run.reference_dir, "Directory of the reference (default: --out)");
  sub->add_option("--out", o.run.out_dir, "Directory for the result file")->capture_default_str();
  sub->add_option("--prefix", o.run.prefix, "Prefix of the result and reference file names");
  sub->add_option("--impl-tag", o.run.impl_tag, "Tag in the result file name")->capture_default_str();
  sub->add_option("--workload", o.run.workloads, "Run only this workload (repeatable)");
  sub->add_option("--worker-timeout", o.worker_timeout_s,
                  "Seconds a build may take beyond its expected time before it counts as hung")
      ->check(finite_range(1.0, 86400.0))
      ->capture_default_str();
  sub->add_flag("--allow-env-mismatch", o.allow_env_mismatch, "Judge builds whose CPU model or build type differ");
  sub->add_flag("--gate", o.run.gate, "Exit 7 when a verdict fails (claim not met, regression, ERROR)");
  sub->add_option("--pin-cpu", x.pin_cpu,
                  "Run the driver and both builds on these CPUs (default: the last CPU this process may use)");
  if (reports) {
    sub->add_option("--junit", x.junit, "Write the verdicts as JUnit XML");
    sub->add_option("--markdown", x.markdown, "Write the verdicts as a markdown summary");
    sub->add_flag("--stdout-json", x.stdout_json, "Print ISO-Bench summary JSON lines on stdout");
  }
  sub->add_flag("-q,--quiet", o.run.quiet, "No progress or table on stderr");
}

std::vector<report_target> prepare_judging(two_build_options& o, const judge_extras& x, std::ostream& out,
                                           std::ostream& err) {
  if (x.eqcheck) o.run.mode = run_mode::eqcheck;
  for (const auto* f : {&x.junit, &x.markdown}) {
    if (!f->empty()) o.run.extra_outputs.emplace_back(*f);
  }
  std::vector<report_target> reporters;
  if (!o.run.quiet) reporters.push_back({make_reporter("console"), &err});
  if (x.stdout_json) reporters.push_back({make_reporter("summary"), &out});
  return reporters;
}

std::vector<int> judging_cpus(const std::string& pin_cpu, bool quiet, std::ostream& err) {
  // Workers inherit the driver's affinity. Two processes left free to run anywhere settle on
  // different CPUs, and a CPU that also serves interrupts is slower: one build would be measured
  // on each, a bias no test can see. So both builds share one CPU unless told otherwise
  // (--pin-cpu, e.g. 0-1 for multi-threaded kernels).
  if (!pin_cpu.empty()) return parse_cpu_list(pin_cpu);
  const auto affinity = current_affinity();
  if (affinity == "?") return {};
  const auto allowed = parse_cpu_list(affinity);
  if (allowed.size() <= 1) return {};
  if (!quiet) err << fmt::format("  both builds run on CPU {} (--pin-cpu to choose)\n", allowed.back());
  return {allowed.back()};
}

int exit_130_on_interrupt(const std::function<int()>& body, std::ostream& err) {
  try {
    return body();
  } catch (const interrupted_error& e) {
    err << fmt::format("isobench: {} (exit 130)\n", e.what());
    return 130;
  }
}

}  // namespace isobench::detail::cli
