#include "generate/claim_change_rows.hpp"

#include <optional>
#include <string>

namespace isobench::detail {

namespace {

using text::quantity;
using text::unit_class;

bool signed_percent(const quantity& q) {
  return q.cls == unit_class::percent && q.sign != 0 && !q.high;
}

// One signed change of a measure: "+7.43%" of tokens/s is a gain, "-5.86%" of TPOT and "-20%" of
// memory too.
std::optional<perf_claim> change_claim(const context& c, const quantity& q, std::string_view metric) {
  if (metric == "memory" && q.value > 0.0) {
    perf_claim pc;
    pc.text = clip(c.sentence);
    pc.source = c.source;
    pc.value = q.value;
    pc.unit = q.unit;
    pc.metric = "memory";
    pc.kind = claim_kind::memory;
    pc.cumulative = c.cumulative;
    pc.direction = q.sign < 0 ? claim_direction::improvement : claim_direction::regression;
    return pc;
  }
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

// The one signed percentage a cell holds, or nullopt; an unsigned one takes `implied_sign` (0: none).
std::optional<quantity> change_cell(const std::string& cell, int implied_sign) {
  const auto low = text::lower_ascii(cell);
  auto qs = text::find_quantities(cell, low);
  if (qs.size() != 1) return std::nullopt;
  if (qs[0].cls == unit_class::percent && qs[0].sign == 0 && !qs[0].high) qs[0].sign = implied_sign;
  if (!signed_percent(qs[0])) return std::nullopt;
  return qs[0];
}

// The sign a caption gives unsigned percentages below it: "an average speedup of 2.64% as
// follows:" makes each a gain.
int caption_sign(std::string_view caption_low) {
  constexpr std::string_view gains[] = {"speedup", "speed-up", "faster", "improvement", "improves", "gain", "gains"};
  return text::contains_word(caption_low, gains, true) ? 1 : 0;
}

// A column that names no measure: of speed where its changes are mostly rises, of time where they
// are mostly falls (the author shows the table for the gain the change makes).
std::string unnamed_measure(const std::vector<std::vector<std::string>>& body, std::size_t column, int implied_sign) {
  int rises = 0;
  for (const auto& row : body) {
    if (column >= row.size()) continue;
    if (const auto q = change_cell(row[column], implied_sign)) rises += q->sign > 0 ? 1 : -1;
  }
  return rises > 0 ? "throughput" : "time";
}

// "min" / "avg" / "max" and the like as a column's qualifier.
claim_qualifier column_qualifier(std::string_view header_low) {
  if (header_low == "max" || header_low == "maximum") return claim_qualifier::up_to;
  if (header_low == "min" || header_low == "minimum") return claim_qualifier::at_least;
  return qualifier_near(header_low, 0, 0, false, k_whole);
}

}  // namespace

bool scan_change_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& body,
                       std::span<const std::string_view> lines, std::string_view caption, claim_source source,
                       std::vector<perf_claim>& out) {
  // Value cells: those after the leading label cells, every one a signed change (or unsigned under
  // a caption that says they are gains).
  const auto caption_low = spell_up_to(text::lower_ascii(caption));
  const int implied = caption_sign(caption_low);
  std::size_t changes = 0;
  for (const auto& row : body) {
    bool labels = true;
    for (const auto& cell : row) {
      const bool change = change_cell(cell, implied).has_value();
      if (!change && !labels) return false;
      labels = labels && !change;
      changes += change;
    }
  }
  if (changes < 2) return false;
  for (std::size_t r = 0; r < body.size() && r < lines.size(); ++r) {
    for (std::size_t j = 0; j < body[r].size(); ++j) {
      const auto q = change_cell(body[r][j], implied);
      if (!q || q->value == 0.0) continue;
      const auto column_low = j < header.size() ? text::lower_ascii(header[j]) : std::string();
      auto metric = metric_in(column_low, column_low.size(), column_low.size());
      if (metric.empty()) metric = metric_in(caption_low, caption_low.size(), caption_low.size());
      if (!is_latency_metric(metric) && !is_throughput_metric(metric) && metric != "memory") {
        metric = unnamed_measure(body, j, implied);
      }
      context c{lines[r], caption_low, source, states_cumulative(caption_low), {}};
      auto pc = change_claim(c, *q, metric);
      if (!pc) continue;
      pc->qualifier = column_qualifier(column_low);
      out.push_back(std::move(*pc));
    }
  }
  return true;
}

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
