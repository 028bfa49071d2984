#include <memory>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/validators.hpp"
#include "env/affinity.hpp"
#include "isobench/error.hpp"
#include "runner/run.hpp"
#include "timing/clock.hpp"

namespace isobench::detail::cli {

command add_run_command(CLI::App& parent, const command_context& ctx) {
  auto* sub = parent.add_subcommand("run", "Run a spec: measure, then record or check the reference");
  auto o = std::make_shared<run_options>();
  auto device = std::make_shared<std::string>();
  auto cache = std::make_shared<std::string>();
  struct extras {
    std::string junit, markdown, pin_cpu;
    bool stdout_json = false;
  };
  auto x = std::make_shared<extras>();

  sub->add_option("spec", o->spec_file, "Spec file (JSON)")->required();
  auto flags = std::make_shared<std::pair<bool, bool>>(false, false);  // --reference, --eqcheck
  auto* ref = sub->add_flag("--reference", flags->first, "Record the outputs as the reference (refuses to overwrite)");
  auto* eq =
      sub->add_flag("--eqcheck", flags->second, "Compare the outputs with the stored reference (exit 5 on mismatch)");
  ref->excludes(eq);
  sub->add_flag("--force", o->force, "With --reference: replace an existing reference");
  sub->add_option("--prefix", o->prefix, "Prefix of the result and reference file names");
  sub->add_option("--out", o->out_dir, "Directory for result files")->capture_default_str();
  sub->add_option("--reference-dir", o->reference_dir, "Directory for references (default: --out)");
  sub->add_option("--impl-tag", o->impl_tag, "Tag of this build in results, e.g. parent or child")
      ->capture_default_str();
  sub->add_option("--commit-hash", o->commit_hash, "Commit measured (default: the spec's commit.hash)")
      ->check(json_text(256));
  sub->add_option("--device", *device, "Override the spec's device")->check(CLI::IsMember({"cpu", "cuda", "auto"}));
  sub->add_option("--cache", *cache, "Override the spec's cache mode")->check(CLI::IsMember({"warm", "cold"}));
  sub->add_option("--workload", o->workloads, "Run only this workload (repeatable)");
  sub->add_flag("--stdout-json", x->stdout_json, "Print ISO-Bench summary JSON lines on stdout");
  sub->add_flag("-q,--quiet", o->quiet, "No progress or table on stderr");
  sub->add_option("--junit", x->junit, "Write the baseline/candidate verdicts as JUnit XML");
  sub->add_option("--markdown", x->markdown, "Write the verdicts as a markdown summary");
  sub->add_option("--pin-cpu", x->pin_cpu, "Run on these CPUs only, e.g. 1 or 2-3 (recorded in results)");
  sub->add_flag("--gate", o->gate, "Exit 7 when a baseline/candidate verdict fails (claim not met, regression)");
  sub->add_flag("--smoke", o->smoke,
                "Check the spec end to end in seconds: set up every case, call it once, check equivalence; no "
                "timing, no verdict, no files");

  return {
      sub, [&ctx, flags, o, device, cache, x] {
        o->mode = flags->first ? run_mode::reference : flags->second ? run_mode::eqcheck : run_mode::measure;
        if (o->force && o->mode != run_mode::reference) throw config_error("--force only applies with --reference");
        if (!device->empty()) o->device = from_string<device_request>(*device);
        if (!cache->empty()) o->cache = from_string<cache_mode>(*cache);
        if (!x->pin_cpu.empty()) pin_to_cpus(parse_cpu_list(x->pin_cpu));
        for (const auto* f : {&x->junit, &x->markdown}) {
          if (!f->empty()) o->extra_outputs.emplace_back(*f);
        }
        if (o->smoke && !o->extra_outputs.empty()) throw config_error("--smoke writes no --junit or --markdown");
        timing::steady_clock clock;
        std::vector<report_target> reporters;
        if (!o->quiet) reporters.push_back({make_reporter("console"), &ctx.err});
        if (x->stdout_json) reporters.push_back({make_reporter("summary"), &ctx.out});
        const auto outcome = run_spec(*o, ctx.reg, clock, reporters, ctx.err);
        const auto& rep = outcome.report;
        if (o->smoke) return static_cast<int>(outcome.code);
        write_verdict_outputs(
            verdict_report{fmt::format("isobench run {} ({} vs baseline, interleaved)", rep.spec_name, rep.impl_tag),
                           rep.policy,
                           rep.verdicts,
                           {}},
            "", x->junit, x->markdown);
        if (outcome.code != exit_code::ok) {
          ctx.err << fmt::format("isobench: {} (exit {})\n", to_string(outcome.code), static_cast<int>(outcome.code));
        }
        return static_cast<int>(outcome.code);
      }};
}

}  // namespace isobench::detail::cli
