#pragma once
// Interleaved A/B measurement: two implementations alternate in rounds (A B, B A, A B, …) with
// equal sample counts, so frequency changes, thermal drift and noisy neighbours hit both alike.
// Each round yields one median per side; rounds are the unit of statistical inference.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "timing/measure.hpp"

namespace isobench::timing {

struct ab_policy {
  policy base;                   // warmup, min/max iters (per side), min/max time, cold
  int min_rounds = 20;           // round pairs before the stop check may end sampling
  int max_rounds = 1000;         // round pairs
  double round_target_s = 0.01;  // each round lasts about this long per side
};

struct ab_measurement {
  measurement a;
  measurement b;
  std::vector<double> a_round_medians_s;  // paired with b_round_medians_s by index
  std::vector<double> b_round_medians_s;
  int samples_per_round = 1;
  std::string stop_reason;  // the stop check's reason, or max_rounds | max_iters | max_time
};

// Decides, from the round medians so far, whether the estimate is good enough to stop; returns the
// reason, or nullopt to continue. Called at checkpoints after min_rounds pairs and min_time_s.
using stop_check =
    std::function<std::optional<std::string>(const std::vector<double>& a_rounds, const std::vector<double>& b_rounds)>;

ab_measurement measure_interleaved(const std::function<void(std::int64_t)>& body_a,
                                   const std::function<void(std::int64_t)>& body_b, const ab_policy& p, clock& c,
                                   const stop_check& should_stop, const std::function<void()>& before_sample = {});

}  // namespace isobench::timing
