#include "report/verdict_reporter.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "isobench/error.hpp"
#include "report/format.hpp"
#include "report/json_reporter.hpp"

namespace isobench::detail {

std::size_t verdict_report::gate_failures() const {
  return static_cast<std::size_t>(
      std::count_if(verdicts.begin(), verdicts.end(), [](const auto& v) { return is_gate_failure(v.verdict); }));
}

std::unique_ptr<verdict_reporter> make_verdict_reporter(std::string_view format) {
  if (format == "text") return std::make_unique<text_verdict_reporter>();
  if (format == "json") return std::make_unique<json_verdict_reporter>();
  if (format == "junit") return std::make_unique<junit_reporter>();
  if (format == "markdown") return std::make_unique<markdown_reporter>();
  throw config_error(fmt::format("unknown verdict format '{}' (known: text, json, junit, markdown)", format));
}

void text_verdict_reporter::report(const verdict_report& r, std::ostream& os) const {
  os << r.title << '\n';
  for (const auto& v : r.verdicts) {
    os << "  " << format_verdict_line(v) << '\n';
    os << fmt::format("      p50 {} ms -> {} ms; {}\n", format_ms(v.base_p50_ms), format_ms(v.head_p50_ms), v.reason);
  }
  for (const auto& n : r.notes) os << "  note: " << n << '\n';
  os << fmt::format(
      "  {} compared, {} gate failure(s) (alpha {:g} after Holm, noise threshold {:g}%{})\n", r.verdicts.size(),
      r.gate_failures(), r.policy.alpha, 100.0 * r.policy.noise_threshold,
      r.policy.claim ? fmt::format(", claim {:g}x x {:g}", r.policy.claim->speedup, r.policy.claim->tolerance) : "");
}

void json_verdict_reporter::report(const verdict_report& r, std::ostream& os) const {
  nlohmann::json verdicts = nlohmann::json::array();
  for (const auto& v : r.verdicts) verdicts.push_back(to_json(v));
  const nlohmann::json j = {{"title", r.title},
                            {"verdict_policy", policy_to_json(r.policy)},
                            {"verdicts", verdicts},
                            {"notes", r.notes},
                            {"gate_failures", r.gate_failures()}};
  os << j.dump(2) << '\n';
}

}  // namespace isobench::detail
