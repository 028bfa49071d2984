// The launch loop's stopping rule: a verdict that rests on a significant difference is taken only
// over an even number of launches, at least 4 (ab alternates which worker starts first); a result
// that shows no difference may stop at min_launches.
#include "runner/launches.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "timing/clock.hpp"

namespace isobench::detail {
namespace {

class fake_clock final : public timing::clock {
public:
  double now_s() override { return m_t += 0.001; }

private:
  double m_t = 0.0;
};

// Launch k: 10 round pairs, the base at `base_s`, the head at 1 s, each round jittered by a
// deterministic +-0.1% (so a launch has a small, nonzero within-launch variance) and each launch
// by `launch_jitter` * (-1, 0, +1, ...).
launch_fn launches_of(double base_s, double launch_jitter) {
  return [=](int k, std::uint64_t, const timing::ab_policy&) {
    timing::round_schedule r;
    const double shift = 1.0 + launch_jitter * static_cast<double>(k % 3 - 1);
    for (int i = 0; i < 10; ++i) {
      const double jitter = 1.0 + 0.001 * static_cast<double>((i * 7 + k) % 5 - 2) / 2.0;
      r.a_round_medians_s.push_back(base_s * shift * jitter);
      r.b_round_medians_s.push_back(1.0);
    }
    return r;
  };
}

run_settings settings() {
  run_settings st;
  st.min_launches = 3;
  st.max_launches = 20;
  st.launch_rounds = 10;
  st.ci_half_width = 0.01;
  st.measure.min_rounds = 2;
  st.measure.max_rounds = 1000;
  st.measure.base.max_time_s = 1e9;
  st.verdict.alpha = 0.01;
  st.verdict.noise_threshold = 0.02;
  return st;
}

TEST(launches, a_clear_change_is_concluded_at_four_launches_not_three) {
  fake_clock c;
  const auto s = run_launches(launches_of(1.10, 0.002), settings(), c, 1);
  EXPECT_EQ(s.launches.size(), 4u);
  EXPECT_TRUE(s.stop_reason == "ci_target_reached" || s.stop_reason == "change_decided") << s.stop_reason;
  EXPECT_NEAR(s.estimate.speedup, 1.10, 0.01);
  EXPECT_LT(s.estimate.p_value, 0.01);
}

TEST(launches, no_difference_stops_at_min_launches) {
  fake_clock c;
  const auto s = run_launches(launches_of(1.0, 0.001), settings(), c, 1);
  EXPECT_EQ(s.launches.size(), 3u);
  EXPECT_EQ(s.stop_reason, "ci_target_reached");
  EXPECT_GT(s.estimate.p_value, 0.01);
}

TEST(launches, a_significant_estimate_over_an_odd_count_or_fewer_than_four_does_not_stop) {
  auto st = settings();
  st.min_launches = 2;
  std::vector<std::vector<double>> base, head;
  for (int k = 0; k < 6; ++k) {
    base.push_back({1.101 + 0.001 * k, 1.099, 1.1, 1.102});
    head.push_back({1.0, 1.0, 1.0, 1.0});
    const auto e = estimate_launches(base, head, 0.95);
    if (k == 0) continue;
    ASSERT_LT(e.p_value, 0.01) << k + 1 << " launches";
    const auto reason = stop_reason_for(e, st);
    if (k + 1 >= 4 && (k + 1) % 2 == 0) {
      EXPECT_TRUE(reason.has_value()) << k + 1 << " launches";
    } else {
      EXPECT_FALSE(reason.has_value()) << k + 1 << " launches";
    }
  }
}

TEST(launches, the_time_limit_still_ends_a_significant_verdict_at_an_odd_count) {
  auto st = settings();
  st.measure.base.max_time_s = 0.0015;  // the fake clock (1 ms a reading) passes it by the third launch
  fake_clock c;
  const auto s = run_launches(launches_of(1.10, 0.002), st, c, 1);
  EXPECT_EQ(s.stop_reason, "max_time");
  EXPECT_EQ(s.launches.size(), 3u);
}

}  // namespace
}  // namespace isobench::detail
