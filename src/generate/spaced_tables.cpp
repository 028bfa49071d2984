#include "generate/spaced_tables.hpp"

#include <optional>
#include <string>

#include "generate/claim_builders.hpp"
#include "generate/claim_tables.hpp"
#include "generate/claim_words.hpp"
#include "generate/column_sides.hpp"
#include "generate/table_pairs.hpp"
#include "generate/text_scan.hpp"
#include "generate/unit_names.hpp"

namespace isobench::detail {

namespace {

using text::quantity;
using text::unit_class;

struct measure {
  quantity unit;       // a template: the unit, its class and scale
  std::string metric;  // "tokens/s", "tpot", ... or ""
};

// The unit a header cell names: "(ms)", or a word that reads as a unit after a number ("tok/s").
std::optional<measure> measure_of(const std::string& cell) {
  const auto low = text::lower_ascii(cell);
  measure m;
  m.metric = metric_in(low, low.size(), low.size());
  if (auto u = text::unit_in_parentheses(low)) {
    m.unit = *u;
    return m;
  }
  for (std::size_t from = 0; from < low.size();) {
    const auto to = std::min(low.find(' ', from), low.size());
    if (auto u = text::unit_quantity(std::string_view(low).substr(from, to - from));
        u && u->cls != unit_class::percent && u->cls != unit_class::factor) {
      m.unit = *u;
      return m;
    }
    from = to + 1;
  }
  return std::nullopt;
}

// The arrow pairs of a row, in order: indices of their before figures in `qs`.
std::vector<std::size_t> arrow_pairs(std::string_view row, const std::vector<quantity>& qs) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i + 1 < qs.size(); ++i) {
    if (is_arrow(row.substr(qs[i].end, qs[i + 1].begin - qs[i].end), false)) out.push_back(i++);
  }
  return out;
}

}  // namespace

bool scan_arrow_table(std::span<const std::string_view> lines, claim_source source, std::vector<perf_claim>& out) {
  if (lines.size() < 2) return false;
  const auto header_low = text::lower_ascii(lines[0]);
  if (!text::find_quantities(lines[0], header_low).empty()) return false;  // a row, not a header
  std::vector<measure> measures;
  for (const auto& cell : spaced_cells(lines[0])) {
    if (auto m = measure_of(cell)) measures.push_back(std::move(*m));
  }
  if (measures.empty()) return false;
  std::vector<std::vector<quantity>> rows;
  for (const auto row : lines.subspan(1)) {
    const auto low = text::lower_ascii(row);
    auto qs = text::find_quantities(row, low);
    if (arrow_pairs(row, qs).size() != measures.size()) return false;
    rows.push_back(std::move(qs));
  }
  const auto found = out.size();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto row = lines[r + 1];
    const context c{row, text::lower_ascii(row), source, false, {}};
    const auto pairs = arrow_pairs(row, rows[r]);
    for (std::size_t k = 0; k < pairs.size(); ++k) {
      const auto& unit = measures[k].unit;
      auto pc = pair_claim(c, text::with_unit_of(rows[r][pairs[k]], unit),
                           text::with_unit_of(rows[r][pairs[k] + 1], unit), measures[k].metric);
      if (pc) out.push_back(std::move(*pc));
    }
  }
  return out.size() > found;
}

bool scan_spaced_table(const captioned_table& t, claim_source source, std::vector<perf_claim>& out) {
  if (t.rows.empty() || t.header.empty()) return false;
  std::vector<std::string> header;
  if (t.header.size() + 1 == t.rows.front().size()) header.emplace_back();  // a frame's unnamed index
  header.insert(header.end(), t.header.begin(), t.header.end());
  if (header.size() != t.rows.front().size()) return false;
  bool before = false, after = false;
  for (std::size_t c = 1; c < header.size(); ++c) {
    const auto s = column_side(header[c]);
    before = before || s == side::before;
    after = after || s == side::after;
  }
  if (!before || !after) return false;
  // Built with append(): GCC 12 -O3 misreads string operator+ here (-Wrestrict).
  const auto row = [](const std::vector<std::string>& cells) {
    std::string r(1, '|');
    for (const auto& c : cells) r.append(1, ' ').append(c).append(" |");
    return r;
  };
  std::vector<std::string> lines{row(header), std::string(header.size() * 4 + 2, '-')};
  lines[1].front() = '|';
  lines[1].back() = '|';
  for (const auto& cells : t.rows) lines.push_back(row(cells));
  const std::vector<std::string_view> views(lines.begin(), lines.end());
  const auto found = out.size();
  scan_table(views, t.caption_low, source, out);
  // The claims quote the rows as written, not the rows rebuilt here.
  for (std::size_t i = found; i < out.size(); ++i) {
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      if (out[i].text == clip(lines[r + 2])) out[i].text = clip(t.lines[r]);
    }
  }
  return out.size() > found;
}

}  // namespace isobench::detail
