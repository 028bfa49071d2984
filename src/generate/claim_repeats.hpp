#pragma once
// Benchmark tool output pasted twice, before and after a change, without Before:/After: labels:
// "output token throughput: 877.16 tok/s" in one block and "output token throughput: 1191.79 tok/s"
// in the next. A measured figure whose label occurs exactly twice in a text, in sentences that
// state nothing else, is one before -> after pair; a label seen three or more times is a sweep,
// not a comparison, and gives nothing, unless captions name the runs ("Baseline: ... PR: ...
// Flashinfer: ..."): then the run under the before caption pairs with the first after one.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "generate/claim_builders.hpp"
#include "generate/column_sides.hpp"

namespace isobench::detail {

class repeated_metrics {
public:
  // The measured figures of one sentence (a view that outlives this object's use).
  void add(std::string_view sentence);
  // A sentence read before: only the side its caption names ("Baseline:") is taken again.
  void note_caption(std::string_view sentence);
  // One pair per label seen exactly twice, in order of first appearance, when the whole text `all`
  // names a side ("before", "this PR", "baseline", ...).
  void emit(std::string_view all, claim_source source, std::vector<perf_claim>& out) const;

  struct entry {
    std::string_view sentence;
    text::quantity q;
    std::string metric;
    side s = side::none;  // the caption above it ("Baseline:", "PR:")
    // The label of the sentence's first figure, when this one is a later figure of it: "total
    // inference time" for the "Rate:" of "Total inference time: 1.58 (seconds) Rate: 39.9 ...".
    std::string line_label;
  };

private:
  static constexpr std::size_t k_max_entries = 4000;
  static constexpr std::size_t k_max_per_label = 8;
  std::unordered_map<std::string, std::vector<entry>> m_by_label;
  std::vector<std::string> m_order;
  std::size_t m_entries = 0;
  side m_side = side::none;  // the last caption read
};

}  // namespace isobench::detail
