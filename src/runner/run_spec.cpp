#include "runner/run_spec.hpp"

#include <chrono>
#include <memory>
#include <new>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "device/device.hpp"
#include "equivalence/reference_store.hpp"
#include "io/atomic_file.hpp"
#include "report/reporter.hpp"
#include "timing/cache_flush.hpp"
#include "timing/measure.hpp"

namespace isobench {

namespace {

bool is_safe_token(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
  });
}

void check_options(const run_options& o) {
  if (!is_safe_token(o.prefix)) {
    throw config_error(fmt::format("--prefix '{}': expected letters, digits, '_', '-' or '.'", o.prefix));
  }
  if (o.impl_tag.empty() || !is_safe_token(o.impl_tag)) {
    throw config_error(fmt::format("--impl-tag '{}': expected a non-empty name of letters, digits, '_', '-' or '.'",
                                   o.impl_tag));
  }
}

std::string utc_now() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

timing::policy make_policy(const timing_policy& t, double timer_overhead_s) {
  timing::policy p;
  p.warmup = t.warmup;
  p.min_iters = t.min_iters;
  p.max_iters = t.max_iters;
  p.min_time_s = t.min_time_s;
  p.max_time_s = t.max_time_s;
  p.cold = t.cache == cache_mode::cold;
  p.timer_overhead_s = timer_overhead_s;
  return p;
}

struct case_context {
  const spec& s;
  device_kind device;
  const timing::policy& policy;
  timing::clock& clock;
  timing::cache_flusher* flusher;
};

case_result run_case(const case_context& ctx, const planned_impl& im, const planned_workload& w,
                     const params& bound, std::vector<named_tensor>& outputs) {
  case_result c;
  c.workload = w.name;
  c.workload_params = w.values;
  c.seed = w.seed;
  c.implementation = im.info->full_name();
  c.role = im.role;
  c.device = ctx.device;
  c.type = ctx.s.type;

  try {
    std::unique_ptr<kernel> k = im.info->factory();
    k->setup(setup_context{bound, ctx.s.type, w.seed, ctx.device});
    std::function<void()> flush;
    if (ctx.flusher != nullptr) flush = [f = ctx.flusher] { f->flush(); };
    kernel* raw = k.get();
    c.measurement = timing::measure(
        [raw](std::int64_t n) {
          for (std::int64_t i = 0; i < n; ++i) raw->run();
        },
        ctx.policy, ctx.clock, flush);
    outputs = k->outputs();
    c.opt_path_hit = k->opt_path_hit();
  } catch (const std::bad_alloc&) {
    throw error(exit_code::out_of_memory,
                fmt::format("{}: out of memory setting up or running {} on workload '{}'", ctx.s.source,
                            im.info->full_name(), w.name));
  } catch (const config_error& e) {
    // A kernel rejecting its parameters (e.g. a shape constraint) is a spec problem.
    throw config_error(fmt::format("{}: /workloads/{}: {}: {}", ctx.s.source, w.index, im.info->full_name(), e.what()));
  }

  std::vector<double> ms;
  ms.reserve(c.measurement.samples_s.size());
  for (double x : c.measurement.samples_s) ms.push_back(x * 1e3);
  c.summary_ms = stats::summarize(ms);
  const double p50_s = c.summary_ms.p50 * 1e-3;
  if (im.info->flops) {
    c.flops = im.info->flops(bound);
    if (p50_s > 0.0) c.gflops = *c.flops / p50_s * 1e-9;
  }
  if (im.info->bytes) {
    c.bytes = im.info->bytes(bound);
    if (p50_s > 0.0) c.gbps = *c.bytes / p50_s * 1e-9;
  }
  return c;
}

}  // namespace

std::size_t flush_size_bytes(const host_info& host) {
  // Twice the last-level cache, within sane bounds: VMs sometimes report absurd L3 sizes.
  constexpr std::size_t min_bytes = std::size_t{8} << 20;
  constexpr std::size_t max_bytes = std::size_t{256} << 20;
  const std::size_t llc = host.last_level_cache_bytes();
  return std::clamp(llc > 0 ? 2 * llc : std::size_t{64} << 20, min_bytes, max_bytes);
}

std::filesystem::path result_path(const std::filesystem::path& dir, std::string_view prefix,
                                  std::string_view spec_name, std::string_view impl_tag) {
  return dir / (prefix.empty() ? fmt::format("{}_{}.json", spec_name, impl_tag)
                               : fmt::format("{}_{}_{}.json", prefix, spec_name, impl_tag));
}

