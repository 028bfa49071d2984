#include "generate/claim_tables.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "generate/claim_builders.hpp"
#include "generate/claim_change_rows.hpp"
#include "generate/claim_rows.hpp"
#include "generate/column_sides.hpp"
#include "generate/table_pairs.hpp"
#include "generate/text_scan.hpp"
#include "generate/unit_names.hpp"

namespace isobench::detail {

namespace {

using text::quantity;
using text::unit_class;

std::optional<quantity> cell_quantity(std::string_view cell, std::string_view unit_context) {
  const auto low = text::lower_ascii(cell);
  auto qs = text::find_quantities(cell, low);
  if (qs.empty()) return std::nullopt;
  auto q = qs.front();
  if (q.cls == unit_class::none) {
    if (auto u = text::unit_in_parentheses(text::lower_ascii(unit_context))) {
      q.unit = u->unit;
      q.cls = u->cls;
      q.scale = u->scale;
    }
  }
  return q;
}

// A markdown table being scanned: its header, body rows and the text around it.
struct table_view {
  const std::vector<std::string_view>& rows;
  std::string_view caption;
  claim_source source;
  std::vector<std::string> header;
  std::size_t first = 1;  // the first body row
  std::vector<std::vector<std::string>> body;
};

// A before/after pair found in a table, with its row (or column) label as context.
void emit_table_pair(const table_view& t, std::string_view row_text, std::string_view label,
                     const std::optional<quantity>& a, const std::optional<quantity>& b, std::vector<perf_claim>& out) {
  if (!a || !b) return;
  const std::string ctx = std::string(label) + " | " + std::string(t.caption);
  context c{row_text, spell_up_to(text::lower_ascii(ctx)), t.source, false, {}};
  c.cumulative = states_cumulative(text::lower_ascii(t.caption));
  const auto metric = metric_in(c.low, 0, 0, k_whole);
  // A unit named in the caption serves only a column whose header names no measure of another
  // kind ("throughput (ref)" under "... ITL is median in ms").
  const auto label_low = text::lower_ascii(label);
  const auto header_metric = metric_in(label_low, 0, 0, k_whole);
  auto unit = text::unit_in_parentheses(label_low);
  const auto caption_low = text::lower_ascii(t.caption);
  for (std::size_t i = 0; !unit && i < label_low.size();) {  // the caption names a label word's unit
    std::size_t e = i;
    while (e < label_low.size() && text::is_alnum(label_low[e])) ++e;
    const auto word = std::string_view(label_low).substr(i, e - i);
    if (word.size() >= 3 && !std::isdigit(static_cast<unsigned char>(word[0]))) {
      unit = text::unit_after_word(caption_low, word);
    }
    i = e + 1;
  }
  if (!unit) {
    unit = text::unit_in_parentheses(c.low);
    const bool clash = unit && ((is_throughput_metric(header_metric) && unit->cls == unit_class::time) ||
                                (is_latency_metric(header_metric) && unit->cls == unit_class::throughput));
    if (clash) unit.reset();
  }
  quantity qa = *a, qb = *b;
  for (auto* q : {&qa, &qb}) {
    if (q->cls == unit_class::none) {
      if (const auto& u = unit) {
        q->unit = u->unit;
        q->cls = u->cls;
        q->scale = u->scale;
      }
    }
  }
  if (auto pc = pair_claim(c, qa, qb, header_metric.empty() ? metric : header_metric)) {
    pc->qualifier = qualifier_near(c.low, 0, 0, false, k_whole);
    out.push_back(std::move(*pc));
  }
}

// Rows for before and after (a vertical table): one pair per column. False when there are none.
bool scan_table_rows(const table_view& t, std::vector<perf_claim>& out) {
  std::optional<std::size_t> before_row, after_row;
  for (std::size_t r = 0; r < t.body.size(); ++r) {
    if (t.body[r].empty()) continue;
    const auto s = column_side(t.body[r][0]);
    if (s == side::before && !before_row) before_row = r;
    if (s == side::after && !after_row) after_row = r;
  }
  // "SDMA off" / "SDMA on": two rows that name one switch.
  for (std::size_t r = 0; r < t.body.size() && !(before_row && after_row); ++r) {
    for (std::size_t q = r + 1; q < t.body.size() && !t.body[r].empty(); ++q) {
      if (t.body[q].empty()) continue;
      const auto s = switched_side(t.body[r][0], t.body[q][0]);
      if (s == side::none) continue;
      before_row = s == side::before ? r : q;
      after_row = s == side::before ? q : r;
      break;
    }
  }
  if (!before_row || !after_row) return false;
  const auto& b = t.body[*before_row];
  const auto& a = t.body[*after_row];
  const auto& header = t.header;
  for (std::size_t col = 1; col < header.size() && col < a.size() && col < b.size(); ++col) {
    const std::string row_text = header[col] + ": " + b[col] + " -> " + a[col];
    emit_table_pair(t, row_text, header[col], cell_quantity(b[col], header[col]), cell_quantity(a[col], header[col]),
                    out);
  }
  return true;
}

// A speedup column: one factor per row.
void scan_speedup_column(const table_view& t, std::size_t speedup_col, std::vector<perf_claim>& out) {
  for (std::size_t r = 0; r < t.body.size(); ++r) {
    const auto& cells = t.body[r];
    if (cells.size() <= speedup_col) continue;
    const auto low = text::lower_ascii(cells[speedup_col]);
    auto qs = text::find_quantities(cells[speedup_col], low);
    if (qs.empty() || (qs[0].cls != unit_class::none && qs[0].cls != unit_class::factor)) continue;
    const std::string ctx =
        (cells.empty() ? std::string() : cells[0]) + " " + t.header[speedup_col] + " " + std::string(t.caption);
    context c{t.rows[t.first + r], spell_up_to(text::lower_ascii(ctx)), t.source, false, {}};
    perf_claim pc;
    pc.text = clip(t.rows[t.first + r]);
    pc.source = t.source;
    pc.kind = claim_kind::speedup;
    pc.value = qs[0].value;
    if (qs[0].high) {  // "1.12-1.52x"
      pc.value_to = qs[0].high;
      pc.qualifier = claim_qualifier::range;
    }
    pc.unit.push_back('x');  // not = "x": GCC 12 -O3 misreads that as an overlapping copy (-Wrestrict)
    pc.metric = metric_in(c.low, 0, 0, k_whole);
    if (pc.metric.empty()) pc.metric = "speed";
    if (pc.value <= 0.0 || pc.value == 1.0) continue;  // the baseline row ("1.00x")
    pc.direction = pc.value >= 1.0 ? claim_direction::improvement : claim_direction::regression;
    pc.expected_speedup = pc.value;
    out.push_back(std::move(pc));
  }
}

// Each bare figure of a markdown row takes the unit its column's header names ("Regular (MB)"): a
// row may hold columns of several units.
void give_column_units(std::string_view row, const std::vector<std::string>& header, std::vector<quantity>& qs) {
  if (!row.starts_with('|')) return;
  for (auto& q : qs) {
    if (q.cls != unit_class::none) continue;
    const auto bars =
        static_cast<std::size_t>(std::count(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(q.begin), '|'));
    if (bars == 0 || bars > header.size()) continue;
    if (const auto u = text::unit_in_parentheses(text::lower_ascii(header[bars - 1]))) {
      q.unit = u->unit;
      q.cls = u->cls;
      q.scale = u->scale;
    }
  }
}

// Rows whose relative-change column confirms their two values ("| 12.1 | 10.4 | 14.0% |").
bool table_row_pairs(const std::vector<std::string_view>& rows, std::size_t first, std::string_view caption,
                     claim_source source, std::vector<perf_claim>& out) {
  const auto before = out.size();
  const auto header_low = text::lower_ascii(std::string(caption) + " " + std::string(rows[0]));
  const auto header = rows[0].starts_with('|') ? cells_of(rows[0]) : std::vector<std::string>{};
  for (std::size_t r = first; r < rows.size(); ++r) {
    context c{rows[r], spell_up_to(text::lower_ascii(rows[r])), source, false, {}};
    auto qs = text::find_quantities(rows[r], c.low);
    give_column_units(rows[r], header, qs);
    std::vector<bool> used(qs.size(), false);
    scan_row_pairs(c, qs, header_low, out, used);
  }
  return out.size() != before;
}

std::string header_low_of(const table_view& t) {
  return text::lower_ascii(std::string(t.caption) + " " + std::string(t.rows[0]));
}

// A row with more than the named pair ("| 64 | 0.068 | 0.065 | +4.40% | 0.068 | 0.065 | +4.22% |",
// the same measurement with another setting): each further pair its relative-change column
// confirms, unless it restates a pair this row already gave (from index `named` of `out`).
void more_row_pairs(std::string_view row, const std::string& header_low, claim_source source, std::size_t named,
                    std::vector<perf_claim>& out) {
  std::vector<perf_claim> found;
  context c{row, spell_up_to(text::lower_ascii(row)), source, false, {}};
  const auto qs = text::find_quantities(row, c.low);
  std::vector<bool> used(qs.size(), false);
  scan_row_pairs(c, qs, header_low, found, used);
  // The pair's two values, smaller first (by value: std::minmax would return references to the
  // temporaries value_or makes).
  const auto ends = [](const perf_claim& p) {
    const double to = p.value_to.value_or(p.value);
    return std::pair{std::min(p.value, to), std::max(p.value, to)};
  };
  const auto near = [](double a, double b) { return std::abs(a - b) <= 1e-9 * std::abs(b); };
  for (auto& f : found) {
    const auto lf = ends(f);
    const bool known =
        std::any_of(out.begin() + static_cast<std::ptrdiff_t>(named), out.end(), [&](const perf_claim& o) {
          const auto lo = ends(o);
          return near(lo.first, lf.first) && near(lo.second, lf.second);
        });
    if (!known) out.push_back(std::move(f));
  }
}

// A column of factors ("1.02x", "1.09-1.18x (8192x4096)"): a ratio of the two sides, read as a
// speedup. Cells in words ("parity", "favorable at large M") may sit between them; a cell whose first
// figure is anything but a factor means the column is not one.
bool factor_column(const std::vector<std::vector<std::string>>& body, std::size_t col) {
  if (col == 0 || body.empty()) return false;
  int factors = 0;
  for (const auto& cells : body) {
    if (cells.size() <= col) return false;
    const auto low = text::lower_ascii(cells[col]);
    const auto qs = text::find_quantities(cells[col], low);
    if (qs.empty()) continue;
    if (qs[0].cls != unit_class::factor) return false;
    ++factors;
  }
  return factors > 0;
}

// The first value column (not the row label's) whose header names the unit column `of` names.
std::optional<std::size_t> first_column_in_unit_of(const std::vector<std::string>& header, std::size_t of) {
  const auto unit = text::unit_in_parentheses(text::lower_ascii(header[of]));
  if (!unit) return std::nullopt;
  for (std::size_t c = 1; c < header.size(); ++c) {
    if (c == of) continue;
    const auto u = text::unit_in_parentheses(text::lower_ascii(header[c]));
    if (u && u->unit == unit->unit) return c;
  }
  return std::nullopt;
}

}  // namespace

// Columns for before and after (horizontal), pairs of columns named alike, rows a relative-change
// column confirms, rows for before and after (vertical), or a speedup column: the first that fits.
void scan_table(const std::vector<std::string_view>& rows, std::string_view caption, claim_source source,
                std::vector<perf_claim>& out) {
  if (rows.size() < 2) return;
  table_view t{rows, caption, source, cells_of(rows[0]), 1, {}};
  if (t.first < rows.size() && separator_row(cells_of(rows[t.first]))) ++t.first;
  for (std::size_t r = t.first; r < rows.size(); ++r) t.body.push_back(cells_of(rows[r]));
  const auto& header = t.header;

  std::optional<std::size_t> before_col, after_col;
  std::vector<std::size_t> speedup_cols;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const auto s = strong_column_side(header[i]);
    if (s == side::before && !before_col) before_col = i;
    if (s == side::after && !after_col) after_col = i;
  }
  const bool strong = before_col && after_col;
  if (!strong) before_col = after_col = std::nullopt;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const auto s = strong ? side::none : column_side(header[i]);
    if (s == side::before && !before_col) before_col = i;
    if (s == side::after && !after_col) after_col = i;
    const auto low = text::lower_ascii(header[i]);
    if (low.find("speedup") != std::string::npos || low.find("speed-up") != std::string::npos ||
        factor_column(t.body, i)) {
      speedup_cols.push_back(i);
    }
  }
  // Two value columns, one of them named ("Expanded (#3952)" | "Single (this PR)"): the other
  // column is the other side.
  if (header.size() == 3 && (before_col.has_value() != after_col.has_value())) {
    auto& missing = before_col ? after_col : before_col;
    missing = (before_col ? *before_col : *after_col) == 1 ? 2 : 1;
  }
  // Only the new side named, among several columns of its unit ("TMA + copy (us)" | "Vectorized
  // (us)" | "This PR (us)"): the first of them is the reference the table starts from.
  if (after_col && !before_col && header.size() > 3) before_col = first_column_in_unit_of(header, *after_col);
  // Measures side by side, each in a pair of columns named by side ("ITL (CAKE)" | "ITL (ref)").
  if (const auto pairs = named_column_pairs(header); pairs.size() >= 2 || (pairs.size() == 1 && !after_col)) {
    for (std::size_t r = 0; r < t.body.size(); ++r) {
      const auto& cells = t.body[r];
      for (const auto& [b, a] : pairs) {
        if (cells.size() <= std::max(b, a)) continue;
        const std::string label = cells[0] + " " + header[b] + " " + header[0];
        emit_table_pair(t, rows[t.first + r], label, cell_quantity(cells[b], label), cell_quantity(cells[a], label),
                        out);
      }
    }
    return;
  }
  if (!before_col && !after_col) {
    if (const auto ordered = columns_a_difference_orders(header, t.body)) std::tie(before_col, after_col) = *ordered;
  }
  if (before_col && after_col && *before_col != 0 && *after_col != 0) {
    for (std::size_t r = 0; r < t.body.size(); ++r) {
      const auto& cells = t.body[r];
      if (cells.size() <= std::max(*before_col, *after_col)) continue;
      const std::string label = cells[0] + " " + header[*before_col] + " " + header[0];
      const auto named = out.size();
      emit_table_pair(t, rows[t.first + r], label, cell_quantity(cells[*before_col], label),
                      cell_quantity(cells[*after_col], label), out);
      more_row_pairs(rows[t.first + r], header_low_of(t), source, named, out);
    }
    return;
  }
  if (table_row_pairs(rows, t.first, caption, source, out)) return;
  if (scan_table_rows(t, out)) return;
  if (scan_change_table(header, t.body, std::span(rows).subspan(t.first), caption, source, out)) return;
  for (auto col : speedup_cols) scan_speedup_column(t, col, out);  // "Throughput Speedup" | "ITL Speedup"
}

bool names_cells(std::string_view line, bool one_will_do) {
  const auto cells = cells_of(line);
  if (cells.size() < (one_will_do ? 1u : 2u)) return false;
  return std::all_of(cells.begin(), cells.end(), [](const std::string& c) {
    const bool letter =
        std::any_of(c.begin(), c.end(), [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)); });
    const bool digit =
        std::any_of(c.begin(), c.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
    return letter && !digit;
  });
}

}  // namespace isobench::detail
