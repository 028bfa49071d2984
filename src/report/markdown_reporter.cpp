#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/format.hpp"
#include "report/verdict_reporter.hpp"

namespace isobench::detail {

namespace {

const char* mark(verdict v) {
  switch (v) {
    case verdict::pass:
    case verdict::improved: return "✅";
    case verdict::unchanged: return "➖";
    default: return "❌";
  }
}

}  // namespace

// A table for a pull-request comment or a CI job summary ($GITHUB_STEP_SUMMARY).
void markdown_reporter::report(const verdict_report& r, std::ostream& os) const {
  os << fmt::format("### {}\n\n", r.title);
  os << fmt::format(
      "{} compared, **{} gate failure(s)** · alpha {:g} (Holm) · noise threshold {:g}%{}\n\n", r.verdicts.size(),
      r.gate_failures(), r.policy.alpha, 100.0 * r.policy.noise_threshold,
      r.policy.claim ? fmt::format(" · claim {:g}x × {:g}", r.policy.claim->speedup, r.policy.claim->tolerance) : "");
  // The candidate's own figures (e.g. weight bytes, quantization error) get a column when any exist.
  const bool counters = std::any_of(r.verdicts.begin(), r.verdicts.end(),
                                    [](const verdict_result& v) { return !v.candidate_counters.empty(); });
  os << "| | spec | workload | candidate vs baseline | verdict | speedup (95% CI) | p | p50 base → head (ms) | eq | "
        "layout sensitivity |"
     << (counters ? " candidate counters |\n" : "\n");
  os << "|---|---|---|---|---|---|---|---|---|---|" << (counters ? "---|\n" : "\n");
  for (const auto& v : r.verdicts) {
    const auto& e = v.estimate;
    os << fmt::format("| {} | {} | {} | {} vs {} | **{}** | {:.3f}x [{:.3f}, {:.3f}] | {:.2g} | {} → {} | {} |",
                      mark(v.verdict), v.spec_name, v.workload, v.candidate, v.baseline, to_string(v.verdict),
                      e.speedup, e.ci.low, e.ci.high, v.p_adjusted, format_ms(v.base_p50_ms), format_ms(v.head_p50_ms),
                      v.candidate_eq ? std::string(to_string(*v.candidate_eq)) : "–");
    os << (std::isfinite(e.layout_sensitivity)
               ? fmt::format(" {:.2f}% ({} launches) |", 100.0 * e.layout_sensitivity, e.launch_log_speedups.size())
               : std::string(" – |"));
    if (counters) {
      std::string cells;
      for (const auto& c : v.candidate_counters)
        cells += fmt::format("{}{} {:.4g}", cells.empty() ? "" : ", ", c.name, c.value);
      os << ' ' << (cells.empty() ? "–" : cells) << " |";
    }
    os << '\n';
  }
  if (!r.notes.empty()) {
    os << '\n';
    for (const auto& n : r.notes) os << "> " << n << '\n';
  }
}

}  // namespace isobench::detail
