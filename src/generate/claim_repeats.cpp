#include "generate/claim_repeats.hpp"

#include <algorithm>
#include <optional>
#include <span>
#include <utility>

#include "generate/unit_names.hpp"

namespace isobench::detail {

namespace {

using text::quantity;
using text::unit_class;

// The last few words before a figure, back to a colon before them: "output token throughput",
// "est speed input".
std::string metric_label(std::string_view low) {
  std::string words;
  std::size_t count = 0;
  std::size_t i = low.size();
  while (i > 0 && count < 3) {
    bool colon = false;
    for (; i > 0 && !text::is_alnum(low[i - 1]); --i) colon = colon || low[i - 1] == ':';
    if (colon && count > 0) break;  // "Baseline: run time:": the caption is not the figure's label
    std::size_t b = i;
    while (b > 0 && (text::is_alnum(low[b - 1]) || low[b - 1] == '_')) --b;
    if (b == i) break;
    words = std::string(low.substr(b, i - b)) + (words.empty() ? "" : " ") + words;
    ++count;
    i = b;
  }
  return words;
}

// The rate the last 60 characters of `before` name ("tokens/second"), as a unit, or "".
std::string rate_named(std::string_view before) {
  const auto tail = before.substr(before.size() > 60 ? before.size() - 60 : 0);
  constexpr std::string_view tokens[] = {"tokens/s", "tok/s", "tokens per second"};
  constexpr std::string_view requests[] = {"requests/s", "req/s", "requests per second"};
  if (text::contains_word(tail, tokens)) return "tokens/s";
  if (text::contains_word(tail, requests)) return "requests/s";
  return {};
}

bool is_count(std::string_view label) {
  if (text::names_a_measure(label)) return false;  // "total inference time"
  constexpr std::string_view counts[] = {"total", "successful", "number", "num", "count", "tokens", "requests"};
  for (auto c : counts) {
    if (label.starts_with(c)) return true;
  }
  return false;
}

// The side a switch's setting names in a short caption: "Jump forward: False, Batch: 1" is the run
// without the feature, "...: True" the run with it.
side toggle_side(std::string_view after_colon) {
  const auto t = text::trim(after_colon);
  constexpr std::string_view off[] = {"false", "disabled"};
  constexpr std::string_view on[] = {"true", "enabled"};
  if (text::contains_word(t.substr(0, 9), off) && t.size() <= 9 + 40) return side::before;
  if (text::contains_word(t.substr(0, 8), on) && t.size() <= 8 + 40) return side::after;
  return side::none;
}

// The side a caption in `low` between `from` and `to` names ("Baseline: ...", "PR: ..."): the one or
// two words before a colon, or in a caption line of `low` the switch after it; none where no caption
// names one.
side caption_side(std::string_view low, std::size_t from, std::size_t to) {
  side found = side::none;
  constexpr std::size_t k_caption_line = 80;
  for (std::size_t p = low.find(':', from); p != std::string_view::npos && p < to; p = low.find(':', p + 1)) {
    if (low.size() <= k_caption_line) {
      if (const auto s = toggle_side(low.substr(p + 1, std::min(to, low.size()) - p - 1)); s != side::none) {
        found = s;
        continue;
      }
    }
    // One or two words before the colon, or three when the last two are "the change" ("w/o the
    // change:", "With the patch:").
    const auto words_back = [&](int n) {
      std::size_t b = p;
      for (int words = 0; words < n && b > 0; ++words) {
        while (b > 0 && low[b - 1] == ' ') --b;
        while (b > 0 && (text::is_alnum(low[b - 1]) || low[b - 1] == '/')) --b;
      }
      return low.substr(b, p + 1 - b);
    };
    constexpr std::string_view changes[] = {"the change:", "the patch:", "the fix:", "the diff:", "the pr:"};
    const auto two = words_back(2);
    const bool names_change =
        std::any_of(std::begin(changes), std::end(changes), [&](std::string_view w) { return two.ends_with(w); });
    if (const auto s = attributed_side(names_change ? words_back(3) : two); s != side::none) found = s;
  }
  return found;
}

}  // namespace

void repeated_metrics::add(std::string_view sentence) {
  if (m_entries >= k_max_entries || sentence.size() > 4000) return;
  const auto low = text::lower_ascii(sentence);
  const auto qs = text::find_quantities(sentence, low);
  std::size_t prev = 0;
  std::string prev_label, first_label;
  for (auto q : qs) {
    const auto key_text = std::string_view(low).substr(prev, q.begin - prev);
    if (const auto s = caption_side(low, prev, q.begin); s != side::none) m_side = s;
    prev = q.end;
    auto label = metric_label(key_text);
    // "Throughput: 29.51 requests/s, 33996.89 tokens/s": one label names a list of figures; and
    // "Processed prompts: 100%| 2048/2048 [01:08<00:00, 29.86it/s": a figure after bare numbers
    // only takes the label last named.
    const bool no_words =
        std::none_of(key_text.begin(), key_text.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
    if (label.empty() && no_words) label = prev_label;
    if (!label.empty()) prev_label = label;
    // A bare number inside the label's parentheses is a setting: "(excluding step 1): 2147.0".
    const auto open = key_text.rfind('(');
    if (q.cls == unit_class::none && open != std::string_view::npos &&
        key_text.find(')', open) == std::string_view::npos) {
      continue;
    }
    if (q.cls == unit_class::none) {            // "Mean TTFT (ms): 80.0", "Load time: 3.99 (seconds)", "Tokens/s: 2147"
      auto u = text::unit_right_after(low, q);  // first: the key's may be the previous figure's
      if (!u) u = text::unit_in_parentheses(key_text.substr(key_text.size() > 60 ? key_text.size() - 60 : 0));
      if (!u) u = text::unit_of_key(key_text);
      if (u) {
        q.unit = u->unit;
        q.cls = u->cls;
        q.scale = u->scale;
      } else if (const auto rate = rate_named(std::string_view(low).substr(0, q.begin));
                 !rate.empty() && text::trim(key_text).ends_with(':')) {
        q.unit = rate;  // the label names a rate: "Median Tokens/Second (excluding step 1): 2147.0"
        q.cls = unit_class::throughput;
        q.scale = 1.0;
      }
    }
    if (q.cls != unit_class::time && q.cls != unit_class::throughput && q.cls != unit_class::memory) continue;
    // "With this branch: 133 us per execution ... Main: 456 us per execution": the words before the
    // figure are its run's caption, not a measure; the runs pair by unit.
    const auto s = attributed_side(label);
    if (s != side::none && key_text.ends_with(": ") && metric_in(label, label.size(), label.size()).empty()) {
      m_side = s;
      label = "(captioned run)";
    }
    if (label.empty() || is_count(label)) continue;
    const bool first = first_label.empty();  // the sentence's first measured figure
    if (first) first_label = label;
    label += "|" + q.unit;
    auto [it, fresh] = m_by_label.try_emplace(label);
    if (fresh) m_order.push_back(label);
    if (it->second.size() < k_max_per_label) {
      it->second.push_back({sentence, q, metric_in(low, q.begin, q.end), m_side, first ? "" : first_label});
    }
    ++m_entries;
  }
  if (const auto s = caption_side(low, prev, low.size()); s != side::none) m_side = s;
}

void repeated_metrics::note_caption(std::string_view sentence) {
  if (sentence.size() > 200) return;
  const auto low = text::lower_ascii(sentence);
  if (const auto s = caption_side(low, 0, low.size()); s != side::none) m_side = s;
}

namespace {

// The runs to compare among a label's entries: the one under a "before" caption and the first under
// an "after" caption after it (a third run under another name, "Flashinfer:", is left out); without
// captions, exactly two runs in text order.
using run_pairs = std::vector<std::pair<std::size_t, std::size_t>>;

// A label that occurs as often under the before caption as under the after caption right after it
// ("Total inference time: ... Rate: ...", "Prompt evaluation: ... Rate: ..." in each run): the
// k-th before figure pairs with the k-th after figure.
run_pairs same_count_runs(std::span<const repeated_metrics::entry> e) {
  std::vector<std::size_t> before, after;
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (e[i].s == side::before && after.empty())
      before.push_back(i);
    else if (e[i].s == side::after && !before.empty())
      after.push_back(i);
    else if (!before.empty())
      break;  // a third run under another name ends the comparison
  }
  run_pairs out;
  if (before.size() < 2 || before.size() != after.size()) return out;
  for (std::size_t k = 0; k < before.size(); ++k) out.emplace_back(before[k], after[k]);
  return out;
}

// Runs captioned in adjacent before/after pairs, either side first ("With change: ... Without
// change: ..." for one setting, then again for the next): each pair is one comparison.
run_pairs adjacent_captioned_pairs(std::span<const repeated_metrics::entry> e) {
  if (e.size() < 4 || e.size() % 2 != 0) return {};
  run_pairs out;
  for (std::size_t i = 0; i + 1 < e.size(); i += 2) {
    const auto a = e[i].s, b = e[i + 1].s;
    if (a == side::none || b == side::none || a == b) return {};
    out.emplace_back(a == side::before ? i : i + 1, a == side::before ? i + 1 : i);
  }
  return out;
}

run_pairs runs_to_pair(std::span<const repeated_metrics::entry> e) {
  if (auto same = same_count_runs(e); !same.empty()) return same;
  if (auto adjacent = adjacent_captioned_pairs(e); !adjacent.empty()) return adjacent;
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (e[i].s != side::before) continue;
    for (std::size_t j = i + 1; j < e.size(); ++j) {
      if (e[j].s == side::after) return {{i, j}};
    }
  }
  if (e.size() == 2 && !(e[0].s == side::after && e[1].s == side::before)) return {{0, 1}};
  if (e.size() == 2) return {{1, 0}};
  return {};
}

// A label that pairs no runs as a whole but names a figure in several lines of each run ("Rate:"
// after "Total inference time:", after "Prompt evaluation:", ...): its runs paired within each line
// label, where the before run may hold lines the after run lost.
run_pairs runs_by_line_label(std::span<const repeated_metrics::entry> e) {
  run_pairs out;
  std::vector<std::string_view> done;
  for (const auto& x : e) {
    if (x.line_label.empty() || std::find(done.begin(), done.end(), x.line_label) != done.end()) continue;
    done.push_back(x.line_label);
    std::vector<repeated_metrics::entry> group;
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < e.size(); ++i) {
      if (e[i].line_label != x.line_label) continue;
      group.push_back(e[i]);
      index.push_back(i);
    }
    if (group.size() == e.size()) return {};  // one line label throughout: no finer split
    for (const auto& [b, a] : runs_to_pair(group)) out.emplace_back(index[b], index[a]);
  }
  return out;
}

}  // namespace

