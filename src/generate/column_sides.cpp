#include "generate/column_sides.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <span>

#include "generate/text_scan.hpp"

namespace isobench::detail {

// "Before:", "**After (this PR)**", "### Baseline", "With this PR:" -> the side and the rest.
std::pair<side, std::string_view> label_of(std::string_view line) {
  auto t = text::trim(line);
  while (!t.empty() && (t.front() == '#' || t.front() == '*' || t.front() == '-' || t.front() == '_' ||
                        t.front() == ' ' || t.front() == '`')) {
    t.remove_prefix(1);
  }
  const auto low = text::lower_ascii(t.substr(0, std::min<std::size_t>(t.size(), 48)));
  constexpr std::string_view before_words[] = {"before",      "baseline", "main branch", "main:",  "without this pr",
                                               "w/o this pr", "original", "old:",        "master:"};
  constexpr std::string_view after_words[] = {"after", "with this pr", "this pr", "with pr", "optimized", "new:",
                                              "ours",  "patched",      "head:",   "this:"};
  side s = side::none;
  for (auto w : before_words) {
    if (text::word_at(low, 0, w, false)) s = side::before;
  }
  if (s == side::none) {
    for (auto w : after_words) {
      if (text::word_at(low, 0, w, false)) s = side::after;
    }
  }
  if (s == side::none) return {side::none, {}};
  // "This PR: adds ... (a whole flattened post)": prose that starts with a side word, not a label.
  if (t.size() > 300) return {side::none, {}};
  // "Before: 120 tok/s, After: 150 tok/s", "main: ... this PR: ..." (a page's post on one line):
  // both sides in one line, not a block label.
  const auto whole = text::lower_ascii(t);
  constexpr std::string_view after_captions[] = {
      "this pr:", "with pr:", "new:", "optimized:", "patched:", "head:", "ours:", "with this change:"};
  const auto beyond_label =
      std::string_view(whole).substr(std::min(whole.size(), whole.find(':') + 1));  // "Before this PR:"
  if (s == side::before &&
      (whole.find("after") != std::string::npos || text::contains_word(beyond_label, after_captions))) {
    return {side::none, {}};
  }
  const auto colon = t.find(':');
  const bool short_line = t.size() <= 40 && t.find('.') == std::string_view::npos;
  if (colon != std::string_view::npos && colon <= 40) return {s, t.substr(colon + 1)};
  if (short_line && low.find(',') == std::string::npos) return {s, {}};
  return {side::none, {}};
}

namespace {

// The side the first of `before` (then `after`) words names, as whole words of `low`.
side first_side(std::string_view low, std::span<const std::string_view> before,
                std::span<const std::string_view> after) {
  for (auto w : before) {
    if (text::contains_word(low, std::span(&w, 1), true)) return side::before;
  }
  for (auto w : after) {
    if (text::contains_word(low, std::span(&w, 1), true)) return side::after;
  }
  return side::none;
}

}  // namespace

// Words that name a side outright ("Before (us)", "this PR"), checked before the weaker ones.
side strong_column_side(std::string_view header) {
  constexpr std::string_view before_words[] = {"before", "baseline", "w/o", "without"};
  constexpr std::string_view after_words[] = {"after", "this pr"};
  return first_side(text::lower_ascii(header), before_words, after_words);
}

side column_side(std::string_view header) {
  constexpr std::string_view before_words[] = {"w/o",      "without", "before",   "baseline", "main", "old",
                                               "original", "base",    "previous", "master",   "ref",  "eager"};
  constexpr std::string_view after_words[] = {"after",     "this pr", "pr",   "new",  "optimized",
                                              "optimised", "ours",    "with", "w/",   "patched",
                                              "patch",     "head",    "opt",  "fused"};
  return first_side(text::lower_ascii(header), before_words, after_words);
}

side attributed_side(std::string_view window_low) {
  constexpr std::string_view before_words[] = {"master", "main", "baseline", "before", "original", "w/o", "without"};
  constexpr std::string_view after_words[] = {
      "this pr", "with pr",        "+ pr",       "the pr",           "pr:",          "this change", "after",
      "patched", "with the patch", "with patch", "with this branch", "this branch:", "with change", "with the change"};
  const bool before = text::contains_word(window_low, before_words, true);
  const bool after = text::contains_word(window_low, after_words, true);
  if (before == after) return side::none;
  return before ? side::before : side::after;
}

namespace {

std::vector<std::string> words_of(std::string_view header) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : text::lower_ascii(header)) {
    if (ch == ' ' || ch == '\t') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string joined(const std::vector<std::string>& w, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) out += (out.empty() ? "" : " ") + w[i];
  return out;
}

// The sides of two headers that share words around what differs: (before, after) as 0/1, or
// nullopt. One named side names the other ("throughput (CAKE)" | "throughput (ref)").
std::optional<std::pair<int, int>> paired_by_name(std::string_view x, std::string_view y) {
  const auto a = words_of(x), b = words_of(y);
  std::size_t pre = 0, suf = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  while (suf < a.size() - pre && suf < b.size() - pre && a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) ++suf;
  if (pre + suf == 0 || pre + suf == a.size() || pre + suf == b.size()) return std::nullopt;
  const auto sa = column_side(joined(a, pre, a.size() - suf));
  const auto sb = column_side(joined(b, pre, b.size() - suf));
  if (sa == sb) return std::nullopt;
  if (sa == side::before || sb == side::after) return std::pair{0, 1};
  return std::pair{1, 0};
}

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> named_column_pairs(const std::vector<std::string>& header) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::vector<int> partners(header.size(), 0);
  std::vector<std::pair<std::size_t, std::size_t>> found;
  for (std::size_t i = 1; i < header.size(); ++i) {
    for (std::size_t j = i + 1; j < header.size(); ++j) {
      const auto p = paired_by_name(header[i], header[j]);
      if (!p) continue;
      ++partners[i];
      ++partners[j];
      found.push_back(p->first == 0 ? std::pair{i, j} : std::pair{j, i});
    }
  }
  for (const auto& f : found) {
    if (partners[f.first] == 1 && partners[f.second] == 1) out.push_back(f);
  }
  return out;
}

