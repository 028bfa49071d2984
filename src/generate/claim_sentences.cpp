#include "generate/claim_sentences.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "generate/claim_builders.hpp"
#include "generate/claim_change_rows.hpp"
#include "generate/claim_rows.hpp"
#include "generate/claim_sentence_pairs.hpp"
#include "generate/text_scan.hpp"
#include "generate/unit_names.hpp"

namespace isobench::detail {

namespace {

using text::quantity;
using text::unit_class;

constexpr std::size_t k_max_memo = 100'000;

// The claim one figure states alone: a factor, a percentage or an absolute change.
std::optional<perf_claim> single_claim(const context& c, const quantity& q) {
  switch (q.cls) {
    case unit_class::factor: return factor_claim(c, q);
    case unit_class::percent: return percent_claim(c, q);
    case unit_class::time:
    case unit_class::memory:
    case unit_class::throughput: return absolute_claim(c, q);
    case unit_class::none: break;
  }
  return std::nullopt;
}

void scan_sentence(std::string_view sentence, std::string_view prior, std::string_view caption, claim_source source,
                   std::vector<perf_claim>& out) {
  context c{sentence, spell_up_to(text::lower_ascii(sentence)), source, false, text::lower_ascii(caption)};
  const auto qs = text::find_quantities(sentence, c.low);
  if (qs.empty()) return;
  if (about_other_pr(c.low)) return;
  // A quotation ("\"X is 4x faster\" in the docs") states someone else's figure.
  if (c.low.starts_with('"') || c.low.starts_with("\xe2\x80\x9c")) return;
  c.cumulative = states_cumulative(c.low);
  std::vector<bool> used(qs.size(), false);
  mark_interval_bounds(c, qs, used);
  // Flattened table rows whose relative-change column confirms the pair; they need no unit.
  const auto before_rows = out.size();
  scan_row_pairs(c, qs, text::lower_ascii(prior) + " " + c.low.substr(0, qs.front().begin), out, used);
  const bool rows = out.size() != before_rows;
  bool any_unit = false;
  for (const auto& q : qs) {
    any_unit = any_unit || q.cls != unit_class::none ||
               text::leading_unit_phrase(
                   std::string_view(c.low).substr(q.end, std::min<std::size_t>(40, c.low.size() - q.end)));
  }
  if (!any_unit) {
    labelled_bare_pairs(c, qs, out);
    return;
  }
  if (!rows && labelled_before_after(c, qs, out)) return;
  attributed_pairs(c, qs, used, out);
  side_header_pairs(c, qs, used, out);
  scan_change_rows(c, qs, used, out);
  for (std::size_t i = 0; i < qs.size(); ++i) {
    if (used[i]) continue;
    if (i + 1 < qs.size() && !used[i + 1] && linked_pair(c, qs, i, used, out)) {
      ++i;
      continue;
    }
    if (auto pc = single_claim(c, qs[i])) out.push_back(std::move(*pc));
  }
}

// "vs.", "e.g.", "i.e.": a period at `dot` that ends an abbreviation, not a sentence ("133 tok/s
// vs. 93 tok/s" is one comparison).
bool abbreviation_before(std::string_view line, std::size_t dot) {
  std::size_t b = dot;
  while (b > 0 && (std::isalpha(static_cast<unsigned char>(line[b - 1])) || line[b - 1] == '.')) --b;
  if (b > 0 && line[b - 1] != ' ' && line[b - 1] != '(') return false;
  const auto word = text::lower_ascii(line.substr(b, dot - b));
  constexpr std::string_view abbreviations[] = {"vs", "e.g", "i.e", "approx", "cf", "incl", "resp", "w.r.t"};
  return std::find(std::begin(abbreviations), std::end(abbreviations), word) != std::end(abbreviations);
}

}  // namespace

void scan_line(std::string_view line, claim_source source, std::vector<perf_claim>& out, sentence_memo& memo,
               repeated_metrics& repeats, std::string_view above, std::string_view caption) {
  const auto scan = [&](std::string_view sentence) {
    if (memo.count(sentence) != 0) {
      repeats.note_caption(sentence);  // "With change:" again names the side of the run below it
      return;
    }
    if (memo.size() < k_max_memo) memo.insert(sentence);
    const auto from = static_cast<std::size_t>(sentence.data() - line.data());
    // A long table's header may sit several sentence-lengths before the row, or lines above it.
    constexpr std::size_t k_prior = 1500;
    const std::size_t prior_chars = std::min(from, k_prior);
    std::string prior;
    if (prior_chars < k_prior && !above.empty()) {
      prior = std::string(above.substr(above.size() - std::min(above.size(), k_prior - prior_chars))) + "\n";
    }
    prior += line.substr(from - prior_chars, prior_chars);
    const auto found = out.size();
    scan_sentence(sentence, prior, caption, source, out);
    if (out.size() == found) repeats.add(sentence);
  };
  std::size_t start = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    const bool end_mark = (ch == '.' || ch == '!' || ch == '?' || ch == ';') &&
                          (i + 1 == line.size() || line[i + 1] == ' ') && !(ch == '.' && abbreviation_before(line, i));
    // A long run without an end mark is cut, but never inside a UTF-8 character.
    const bool too_long = i - start >= k_max_sentence &&
                          (i + 1 == line.size() || (static_cast<unsigned char>(line[i + 1]) & 0xC0) != 0x80);
    if (end_mark || too_long) {
      scan(line.substr(start, i + 1 - start));
      start = i + 1;
    }
  }
  if (start < line.size()) scan(line.substr(start));
}

}  // namespace isobench::detail
