#include "report/settings_json.hpp"

#include <nlohmann/json.hpp>

namespace isobench::detail {

nlohmann::json to_json(const run_settings& s) {
  const auto& t = s.measure.base;
  return {{"device", to_string(s.device)},
          {"cache", to_string(s.cache)},
          {"cache_source", s.cache_source},
          {"warmup", t.warmup},
          {"min_iters", t.min_iters},
          {"max_iters", t.max_iters},
          {"min_time_s", t.min_time_s},
          {"max_time_s", t.max_time_s},
          {"timer_overhead_ns", t.timer_overhead_s * 1e9},
          {"timer_resolution_ns", t.timer_resolution_s * 1e9},
          {"min_rounds", s.measure.min_rounds},
          {"max_rounds", s.measure.max_rounds},
          {"round_time_s", s.measure.round_target_s},
          {"ci_half_width", s.ci_half_width},
          {"min_launches", s.min_launches},
          {"max_launches", s.max_launches},
          {"launch_rounds", s.launch_rounds},
          {"judged_together", s.judged_together},
          {"alpha", s.verdict.alpha},
          {"noise_threshold", s.verdict.noise_threshold},
          {"equivalence", to_string(s.equivalence.level)}};
}

}  // namespace isobench::detail
