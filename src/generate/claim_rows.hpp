#pragma once
// Rows of numbers whose last column restates the change between the two before it: a flattened
// table row "tg128 186.10 187.25 1.01", "Requests/s 0.96 1.03 +7.29%", "12.1 ms | 10.4 ms | 14.0%".
// The relative-change column is the evidence that the two values are a before/after pair, so no
// header is needed; headers before the row, when present, give the unit and which side is which.

#include <span>
#include <string_view>
#include <vector>

#include "generate/claim_builders.hpp"

namespace isobench::detail {

enum class order { none, forward, backward };  // a relative column is after/before, or before/after

// Whether `r` (a factor, a bare decimal or a percentage) restates the change a -> b, allowing for
// its rounding: "2.49x" after 0.008673 and 0.003477 is backward (before/after).
order restates(std::string_view low, const text::quantity& a, const text::quantity& b, const text::quantity& r);

// Pairs in `qs` (the quantities of c.sentence) confirmed by a relative-change column; `header_low`
// is lower-case text before the row (a table's header, the sentence before) read for units and
// before/after words. Marks the quantities used in `used` (same size as qs).
void scan_row_pairs(const context& c, std::span<const text::quantity> qs, std::string_view header_low,
                    std::vector<perf_claim>& out, std::vector<bool>& used);

}  // namespace isobench::detail
