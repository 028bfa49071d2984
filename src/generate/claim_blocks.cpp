#include "generate/claim_blocks.hpp"

#include <algorithm>

#include "generate/claim_builders.hpp"
#include "generate/claim_words.hpp"
#include "generate/column_sides.hpp"
#include "generate/unit_names.hpp"

namespace isobench::detail {

namespace {

using text::unit_class;

// Longer lines are prose, not "Metric: value".
constexpr std::size_t k_max_block_line = 2000;

std::string key_of(std::string_view low) {
  std::string k;
  for (char ch : low) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
      k += ch;
    else if (!k.empty() && k.back() != ' ')
      k += ' ';
  }
  while (!k.empty() && k.back() == ' ') k.pop_back();
  return k;
}

}  // namespace

std::vector<block_entry> block_entries(std::string_view line) {
  std::vector<block_entry> out;
  if (line.size() > k_max_block_line) return out;
  const auto low = text::lower_ascii(line);
  auto qs = text::find_quantities(line, low);
  std::size_t prev = 0;
  for (auto& q : qs) {
    if (q.cls == unit_class::factor || q.cls == unit_class::percent) {
      prev = q.end;
      continue;
    }
    const auto key_text = std::string_view(low).substr(prev, q.begin - prev);
    prev = q.end;
    if (q.cls == unit_class::none) {
      // "Load time: 3.99 (seconds)" first: a unit in the key may be the previous figure's ("1.58
      // (seconds) Rate: 39.9 (tokens/second)").
      auto u = text::unit_right_after(low, q);
      if (!u) u = text::unit_in_parentheses(key_text);
      if (!u) u = text::unit_of_key(key_text);
      if (u) {
        q.unit = u->unit;
        q.cls = u->cls;
        q.scale = u->scale;
      }
    }
    // "Memory Throughput   %   17.24" (a profiler's table): a level in percent, not a measure.
    if (const auto words = text::trim(key_text); words.ends_with(" %") || words == "%") continue;
    block_entry e;
    e.key = key_of(key_text);
    // "129 us   129 us   5434": a figure right after one of the same unit is another column of that
    // measure (Google Benchmark's CPU time after its wall time), not a line of its own.
    if (e.key.empty() && !out.empty() && out.back().q.unit == q.unit && !q.unit.empty()) continue;
    e.metric = metric_in(low, q.begin, q.end);
    if (e.metric.empty() && q.cls == unit_class::none) continue;  // "Successful requests: 1000"
    constexpr std::string_view counts[] = {"total", "successful", "number of", "num ", "count"};
    if (text::contains_word(key_text, counts) && !text::names_a_measure(key_text)) continue;
    // A training log's model-quality figures ("loss: 12.0469  grad_norm: 1.8420"), not speed.
    constexpr std::string_view quality[] = {"loss", "grad norm", "accuracy", "perplexity", "ppl", "lr"};
    if (text::contains_word(e.key, quality)) continue;
    e.q = q;
    e.line = text::trim(line);
    out.push_back(std::move(e));
  }
  return out;
}

std::string_view trailing_caption(std::string_view line) {
  const auto t = text::trim(line);
  if (!t.ends_with(':')) return {};
  const auto stop = t.rfind(". ");
  if (stop == std::string_view::npos) return {};
  const auto caption = t.substr(stop + 2);
  if (caption.size() > 40 || label_of(caption).first == side::none) return {};
  return caption;
}

bool block_setting_line(std::string_view line) {
  if (line.find_first_not_of("-=+| ") == std::string_view::npos) return true;
  if (line.size() > 120 || line.ends_with('.')) return false;
  const auto low = text::lower_ascii(line);
  const auto qs = text::find_quantities(line, low);
  return !qs.empty() && std::none_of(qs.begin(), qs.end(), [](const text::quantity& q) {
    return q.cls == text::unit_class::percent || q.cls == text::unit_class::factor;
  });
}

void block_pairs::start_before() {
  m_before.clear();
  m_unused_before.clear();
}

void block_pairs::add(const std::vector<block_entry>& entries, side s, claim_source source,
                      std::vector<perf_claim>& out) {
  for (const auto& e : entries) {
    if (s != side::before) {
      pair_after(e, source, out);
    } else if (m_before.size() < k_max_entries) {
      m_unused_before[e.key].push_back(m_before.size());
      m_before.push_back(e);
    }
  }
}

void block_pairs::pair_after(const block_entry& a, claim_source source, std::vector<perf_claim>& out) {
  const auto it = m_unused_before.find(a.key);
  if (it == m_unused_before.end() || it->second.empty()) return;
  const auto& b = m_before[it->second.front()];
  it->second.pop_front();
  context c{a.line, text::lower_ascii(a.line), source, false, {}};
  const auto metric = !a.metric.empty() ? a.metric : b.metric;
  if (auto pc = pair_claim(c, b.q, a.q, metric)) {
    pc->text = clip(std::string(b.line) + " -> " + std::string(a.line));
    pc->qualifier = qualifier_near(spell_up_to(text::lower_ascii(a.line)), 0, 0, false, k_whole);
    out.push_back(std::move(*pc));
  }
}

}  // namespace isobench::detail
