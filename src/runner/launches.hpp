#pragma once
// One verdict, several launches. A launch sets both sides up afresh (new kernels in this process
// for `run`, new worker processes for `ab`) with its own memory layout (core/placement.hpp), then
// runs a fixed number of interleaved round pairs. Launches are added while the speedup's CI is
// wider than the target, so code whose launches agree pays for the minimum only; the estimate
// treats the launch as the unit (verdict/verdict.hpp: estimate_launches).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "report/settings_json.hpp"
#include "timing/interleave.hpp"
#include "verdict/verdict.hpp"

namespace isobench::detail {

struct launch_series {
  std::vector<timing::round_schedule> launches;
  speedup_estimate estimate;
  std::string stop_reason;  // ci_target_reached | claim_decided | max_launches | max_rounds | max_time
  double wall_s = 0.0;
};

// Runs launch number `index` with `layout_seed` under `policy` (its rounds and time left).
using launch_fn =
    std::function<timing::round_schedule(int index, std::uint64_t layout_seed, const timing::ab_policy& policy)>;

// The layout seed of launch `index` of a verdict seeded with `seed`: never 0 (the canonical layout).
std::uint64_t launch_layout_seed(std::uint64_t seed, int index) noexcept;

// Whether an estimate so far is good enough to stop: its reason, or nullopt.
std::optional<std::string> stop_reason_for(const speedup_estimate& e, const run_settings& st);

launch_series run_launches(const launch_fn& launch, const run_settings& st, timing::clock& c, std::uint64_t seed);

// Adds one launch's measurement of a side to the verdict's total (samples, calls, time).
void absorb_launch(timing::measurement& total, const timing::measurement& launch);

}  // namespace isobench::detail
