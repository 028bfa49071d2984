#pragma once
// Every setting that shapes a run, decided once (runner/settings.hpp: decide_settings) and then
// only read: the executor measures with it and the result records it ("settings"). Before, the
// cache mode alone was decided in four places.

#include <cstddef>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "equivalence/output_compare.hpp"
#include "spec/spec.hpp"
#include "timing/interleave.hpp"
#include "verdict/verdict.hpp"

namespace isobench::detail {

struct run_settings {
  device_kind device = device_kind::cpu;
  cache_mode cache = cache_mode::warm;
  std::string cache_source;    // "spec", "command line", or "device default" (cold on a GPU)
  timing::ab_policy measure;   // measure.base: one implementation; the rest: interleaved pairs
  double ci_half_width = 0.0;  // adaptive stopping target of interleaved pairs
  int min_launches = 3;        // launches per verdict (fresh layout each), adaptive up to max
  int max_launches = 10;
  int launch_rounds = 10;           // round pairs per launch
  std::size_t judged_together = 1;  // workloads whose verdicts are corrected together
  verdict_policy verdict;
  eq_request equivalence;
  bool smoke = false;  // one call per case, nothing timed
};

nlohmann::json to_json(const run_settings& s);

}  // namespace isobench::detail
