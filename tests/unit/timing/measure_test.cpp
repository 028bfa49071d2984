#include "timing/measure.hpp"

#include <gtest/gtest.h>

#include "support/fake_clock.hpp"

#include "timing/cache_flush.hpp"

namespace isobench::detail::timing {
namespace {

// A clock that only moves when the "kernel" runs (or when asked), so the loop's decisions are
// exactly predictable.
using isobench::detail::testing::fake_clock;

struct fake_kernel {
  fake_clock& c;
  double per_call_s;
  std::int64_t calls = 0;
  void operator()(std::int64_t n) {
    calls += n;
    c.advance(per_call_s * static_cast<double>(n));
  }
};

policy quick_policy() {
  policy p;
  p.warmup = 3;
  p.min_iters = 10;
  p.max_iters = 1000;
  p.min_time_s = 0.2;
  p.max_time_s = 10.0;
  p.timer_overhead_s = 20e-9;
  return p;
}

TEST(measure, slow_kernel_is_not_batched_and_stops_at_min_time) {
  fake_clock c;
  fake_kernel k{c, 0.05};
  const auto m = measure(std::ref(k), quick_policy(), c);
  EXPECT_EQ(m.batch, 1);
  EXPECT_EQ(m.warmup_calls, 3);
  EXPECT_EQ(m.calibration_calls, 0);
  EXPECT_EQ(m.samples_s.size(), 10u);  // min_iters, already 0.5 s > min_time
  EXPECT_EQ(m.stop_reason, "min_time_reached");
  for (double s : m.samples_s) EXPECT_NEAR(s, 0.05, 1e-9);
  EXPECT_EQ(m.measured_calls, 10);
  EXPECT_EQ(k.calls, 13);
}

TEST(measure, keeps_sampling_until_min_time) {
  fake_clock c;
  fake_kernel k{c, 0.01};
  const auto m = measure(std::ref(k), quick_policy(), c);
  EXPECT_EQ(m.batch, 1);               // 10 ms >= 0.2 s / 1000 samples
  EXPECT_GE(m.samples_s.size(), 20u);  // 20 x 10 ms = min_time (one more if rounding falls short)
  EXPECT_LE(m.samples_s.size(), 21u);
  EXPECT_GE(m.timed_s, 0.2 - 1e-9);
  EXPECT_EQ(m.stop_reason, "min_time_reached");
}

TEST(measure, tiny_kernel_is_batched_so_timer_overhead_stays_under_one_percent) {
  fake_clock c;
  fake_kernel k{c, 50e-9};
  auto p = quick_policy();
  const auto m = measure(std::ref(k), p, c);
  const double target = target_sample_s(p);  // max(100 * 20 ns, 0.2 s / 1000) = 200 us
  EXPECT_DOUBLE_EQ(target, 200e-6);
  EXPECT_GT(m.batch, 1);
  EXPECT_GE(static_cast<double>(m.batch) * 50e-9, target * (1 - 1e-9));
  EXPECT_LE(p.timer_overhead_s / (static_cast<double>(m.batch) * 50e-9), 0.01);
  for (double s : m.samples_s) EXPECT_NEAR(s, 50e-9, 1e-15);  // reported per call
  EXPECT_EQ(m.measured_calls, static_cast<std::int64_t>(m.samples_s.size()) * m.batch);
  EXPECT_GT(m.calibration_calls, 0);
}

TEST(measure, max_iters_caps_samples) {
  fake_clock c;
  fake_kernel k{c, 1e-3};
  auto p = quick_policy();
  p.min_iters = 5;
  p.max_iters = 7;
  p.min_time_s = 100.0;
  p.max_time_s = 100.0;
  const auto m = measure(std::ref(k), p, c);
  EXPECT_EQ(m.samples_s.size(), 7u);
  EXPECT_EQ(m.stop_reason, "max_iters");
}

TEST(measure, max_time_bounds_the_whole_case_even_before_min_iters) {
  fake_clock c;
  fake_kernel k{c, 0.5};
  auto p = quick_policy();
  p.min_iters = 4;
  p.min_time_s = 100.0;
  p.max_time_s = 1.0;
  const double start = c.now_s();
  const auto m = measure(std::ref(k), p, c);
  EXPECT_EQ(m.stop_reason, "max_time");
  EXPECT_GE(m.samples_s.size(), 1u);
  EXPECT_LT(m.samples_s.size(), 4u);  // the time limit wins over min_iters
  // No call starts after the deadline: at most one 0.5 s call runs past it.
  EXPECT_LE(c.now_s() - start, 1.0 + 0.5 + 1e-9);
}

// A spec asking for absurd times with few samples must not grow its batch without bound.
TEST(measure, huge_min_time_with_few_samples_still_ends_at_max_time) {
  fake_clock c;
  fake_kernel k{c, 1e-6};
  auto p = quick_policy();
  p.warmup = 3;
  p.min_iters = 5;
  p.max_iters = 5;
  p.min_time_s = 86400.0;
  p.max_time_s = 2.0;
  const double start = c.now_s();
  const auto m = measure(std::ref(k), p, c);
  EXPECT_TRUE(m.stop_reason == "max_time" || m.stop_reason == "max_iters") << m.stop_reason;
  EXPECT_LE(m.batch * 1e-6, 2.0 / 10 * 1.001);  // samples sized so min_iters fit twice into max_time_s
  EXPECT_LE(c.now_s() - start, 2.0 * 1.6);      // the last batch may run on, but never by more than it
}

TEST(measure, cold_mode_flushes_before_every_sample_and_never_batches) {
  fake_clock c;
  fake_kernel k{c, 50e-9};
  auto p = quick_policy();
  p.cold = true;
  p.warmup = 2;
  p.min_iters = 5;
  p.max_iters = 5;
  int flushes = 0;
  const auto m = measure(std::ref(k), p, c, [&] { ++flushes; });
  EXPECT_EQ(m.batch, 1);
  EXPECT_EQ(m.samples_s.size(), 5u);
  EXPECT_EQ(flushes, 2 + 5);  // before each warmup call and each sample
}

TEST(measure, zero_warmup_means_no_calibration) {
  fake_clock c;
  fake_kernel k{c, 50e-9};
  auto p = quick_policy();
  p.warmup = 0;
  p.max_iters = 10;
  const auto m = measure(std::ref(k), p, c);
  EXPECT_EQ(m.warmup_calls, 0);
  EXPECT_EQ(m.batch, 1);
  EXPECT_EQ(k.calls, 10);
}

TEST(timer, steady_clock_overhead_is_small_and_positive) {
  steady_clock c;
  const double overhead = estimate_timer_overhead_s(c);
  EXPECT_GE(overhead, 0.0);
  EXPECT_LT(overhead, 1e-3);
}

TEST(cache_flusher, touches_its_whole_buffer) {
  cache_flusher f(1 << 20);
  EXPECT_EQ(f.size_bytes(), 1u << 20);
  f.flush();  // must not crash; effect on caches is checked by benchmarks, not unit tests
}

}  // namespace
}  // namespace isobench::detail::timing
