#include "timing/measure.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace isobench::detail::timing {

double target_sample_s(const policy& p) {
  constexpr double floor_s = 1e-6;
  const double wanted = std::max(
      {100.0 * p.timer_overhead_s, 1000.0 * p.timer_resolution_s, p.min_time_s / std::max(p.max_iters, 1), floor_s});
  // min_iters samples (and the calibration before them) must fit in max_time_s.
  return std::min(wanted, p.max_time_s / (2.0 * std::max(p.min_iters, 1)));
}

double time_calls(const std::function<void(std::int64_t)>& body, std::int64_t n, const policy& p, clock& c) {
  if (p.timer != nullptr) return p.timer->time_s([&] { body(n); });
  const double t0 = c.now_s();
  body(n);
  return c.now_s() - t0;
}

namespace {

// Grow the batch until one batch takes at least the target (like google/benchmark's iteration
// search), starting from the per-call estimate the warmup gave.
std::int64_t calibrate_batch(const std::function<void(std::int64_t)>& body, const policy& p, clock& c,
                             double per_call_s, double deadline_s, std::int64_t& calls_spent) {
  const double target = target_sample_s(p);
  if (per_call_s >= target) return 1;
  constexpr std::int64_t max_batch = std::int64_t{1} << 40;
  auto batch = static_cast<std::int64_t>(std::ceil(target / std::max(per_call_s, std::numeric_limits<double>::min())));
  batch = std::clamp<std::int64_t>(batch, 1, max_batch);
  for (int round = 0; round < 16; ++round) {
    const double t = time_calls(body, batch, p, c);
    calls_spent += batch;
    if (t >= target || batch == max_batch) break;
    const double grow = t > 0.0 ? std::min(10.0, 1.2 * target / t) : 10.0;
    const auto next =
        std::clamp<std::int64_t>(static_cast<std::int64_t>(std::ceil(batch * std::max(grow, 1.5))), 1, max_batch);
    // Never start a trial batch that would end past the case's deadline.
    if (c.now_s() + t * static_cast<double>(next) / static_cast<double>(batch) > deadline_s) break;
    batch = next;
  }
  return batch;
}

}  // namespace

warm_state warm_up(const std::function<void(std::int64_t)>& body, const policy& p, clock& c, double deadline_s,
                   const std::function<void()>& before_sample) {
  warm_state w;
  w.per_call_s = std::numeric_limits<double>::infinity();
  for (int i = 0; i < p.warmup; ++i) {
    if (i > 0 && c.now_s() >= deadline_s) break;
    if (p.cold && before_sample) before_sample();
    w.per_call_s = std::min(w.per_call_s, time_calls(body, 1, p, c));
    ++w.warmup_calls;
  }
  // Batching would let calls after the first hit a warm cache, so cold mode never batches.
  if (!p.cold && w.warmup_calls > 0) {
    w.batch = calibrate_batch(body, p, c, w.per_call_s, deadline_s, w.calibration_calls);
  }
  return w;
}

measurement measure(const std::function<void(std::int64_t)>& body, const policy& p, clock& c,
                    const std::function<void()>& before_sample) {
  measurement m;
  // max_time_s bounds the whole case, warmup and calibration included: no call or batch starts
  // after the deadline (one already running finishes).
  const double case_start = c.now_s();
  const double deadline = case_start + p.max_time_s;
  const warm_state w = warm_up(body, p, c, deadline, before_sample);
  m.warmup_calls = w.warmup_calls;
  m.batch = w.batch;
  m.calibration_calls = w.calibration_calls;

  const auto max_samples = static_cast<std::size_t>(std::max(p.max_iters, 1));
  const auto min_samples = static_cast<std::size_t>(std::max(p.min_iters, 1));
  m.samples_s.reserve(std::min<std::size_t>(max_samples, 1u << 16));
  const double start = c.now_s();
  while (true) {
    if (before_sample) before_sample();
    const double t = time_calls(body, m.batch, p, c);
    m.timed_s += t;
    m.samples_s.push_back(t / static_cast<double>(m.batch));
    const std::size_t n = m.samples_s.size();
    if (n >= max_samples) {
      m.stop_reason = "max_iters";
      break;
    }
    if (n >= min_samples && m.timed_s >= p.min_time_s) {
      m.stop_reason = "min_time_reached";
      break;
    }
    if (c.now_s() >= deadline) {
      m.stop_reason = "max_time";
      break;
    }
  }
  m.wall_s = c.now_s() - start;
  m.measured_calls = static_cast<std::int64_t>(m.samples_s.size()) * m.batch;
  return m;
}

}  // namespace isobench::detail::timing
