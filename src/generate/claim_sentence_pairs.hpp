#pragma once
// The pairs a sentence states: two figures linked by an arrow or "vs" ("170 -> 213 t/s", "13.9 t/s
// vs 11.8 t/s"), each attributed to a side by the words beside it ("21.5 ms/t on master, 21.7 ms/t
// with this PR"), bare numbers named by a label, and a flattened table's side header.

#include <cstddef>
#include <vector>

#include "generate/claim_builders.hpp"
#include "generate/claims.hpp"
#include "generate/text_scan.hpp"

namespace isobench::detail {

// "21.5 ms/t on master, 21.7 ms/t with this PR", "baseline: ~95ms | this change: ~66ms": two
// consecutive figures of one kind, each attributed to a side by the words right after it (or
// right before it, for both).
void attributed_pairs(const context& c, const std::vector<text::quantity>& qs, std::vector<bool>& used,
                      std::vector<perf_claim>& out);

// Pairs of bare numbers (no unit in the sentence) that a label before them names as a measure
// ("Throughput: 1049 -> 1083").
void labelled_bare_pairs(const context& c, const std::vector<text::quantity>& qs, std::vector<perf_claim>& out);

// After a flattened table's header that names its two columns by side, old first ("33B model
// master this PR GPU Read BW 167 GB/s 275 GB/s"), two figures of one unit with nothing but space
// between are a row's old and new value.
void side_header_pairs(const context& c, const std::vector<text::quantity>& qs, std::vector<bool>& used,
                       std::vector<perf_claim>& out);

// "[-13.2% -12.9% -12.6%]": a confidence interval (criterion); its middle is the estimate, the
// bounds are marked used.
void mark_interval_bounds(const context& c, const std::vector<text::quantity>& qs, std::vector<bool>& used);

// "Before: 120 tok/s, After: 150 tok/s" within one sentence; false when it states no such pair.
bool labelled_before_after(const context& c, const std::vector<text::quantity>& qs, std::vector<perf_claim>& out);

// qs[i] and qs[i + 1] linked as one pair: "170 -> 213 t/s", "from 99 output tokens/s to 148 output
// tokens/s", "13.9 t/s vs 11.8 t/s". True when they are (qs[i + 1] is then consumed, and a figure
// right after that restates the pair, "(+25%)", is marked used).
bool linked_pair(const context& c, const std::vector<text::quantity>& qs, std::size_t i, std::vector<bool>& used,
                 std::vector<perf_claim>& out);

}  // namespace isobench::detail
