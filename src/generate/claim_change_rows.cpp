#include "generate/claim_change_rows.hpp"

#include <string>

namespace isobench::detail {

namespace {

using text::quantity;
using text::unit_class;

bool signed_percent(const quantity& q) {
  return q.cls == unit_class::percent && q.sign != 0 && !q.high;
}

// One signed change of a measure: "+7.43%" of tokens/s is a gain, "-5.86%" of TPOT too.
std::optional<perf_claim> change_claim(const context& c, const quantity& q, std::string_view metric) {
  const bool latency = is_latency_metric(metric), throughput = is_throughput_metric(metric);
  if (!latency && !throughput) return std::nullopt;
  const double p = q.value / 100.0;
  if (q.value <= 0.0 || (latency && q.sign < 0 && p >= 1.0)) return std::nullopt;
  perf_claim pc;
  pc.text = clip(c.sentence);
  pc.source = c.source;
  pc.value = q.value;
  pc.unit = q.unit;
  pc.metric = std::string(metric);
  pc.cumulative = c.cumulative;
  pc.kind = throughput ? claim_kind::throughput : claim_kind::latency;
  const bool up = q.sign > 0;
  pc.direction = up == throughput ? claim_direction::improvement : claim_direction::regression;
  pc.expected_speedup =
      throughput ? (up ? 1.0 + p : 1.0 - std::min(p, 0.99)) : (up ? 1.0 / (1.0 + p) : 1.0 / (1.0 - p));
  return pc;
}

}  // namespace

void scan_change_rows(const context& c, std::span<const quantity> qs, std::vector<bool>& used,
                      std::vector<perf_claim>& out) {
  for (std::size_t i = 0; i < qs.size();) {
    // A run of two or more signed percentages with only spaces or cell bars between them.
    std::size_t j = i;
    while (j < qs.size() && signed_percent(qs[j]) && !used[j] &&
           (j == i || text::trim(std::string_view(c.low).substr(qs[j - 1].end, qs[j].begin - qs[j - 1].end))
                              .find_first_not_of("| ") == std::string_view::npos)) {
      ++j;
    }
    const std::size_t n = j - i;
    if (n < 2) {
      i = std::max(j, i + 1);
      continue;
    }
    const auto header = metrics_in_order(c.low, 0, qs[i].begin);
    if (header.size() >= n) {
      for (std::size_t k = 0; k < n; ++k) {
        if (auto pc = change_claim(c, qs[i + k], header[header.size() - n + k])) {
          out.push_back(std::move(*pc));
          used[i + k] = true;
        }
      }
    }
    i = j;
  }
}

}  // namespace isobench::detail
