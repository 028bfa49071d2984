#include <memory>

#include <fmt/format.h>

#include "cli/command.hpp"
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
  struct extras {
    std::string junit, markdown, pin_cpu;
    bool stdout_json = false, eqcheck = false;
  };
  auto x = std::make_shared<extras>();
  sub->add_option("spec", o->run.spec_file, "Spec file (JSON)")->required();
  sub->add_option("--base", o->base_executable, "The base (parent) commit's benchmark executable")->required();
  sub->add_option("--head", o->head_executable, "The head (child) commit's benchmark executable")->required();
  sub->add_option("--impl", o->implementation,
                  "Implementation both builds run (default: the spec's implementation, or its candidate)");
  sub->add_flag("--eqcheck", x->eqcheck, "Also check both builds' outputs against the stored reference");
  sub->add_option("--reference-dir", o->run.reference_dir, "Directory of the reference (default: --out)");
  sub->add_option("--out", o->run.out_dir, "Directory for the result file")->capture_default_str();
  sub->add_option("--prefix", o->run.prefix, "Prefix of the result and reference file names");
  sub->add_option("--impl-tag", o->run.impl_tag, "Tag in the result file name")->capture_default_str();
  sub->add_option("--commit-hash", o->run.commit_hash, "Commit judged (default: the spec's commit.hash)")
      ->check(json_text(256));
  sub->add_option("--workload", o->run.workloads, "Run only this workload (repeatable)");
  sub->add_option("--worker-timeout", o->worker_timeout_s,
                  "Seconds a build may take beyond its expected time before it counts as hung")
      ->check(finite_range(1.0, 86400.0))
      ->capture_default_str();
  sub->add_flag("--allow-env-mismatch", o->allow_env_mismatch, "Judge builds whose CPU model or build type differ");
  sub->add_flag("--gate", o->run.gate, "Exit 7 when a verdict fails (claim not met, regression, ERROR)");
  sub->add_option("--junit", x->junit, "Write the verdicts as JUnit XML");
  sub->add_option("--markdown", x->markdown, "Write the verdicts as a markdown summary");
  sub->add_option("--pin-cpu", x->pin_cpu,
                  "Run the driver and both builds on these CPUs (default: the last CPU this process may use)");
  sub->add_flag("--stdout-json", x->stdout_json, "Print ISO-Bench summary JSON lines on stdout");
  sub->add_flag("-q,--quiet", o->run.quiet, "No progress or table on stderr");

  return {sub, [&ctx, o, x] {
            if (x->eqcheck) o->run.mode = run_mode::eqcheck;
            // Workers inherit the driver's affinity. Two processes left free to run anywhere settle on
            // different CPUs, and a CPU that also serves interrupts is slower: one build would be
            // measured on each, a bias no test can see. So both builds share one CPU unless told
            // otherwise (--pin-cpu, e.g. 0-1 for multi-threaded kernels).
            if (const auto affinity = current_affinity(); x->pin_cpu.empty() && affinity != "?") {
              const auto allowed = parse_cpu_list(affinity);
              if (allowed.size() > 1) {
                pin_to_cpus({allowed.back()});
                if (!o->run.quiet) {
                  ctx.err << fmt::format("  both builds run on CPU {} (--pin-cpu to choose)\n", allowed.back());
                }
              }
            } else if (!x->pin_cpu.empty()) {
              pin_to_cpus(parse_cpu_list(x->pin_cpu));
            }
            for (const auto* f : {&x->junit, &x->markdown}) {
              if (!f->empty()) o->run.extra_outputs.emplace_back(*f);
            }
            std::vector<report_target> reporters;
            if (!o->run.quiet) reporters.push_back({make_reporter("console"), &ctx.err});
            if (x->stdout_json) reporters.push_back({make_reporter("summary"), &ctx.out});
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
