#include "generate/table_pairs.hpp"

#include <algorithm>
#include <cctype>

#include "generate/claim_builders.hpp"
#include "generate/text_scan.hpp"
#include "generate/unit_names.hpp"

namespace isobench::detail {

namespace {

using text::quantity;
using text::unit_class;

constexpr std::size_t k_max_rows = 256;

}  // namespace

std::vector<std::string> spaced_cells(std::string_view line) {
  std::vector<std::string> cells;
  std::string cur;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const bool gap = line[i] == '\t' || (line[i] == ' ' && i + 1 < line.size() && line[i + 1] == ' ');
    if (!gap) {
      cur += line[i];
      continue;
    }
    if (!text::trim(cur).empty()) cells.emplace_back(text::trim(cur));
    cur.clear();
    while (i + 1 < line.size() && (line[i + 1] == ' ' || line[i + 1] == '\t')) ++i;
  }
  if (!text::trim(cur).empty()) cells.emplace_back(text::trim(cur));
  return cells;
}

namespace {

// The one number a cell holds ("12.1", "12.1 ms", "**59.2**"), or nullopt.
std::optional<quantity> only_quantity(const std::string& cell) {
  const auto low = text::lower_ascii(cell);
  auto qs = text::find_quantities(cell, low);
  if (qs.size() != 1 || qs[0].high) return std::nullopt;
  return qs[0];
}

}  // namespace

bool numeric_cell(const std::string& cell) {
  return only_quantity(cell).has_value();
}

bool numeric_row(const std::vector<std::string>& cells) {
  return cells.size() >= 2 && std::all_of(cells.begin(), cells.end(), numeric_cell);
}

namespace {

std::string squeezed_low(const std::string& cell) {
  std::string out;
  for (char ch : text::lower_ascii(cell)) {
    if (ch != ' ' && ch != '*' && ch != '`') out += ch;
  }
  return out;
}

// Cells that agree in both tables are settings; a table pair shares them in most rows.
bool same_settings(const captioned_table& a, const captioned_table& b) {
  std::size_t agreeing = 0;
  for (std::size_t r = 0; r < a.rows.size(); ++r) {
    const auto& x = a.rows[r];
    const auto& y = b.rows[r];
    bool any = false;
    for (std::size_t j = 0; j < x.size() && j < y.size(); ++j) any = any || squeezed_low(x[j]) == squeezed_low(y[j]);
    agreeing += any;
  }
  return 2 * agreeing >= a.rows.size();
}

std::string column_name(const captioned_table& t, std::size_t j, std::size_t cols) {
  if (t.header.size() > cols || j + t.header.size() < cols) return {};
  return t.header[j + t.header.size() - cols];  // right-aligned: a frame's index has no name
}

// Which way is better in a column no unit or metric names: the way most of its cells moved (the
// author shows the table for the change it makes).
unit_class majority_class(const captioned_table& before, const captioned_table& after, std::size_t j) {
  int up = 0, down = 0;
  for (std::size_t r = 0; r < before.rows.size(); ++r) {
    if (j >= before.rows[r].size() || j >= after.rows[r].size()) continue;
    const auto a = only_quantity(before.rows[r][j]);
    const auto b = only_quantity(after.rows[r][j]);
    if (!a || !b) continue;
    up += b->value > a->value;
    down += b->value < a->value;
  }
  return down >= up ? unit_class::time : unit_class::throughput;
}

void pair_cells(const captioned_table& before, const captioned_table& after, std::size_t r, claim_source source,
                std::vector<perf_claim>& out) {
  const auto& x = before.rows[r];
  const auto& y = after.rows[r];
  if (x.size() != y.size()) return;
  for (std::size_t j = 0; j < x.size(); ++j) {
    auto a = only_quantity(x[j]);
    auto b = only_quantity(y[j]);
    if (!a || !b || a->value == b->value || squeezed_low(x[j]) == squeezed_low(y[j])) continue;
    const auto name = text::lower_ascii(column_name(after, j, y.size()));
    constexpr std::string_view not_speed[] = {"acc", "accuracy", "score", "ppl", "error", "loss", "count"};
    if (text::contains_word(name, not_speed, true)) continue;
    const std::string context_low = name + " | " + after.caption_low;
    const auto cell_low = text::lower_ascii(y[j]);
    for (auto* q : {&*a, &*b}) {
      const auto right_after = text::unit_right_after(cell_low, *b);  // "2.5 (seconds)"
      q->begin = q->end = 0;
      if (q->cls != unit_class::none) continue;
      if (auto u = right_after;
          u || (u = text::unit_in_parentheses(name)) || (u = text::unit_in_parentheses(after.caption_low))) {
        q->unit = u->unit;
        q->cls = u->cls;
        q->scale = u->scale;
      }
    }
    const std::string sentence = std::string(before.lines[r]) + " -> " + std::string(after.lines[r]);
    context c{sentence, context_low, source, false, {}};
    auto metric = metric_in(name, name.size(), name.size());
    auto pc = pair_claim(c, *a, *b, metric);
    if (!pc && a->cls == unit_class::none && b->cls == unit_class::none && metric.empty()) {
      // A rate the header names in any spelling ("output_token_throught"), else the way most moved.
      a->cls = b->cls =
          name.find("through") != std::string::npos ? unit_class::throughput : majority_class(before, after, j);
      pc = pair_claim(c, *a, *b, "");
      if (pc) pc->metric.clear();
    }
    if (pc) out.push_back(std::move(*pc));
  }
}

}  // namespace

