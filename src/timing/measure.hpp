#pragma once
// The measurement loop: warmup, batch calibration, then samples until the policy says stop.
//
// Only `body` is timed. Tiny kernels are batched: `batch` calls make one sample, chosen so the
// timer's own overhead is under 1% of a sample, and each sample is reported per call.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "timing/clock.hpp"

namespace isobench::detail::timing {

struct policy {
  int warmup = 3;
  int min_iters = 10;        // samples; a floor, unless max_time_s comes first
  int max_iters = 100000;    // samples; a cap
  double min_time_s = 0.2;   // timed work to reach once min_iters samples exist
  double max_time_s = 10.0;  // wall time of the whole case (warmup, calibration, samples): a bound
  bool cold = false;         // batch = 1 and `before_sample` between samples
  double timer_overhead_s = 0.0;
  double timer_resolution_s = 0.0;  // the clock's tick: samples last at least 1000 ticks
  sample_timer* timer = nullptr;    // times samples (device events); nullptr: the clock
};

// One timed batch of n calls, by p.timer or else the clock.
double time_calls(const std::function<void(std::int64_t)>& body, std::int64_t n, const policy& p, clock& c);

struct measurement {
  std::vector<double> samples_s;  // per-call seconds, one per sample
  std::int64_t batch = 1;         // calls per sample
  int warmup_calls = 0;
  std::int64_t calibration_calls = 0;  // untimed calls beyond warmup: batch calibration, and one
                                       // re-warming batch per round in interleaved runs
  std::int64_t measured_calls = 0;     // samples * batch
  double timed_s = 0.0;                // sum of sample durations
  double wall_s = 0.0;                 // measurement loop, flushes included
  std::string stop_reason;             // min_time_reached | max_time | max_iters
};

// Smallest sample duration for which `timer_overhead_s` is under 1% and the clock's tick under
// 0.1%, and long enough that
// max_iters samples can reach min_time_s; but short enough that min_iters samples fit twice into
// max_time_s.
double target_sample_s(const policy& p);

// Warmup calls, then (warm mode) the batch that makes a sample last target_sample_s().
struct warm_state {
  int warmup_calls = 0;
  std::int64_t batch = 1;
  std::int64_t calibration_calls = 0;
  double per_call_s = 0.0;  // best warmup call: an estimate of one call's cost
};
// Neither starts a call nor grows the batch past `deadline_s` (a time on clock c).
warm_state warm_up(const std::function<void(std::int64_t)>& body, const policy& p, clock& c, double deadline_s,
                   const std::function<void()>& before_sample = {});

// body(n) runs the kernel n times; before_sample() runs untimed before every sample (cold mode).
measurement measure(const std::function<void(std::int64_t)>& body, const policy& p, clock& c,
                    const std::function<void()>& before_sample = {});

}  // namespace isobench::detail::timing
