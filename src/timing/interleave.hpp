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

namespace isobench::detail::timing {

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

// One side of an interleaved measurement, driven round by round: a kernel in this process
// (measure_interleaved), or a worker process of another build (`isobench ab`). Both are scheduled
// by run_rounds, so the rounds, their order and the stopping rules are the same.
class round_side {
public:
  round_side() = default;
  round_side(const round_side&) = delete;
  round_side& operator=(const round_side&) = delete;
  virtual ~round_side() = default;
  // Warmup and batch calibration, starting nothing after `deadline_s`; returns the expected
  // duration of one sample (one timed batch).
  virtual double prepare(double deadline_s) = 0;
  // One round: an untimed re-warming batch (warm mode), then `samples` timed samples; per-call
  // seconds of each.
  virtual std::vector<double> round(int samples) = 0;
  [[nodiscard]] virtual std::int64_t batch() const = 0;
  // Both sides time the same number of calls per sample (the larger calibrated batch), so the
  // timer's overhead weighs the same on each: with batches of 3 and 8, 30 ns per reading would
  // make the first side look 1% slower on a 0.6 us kernel.
  virtual void use_batch(std::int64_t batch) = 0;
};

// A kernel body in this process, recording into `m`.
class local_side final : public round_side {
public:
  local_side(const std::function<void(std::int64_t)>& body, const policy& p, clock& c,
             const std::function<void()>& before_sample, measurement& m)
      : m_body(body), m_policy(p), m_clock(c), m_before_sample(before_sample), m_m(m) {}
  double prepare(double deadline_s) override;
  std::vector<double> round(int samples) override;
  [[nodiscard]] std::int64_t batch() const override { return m_m.batch; }
  void use_batch(std::int64_t batch) override { m_m.batch = batch; }

private:
  const std::function<void(std::int64_t)>& m_body;
  const policy& m_policy;
  clock& m_clock;
  const std::function<void()>& m_before_sample;
  measurement& m_m;
};

struct round_schedule {
  std::vector<double> a_round_medians_s, b_round_medians_s;
  std::vector<double> a_samples_s, b_samples_s;  // per call, in order
  int samples_per_round = 1;
  std::string stop_reason;
  double wall_s = 0.0;  // from the first round to the stop
};

// Prepares both sides, then runs round pairs A B | B A | ... with equal sample counts until the
// stop check, max_rounds, max_iters or max_time_s (which bounds everything from prepare on) ends it.
round_schedule run_rounds(round_side& a, round_side& b, const ab_policy& p, clock& c, const stop_check& should_stop);

ab_measurement measure_interleaved(const std::function<void(std::int64_t)>& body_a,
                                   const std::function<void(std::int64_t)>& body_b, const ab_policy& p, clock& c,
                                   const stop_check& should_stop, const std::function<void()>& before_sample = {});

}  // namespace isobench::detail::timing
