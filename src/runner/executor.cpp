#include "runner/executor.hpp"

#include <functional>
#include <memory>
#include <new>

#include <fmt/format.h>

#include "core/placement.hpp"
#include "isobench/error.hpp"
#include "runner/launches.hpp"
#include "timing/interleave.hpp"
#include "timing/measure.hpp"

namespace isobench::detail {

namespace {

// Kernel failures during setup or run become the documented exit codes.
template <class Fn>
auto with_kernel_errors(const executor_context& ctx, const planned_impl& im, const planned_workload& w, Fn&& fn) {
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    throw error(exit_code::out_of_memory, fmt::format("{}: out of memory setting up or running {} on workload '{}'",
                                                      ctx.s.source, im.info->full_name(), w.name));
  } catch (const config_error& e) {
    // A kernel rejecting its parameters (e.g. a shape constraint) is a spec problem.
    throw config_error(fmt::format("{}: /workloads/{}: {}: {}", ctx.s.source, w.index, im.info->full_name(), e.what()));
  } catch (const error& e) {
    if (e.code() != exit_code::out_of_memory) throw;
    throw error(exit_code::out_of_memory, fmt::format("{}: /workloads/{}: {} on workload '{}': {}", ctx.s.source,
                                                      w.index, im.info->full_name(), w.name, e.what()));
  }
}

std::unique_ptr<kernel> make_kernel(const executor_context& ctx, const planned_impl& im, const planned_workload& w,
                                    const params& bound) {
  // Sizes whose byte counts pass 2^62 cannot be computed in 64-bit arithmetic by any kernel: refuse
  // them before setup multiplies them (the formula is evaluated in doubles, so it cannot wrap).
  if (im.info->bytes) {
    const double bytes = im.info->bytes(bound);
    if (!(bytes < 0x1p62)) {
      throw error(exit_code::out_of_memory,
                  fmt::format("{}: /workloads/{}: {} on workload '{}' would need about {:.3g} bytes: beyond 64-bit "
                              "sizes (and any machine's memory)",
                              ctx.s.source, w.index, im.info->full_name(), w.name, bytes));
    }
  }
  return with_kernel_errors(ctx, im, w, [&] {
    // Everything the kernel allocates while it is made and set up is placed by the arena.
    const detail::placement_scope scope;
    std::unique_ptr<kernel> k = im.info->factory();
    k->setup(setup_context{bound, ctx.s.type, w.seed, ctx.settings.device,
                           ctx.dev != nullptr ? ctx.dev->stream() : nullptr});
    if (ctx.dev != nullptr) ctx.dev->synchronize();
    return k;
  });
}

std::function<void(std::int64_t)> body_of(kernel& k) {
  return [raw = &k](std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) raw->run();
  };
}

std::function<void()> flush_of(const executor_context& ctx) {
  if (ctx.dev != nullptr && ctx.settings.cache == cache_mode::cold) return [d = ctx.dev] { d->flush_cache(); };
  if (ctx.flusher == nullptr) return {};
  return [f = ctx.flusher] { f->flush(); };
}

// The timing policy of one side, with the device's event timer when there is one.
timing::policy policy_of(const executor_context& ctx) {
  timing::policy p = ctx.settings.measure.base;
  if (ctx.dev != nullptr) p.timer = &ctx.dev->timer();
  return p;
}

kernel_facts facts_of(const kernel& k) {
  return {k.opt_path_hit(), k.isa(), k.counters()};
}

// The case of implementation `im` run here: its ISA when the kernel does not say, and the device's
// figures.
case_result local_case(const executor_context& ctx, const planned_impl& im, const planned_workload& w,
                       const params& bound, timing::measurement m, kernel_facts facts) {
  if (facts.isa.empty()) facts.isa = ctx.settings.device == device_kind::cuda ? "cuda" : im.info->isa;
  auto c = make_case(w, im.info->full_name(), im.role, ctx.settings.device, ctx.s.type, std::move(m), facts,
                     im.info->flops ? std::optional<double>(im.info->flops(bound)) : std::nullopt,
                     im.info->bytes ? std::optional<double>(im.info->bytes(bound)) : std::nullopt);
  if (ctx.dev != nullptr) {
    c.peak_device_memory_bytes = ctx.dev->peak_memory_bytes();
    c.cross_check = ctx.dev->take_cross_check();
  }
  return c;
}

case_result run_single(const executor_context& ctx, const planned_impl& im, const planned_workload& w,
                       const params& bound, std::vector<named_tensor>& outputs) {
  if (ctx.dev != nullptr) ctx.dev->reset_memory_watermark();
  auto k = make_kernel(ctx, im, w, bound);
  auto m = with_kernel_errors(ctx, im, w,
                              [&] { return timing::measure(body_of(*k), policy_of(ctx), ctx.clock, flush_of(ctx)); });
  outputs = k->outputs();
  return local_case(ctx, im, w, bound, std::move(m), facts_of(*k));
}

// Baseline and candidate interleaved in rounds until the speedup's CI is narrow enough (or the
// claim is decided, or a bound is hit). Returns the two cases and the estimate on round medians.
struct pair_result {
  case_result base, head;
  std::vector<named_tensor> base_outputs, head_outputs;
  verdict_result verdict;
};

timing::round_schedule schedule_of(const timing::ab_measurement& m) {
  timing::round_schedule s;
  s.a_round_medians_s = m.a_round_medians_s;
  s.b_round_medians_s = m.b_round_medians_s;
  s.a_samples_s = m.a.samples_s;
  s.b_samples_s = m.b.samples_s;
  s.samples_per_round = m.samples_per_round;
  s.stop_reason = m.stop_reason;
  s.wall_s = m.a.wall_s;
  return s;
}

