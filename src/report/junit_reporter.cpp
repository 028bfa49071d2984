#include <fmt/format.h>

#include "report/verdict_reporter.hpp"

namespace isobench::detail {

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

// One testcase per spec x workload (x implementation, for compare): FAIL, PARTIAL and REGRESSED
// are <failure>s, ERROR an <error>; the numbers travel in the message and the body.
void junit_reporter::report(const verdict_report& r, std::ostream& os) const {
  std::size_t failures = 0;
  std::size_t errors = 0;
  for (const auto& v : r.verdicts) {
    if (v.verdict == verdict::error)
      ++errors;
    else if (is_gate_failure(v.verdict))
      ++failures;
  }
  os << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  os << fmt::format("<testsuites name=\"isobench\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n", r.verdicts.size(),
                    failures, errors);
  os << fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n", xml_escape(r.title),
                    r.verdicts.size(), failures, errors);
  for (const auto& v : r.verdicts) {
    const auto& e = v.estimate;
    const std::string numbers = fmt::format(
        "verdict={} speedup={:.4f} ci95=[{:.4f}, {:.4f}] p={:.3g} p_adjusted={:.3g} method={} base_p50_ms={:.6g} "
        "head_p50_ms={:.6g} mde_pct={:.3g} claim={} eq_level={}",
        to_string(v.verdict), e.speedup, e.ci.low, e.ci.high, e.p_value, v.p_adjusted, e.method, v.base_p50_ms,
        v.head_p50_ms, 100.0 * v.mde,
        r.policy.claim ? fmt::format("{:g}x*{:g}", r.policy.claim->speedup, r.policy.claim->tolerance) : "none",
        v.candidate_eq ? std::string(to_string(*v.candidate_eq)) : "unchecked");
    os << fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"0\">\n", xml_escape(v.spec_name),
                      xml_escape(fmt::format("{} {} vs {}", v.workload, v.candidate, v.baseline)));
    if (is_gate_failure(v.verdict)) {
      const char* tag = v.verdict == verdict::error ? "error" : "failure";
      os << fmt::format("      <{} type=\"{}\" message=\"{}\">{}</{}>\n", tag, to_string(v.verdict),
                        xml_escape(v.reason), xml_escape(numbers), tag);
    }
    os << fmt::format("      <system-out>{}</system-out>\n", xml_escape(numbers));
    os << "    </testcase>\n";
  }
  os << "  </testsuite>\n</testsuites>\n";
}

}  // namespace isobench::detail
