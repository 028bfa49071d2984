#include "timing/interleave.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace isobench::timing {

namespace {

struct side {
  const std::function<void(std::int64_t)>& body;
  measurement& m;
  std::vector<double>& round_medians;
};

double median_of(std::vector<double> v) {
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  if (v.size() % 2 == 1) return v[mid];
  return 0.5 * (v[mid] + *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid)));
}

// Warmup and batch calibration of one side, exactly as the single-implementation loop does them;
// returns the expected duration of one sample (one timed batch of one untimed probe).
double prepare(const side& s, const policy& p, clock& c, double deadline_s,
               const std::function<void()>& before_sample) {
  const warm_state w = warm_up(s.body, p, c, deadline_s, before_sample);
  s.m.batch = w.batch;
  s.m.warmup_calls = w.warmup_calls;
  s.m.calibration_calls = w.calibration_calls + w.batch;
  if (before_sample) before_sample();
  return time_calls(s.body, w.batch, p, c);
}

void run_round(const side& s, int samples, const policy& p, clock& c, const std::function<void()>& before_sample,
               std::vector<double>& scratch) {
  scratch.clear();
  // Warm mode: the other side just ran and evicted this side's data; one untimed batch restores
  // the warm state that the single-implementation loop measures. (Cold mode flushes anyway.)
  if (!before_sample) {
    s.body(s.m.batch);
    s.m.calibration_calls += s.m.batch;
  }
  for (int i = 0; i < samples; ++i) {
    if (before_sample) before_sample();
    const double t = time_calls(s.body, s.m.batch, p, c);
    s.m.timed_s += t;
    const double per_call = t / static_cast<double>(s.m.batch);
    s.m.samples_s.push_back(per_call);
    scratch.push_back(per_call);
  }
  s.round_medians.push_back(median_of(scratch));
}

}  // namespace

ab_measurement measure_interleaved(const std::function<void(std::int64_t)>& body_a,
                                   const std::function<void(std::int64_t)>& body_b, const ab_policy& p, clock& c,
                                   const stop_check& should_stop, const std::function<void()>& before_sample) {
  ab_measurement m;
  const side a{body_a, m.a, m.a_round_medians_s};
  const side b{body_b, m.b, m.b_round_medians_s};
  // max_time_s bounds the whole case, both sides' warmup and calibration included.
  const double case_start = c.now_s();
  const double deadline = case_start + p.base.max_time_s;
  const double sample_a_s = prepare(a, p.base, c, deadline, before_sample);
  const double sample_b_s = prepare(b, p.base, c, deadline, before_sample);
  // Equal sample counts per side; the slower side sets how many samples fill a round. A round
  // pair never takes more than a quarter of the time limit.
  const double slower = std::max({sample_a_s, sample_b_s, 1e-9});
  const double round_s = std::min(p.round_target_s, p.base.max_time_s / 8.0);
  m.samples_per_round = static_cast<int>(std::clamp(std::ceil(round_s / slower), 1.0, 1e6));

  const auto max_samples = static_cast<std::size_t>(std::max(p.base.max_iters, 1));
  const auto min_samples = static_cast<std::size_t>(std::max(p.base.min_iters, 1));
  std::vector<double> scratch;
  const double start = c.now_s();
  int next_check = p.min_rounds;
  for (int pair = 0;; ++pair) {
    // A B, then B A: a fixed order would give whichever runs second a systematic edge.
    if (pair % 2 == 0) {
      run_round(a, m.samples_per_round, p.base, c, before_sample, scratch);
      run_round(b, m.samples_per_round, p.base, c, before_sample, scratch);
    } else {
      run_round(b, m.samples_per_round, p.base, c, before_sample, scratch);
      run_round(a, m.samples_per_round, p.base, c, before_sample, scratch);
    }
    const int pairs = pair + 1;
    const std::size_t n = m.a.samples_s.size();
    if (pairs >= p.max_rounds) {
      m.stop_reason = "max_rounds";
      break;
    }
    if (n >= max_samples) {
      m.stop_reason = "max_iters";
      break;
    }
    if (c.now_s() >= deadline) {
      m.stop_reason = "max_time";
      break;
    }
    if (n < min_samples || pairs < p.min_rounds) continue;
    if (std::max(m.a.timed_s, m.b.timed_s) < p.base.min_time_s || pairs < next_check) continue;
    // Check every pair at first, then about every 10% more rounds: the check bootstraps.
    next_check = pairs + std::max(1, pairs / 10);
    if (auto reason = should_stop(m.a_round_medians_s, m.b_round_medians_s)) {
      m.stop_reason = *reason;
      break;
    }
  }
  m.a.wall_s = m.b.wall_s = c.now_s() - start;
  m.a.measured_calls = static_cast<std::int64_t>(m.a.samples_s.size()) * m.a.batch;
  m.b.measured_calls = static_cast<std::int64_t>(m.b.samples_s.size()) * m.b.batch;
  return m;
}

}  // namespace isobench::timing
