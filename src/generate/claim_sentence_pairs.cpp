#include "generate/claim_sentence_pairs.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "generate/claim_builders.hpp"
#include "generate/claim_rows.hpp"
#include "generate/column_sides.hpp"
#include "generate/text_scan.hpp"
#include "generate/unit_names.hpp"

namespace isobench::detail {

using text::quantity;
using text::unit_class;

// "21.5 ms/t on master, 21.7 ms/t with this PR", "baseline: ~95ms | this change: ~66ms": two
// consecutive figures of one kind, each attributed to a side by the words right after it (or
// right before it, for both).
void attributed_pairs(const context& c, const std::vector<quantity>& qs, std::vector<bool>& used,
                      std::vector<perf_claim>& out) {
  const auto measured = [](const quantity& q) {
    return q.cls == unit_class::time || q.cls == unit_class::throughput || q.cls == unit_class::memory;
  };
  const std::string_view low = c.low;
  for (std::size_t i = 0; i + 1 < qs.size(); ++i) {
    const auto& q = qs[i];
    // The next figure with a unit, over bare numbers between (a count column).
    std::size_t j = i + 1;
    while (j + 1 < qs.size() && qs[j].cls == unit_class::none && qs[j + 1].begin - q.end <= 60) ++j;
    const auto& n = qs[j];
    if (used[i] || used[j] || !measured(q) || n.cls != q.cls || n.begin - q.end > 60) continue;
    const std::size_t next_end = j + 1 < qs.size() ? qs[j + 1].begin : low.size();
    // The words before the first figure reach back over bare numbers ("Baseline 18766 1241.78
    // tokens/sec + PR 18638 1246.69 tokens/sec": a count column sits between label and figure).
    std::size_t prev = i;
    while (prev > 0 && qs[prev - 1].cls == unit_class::none && qs[prev - 1].end + 24 > q.begin) --prev;
    const std::size_t prev_end = prev > 0 ? qs[prev - 1].end : 0;
    const auto after_q = attributed_side(low.substr(q.end, std::min<std::size_t>(n.begin - q.end, 24)));
    const auto after_n = attributed_side(low.substr(n.end, std::min<std::size_t>(next_end - n.end, 24)));
    const auto before_q = attributed_side(low.substr(std::max(prev_end, q.begin > 24 ? q.begin - 24 : 0),
                                                     q.begin - std::max(prev_end, q.begin > 24 ? q.begin - 24 : 0)));
    const auto before_n = attributed_side(low.substr(std::max(q.end, n.begin > 24 ? n.begin - 24 : 0),
                                                     n.begin - std::max(q.end, n.begin > 24 ? n.begin - 24 : 0)));
    side sq = side::none, sn = side::none;
    if (after_q != side::none && after_n != side::none) {
      sq = after_q;
      sn = after_n;
    } else if (before_q != side::none && before_n != side::none) {
      sq = before_q;
      sn = before_n;
    }
    if (sq == side::none || sq == sn) continue;
    const bool q_first = sq == side::before;
    auto pc = pair_claim(c, q_first ? q : n, q_first ? n : q, metric_in(c.low, q.begin, n.end));
    if (!pc) continue;
    out.push_back(std::move(*pc));
    used[i] = used[j] = true;
    i = j;
  }
}

namespace {

// Whether the text after a bare figure leaves it bare: an end, a clause, not a word naming what
// was counted ("3 layers").
bool ends_a_figure(std::string_view after_low) {
  const auto t = text::trim(after_low.substr(0, std::min<std::size_t>(after_low.size(), 16)));
  if (t.empty() || !std::isalpha(static_cast<unsigned char>(t.front()))) return true;
  constexpr std::string_view links[] = {"for", "on", "in", "with", "at", "when", "and", "after", "while", "using"};
  return text::contains_word(t.substr(0, t.find(' ')), links, true);
}

}  // namespace

namespace {

// Two figures without units linked by an arrow or "from ... to", where the words right before the
// first name what was measured: "Benchmark duration (s): 437.69 -> 409.60" (the unit in
// parentheses), "reduces sampling latency from 3.67 to 0.92" (a latency or throughput word, which
// says which way is better). Elsewhere bare numbers are counts and settings, not claims.
std::optional<perf_claim> labelled_bare_pair(const context& c, const std::vector<quantity>& qs, std::size_t i) {
  const auto& q = qs[i];
  const auto& n = qs[i + 1];
  const std::size_t label_from = std::max(i > 0 ? qs[i - 1].end : 0, q.begin > 60 ? q.begin - 60 : 0);
  const auto label = std::string_view(c.low).substr(label_from, q.begin - label_from);
  const bool from = text::trim(label).ends_with("from");
  if (!is_arrow(std::string_view(c.low).substr(q.end, n.begin - q.end), from)) return std::nullopt;
  quantity qa = q, qb = n;
  if (const auto u = text::unit_in_parentheses(label);
      u && u->cls != unit_class::percent && u->cls != unit_class::factor && !from) {
    for (auto* x : {&qa, &qb}) {
      x->unit = u->unit;
      x->cls = u->cls;
      x->scale = u->scale;
    }
  } else if (!ends_a_figure(std::string_view(c.low).substr(n.end))) {
    return std::nullopt;  // "latency: 2 -> 3 layers" counts layers
  }
  const auto metric = metric_in(label, label.size(), label.size());
  if (qa.cls == unit_class::none && !is_latency_metric(metric) && !is_throughput_metric(metric)) return std::nullopt;
  return pair_claim(c, qa, qb, metric);
}

}  // namespace

namespace {

// The figure that the word `label` introduces directly ("before: 4.1", "after = 20.3"), or npos.
std::size_t figure_after_word(std::string_view low, const std::vector<quantity>& qs, std::string_view label) {
  for (std::size_t p = low.find(label); p != std::string_view::npos; p = low.find(label, p + 1)) {
    if (!text::word_at(low, p, label, true)) continue;
    std::size_t n = p + label.size();
    while (n < low.size() && low[n] == ' ') ++n;
    // One short word may name what is compared: "before diff: 3377", "after PR: 6369".
    std::size_t w = n;
    while (w < low.size() && low[w] >= 'a' && low[w] <= 'z') ++w;
    if (w > n && w - n <= 8 && w < low.size() && low[w] == ':') n = w;
    while (n < low.size() && (low[n] == ' ' || low[n] == ':' || low[n] == '=' || low[n] == '~')) ++n;
    for (std::size_t i = 0; i < qs.size(); ++i) {
      if (qs[i].begin == n) return i;
    }
  }
  return std::string_view::npos;
}

// "speed before: 4.1 after: 20.3": bare figures right after "before" and "after", the measure named
// before them; a pair only where that measure says which way is better.
std::optional<perf_claim> bare_before_after(const context& c, const std::vector<quantity>& qs) {
  const auto a = figure_after_word(c.low, qs, "before");
  const auto b = figure_after_word(c.low, qs, "after");
  if (a == std::string_view::npos || b == std::string_view::npos || b <= a) return std::nullopt;
  if (!ends_a_figure(std::string_view(c.low).substr(qs[b].end))) return std::nullopt;
  const auto label_from = qs[a].begin > 60 ? qs[a].begin - 60 : 0;
  const auto label = std::string_view(c.low).substr(label_from, qs[a].begin - label_from);
  auto metric = metric_in(label, label.size(), label.size());
  constexpr std::string_view speed[] = {"speed"};
  if (metric.empty() && text::contains_word(label, speed)) metric = "throughput";
  if (!is_latency_metric(metric) && !is_throughput_metric(metric)) return std::nullopt;
  return pair_claim(c, qs[a], qs[b], metric);
}

}  // namespace

void labelled_bare_pairs(const context& c, const std::vector<quantity>& qs, std::vector<perf_claim>& out) {
  if (auto pc = bare_before_after(c, qs)) {
    out.push_back(std::move(*pc));
    return;
  }
  for (std::size_t i = 0; i + 1 < qs.size(); ++i) {
    if (qs[i].cls != unit_class::none || qs[i + 1].cls != unit_class::none) continue;
    if (auto pc = labelled_bare_pair(c, qs, i)) {
      out.push_back(std::move(*pc));
      ++i;
    }
  }
}

namespace {

// Where a flattened table's header names its two columns by side, old first ("33B model master
// this PR GPU Read BW 167 GB/s 275 GB/s prompt 1 117ms/tok 79ms/tok"): the position after it, or
// npos.
std::size_t side_header_end(std::string_view low) {
  constexpr std::string_view olds[] = {"master",   "main",       "baseline", "before",   "base",
                                       "original", "pre-change", "pre-pr",   "pre-patch"};
  constexpr std::string_view news[] = {"this pr",   "pr",  "after",       "patched", "ours",
                                       "optimized", "new", "post-change", "post-pr", "post-patch"};
  std::size_t first = std::string_view::npos;
  for (auto o : olds) {
    for (std::size_t p = low.find(o); p != std::string_view::npos && p < first; p = low.find(o, p + 1)) {
      if (!text::word_at(low, p, o, true)) continue;
      std::size_t q = p + o.size();
      while (q < low.size() && (low[q] == ' ' || low[q] == '|' || low[q] == '*')) ++q;
      for (auto n : news) {
        if (text::word_at(low, q, n, true)) {
          first = std::min(first, q + n.size());
          break;
        }
      }
    }
  }
  return first;
}

}  // namespace

// After such a header, two figures of one unit with nothing but space between are a row's old and
// new value.
void side_header_pairs(const context& c, const std::vector<quantity>& qs, std::vector<bool>& used,
                       std::vector<perf_claim>& out) {
  const auto header_end = side_header_end(c.low);
  if (header_end == std::string_view::npos) return;
  for (std::size_t i = 0; i + 1 < qs.size(); ++i) {
    const auto& q = qs[i];
    const auto& n = qs[i + 1];
    const bool measured = q.cls == unit_class::time || q.cls == unit_class::throughput || q.cls == unit_class::memory;
    if (q.begin < header_end || used[i] || used[i + 1] || !measured || n.cls != q.cls || n.unit != q.unit) continue;
    if (!text::trim(std::string_view(c.low).substr(q.end, n.begin - q.end)).empty()) continue;
    if (q.sign != 0 || n.sign != 0) continue;  // "62.1 µs −15.4 µs": a value and its signed delta
    if (auto pc = pair_claim(c, q, n, metric_in(c.low, q.begin, n.end))) {
      out.push_back(std::move(*pc));
      used[i] = used[i + 1] = true;
      ++i;
    }
  }
}

namespace {

// "from 99.17 output tokens/s to 148.08 output tokens/s": the unit sits a word or two after each
// figure.
bool unit_phrase_pair(const context& c, bool from, quantity q, quantity n, std::vector<perf_claim>& out) {
  const auto between = std::string_view(c.low).substr(q.end, n.begin - q.end);
  const auto phrase = text::leading_unit_phrase(between);
  if (!phrase || !is_arrow(between.substr(phrase->second), from)) return false;
  const auto& u = phrase->first;
  if (u.cls == unit_class::percent || u.cls == unit_class::factor) return false;
  for (auto* x : {&q, &n}) {
    if (x->cls != unit_class::none) continue;
    x->unit = u.unit;
    x->cls = u.cls;
    x->scale = u.scale;
  }
  if (n.unit != q.unit) return false;
  auto pc = pair_claim(c, q, n, metric_in(c.low, q.begin, n.end));
  if (!pc) return false;
  out.push_back(std::move(*pc));
  return true;
}

}  // namespace

// "[-13.2% -12.9% -12.6%]": a confidence interval (criterion); its middle is the estimate, the
// bounds are marked used.
void mark_interval_bounds(const context& c, const std::vector<quantity>& qs, std::vector<bool>& used) {
  for (std::size_t i = 0; i + 2 < qs.size(); ++i) {
    const auto open = text::trim(std::string_view(c.low).substr(0, qs[i].begin));
    const auto close = text::trim(std::string_view(c.low).substr(qs[i + 2].end, 2));
    if (open.ends_with('[') && close.starts_with(']') && qs[i].cls == qs[i + 1].cls && qs[i].cls == qs[i + 2].cls) {
      used[i] = used[i + 2] = true;
      i += 2;
    }
  }
}

// "Before: 120 tok/s, After: 150 tok/s" within one sentence; false when it states no such pair.
// Factors and percentages are no side's value ("using 1x model").
bool labelled_before_after(const context& c, const std::vector<quantity>& qs, std::vector<perf_claim>& out) {
  const auto before_pos = c.low.find("before");
  const auto after_pos = c.low.find("after", before_pos == std::string::npos ? 0 : before_pos);
  if (before_pos == std::string::npos || after_pos == std::string::npos) return false;
  const auto value = [](const quantity& q) { return q.cls != unit_class::percent && q.cls != unit_class::factor; };
  const quantity* a = nullptr;
  const quantity* b = nullptr;
  for (const auto& q : qs) {
    if (q.begin > before_pos && q.begin < after_pos && !a && value(q)) a = &q;
    if (q.begin > after_pos && !b && value(q)) b = &q;
  }
  if (!a || !b) return false;
  auto pc = pair_claim(c, *a, *b, metric_in(c.low, a->begin, a->end));
  if (!pc) return false;
  out.push_back(std::move(*pc));
  return true;
}

namespace {

// "reduce delta_min from 1000ms to 100ms", "raise the timeout from 30 s to 60 s": what changes
// "from" one value to another is a setting (an identifier, or a word for a limit), not a measurement.
bool setting_changes(std::string_view low, std::size_t figure_begin) {
  const auto from = low.rfind("from", figure_begin);
  if (from == std::string_view::npos || figure_begin - from > 8) return false;
  auto lead = text::trim(low.substr(from >= 30 ? from - 30 : 0, std::min<std::size_t>(from, 30)));
  const auto word_start = lead.find_last_of(' ');
  const auto word = lead.substr(word_start == std::string_view::npos ? 0 : word_start + 1);
  constexpr std::string_view settings[] = {"timeout",   "interval", "delay",  "deadline", "ttl",    "period",
                                           "threshold", "limit",    "budget", "cap",      "window", "chunk"};
  const bool identifier = word.find('_') != std::string_view::npos || word.find('`') != std::string_view::npos;
  return identifier || std::find(std::begin(settings), std::end(settings), word) != std::end(settings);
}

}  // namespace

// qs[i] and qs[i + 1] linked as one pair: "170 -> 213 t/s", "from 99 output tokens/s to 148 output
// tokens/s", "13.9 t/s vs 11.8 t/s". True when they are (qs[i + 1] is then consumed, and a figure
// right after that restates the pair, "(+25%)", is marked used).
bool linked_pair(const context& c, const std::vector<quantity>& qs, std::size_t i, std::vector<bool>& used,
                 std::vector<perf_claim>& out) {
  const auto& q = qs[i];
  const auto& n = qs[i + 1];
  const auto lead = c.low.substr(q.begin >= 24 ? q.begin - 24 : 0, std::min<std::size_t>(q.begin, 24));
  const bool from = lead.find("from") != std::string::npos;
  if (from && is_arrow(c.sentence.substr(q.end, n.begin - q.end), true) && setting_changes(c.low, q.begin)) {
    return true;  // both figures consumed: neither is a claim
  }
  if (q.cls == unit_class::none && unit_phrase_pair(c, from, q, n, out)) return true;
  // A side without a unit takes the other's ("217→397 TFLOPS (+83%)" restates 397/217).
  const auto restated_next = [&](const quantity& before, const quantity& after) {
    if (i + 2 < qs.size() && restates(c.low, text::with_unit_of(before, after), text::with_unit_of(after, before),
                                      qs[i + 2]) != order::none) {
      used[i + 2] = true;
    }
  };
  // "AMD MI300X: 33.14us to 27.00us": with the unit written on both sides, "to" links a pair
  // without "from" (a range writes its unit once: "5 to 10 ms").
  const bool both_measured =
      q.cls == n.cls && q.unit == n.unit &&
      (q.cls == unit_class::time || q.cls == unit_class::throughput || q.cls == unit_class::memory);
  if (is_arrow(c.sentence.substr(q.end, n.begin - q.end), from || both_measured) &&
      (q.cls == n.cls || q.cls == unit_class::none || n.cls == unit_class::none) && q.cls != unit_class::percent &&
      q.cls != unit_class::factor) {
    // "217→397 TFLOPS (+83%), S=128 196→335 (+71%)": a pair without units takes the unit of the
    // pair before it in the sentence.
    const bool same_sentence = !out.empty() && out.back().text == clip(c.sentence);
    const bool restated = i + 2 < qs.size() && restates(c.low, q, n, qs[i + 2]) != order::none;
    const perf_claim* last_pair = nullptr;  // the sentence's last pair
    for (auto it = out.rbegin(); it != out.rend() && it->text == clip(c.sentence) && !last_pair; ++it) {
      if (it->before_after) last_pair = &*it;
    }
    const auto list_unit =
        q.cls == unit_class::none && n.cls == unit_class::none && restated && last_pair && !last_pair->unit.empty()
            ? text::unit_quantity(last_pair->unit)
            : std::nullopt;
    auto pc = list_unit ? pair_claim(c, text::with_unit_of(q, *list_unit), text::with_unit_of(n, *list_unit),
                                     last_pair->metric)
                        : pair_claim(c, q, n, metric_in(c.low, q.begin, n.end));
    if (!pc && q.cls == unit_class::none && n.cls == unit_class::none) pc = labelled_bare_pair(c, qs, i);
    if (!pc && q.cls == unit_class::none && n.cls == unit_class::none && restated) {
      pc = restated_bare_pair(c, q, n, qs[i + 2], same_sentence ? &out.back() : nullptr);
    }
    if (pc) out.push_back(std::move(*pc));
    restated_next(q, n);
    return true;
  }
  const bool measured = q.cls == unit_class::time || q.cls == unit_class::throughput || q.cls == unit_class::memory;
  // "0.18 TB/s against a ~8 TB/s peak": a bound of the hardware, not the figure before the change.
  const auto after_next =
      text::trim(std::string_view(c.low).substr(n.end, std::min<std::size_t>(24, c.low.size() - n.end)));
  const bool a_bound = after_next.starts_with("peak") || after_next.starts_with("theoretical") ||
                       after_next.starts_with("roofline") || after_next.starts_with("limit");
  if (measured && !a_bound && (n.cls == q.cls || n.cls == unit_class::none) &&
      is_reverse_link(std::string_view(c.low).substr(q.end, n.begin - q.end))) {
    if (auto pc = pair_claim(c, n, q, metric_in(c.low, q.begin, n.end))) {
      out.push_back(std::move(*pc));
      restated_next(n, q);
      return true;
    }
  }
  return false;
}

}  // namespace isobench::detail
