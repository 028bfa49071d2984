#include "report/format.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace isobench::detail {

std::string format_ms(double ms) {
  const double a = std::fabs(ms);
  if (a >= 1000.0) return fmt::format("{:.0f}", ms);
  if (a >= 100.0) return fmt::format("{:.1f}", ms);
  if (a >= 10.0) return fmt::format("{:.2f}", ms);
  if (a >= 1.0) return fmt::format("{:.3f}", ms);
  if (a == 0.0 || !std::isfinite(a)) return fmt::format("{}", ms);
  // Below 1 ms: fixed notation with four significant digits (at most 9 decimals, i.e. 1 ps).
  const int decimals = std::min(9, 3 - static_cast<int>(std::floor(std::log10(a))));
  return fmt::format("{:.{}f}", ms, decimals);
}

std::string format_verdict_line(const verdict_result& v) {
  const auto& e = v.estimate;
  if (!std::isfinite(e.speedup)) {
    return fmt::format("{} {}: {} vs {}: {}", to_string(v.verdict), v.workload, v.candidate, v.baseline, v.reason);
  }
  std::string line =
      fmt::format("{} {}: {} vs {}: {:.3f}x [{:.3f}, {:.3f}] p={:.2g}, {} {} / side", to_string(v.verdict), v.workload,
                  v.candidate, v.baseline, e.speedup, e.ci.low, e.ci.high, v.p_adjusted, e.base_units, e.unit);
  if (!v.stop_reason.empty()) line += fmt::format(", stop: {}", v.stop_reason);
  if (std::isfinite(v.mde)) line += fmt::format(", mde {:.2f}%", 100.0 * v.mde);
  if (std::isfinite(e.layout_sensitivity)) line += fmt::format(", layout {:.2f}%", 100.0 * e.layout_sensitivity);
  if (e.run_variance_unaccounted) line += " (one run per side: run-to-run noise unaccounted)";
  return line;
}

}  // namespace isobench::detail
