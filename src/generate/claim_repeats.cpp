#include "generate/claim_repeats.hpp"

namespace isobench::detail {

namespace {

using text::quantity;
using text::unit_class;

// The last few words before a figure: "output token throughput", "est speed input".
std::string label_of(std::string_view low) {
  std::string words;
  std::size_t count = 0;
  std::size_t i = low.size();
  while (i > 0 && count < 3) {
    while (i > 0 && !text::is_alnum(low[i - 1])) --i;
    std::size_t b = i;
    while (b > 0 && (text::is_alnum(low[b - 1]) || low[b - 1] == '_')) --b;
    if (b == i) break;
    words = std::string(low.substr(b, i - b)) + (words.empty() ? "" : " ") + words;
    ++count;
    i = b;
  }
  return words;
}

bool is_count(std::string_view label) {
  constexpr std::string_view counts[] = {"total", "successful", "number", "num", "count", "tokens", "requests"};
  for (auto c : counts) {
    if (label.starts_with(c)) return true;
  }
  return false;
}

}  // namespace

void repeated_metrics::add(std::string_view sentence) {
  if (m_entries >= k_max_entries || sentence.size() > 4000) return;
  const auto low = text::lower_ascii(sentence);
  const auto qs = text::find_quantities(sentence, low);
  std::size_t prev = 0;
  for (auto q : qs) {
    const auto key_text = std::string_view(low).substr(prev, q.begin - prev);
    prev = q.end;
    if (q.cls == unit_class::none) {  // "Mean TTFT (ms): 80.0"
      if (const auto u = text::unit_in_parentheses(key_text.substr(key_text.size() > 60 ? key_text.size() - 60 : 0))) {
        q.unit = u->unit;
        q.cls = u->cls;
        q.scale = u->scale;
      }
    }
    if (q.cls != unit_class::time && q.cls != unit_class::throughput && q.cls != unit_class::memory) continue;
    auto label = label_of(key_text);
    if (label.empty() || is_count(label)) continue;
    label += "|" + q.unit;
    auto [it, fresh] = m_by_label.try_emplace(label);
    if (fresh) m_order.push_back(label);
    if (it->second.size() < 3) it->second.push_back({sentence, q, metric_in(low, q.begin, q.end)});
    ++m_entries;
  }
}

void repeated_metrics::emit(std::string_view all, claim_source source, std::vector<perf_claim>& out) const {
  if (m_order.empty()) return;
  // Two runs of a tool are a before/after comparison only where the text says it compares.
  constexpr std::string_view sides[] = {"before", "after",   "this pr", "baseline",
                                        "w/o",    "without", "patched", "original"};
  if (!text::contains_word(text::lower_ascii(all), sides, true)) return;
  for (const auto& label : m_order) {
    const auto& e = m_by_label.at(label);
    if (e.size() != 2 || e[0].sentence.data() == e[1].sentence.data()) continue;
    context c{e[1].sentence, text::lower_ascii(e[1].sentence), source, false};
    const auto metric = e[1].metric.empty() ? e[0].metric : e[1].metric;
    if (auto pc = pair_claim(c, e[0].q, e[1].q, metric)) out.push_back(std::move(*pc));
  }
}

}  // namespace isobench::detail
