#pragma once
// The executor turns a plan and its settings into case results: for each workload it sets the
// kernels up (untimed), measures them alone or as an interleaved baseline/candidate pair, and
// collects their outputs (untimed). Equivalence, verdicts and files are the caller's; kernel
// failures become isobench::error with the documented exit codes and the workload named.

#include <optional>
#include <vector>

#include "device/device.hpp"
#include "report/result.hpp"
#include "runner/plan.hpp"
#include "runner/settings.hpp"
#include "timing/cache_flush.hpp"
#include "timing/clock.hpp"

namespace isobench {

struct executor_context {
  const spec& s;
  const plan& pl;
  const run_settings& settings;
  timing::clock& clock;
  timing::cache_flusher* flusher = nullptr;  // CPU runs in cold-cache mode
  device_context* dev = nullptr;             // CUDA runs
};

// One workload measured: one case, or baseline and candidate interleaved (then the verdict's
// estimate, judged later with the other workloads'); outputs parallel to cases.
struct workload_run {
  std::vector<case_result> cases;
  std::vector<std::vector<named_tensor>> outputs;
  std::optional<verdict_result> verdict;
};

workload_run run_workload(const executor_context& ctx, const planned_workload& w);

// Smoke mode: each implementation set up and called once, nothing timed; outputs and whether the
// optimised path was hit, parallel to plan::impls.
struct smoke_run {
  std::vector<std::vector<named_tensor>> outputs;
  std::vector<bool> opt_path_hit;
};
smoke_run smoke_workload(const executor_context& ctx, const planned_workload& w);

}  // namespace isobench
