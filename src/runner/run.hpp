#pragma once
// `isobench run`: one spec, its kernels in this process. The run session (runner/session.hpp) opens
// and closes it; here, each workload x implementation is measured (runner/executor.hpp), alone or
// as an interleaved baseline/candidate pair, or with --smoke set up and called once. The CLI is a
// thin layer over this.

#include <ostream>
#include <vector>

#include "isobench/registry.hpp"
#include "runner/session.hpp"
#include "timing/clock.hpp"

namespace isobench::detail {

run_outcome run_spec(const run_options& options, const registry& reg, timing::clock& clock,
                     const std::vector<report_target>& reporters, std::ostream& err);

}  // namespace isobench::detail
