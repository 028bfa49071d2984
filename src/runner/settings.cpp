#include "runner/settings.hpp"

#include <algorithm>

#include "runner/run.hpp"

namespace isobench::detail {

run_settings decide_settings(const spec& s, const plan& pl, const run_options& o, double timer_overhead_s) {
  run_settings r;
  r.device = pl.device;
  if (o.cache) {
    r.cache = *o.cache;
    r.cache_source = "command line";
  } else if (s.timing.cache_given) {
    r.cache = s.timing.cache;
    r.cache_source = "spec";
  } else {
    // GPU kernels are measured against a flushed L2 unless asked otherwise, CPU kernels warm.
    r.cache = pl.device == device_kind::cuda ? cache_mode::cold : cache_mode::warm;
    r.cache_source = "device default";
  }
  auto& t = r.measure.base;
  t.warmup = s.timing.warmup;
  t.min_iters = s.timing.min_iters;
  t.max_iters = s.timing.max_iters;
  t.min_time_s = s.timing.min_time_s;
  t.max_time_s = s.timing.max_time_s;
  t.cold = r.cache == cache_mode::cold;
  t.timer_overhead_s = timer_overhead_s;
  if (pl.device == device_kind::cpu) {
    static const double resolution_s = [] {
      timing::steady_clock c;
      return timing::estimate_clock_resolution_s(c);
    }();
    t.timer_resolution_s = resolution_s;
  }
  r.measure.min_rounds = s.verdict.min_rounds;
  r.measure.max_rounds = s.verdict.max_rounds;
  r.measure.round_target_s = s.verdict.round_time_s;
  r.ci_half_width = s.verdict.ci_half_width;
  r.min_launches = s.verdict.min_launches;
  r.max_launches = s.verdict.max_launches;
  r.launch_rounds = s.verdict.launch_rounds;
  r.judged_together = std::max<std::size_t>(pl.workloads.size(), 1);
  r.verdict.alpha = s.verdict.alpha;
  r.verdict.noise_threshold = s.verdict.noise_threshold;
  r.verdict.claim = s.claim;
  r.equivalence = eq_request{s.equivalence.level, s.type, s.equivalence.rtol, s.equivalence.atol};
  r.smoke = o.smoke;
  return r;
}

}  // namespace isobench::detail
