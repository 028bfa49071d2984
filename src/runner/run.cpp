#include "runner/run.hpp"

#include <memory>

#include <fmt/format.h>

#include "device/device.hpp"
#include "runner/executor.hpp"
#include "timing/cache_flush.hpp"

namespace isobench::detail {

namespace {

// "eq exact vs baseline, ..." for a smoke line.
std::string smoke_eq_text(const std::vector<eq_outcome>& checks) {
  std::string eq = checks.empty() ? std::string("not checked") : std::string();
  for (const auto& c : checks) {
    eq += fmt::format("{}{} vs {}", eq.empty() ? "" : ", ", to_string(c.result.achieved), c.against);
  }
  return eq;
}

// --smoke: each case set up and called once; outputs checked against the baseline and, with
// --eqcheck, the reference. Nothing is timed, judged or written.
exit_code run_smoke(const executor_context& ctx, const loaded_reference* reference, bool quiet, std::ostream& err) {
  const auto& pl = ctx.pl;
  bool eq_failed = false;
  bool opt_missed = false;
  for (const auto& w : pl.workloads) {
    const auto run = smoke_workload(ctx, w);
    for (std::size_t i = 0; i < pl.impls.size(); ++i) {
      const auto& im = pl.impls[i];
      const auto& outputs = run.outputs[i];
      std::vector<eq_outcome> checks;
      // As in a timed run: against the reference when there is one, else the candidate against the baseline.
      if (reference != nullptr) {
        checks.push_back(
            {"reference", compare_outputs(reference->outputs.at(w.name), outputs, ctx.settings.equivalence)});
      } else if (im.role == role::candidate) {
        checks.push_back({"baseline", compare_outputs(run.outputs[0], outputs, ctx.settings.equivalence)});
      }
      if (im.role != role::baseline && ctx.s.require_opt_path && !run.opt_path_hit[i]) opt_missed = true;
      std::string status = "ok";
      for (const auto& c : checks) {
        if (!c.result.passed()) {
          eq_failed = true;
          status = "FAILED";
          err << equivalence_failure_line(w.name, im.info->full_name(), c);
        }
      }
      if (!quiet) {
        err << fmt::format("  smoke {:<6} {} / {}: one call, eq {}\n", status, w.name, im.info->full_name(),
                           smoke_eq_text(checks));
      }
    }
  }
  return eq_failed ? exit_code::equivalence_failed : opt_missed ? exit_code::opt_path_not_hit : exit_code::ok;
}

// Every workload measured, its outputs checked and recorded (--reference), into the session.
void measure_workloads(run_session& ss, const executor_context& ctx, std::ostream& err) {
  const auto& pl = ctx.pl;
  for (const auto& w : pl.workloads) {
    if (!ss.options().quiet) {
      err << fmt::format("  running {} / {} ...\n", w.name,
                         pl.impls.size() == 2 ? fmt::format("{} vs {} (interleaved)", pl.impls[0].info->full_name(),
                                                            pl.impls[1].info->full_name())
                                              : pl.impls[0].info->full_name())
          << std::flush;
    }
    auto run = run_workload(ctx, w);
    ss.check_equivalence(w.name, run.cases, run.outputs);
    ss.record_reference(w.name, std::move(run.outputs[0]));
    if (run.verdict) {
      ss.add_verdict(std::move(*run.verdict), std::move(run.cases[0]), std::move(run.cases[1]));
    } else {
      for (auto& c : run.cases) ss.add_case(std::move(c));
    }
  }
}

}  // namespace

run_outcome run_spec(const run_options& o, const registry& reg, timing::clock& clock,
                     const std::vector<report_target>& reporters, std::ostream& err) {
  run_session ss(o);
  cuda_status cuda;
  std::unique_ptr<device_context> dev;
  ss.open([&](const spec& s) {
    cuda = probe_cuda();
    plan pl = make_plan(s, reg, cuda, o.workloads);
    if (pl.device == device_kind::cuda) dev = make_cuda_context();
    return pl;
  });
  ss.settle(clock, cuda);

  std::unique_ptr<timing::cache_flusher> flusher;
  if (!dev && ss.settings().cache == cache_mode::cold && !o.smoke) {
    flusher = std::make_unique<timing::cache_flusher>(flush_size_bytes(ss.report().host));
  }
  const executor_context ctx{ss.the_spec(), ss.the_plan(), ss.settings(), clock, flusher.get(), dev.get()};
  if (o.smoke) return ss.close_without_files(run_smoke(ctx, ss.reference(), o.quiet, err));
  measure_workloads(ss, ctx, err);
  return ss.close(reporters, err);
}

}  // namespace isobench::detail
