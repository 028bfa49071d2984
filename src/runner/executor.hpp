#pragma once
// The executor turns a plan and its settings into case results: for each workload it sets the
// kernels up (untimed), measures them alone or as an interleaved baseline/candidate pair, and
// collects their outputs (untimed). Equivalence, verdicts and files are the caller's; kernel
// failures become isobench::error with the documented exit codes and the workload named.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "device/device.hpp"
#include "report/result.hpp"
#include "runner/plan.hpp"
#include "runner/settings.hpp"
#include "timing/cache_flush.hpp"
#include "timing/clock.hpp"
#include "timing/interleave.hpp"

namespace isobench::detail {

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

// What a kernel says about its run, for its case result.
struct kernel_facts {
  bool opt_path_hit = true;
  std::string isa;  // the vector path it ran
  std::vector<counter> counters;
};
// A case result: the workload's identity, the measurement summarised in milliseconds, and the
// throughput from the work's flop and byte counts (when known) at the median. Used for kernels run
// here and for builds measured through their workers (`ab`).
case_result make_case(const planned_workload& w, std::string implementation, role r, device_kind device, dtype type,
                      timing::measurement m, const kernel_facts& facts, std::optional<double> flops,
                      std::optional<double> bytes);

// Pieces for driving a kernel round by round from elsewhere (a worker of `isobench ab`).
struct prepared_kernel {
  std::unique_ptr<kernel> k;
  std::function<void(std::int64_t)> body;  // n calls of run()
  std::function<void()> before_sample;     // cold-cache flush, or empty
  timing::policy policy;                   // with the device's timer when there is one
};
// Implementation `impl` (index into plan::impls) of `w`, set up (untimed).
prepared_kernel prepare_kernel(const executor_context& ctx, std::size_t impl, const planned_workload& w);

// Smoke mode: each implementation set up and called once, nothing timed; outputs and whether the
// optimised path was hit, parallel to plan::impls.
struct smoke_run {
  std::vector<std::vector<named_tensor>> outputs;
  std::vector<bool> opt_path_hit;
};
smoke_run smoke_workload(const executor_context& ctx, const planned_workload& w);

}  // namespace isobench::detail
