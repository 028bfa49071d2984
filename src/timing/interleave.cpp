#include "timing/interleave.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace isobench::detail::timing {

namespace {

double median_of(std::vector<double> v) {
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  if (v.size() % 2 == 1) return v[mid];
  return 0.5 * (v[mid] + *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid)));
}

}  // namespace

double local_side::prepare(double deadline_s) {
  const warm_state w = warm_up(m_body, m_policy, m_clock, deadline_s, m_before_sample);
  m_m.batch = w.batch;
  m_m.warmup_calls = w.warmup_calls;
  m_m.calibration_calls = w.calibration_calls + w.batch;
  if (m_before_sample) m_before_sample();
  return time_calls(m_body, w.batch, m_policy, m_clock);
}

std::vector<double> local_side::round(int samples) {
  // Warm mode: the other side just ran and evicted this side's data; one untimed batch restores
  // the warm state that the single-implementation loop measures. (Cold mode flushes anyway.)
  if (!m_before_sample) {
    m_body(m_m.batch);
    m_m.calibration_calls += m_m.batch;
  }
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(samples));
  for (int i = 0; i < samples; ++i) {
    if (m_before_sample) m_before_sample();
    const double t = time_calls(m_body, m_m.batch, m_policy, m_clock);
    m_m.timed_s += t;
    const double per_call = t / static_cast<double>(m_m.batch);
    m_m.samples_s.push_back(per_call);
    out.push_back(per_call);
  }
  return out;
}

round_schedule run_rounds(round_side& a, round_side& b, const ab_policy& p, clock& c, const stop_check& should_stop) {
  round_schedule r;
  // max_time_s bounds the whole case, both sides' warmup and calibration included.
  const double deadline = c.now_s() + p.base.max_time_s;
  double sample_a_s = a.prepare(deadline);
  double sample_b_s = b.prepare(deadline);
  const std::int64_t common = std::max(a.batch(), b.batch());
  sample_a_s *= static_cast<double>(common) / static_cast<double>(std::max<std::int64_t>(a.batch(), 1));
  sample_b_s *= static_cast<double>(common) / static_cast<double>(std::max<std::int64_t>(b.batch(), 1));
  a.use_batch(common);
  b.use_batch(common);
  // Equal sample counts per side; the slower side sets how many samples fill a round. A round
  // pair never takes more than a quarter of the time limit.
  const double slower = std::max({sample_a_s, sample_b_s, 1e-9});
  const double round_s = std::min(p.round_target_s, p.base.max_time_s / 8.0);
  r.samples_per_round = static_cast<int>(std::clamp(std::ceil(round_s / slower), 1.0, 1e6));

  const auto max_samples = static_cast<std::size_t>(std::max(p.base.max_iters, 1));
  const auto min_samples = static_cast<std::size_t>(std::max(p.base.min_iters, 1));
  double timed_a_s = 0.0, timed_b_s = 0.0;
  const auto run = [&](round_side& side, std::vector<double>& samples, std::vector<double>& medians, double& timed) {
    const auto got = side.round(r.samples_per_round);
    for (double x : got) timed += x * static_cast<double>(side.batch());
    samples.insert(samples.end(), got.begin(), got.end());
    medians.push_back(median_of(got));
  };
  const double start = c.now_s();
  int next_check = p.min_rounds;
  for (int pair = 0;; ++pair) {
    // A B, then B A: a fixed order would give whichever runs second a systematic edge.
    if (pair % 2 == 0) {
      run(a, r.a_samples_s, r.a_round_medians_s, timed_a_s);
      run(b, r.b_samples_s, r.b_round_medians_s, timed_b_s);
    } else {
      run(b, r.b_samples_s, r.b_round_medians_s, timed_b_s);
      run(a, r.a_samples_s, r.a_round_medians_s, timed_a_s);
    }
    const int pairs = pair + 1;
    const std::size_t n = r.a_samples_s.size();
    if (pairs >= p.max_rounds) {
      r.stop_reason = "max_rounds";
      break;
    }
    if (n >= max_samples) {
      r.stop_reason = "max_iters";
      break;
    }
    // Two pairs even past the deadline: one round pair estimates nothing, so a launch whose start
    // and calibration used up the time would be wasted (a slow build, a sanitizer build).
    if (c.now_s() >= deadline && pairs >= std::min(p.min_rounds, 2)) {
      r.stop_reason = "max_time";
      break;
    }
    if (n < min_samples || pairs < p.min_rounds) continue;
    if (std::max(timed_a_s, timed_b_s) < p.base.min_time_s || pairs < next_check) continue;
    // Check every pair at first, then about every 10% more rounds: the check bootstraps.
    next_check = pairs + std::max(1, pairs / 10);
    if (auto reason = should_stop(r.a_round_medians_s, r.b_round_medians_s)) {
      r.stop_reason = *reason;
      break;
    }
  }
  r.wall_s = c.now_s() - start;
  return r;
}

ab_measurement measure_interleaved(const std::function<void(std::int64_t)>& body_a,
                                   const std::function<void(std::int64_t)>& body_b, const ab_policy& p, clock& c,
                                   const stop_check& should_stop, const std::function<void()>& before_sample) {
  ab_measurement m;
  local_side a(body_a, p.base, c, before_sample, m.a);
  local_side b(body_b, p.base, c, before_sample, m.b);
  auto r = run_rounds(a, b, p, c, should_stop);
  m.a_round_medians_s = std::move(r.a_round_medians_s);
  m.b_round_medians_s = std::move(r.b_round_medians_s);
  m.samples_per_round = r.samples_per_round;
  m.stop_reason = std::move(r.stop_reason);
  m.a.wall_s = m.b.wall_s = r.wall_s;
  m.a.stop_reason = m.b.stop_reason = m.stop_reason;
  m.a.measured_calls = static_cast<std::int64_t>(m.a.samples_s.size()) * m.a.batch;
  m.b.measured_calls = static_cast<std::int64_t>(m.b.samples_s.size()) * m.b.batch;
  return m;
}

}  // namespace isobench::detail::timing
