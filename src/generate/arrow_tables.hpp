#pragma once
// Space-aligned tables whose rows hold before -> after pairs under a header of measures:
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

namespace isobench::detail {

// The claims of `lines` (a header, then rows) when they are such a table: every row has as many
// arrow pairs as the header names measures with a unit. False (nothing added) otherwise.
bool scan_arrow_table(std::span<const std::string_view> lines, claim_source source, std::vector<perf_claim>& out);

}  // namespace isobench::detail