pair_result run_pair(const executor_context& ctx, const planned_workload& w) {
  const auto& ia = ctx.pl.impls[0];
  const auto& ib = ctx.pl.impls[1];
  if (ctx.dev != nullptr) ctx.dev->reset_memory_watermark();  // both kernels together
  std::unique_ptr<kernel> ka, kb;
  timing::measurement ma, mb;
  std::vector<double> a_rounds, b_rounds;
  const timing::stop_check never = [](const auto&, const auto&) -> std::optional<std::string> { return std::nullopt; };
  // A launch: both kernels set up afresh with the launch's layout, then its rounds.
  const launch_fn launch = [&](int, std::uint64_t layout_seed, const timing::ab_policy& p) {
    ka.reset();  // the previous launch's memory goes first, so this one is laid out anew
    kb.reset();
    detail::set_layout_seed(layout_seed);
    ka = make_kernel(ctx, ia, w, w.per_impl[0]);
    kb = make_kernel(ctx, ib, w, w.per_impl[1]);
    detail::set_layout_seed(0);
    timing::ab_policy ab = p;
    ab.base.timer = policy_of(ctx).timer;
    auto m = with_kernel_errors(ctx, ia, w, [&] {
      return timing::measure_interleaved(body_of(*ka), body_of(*kb), ab, ctx.clock, never, flush_of(ctx));
    });
    absorb_launch(ma, m.a);
    absorb_launch(mb, m.b);
    a_rounds.insert(a_rounds.end(), m.a_round_medians_s.begin(), m.a_round_medians_s.end());
    b_rounds.insert(b_rounds.end(), m.b_round_medians_s.begin(), m.b_round_medians_s.end());
    return schedule_of(m);
  };
  const auto series = run_launches(launch, ctx.settings, ctx.clock, w.seed);
  ma.stop_reason = mb.stop_reason = series.stop_reason;

  pair_result r;
  r.base_outputs = ka->outputs();
  r.head_outputs = kb->outputs();
  r.base = local_case(ctx, ia, w, w.per_impl[0], std::move(ma), facts_of(*ka));
  r.head = local_case(ctx, ib, w, w.per_impl[1], std::move(mb), facts_of(*kb));
  r.head.cross_check = r.base.cross_check;  // one timer served both sides
  r.base.round_medians_s = std::move(a_rounds);
  r.head.round_medians_s = std::move(b_rounds);
  auto& vr = r.verdict;
  vr.spec_name = ctx.s.name;
  vr.workload = w.name;
  vr.baseline = ia.info->full_name();
  vr.candidate = ib.info->full_name();
  vr.estimate = series.estimate;
  vr.stop_reason = series.stop_reason;
  vr.base_p50_ms = r.base.summary_ms.p50;
  vr.head_p50_ms = r.head.summary_ms.p50;
  vr.samples_per_side = r.base.summary_ms.count;
  return r;
}

}  // namespace

case_result make_case(const planned_workload& w, std::string implementation, role r, device_kind device, dtype type,
                      timing::measurement m, const kernel_facts& facts, std::optional<double> flops,
                      std::optional<double> bytes) {
  case_result c;
  c.workload = w.name;
  c.workload_params = w.values;
  c.seed = w.seed;
  c.implementation = std::move(implementation);
  c.role = r;
  c.device = device;
  c.type = type;
  c.measurement = std::move(m);
  c.opt_path_hit = facts.opt_path_hit;
  c.isa = facts.isa;
  c.counters = facts.counters;
  std::vector<double> ms;
  ms.reserve(c.measurement.samples_s.size());
  for (double x : c.measurement.samples_s) ms.push_back(x * 1e3);
  c.summary_ms = stats::summarize(ms);
  const double p50_s = c.summary_ms.p50 * 1e-3;
  c.flops = flops;
  c.bytes = bytes;
  if (flops && p50_s > 0.0) c.gflops = *flops / p50_s * 1e-9;
  if (bytes && p50_s > 0.0) c.gbps = *bytes / p50_s * 1e-9;
  return c;
}

prepared_kernel prepare_kernel(const executor_context& ctx, std::size_t impl, const planned_workload& w) {
  prepared_kernel p;
  p.k = make_kernel(ctx, ctx.pl.impls.at(impl), w, w.per_impl.at(impl));
  p.body = body_of(*p.k);
  p.before_sample = flush_of(ctx);
  p.policy = policy_of(ctx);
  return p;
}

workload_run run_workload(const executor_context& ctx, const planned_workload& w) {
  workload_run out;
  if (ctx.pl.impls.size() == 2) {
    auto r = run_pair(ctx, w);
    out.cases.push_back(std::move(r.base));
    out.cases.push_back(std::move(r.head));
    out.outputs.push_back(std::move(r.base_outputs));
    out.outputs.push_back(std::move(r.head_outputs));
    out.verdict = std::move(r.verdict);
    return out;
  }
  out.outputs.emplace_back();
  out.cases.push_back(run_single(ctx, ctx.pl.impls[0], w, w.per_impl[0], out.outputs.back()));
  return out;
}

smoke_run smoke_workload(const executor_context& ctx, const planned_workload& w) {
  smoke_run out;
  for (std::size_t i = 0; i < ctx.pl.impls.size(); ++i) {
    const auto& im = ctx.pl.impls[i];
    auto k = make_kernel(ctx, im, w, w.per_impl[i]);
    with_kernel_errors(ctx, im, w, [&] {
      k->run();
      if (ctx.dev != nullptr) ctx.dev->synchronize();
    });
    out.outputs.push_back(k->outputs());
    out.opt_path_hit.push_back(k->opt_path_hit());
  }
  return out;
}

}  // namespace isobench::detail
