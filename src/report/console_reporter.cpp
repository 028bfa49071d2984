#include "report/console_reporter.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <ostream>

#include <fmt/format.h>

#include "report/format.hpp"

namespace isobench::detail {

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

}  // namespace isobench::detail
