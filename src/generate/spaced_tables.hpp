#pragma once
// Space-aligned tables (in a code block, or a page's frame whose fence was lost) that markdown's
// readers do not see: one with a column per side, read as a markdown table, and one whose rows hold
// before -> after pairs under a header of measures:
//
//     conc    output tok/s              mean TPOT (ms)
//        8    331.82 -> 336.36  +1.4%   22.16 -> 21.74  -1.9%
//
// Each pair takes the unit and measure of its place among the header's measures, so the tok/s
// pair is a throughput (higher is better) and the TPOT pair a latency.

#include <span>
#include <string_view>
#include <vector>

#include "generate/claims.hpp"
#include "generate/table_pairs.hpp"

namespace isobench::detail {

// A code block's or a page's space-aligned table whose header names a side per column
// ("shape  baseline (us)  this PR (us)"), read as `scan_table` reads a markdown one; a pandas
// frame's unnamed index column is allowed. Whether it was such a table.
bool scan_spaced_table(const captioned_table& t, claim_source source, std::vector<perf_claim>& out);

// The claims of `lines` (a header, then rows) when they are a table of pairs: every row has as many
// arrow pairs as the header names measures with a unit. False (nothing added) otherwise.
bool scan_arrow_table(std::span<const std::string_view> lines, claim_source source, std::vector<perf_claim>& out);

}  // namespace isobench::detail
