#include "timing/interleave.hpp"

#include <string>

#include <gtest/gtest.h>

#include "support/fake_clock.hpp"

namespace isobench::detail::timing {
namespace {

using isobench::detail::testing::fake_clock;

struct recorder {
  fake_clock& c;
  char name;
  double per_call_s;
  std::string& log;
  void operator()(std::int64_t n) {
    log += name;
    c.advance(per_call_s * static_cast<double>(n));
  }
};

ab_policy quick() {
  ab_policy p;
  p.base.warmup = 1;
  p.base.min_iters = 1;
  p.base.max_iters = 100000;
  p.base.min_time_s = 0.0;
  p.base.max_time_s = 100.0;
  p.base.timer_overhead_s = 1e-8;
  p.min_rounds = 4;
  p.max_rounds = 50;
  p.round_target_s = 0.01;
  return p;
}

TEST(interleave, alternates_abba_with_equal_samples) {
  fake_clock c;
  std::string log;
  int checks = 0;
  auto stop = [&](const std::vector<double>& a, const std::vector<double>& b) -> std::optional<std::string> {
    ++checks;
    EXPECT_EQ(a.size(), b.size());
    if (a.size() >= 6) return "enough";
    return std::nullopt;
  };
  const auto m = measure_interleaved(recorder{c, 'a', 0.004, log}, recorder{c, 'b', 0.002, log}, quick(), c, stop);
  EXPECT_EQ(m.stop_reason, "enough");
  EXPECT_EQ(m.a_round_medians_s.size(), 6u);
  EXPECT_EQ(m.a.samples_s.size(), m.b.samples_s.size());
  EXPECT_EQ(m.samples_per_round, 3);  // ceil(10 ms / 4 ms): the slower side sets it
  EXPECT_GE(checks, 2);               // from pair 4 on
  for (double r : m.a_round_medians_s) EXPECT_NEAR(r, 0.004, 1e-12);
  for (double r : m.b_round_medians_s) EXPECT_NEAR(r, 0.002, 1e-12);
  // After warmup/probe ("a..b.."), rounds go A B | B A | A B …, each round starting with one
  // re-warming call and then 3 samples.
  const auto rounds = log.substr(log.size() - 6 * 2 * 4);
  EXPECT_EQ(rounds.substr(0, 16), "aaaabbbbbbbbaaaa");
  EXPECT_EQ(m.a.measured_calls, 18);
}

TEST(interleave, bounded_by_max_rounds_and_max_time) {
  fake_clock c;
  std::string log;
  auto never = [](const std::vector<double>&, const std::vector<double>&) -> std::optional<std::string> {
    return std::nullopt;
  };
  auto p = quick();
  p.max_rounds = 7;
  auto m = measure_interleaved(recorder{c, 'a', 0.004, log}, recorder{c, 'b', 0.004, log}, p, c, never);
  EXPECT_EQ(m.stop_reason, "max_rounds");
  EXPECT_EQ(m.a_round_medians_s.size(), 7u);

  p = quick();
  p.base.max_time_s = 0.2;  // each pair takes ~2 x 12 ms of samples
  m = measure_interleaved(recorder{c, 'a', 0.004, log}, recorder{c, 'b', 0.004, log}, p, c, never);
  EXPECT_EQ(m.stop_reason, "max_time");
  EXPECT_GE(m.a_round_medians_s.size(), 4u);  // never before min_rounds
}

TEST(interleave, a_start_that_uses_up_the_time_still_gets_two_round_pairs) {
  fake_clock c;
  std::string log;
  auto never = [](const std::vector<double>&, const std::vector<double>&) -> std::optional<std::string> {
    return std::nullopt;
  };
  auto p = quick();
  p.base.max_time_s = 0.01;  // warmup and calibration alone take longer
  const auto m = measure_interleaved(recorder{c, 'a', 0.02, log}, recorder{c, 'b', 0.02, log}, p, c, never);
  EXPECT_EQ(m.stop_reason, "max_time");
  EXPECT_EQ(m.a_round_medians_s.size(), 2u);
  EXPECT_EQ(m.b_round_medians_s.size(), 2u);
}

TEST(interleave, stop_check_waits_for_min_rounds_and_min_time) {
  fake_clock c;
  std::string log;
  std::size_t first_check_at = 0;
  auto stop = [&](const std::vector<double>& a, const std::vector<double>&) -> std::optional<std::string> {
    if (first_check_at == 0) first_check_at = a.size();
    return "done";
  };
  auto p = quick();
  p.min_rounds = 9;
  (void)measure_interleaved(recorder{c, 'a', 0.004, log}, recorder{c, 'b', 0.004, log}, p, c, stop);
  EXPECT_EQ(first_check_at, 9u);
  first_check_at = 0;
  p.min_rounds = 2;
  p.base.min_time_s = 0.3;  // 12 ms of samples per round: 25 rounds
  (void)measure_interleaved(recorder{c, 'a', 0.004, log}, recorder{c, 'b', 0.004, log}, p, c, stop);
  EXPECT_GE(first_check_at, 25u);
}

TEST(interleave, both_sides_time_the_same_batch) {
  // A fast and a slow kernel calibrate different batches alone; interleaved, both use the larger,
  // so the timer's overhead per call is the same on both sides.
  fake_clock c;
  std::string log;
  recorder fast{c, 'a', 1e-7, log};
  recorder slow{c, 'b', 4e-7, log};
  auto p = quick();
  p.base.timer_overhead_s = 3e-8;  // a sample must last >= 3 us
  const auto m = measure_interleaved(std::ref(fast), std::ref(slow), p, c,
                                     [](const auto&, const auto&) { return std::optional<std::string>("stop"); });
  EXPECT_GT(m.a.batch, 1);
  EXPECT_EQ(m.a.batch, m.b.batch);
}

}  // namespace
}  // namespace isobench::detail::timing