std::vector<std::string> cells_of(std::string_view row) {
  std::vector<std::string> cells;
  auto t = text::trim(row);
  const char sep = t.find('|') != std::string_view::npos ? '|' : '\t';
  if (!t.empty() && t.front() == sep) t.remove_prefix(1);
  if (!t.empty() && t.back() == sep) t.remove_suffix(1);
  std::size_t start = 0;
  for (std::size_t i = 0; i <= t.size(); ++i) {
    if (i == t.size() || t[i] == sep) {
      cells.emplace_back(text::trim(t.substr(start, i - start)));
      start = i + 1;
    }
  }
  return cells;
}

bool separator_row(const std::vector<std::string>& cells) {
  for (const auto& c : cells) {
    for (char ch : c) {
      if (ch != '-' && ch != ':' && ch != ' ') return false;
    }
  }
  return true;
}

std::optional<captioned_table> markdown_table(std::span<const std::string_view> rows, std::string_view caption) {
  if (rows.size() < 2) return std::nullopt;
  captioned_table t;
  t.caption_low = text::lower_ascii(caption);
  t.header = cells_of(rows[0]);
  // Tab-separated lines whose first already holds a figure (a tool's log) have no header row.
  const bool headless = rows[0].find('|') == std::string_view::npos &&
                        std::any_of(t.header.begin(), t.header.end(), [](const std::string& c) {
                          const auto q = only_quantity(c);
                          return q && (q->cls != unit_class::none || text::unit_right_after(text::lower_ascii(c), *q));
                        });
  if (headless) t.header.clear();
  for (std::size_t r = headless ? 0 : 1; r < rows.size() && t.rows.size() < k_max_rows; ++r) {
    auto cells = cells_of(rows[r]);
    if (separator_row(cells)) continue;
    t.rows.push_back(std::move(cells));
    t.lines.push_back(rows[r]);
  }
  if (t.rows.empty()) return std::nullopt;
  return t;
}

std::optional<captioned_table> code_block_table(std::span<const std::string_view> lines, std::string_view caption) {
  captioned_table t;
  t.caption_low = text::lower_ascii(caption);
  for (auto line : lines) {
    if (text::trim(line).empty()) continue;
    auto cells = spaced_cells(line);
    if (!numeric_row(cells)) {
      if (!t.rows.empty() || !t.header.empty()) return std::nullopt;  // only the first line names columns
      t.header = std::move(cells);
      continue;
    }
    if (!t.rows.empty() && cells.size() != t.rows.front().size()) return std::nullopt;
    if (t.rows.size() >= k_max_rows) return std::nullopt;
    t.rows.push_back(std::move(cells));
    t.lines.push_back(line);
  }
  if (t.rows.empty()) return std::nullopt;
  return t;
}

void pair_tables(const captioned_table& before, const captioned_table& after, claim_source source,
                 std::vector<perf_claim>& out) {
  if (before.rows.size() != after.rows.size() || before.rows.empty()) return;
  if (before.header.size() != after.header.size()) return;
  if (!same_settings(before, after)) return;
  for (std::size_t r = 0; r < before.rows.size(); ++r) pair_cells(before, after, r, source, out);
}

}  // namespace isobench::detail