run_outcome run_spec(const run_options& o, const registry& reg, timing::clock& clock, std::ostream& out,
                     std::ostream& err) {
  check_options(o);
  spec s = load_spec(o.spec_file);
  if (o.device) s.device = *o.device;
  if (o.cache) s.timing.cache = *o.cache;
  const plan pl = make_plan(s, reg, probe_cuda(), o.workloads);

  run_outcome outcome;
  outcome.result_file = result_path(o.out_dir, o.prefix, s.name, o.impl_tag);
  const auto ref_file = reference_path(o.reference_dir.value_or(o.out_dir), o.prefix, s.name);

  // Reference problems are found before spending time measuring.
  std::optional<loaded_reference> reference;
  if (o.mode == run_mode::eqcheck) reference = load_reference(ref_file, s, pl);
  if (o.mode == run_mode::reference && !o.force && std::filesystem::exists(ref_file)) {
    throw reference_error(fmt::format("{}: already exists; pass --force to replace it", ref_file.string()));
  }

  run_report& rep = outcome.report;
  rep.spec_name = s.name;
  rep.spec_file = o.spec_file.string();
  rep.target = s.target;
  rep.mode = o.mode;
  rep.impl_tag = o.impl_tag;
  rep.commit_hash = o.commit_hash.value_or(s.commit.hash);
  rep.timestamp = utc_now();
  rep.host = collect_host_info();
  if (o.mode != run_mode::measure) rep.reference_file = ref_file.string();
  rep.spec = s;

  const timing::policy policy = make_policy(s.timing, timing::estimate_timer_overhead_s(clock));
  std::unique_ptr<timing::cache_flusher> flusher;
  if (s.timing.cache == cache_mode::cold) flusher = std::make_unique<timing::cache_flusher>(flush_size_bytes(rep.host));
  const case_context ctx{s, pl.device, policy, clock, flusher.get()};
  const eq_request eq_req{s.equivalence.level, s.type, s.equivalence.rtol, s.equivalence.atol};

  std::vector<workload_outputs> to_record;
  for (const auto& w : pl.workloads) {
    std::vector<named_tensor> baseline_outputs;
    for (std::size_t i = 0; i < pl.impls.size(); ++i) {
      const auto& im = pl.impls[i];
      if (!o.quiet) err << fmt::format("  running {} / {} ...\n", w.name, im.info->full_name()) << std::flush;
      std::vector<named_tensor> outputs;
      case_result c = run_case(ctx, im, w, w.per_impl[i], outputs);
      if (reference) {
        c.eq = eq_outcome{"reference", compare_outputs(reference->outputs.at(w.name), outputs, eq_req)};
      } else if (i > 0) {
        c.eq = eq_outcome{"baseline", compare_outputs(baseline_outputs, outputs, eq_req)};
      }
      if (i == 0) {
        if (o.mode == run_mode::reference) to_record.push_back({w.name, outputs});
        baseline_outputs = std::move(outputs);
      }
      rep.cases.push_back(std::move(c));
    }
  }

  // Results first: a failed equivalence still leaves its numbers on disk.
  std::ostringstream doc;
  make_reporter("json")->report(rep, doc);
  write_file_atomic(outcome.result_file, doc.str(), overwrite::allow);
  if (o.mode == run_mode::reference) {
    save_reference(ref_file, s, pl, {pl.reference_impl().info->full_name(), rep.commit_hash}, to_record, o.force);
    outcome.reference_file = ref_file;
  }

  if (!o.quiet) {
    make_reporter("console")->report(rep, err);
    err << fmt::format("  results: {}\n", outcome.result_file.string());
    if (outcome.reference_file) err << fmt::format("  reference: {}\n", outcome.reference_file->string());
  }
  if (o.stdout_json) make_reporter("summary")->report(rep, out);

  const bool eq_failed = std::any_of(rep.cases.begin(), rep.cases.end(), [](const auto& c) { return c.eq_failed(); });
  const bool opt_missed = s.require_opt_path && std::any_of(rep.cases.begin(), rep.cases.end(), [](const auto& c) {
                            return c.role != role::baseline && !c.opt_path_hit;
                          });
  outcome.code = eq_failed ? exit_code::equivalence_failed : opt_missed ? exit_code::opt_path_not_hit : exit_code::ok;
  return outcome;
}

}  // namespace isobench
