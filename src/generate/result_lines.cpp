#include "generate/result_lines.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "generate/claim_builders.hpp"
#include "generate/claim_words.hpp"
#include "generate/table_pairs.hpp"
#include "generate/text_scan.hpp"
#include "generate/unit_names.hpp"

namespace isobench::detail {

namespace {

using text::quantity;

struct measure {
  std::string key;  // lower case, as the tool wrote it: "runtime (p90)"
  quantity value;
};

struct result_line {
  std::string_view text;
  std::string name;                 // the first cell, lower case
  std::vector<std::string> config;  // the other cells that are no measure, lower case
  std::vector<measure> measures;
};

// "Runtime (P90): 0.4 ms" is a measure: its key names one, or its figure has a unit of one.
std::optional<measure> measure_cell(const std::string& low) {
  const auto colon = low.find(':');
  if (colon == std::string::npos) return std::nullopt;
  const auto key = std::string(text::trim(std::string_view(low).substr(0, colon)));
  const auto value = std::string(text::trim(std::string_view(low).substr(colon + 1)));
  auto qs = text::find_quantities(value, value);
  if (qs.size() != 1 || qs.front().begin != 0) return std::nullopt;
  if (metric_in(key, key.size(), key.size()).empty() && !text::names_a_measure(key)) return std::nullopt;
  return measure{key, qs.front()};
}

std::optional<result_line> parse(std::string_view row) {
  const auto cells = cells_of(row);
  if (cells.size() < 2) return std::nullopt;
  result_line r;
  r.text = text::trim(row);
  r.name = text::lower_ascii(text::trim(cells.front()));
  for (std::size_t i = 1; i < cells.size(); ++i) {
    const auto low = text::lower_ascii(text::trim(cells[i]));
    if (auto m = measure_cell(low)) {
      r.measures.push_back(std::move(*m));
    } else {
      r.config.push_back(low);
    }
  }
  if (r.measures.empty() || r.name.empty()) return std::nullopt;
  return r;
}

// A name that says it is the old implementation: a word of it ("lookup_previous", "[old] scatter").
bool says_old(std::string_view name) {
  constexpr std::string_view old[] = {"previous", "old", "baseline", "before"};
  std::size_t i = 0;
  while (i < name.size()) {
    const auto is_word = [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'); };
    std::size_t j = i;
    while (j < name.size() && is_word(name[j])) ++j;
    if (std::find(std::begin(old), std::end(old), name.substr(i, j - i)) != std::end(old)) return true;
    i = j + 1;
  }
  return false;
}

void pair_lines(const result_line& b, const result_line& a, claim_source source, std::vector<perf_claim>& out) {
  for (const auto& mb : b.measures) {
    const auto ma =
        std::find_if(a.measures.begin(), a.measures.end(), [&](const measure& m) { return m.key == mb.key; });
    if (ma == a.measures.end()) continue;
    const std::string line = std::string(b.text) + " -> " + std::string(a.text);
    context c{line, text::lower_ascii(line), source, false, {}};
    if (auto pc = pair_claim(c, mb.value, ma->value, metric_in(mb.key, mb.key.size(), mb.key.size()))) {
      pc->text = clip(line);
      pc->qualifier = qualifier_near(mb.key, 0, 0, false, k_whole);  // "Runtime (P90)"
      out.push_back(std::move(*pc));
    }
  }
}

// One configuration's lines: which is the baseline and which the candidate.
void pair_run(std::span<const result_line> run, claim_source source, std::vector<perf_claim>& out) {
  if (run.size() < 2) return;
  const auto old = std::find_if(run.begin(), run.end(), [](const result_line& r) { return says_old(r.name); });
  if (old != run.end()) {
    const auto fresh = std::find_if(run.rbegin(), run.rend(), [](const result_line& r) { return !says_old(r.name); });
    if (fresh != run.rend()) pair_lines(*old, *fresh, source, out);
    return;
  }
  pair_lines(run[run.size() - 2], run.back(), source, out);
}

}  // namespace

bool scan_result_lines(std::span<const std::string_view> rows, claim_source source, std::vector<perf_claim>& out) {
  std::vector<result_line> lines;
  for (const auto row : rows) {
    auto r = parse(row);
    if (!r) return false;  // every line a result line, or this is some other table
    lines.push_back(std::move(*r));
  }
  const auto found = out.size();
  std::size_t start = 0;
  for (std::size_t i = 1; i <= lines.size(); ++i) {
    if (i < lines.size() && lines[i].config == lines[start].config && lines[i].name != lines[i - 1].name) continue;
    pair_run(std::span(lines).subspan(start, i - start), source, out);
    start = i;
  }
  return out.size() != found;
}

}  // namespace isobench::detail