void repeated_metrics::emit(std::string_view all, claim_source source, std::vector<perf_claim>& out) const {
  if (m_order.empty()) return;
  // Two runs of a tool are a before/after comparison only where the text says it compares.
  constexpr std::string_view sides[] = {"before", "after",   "this pr", "baseline",
                                        "w/o",    "without", "patched", "original"};
  // (Or where captions name the two runs' sides.)
  const bool compares = text::contains_word(text::lower_ascii(all), sides, true);
  for (const auto& label : m_order) {
    const auto& e = m_by_label.at(label);
    auto runs = runs_to_pair(e);
    if (runs.empty() && e.size() > 2) runs = runs_by_line_label(e);
    for (const auto& [b, a] : runs) {
      const auto& before = e[b];
      const auto& after = e[a];
      // Two figures of one sentence pair only where captions name their sides.
      if (before.sentence.data() == after.sentence.data() && before.s == after.s) continue;
      if (!compares && !(before.s == side::before && after.s == side::after)) continue;
      context c{after.sentence, text::lower_ascii(after.sentence), source, false, {}};
      const auto metric = after.metric.empty() ? before.metric : after.metric;
      if (auto pc = pair_claim(c, before.q, after.q, metric)) out.push_back(std::move(*pc));
    }
  }
}

}  // namespace isobench::detail