side switched_side(std::string_view x, std::string_view y) {
  constexpr std::pair<std::string_view, std::string_view> switches[] = {
      {"off", "on"}, {"disabled", "enabled"}, {"false", "true"}, {"=0", "=1"}};
  const auto a = text::lower_ascii(text::trim(x)), b = text::lower_ascii(text::trim(y));
  for (const auto& [off, on] : switches) {
    const auto same_switch = [&](std::string_view p, std::string_view q, std::string_view ps, std::string_view qs) {
      return p.ends_with(ps) && q.ends_with(qs) && p.size() > ps.size() &&
             p.substr(0, p.size() - ps.size()) == q.substr(0, q.size() - qs.size());
    };
    if (same_switch(a, b, off, on)) return side::before;
    if (same_switch(a, b, on, off)) return side::after;
  }
  return side::none;
}

namespace {

// The signed value of a cell's only figure in base units ("-0.28s" -> -0.28), or nullopt for a
// cell of words ("tied"), of several figures or of a percentage.
std::optional<double> signed_figure(const std::string& cell) {
  const auto low = text::lower_ascii(cell);
  const auto qs = text::find_quantities(cell, low);
  if (qs.size() != 1 || qs[0].cls == text::unit_class::percent || qs[0].cls == text::unit_class::factor) {
    return std::nullopt;
  }
  return (qs[0].sign < 0 ? -qs[0].value : qs[0].value) * qs[0].scale;
}

bool names_a_difference(std::string_view header) {
  constexpr std::string_view words[] = {"delta", "diff", "difference", "\xce\x94"};
  return text::contains_word(text::lower_ascii(header), words, true);
}

}  // namespace

std::optional<std::pair<std::size_t, std::size_t>> columns_a_difference_orders(
    const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& body) {
  for (std::size_t d = 3; d < header.size(); ++d) {
    if (!names_a_difference(header[d])) continue;
    for (std::size_t i = 1; i < d; ++i) {
      for (std::size_t j = i + 1; j < d; ++j) {
        int agree = 0, disagree = 0;
        for (const auto& cells : body) {
          if (cells.size() <= d) continue;
          const auto x = signed_figure(cells[i]), y = signed_figure(cells[j]), delta = signed_figure(cells[d]);
          if (!x || !y || !delta) continue;
          const double want = *y - *x;
          (std::abs(*delta - want) <= 0.02 * std::abs(want) + 1e-9 * std::abs(*x) ? agree : disagree)++;
        }
        if (agree > 0 && disagree == 0) return std::pair{i, j};
      }
    }
  }
  return std::nullopt;
}

}  // namespace isobench::detail
