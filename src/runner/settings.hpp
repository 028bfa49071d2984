#pragma once
// Deciding a run's settings (report/settings_json.hpp) once, from the spec, the command line, the
// device and the measured timer overhead.

#include "report/settings_json.hpp"
#include "runner/plan.hpp"
#include "spec/spec.hpp"

namespace isobench::detail {

struct run_options;

// The spec's timing and verdict sections, the command line's overrides (--cache), the device's
// defaults and the measured timer overhead, as one value.
run_settings decide_settings(const spec& s, const plan& pl, const run_options& o, double timer_overhead_s);

}  // namespace isobench::detail
