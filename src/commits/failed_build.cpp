#include "commits/failed_build.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "device/device.hpp"
#include "runner/settings.hpp"
#include "timing/clock.hpp"
#include "verdict/judge.hpp"

namespace isobench::detail {

run_outcome failed_build_outcome(const two_build_options& o, const std::string& reason,
                                 const std::vector<report_target>& reporters, std::ostream& err) {
  const auto& ro = o.run;
  check_run_options(ro);
  spec s = load_spec(ro.spec_file);
  if (ro.device) s.device = *ro.device;
  const auto impl = chosen_implementation(s, o.implementation);
  const plan pl = driver_plan(s, ro.workloads);
  run_outcome outcome;
  outcome.result_file = result_path(ro.out_dir, ro.prefix, s.name, ro.impl_tag);
  check_output(outcome.result_file, "result");
  for (const auto& f : ro.extra_outputs) check_output(f, "report");

  timing::steady_clock clock;
  const run_settings settings = decide_settings(s, pl, ro, timing::estimate_timer_overhead_s(clock));
  run_report& rep = outcome.report;
  fill_report_header(rep, s, ro, settings, probe_cuda());
  rep.builds = {{"base", o.base_executable.string(), {}, {}, {}, {}, {}, {}, {}},
                {"head", o.head_executable.string(), {}, {}, {}, {}, {}, {}, {}}};
  std::vector<bool> equivalent;
  for (const auto& w : pl.workloads) {
    verdict_result v;
    v.spec_name = s.name;
    v.workload = w.name;
    v.baseline = impl + "@base";
    v.candidate = impl + "@head";
    v.estimate.speedup = NAN;
    v.estimate.method = reason;
    if (!ro.quiet) err << fmt::format("  ERROR {}: {}\n", w.name, reason.substr(0, reason.find('\n')));
    rep.verdicts.push_back(std::move(v));
    equivalent.push_back(false);
  }
  judge(rep.verdicts, rep.policy, equivalent);
  finish_run(outcome, ro, reporters, err);
  return outcome;
}

}  // namespace isobench::detail
