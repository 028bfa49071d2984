// The executor and the settings it runs with, on fake kernels and a clock that ticks per reading,
// so every decision is predictable and nothing depends on this machine's speed.
#include "runner/executor.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runner/run.hpp"
#include "runner/settings.hpp"
#include "support/fake_kernels.hpp"

namespace isobench::detail {
namespace {

// Each reading of the clock moves it 1 ms: a timed sample lasts exactly one tick.
class ticking_clock final : public timing::clock {
public:
  double now_s() override { return m_now += 1e-3; }

private:
  double m_now = 0.0;
};

spec make_spec(const char* json) {
  return parse_spec(nlohmann::json::parse(json), "e.json");
}

const cuda_status no_cuda{};

TEST(settings, cache_mode_is_decided_once_and_says_why) {
  const auto r = testing::make_fake_registry();
  auto s =
      make_spec(R"({"name": "e", "target": "fill", "implementation": "ref", "workloads": [{"name": "a", "n": 4}]})");
  const auto pl = make_plan(s, r, no_cuda);
  run_options o;
  auto st = decide_settings(s, pl, o, 30e-9);
  EXPECT_EQ(st.cache, cache_mode::warm);
  EXPECT_EQ(st.cache_source, "device default");
  EXPECT_FALSE(st.measure.base.cold);
  EXPECT_DOUBLE_EQ(st.measure.base.timer_overhead_s, 30e-9);
  o.cache = cache_mode::cold;
  st = decide_settings(s, pl, o, 0.0);
  EXPECT_EQ(st.cache_source, "command line");
  EXPECT_TRUE(st.measure.base.cold);
  s = make_spec(R"({"name": "e", "target": "fill", "implementation": "ref", "workloads": [{"name": "a", "n": 4}],
                    "timing": {"cache": "cold"}})");
  st = decide_settings(s, pl, run_options{}, 0.0);
  EXPECT_EQ(st.cache_source, "spec");
  EXPECT_EQ(to_json(st)["cache"], "cold");
}

TEST(executor, measures_one_implementation_and_returns_its_outputs) {
  const auto r = testing::make_fake_registry();
  const auto s = make_spec(R"({"name": "e", "target": "fill", "implementation": "ref",
      "workloads": [{"name": "a", "n": 5}], "timing": {"warmup": 2, "min_iters": 4, "min_time_s": 0.01}})");
  const auto pl = make_plan(s, r, no_cuda);
  const auto st = decide_settings(s, pl, run_options{}, 0.0);
  ticking_clock clock;
  const executor_context ctx{s, pl, st, clock};
  const auto run = run_workload(ctx, pl.workloads[0]);
  ASSERT_EQ(run.cases.size(), 1u);
  EXPECT_FALSE(run.verdict);
  const auto& c = run.cases[0];
  EXPECT_EQ(c.implementation, "fill.ref");
  EXPECT_EQ(c.measurement.warmup_calls, 2);
  EXPECT_EQ(c.measurement.batch, 1);               // one tick per call is far above 100 x overhead
  EXPECT_EQ(c.measurement.samples_s.size(), 10u);  // 0.01 s of 1 ms samples
  EXPECT_EQ(c.measurement.stop_reason, "min_time_reached");
  ASSERT_EQ(run.outputs.size(), 1u);
  EXPECT_EQ(run.outputs[0][0].value.numel(), 5u);
}

TEST(executor, interleaves_a_pair_and_leaves_the_judging_to_the_caller) {
  const auto r = testing::make_fake_registry();
  const auto s = make_spec(R"({"name": "e", "target": "fill",
      "implementations": {"baseline": "ref", "candidate": "off"}, "workloads": [{"name": "a", "n": 3}],
      "timing": {"warmup": 1, "min_iters": 2, "min_time_s": 0.001},
      "verdict": {"min_rounds": 6, "max_rounds": 6, "launch_rounds": 3, "min_launches": 2, "max_launches": 2}})");
  const auto pl = make_plan(s, r, no_cuda);
  const auto st = decide_settings(s, pl, run_options{}, 0.0);
  ticking_clock clock;
  const auto run = run_workload(executor_context{s, pl, st, clock}, pl.workloads[0]);
  ASSERT_EQ(run.cases.size(), 2u);
  EXPECT_EQ(run.cases[0].role, role::baseline);
  EXPECT_EQ(run.cases[1].role, role::candidate);
  ASSERT_TRUE(run.verdict);
  EXPECT_EQ(run.verdict->estimate.units, 2u);  // launches, the unit of the test
  EXPECT_EQ(run.verdict->estimate.unit, "launches");
  EXPECT_FALSE(run.verdict->stop_reason.empty());      // at most max_launches
  EXPECT_EQ(run.cases[0].round_medians_s.size(), 6u);  // 2 launches x 3 rounds
  EXPECT_EQ(run.cases[0].round_medians_s.size(), run.cases[1].round_medians_s.size());
  // fill.off writes its output offset by one: the outputs are returned for the caller to compare.
  EXPECT_EQ(run.outputs[1][0].value.as<float>()[0], run.outputs[0][0].value.as<float>()[0] + 1.0F);
}

TEST(executor, smoke_calls_each_implementation_once_and_times_nothing) {
  const auto r = testing::make_fake_registry();
  const auto s = make_spec(R"({"name": "e", "target": "fill",
      "implementations": {"baseline": "ref", "candidate": "same"}, "workloads": [{"name": "a", "n": 3}]})");
  const auto pl = make_plan(s, r, no_cuda);
  run_options o;
  o.smoke = true;
  const auto st = decide_settings(s, pl, o, 0.0);
  ticking_clock clock;
  const double before = clock.now_s();
  const auto run = smoke_workload(executor_context{s, pl, st, clock}, pl.workloads[0]);
  EXPECT_EQ(clock.now_s() - before, 1e-3);  // nothing read the clock in between
  ASSERT_EQ(run.outputs.size(), 2u);
  EXPECT_EQ(run.outputs[0][0].value.as<float>()[1], run.outputs[1][0].value.as<float>()[1]);
}

}  // namespace
}  // namespace isobench::detail
