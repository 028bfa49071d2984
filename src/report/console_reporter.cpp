#include "report/console_reporter.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <ostream>

#include <fmt/format.h>

namespace isobench {

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

namespace {

std::string eq_cell(const case_result& c) {
  if (!c.eq) return c.role == role::baseline ? "(baseline)" : "-";
  const auto& r = c.eq->result;
  return fmt::format("{}{}", to_string(r.achieved), r.passed() ? "" : " FAIL");
}

std::string rate_cell(const case_result& c) {
  if (c.gflops) return fmt::format("{:.2f} GFLOP/s", *c.gflops);
  if (c.gbps) return fmt::format("{:.2f} GB/s", *c.gbps);
  return "-";
}

}  // namespace

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

void console_reporter::report(const run_report& r, std::ostream& os) const {
  const auto& sp = r.spec;
  os << fmt::format("{} | {} {} on {} | {} cache | impl_tag {}{}\n", r.spec_name, r.target, to_string(sp.type),
                    r.cases.empty() ? std::string("-") : std::string(to_string(r.cases.front().device)),
                    to_string(sp.timing.cache), r.impl_tag,
                    r.commit_hash.empty() ? "" : fmt::format(" | commit {}", r.commit_hash.substr(0, 12)));

  std::vector<std::vector<std::string>> rows;
  rows.push_back({"workload", "implementation", "p50_ms", "p95_ms", "avg_ms", "cv", "samples", "throughput", "eq"});
  for (const auto& c : r.cases) {
    const auto& s = c.summary_ms;
    rows.push_back(
        {c.workload, c.implementation, format_ms(s.p50), format_ms(s.p95), format_ms(s.mean),
         fmt::format("{:.1f}%", 100.0 * s.cv),
         c.measurement.batch > 1 ? fmt::format("{}x{}", s.count, c.measurement.batch) : fmt::format("{}", s.count),
         rate_cell(c), eq_cell(c)});
  }
  std::vector<std::size_t> width(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const bool numeric = i >= 2 && i <= 5;
      line += numeric ? fmt::format("{:>{}}", row[i], width[i]) : fmt::format("{:<{}}", row[i], width[i]);
      if (i + 1 < row.size()) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    os << "  " << line << '\n';
  }

  for (const auto& v : r.verdicts) os << "  " << format_verdict_line(v) << '\n';
  for (const auto& c : r.cases) {
    if (c.eq_failed()) {
      os << fmt::format("  EQUIVALENCE FAILED {} {} vs {}: {}\n", c.workload, c.implementation, c.eq->against,
                        c.eq->result.summary());
    }
    if (!c.counters.empty()) {
      std::string line;
      for (const auto& x : c.counters) line += fmt::format("{}{}={:.6g}", line.empty() ? "" : ", ", x.name, x.value);
      os << fmt::format("  {} {}: {}\n", c.workload, c.implementation, line);
    }
    if (!c.opt_path_hit)
      os << fmt::format("  note: {} {} did not take its optimised path\n", c.workload, c.implementation);
    if (c.work_escaped_stream()) {
      os << fmt::format(
          "  WARNING {} {}: event time ({} ms) far below host time ({} ms): work escaped the timed stream\n",
          c.workload, c.implementation, format_ms(1e3 * c.cross_check->event_median_s),
          format_ms(1e3 * c.cross_check->host_median_s));
    }
  }
}

}  // namespace isobench
