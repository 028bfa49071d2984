#include "generate/claim_rows.hpp"

#include <cmath>
#include <optional>

#include "generate/unit_names.hpp"

namespace isobench::detail {

namespace {

using text::quantity;
using text::unit_class;

// "± 0.27", "+/- 10.38": a measurement's spread, not a column.
bool is_spread(std::string_view low, const quantity& q) {
  auto lead = text::trim(low.substr(0, q.begin));
  return lead.ends_with("\xc2\xb1") || lead.ends_with("+/-") || lead.ends_with("+-");
}

bool is_value(const quantity& q) {
  return q.cls == unit_class::none || q.cls == unit_class::time || q.cls == unit_class::throughput ||
         q.cls == unit_class::memory;
}

// Only cell separators, emphasis and spreads between two columns of one row; before a relative
// column also an opening parenthesis ("235.7 seconds 173.0 (0.73x)").
bool same_row(std::string_view low, std::size_t from, std::size_t to, bool relative = false) {
  if (to < from || to - from > 40) return false;
  for (std::size_t i = from; i < to; ++i) {
    const char ch = low[i];
    if (ch == '(' && relative && text::trim(low.substr(i + 1, to - i - 1)).empty()) continue;
    if (ch != ' ' && ch != '|' && ch != '*' && ch != '\t' && ch != '`' && ch != '_') return false;
  }
  return true;
}

bool close_to(double a, double b, double rel, double abs_tol) {
  return std::abs(a - b) <= std::max(abs_tol, rel * std::abs(b));
}

// Half the last written digit of the number at [begin, end): "1.01" was rounded by 0.005.
double rounding_of(std::string_view low, std::size_t begin, std::size_t end) {
  const auto t = low.substr(begin, end - begin);
  const auto dot = t.find('.');
  if (dot == std::string_view::npos) return 0.5;
  std::size_t digits = 0;
  for (std::size_t i = dot + 1; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) ++digits;
  return 0.5 * std::pow(10.0, -static_cast<double>(digits));
}

}  // namespace

order restates(std::string_view low, const quantity& a, const quantity& b, const quantity& r) {
  const double x = a.value * a.scale, y = b.value * b.scale;
  if (x <= 0.0 || y <= 0.0 || x == y) return order::none;
  // "| 1 | 2.37 | 2.35 |": a row label of 1; any figure near the next one "restates" a ratio to 1.
  if ((a.value == 1.0 || b.value == 1.0) && r.cls != unit_class::percent) return order::none;
  const bool bare_decimal = low.substr(r.begin, r.end - r.begin).find('.') != std::string_view::npos;
  const double slack = rounding_of(low, r.begin, r.end) * 1.05;
  if (r.cls == unit_class::factor || (r.cls == unit_class::none && bare_decimal && r.value < 50.0)) {
    if (close_to(r.value, y / x, 0.01, slack)) return order::forward;
    if (close_to(r.value, x / y, 0.01, slack)) return order::backward;
    return order::none;
  }
  if (r.cls != unit_class::percent) return order::none;
  const double p = r.value;
  for (double base : {x, y}) {
    if (close_to(p, std::abs(x - y) / base * 100.0, 0.02, std::max(slack, 0.06))) return order::forward;
  }
  if (close_to(p, x / y * 100.0, 0.01, slack) || close_to(p, y / x * 100.0, 0.01, slack)) return order::forward;
  return order::none;
}

namespace {

// Position of the last whole-word occurrence of any of `words` in `low`, or npos.
std::size_t last_word(std::string_view low, std::span<const std::string_view> words) {
  std::size_t best = std::string_view::npos;
  for (auto w : words) {
    for (std::size_t p = low.rfind(w); p != std::string_view::npos;
         p = p == 0 ? std::string_view::npos : low.rfind(w, p - 1)) {
      if (text::word_at(low, p, w, true)) {
        if (best == std::string_view::npos || p > best) best = p;
        break;
      }
    }
  }
  return best;
}

constexpr std::string_view k_saving_words[] = {"saving", "savings", "reduction", "saved"};

// A header naming the after side before the before side ("new | old | ratio").
bool header_reversed(std::string_view header_low) {
  // Not "with" / "without": a caption's prose uses them for settings ("with and without auto-tune").
  constexpr std::string_view before_words[] = {"before",   "baseline",  "master", "main", "previous", "old",
                                               "original", "reference", "ref",    "w/o",  "base"};
  constexpr std::string_view after_words[] = {"after", "this pr", "new",     "optimized", "optimised",
                                              "ours",  "tuned",   "patched", "pr",        "proposed"};
  const auto b = last_word(header_low, before_words);
  const auto a = last_word(header_low, after_words);
  return b != std::string_view::npos && a != std::string_view::npos && a < b;
}

void give_unit(quantity& q, const std::optional<quantity>& u) {
  if (q.cls != unit_class::none || !u) return;
  q.unit = u->unit;
  q.cls = u->cls;
  q.scale = u->scale;
}

// The text around where the flattened table that `low` ends in begins (its header): after the
// last stretch of 100 characters without a '|'. A long table is cut into pieces, and a later
// piece's header sits anywhere in the text before it.
std::string_view table_start(std::string_view low) {
  constexpr std::size_t gap = 100;
  std::size_t last_pipe = low.rfind('|');
  if (last_pipe == std::string_view::npos) return {};
  while (last_pipe > 0) {
    const std::size_t prev = low.rfind('|', last_pipe - 1);
    if (prev == std::string_view::npos) break;
    if (last_pipe - prev > gap) break;
    last_pipe = prev;
  }
  const std::size_t from = last_pipe > 150 ? last_pipe - 150 : 0;
  return low.substr(from, 300);
}

}  // namespace

void scan_row_pairs(const context& c, std::span<const quantity> qs, std::string_view header_low,
                    std::vector<perf_claim>& out, std::vector<bool>& used) {
  // The columns: quantities that are not spreads, each with the unit a spread after it carries.
  std::vector<std::size_t> cols;
  std::vector<std::size_t> col_end;
  for (std::size_t i = 0; i < qs.size(); ++i) {
    if (is_spread(c.low, qs[i]) && !cols.empty()) {
      col_end.back() = qs[i].end;
      continue;
    }
    cols.push_back(i);
    col_end.push_back(qs[i].end);
  }
  std::size_t prev_end = 0;
  std::optional<quantity> row_unit;  // the unit of the last row read with one
  for (std::size_t k = 0; k + 2 < cols.size(); ++k) {
    quantity a = qs[cols[k]], b = qs[cols[k + 1]];
    const quantity& r = qs[cols[k + 2]];
    if (!is_value(a) || !is_value(b) || !same_row(c.low, col_end[k], b.begin) ||
        !same_row(c.low, col_end[k + 1], r.begin, true)) {
      prev_end = col_end[k];
      continue;
    }
    const auto o = restates(c.low, a, b, r);
    if (o == order::none) {
      prev_end = col_end[k];
      continue;
    }
    // Units: the columns', a spread's ("6.96 +/- 0.00 ms"), the row label's, the header's.
    for (std::size_t s = cols[k] + 1; s < qs.size() && s < cols[k + 1]; ++s) give_unit(a, qs[s]);
    for (std::size_t s = cols[k + 1] + 1; s < qs.size() && s < cols[k + 2]; ++s) give_unit(b, qs[s]);
    if (a.cls == unit_class::none) give_unit(a, b);
    if (b.cls == unit_class::none) give_unit(b, a);
    std::size_t label_from = std::max(prev_end, a.begin > 40 ? a.begin - 40 : std::size_t{0});
    while (label_from > prev_end && label_from < a.begin && c.low[label_from - 1] != ' ') ++label_from;  // whole words
    const auto label_low = c.low.substr(label_from, a.begin - label_from);
    // The header: the text before the first row (the line before it, the sentence's start) and
    // the text just before this row; a flattened table's later rows keep its header's units.
    std::string header(table_start(header_low));
    header += ' ';
    header += header_low.substr(0, 200);  // where a long table split into pieces starts
    header += ' ';
    header += header_low.substr(header_low.size() > 600 ? header_low.size() - 400
                                                        : std::min<std::size_t>(header_low.size(), 200));
    header += ' ';
    header += c.low.substr(a.begin > 400 ? a.begin - 400 : 0, std::min<std::size_t>(a.begin, 400));
    if (a.cls == unit_class::none) {
      auto u = text::unit_in_parentheses(label_low);
      if (!u) u = text::unit_in_parentheses(header);
      if (!u) u = row_unit;  // "217→397 TFLOPS (+83%), S=128 196→335 (+71%)": an earlier row's
      give_unit(a, u);
      give_unit(b, u);
    }
    // A factor column says which side is the new one: a speedup (old time / new time, new rate /
    // old rate; any value under a "speedup" header) or, below 1 elsewhere, a ratio of new to old.
    const bool factor_col = r.cls != unit_class::percent && std::abs(r.value - 1.0) > 0.02;
    // "changed from 9.87 seconds 10.74 (1.09x)": the words name the old value; the factor is
    // then new / old whichever way it went.
    const bool from_named = text::trim(label_low).ends_with("from");
    if (from_named) {
      // The order is given.
    } else if (factor_col && (a.cls == unit_class::time || a.cls == unit_class::throughput)) {
      const bool speedup = r.value > 1.0 || header_low.find("speedup") != std::string_view::npos ||
                           header_low.find("speed-up") != std::string_view::npos;
      // The order the row would have if the first value were the old one.
      const order old_first = a.cls == unit_class::throughput || !speedup ? order::forward : order::backward;
      if (o != old_first) std::swap(a, b);
    } else if (header_reversed(header)) {
      std::swap(a, b);
    } else if (r.cls == unit_class::percent && (a.cls == unit_class::memory || a.cls == unit_class::time) &&
               text::contains_word(header, k_saving_words) && a.value * a.scale < b.value * b.scale) {
      std::swap(a, b);  // a "Savings" column: the larger value is the one before
    }
    std::string metric = metric_in(label_low, label_low.size(), label_low.size());
    if (metric.empty()) metric = metric_in(header, header.size(), header.size());
    auto pc = pair_claim(c, a, b, metric);
    if (!pc && a.cls == unit_class::none) {
      // No unit anywhere: the relative column says which way is better (a speedup of after/before).
      quantity ta = a, tb = b;
      ta.cls = tb.cls = o == order::forward ? unit_class::throughput : unit_class::time;
      pc = pair_claim(c, ta, tb, "");
      if (pc) {
        pc->unit.clear();
        pc->metric.clear();
      }
    }
    if (!pc) continue;
    if (a.cls != unit_class::none) row_unit = a;
    out.push_back(std::move(*pc));
    for (std::size_t s = cols[k]; s <= cols[k + 2]; ++s) used[s] = true;
    prev_end = r.end;
    k += 2;
  }
}

}  // namespace isobench::detail
