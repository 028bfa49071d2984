#pragma once
// A flattened table of signed relative changes under a header of measures: "Mode Output tok/s Total
// tok/s Req/s p50 TPOT Native lengths +7.43% +8.20% +8.88% -5.86%". Each change takes the measure
// of its column (the k-th of the last header names as many measures as the row has changes), and
// its sign and that measure say whether it is a gain: more tokens/s, less TPOT.

#include <span>
#include <vector>

#include "generate/claim_builders.hpp"

namespace isobench::detail {

// Claims for the rows of signed percentages in `qs` (the quantities of c.sentence), marking the
// percentages used in `used` (same size as qs).
void scan_change_rows(const context& c, std::span<const text::quantity> qs, std::vector<bool>& used,
                      std::vector<perf_claim>& out);

}  // namespace isobench::detail
