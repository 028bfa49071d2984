#pragma once
// Benchmark result lines pasted as a tool printed them, one line per implementation and
// configuration, with no header:
//
//   [fallback] _regroup_keyed_tenors | B: 512 | F: 80 | device: cuda | Runtime (P90): 0.4 ms | Memory (P90): 24.0
//   [prod] KeyedTensor.regroup       | B: 512 | F: 80 | device: cuda | Runtime (P90): 0.4 ms | Memory (P90): 36.0
//
// Lines that repeat one configuration (every "key: value" cell that is no measure) under another
// implementation name are one comparison, and each measure they share is a before -> after pair.

#include <span>
#include <string_view>
#include <vector>

#include "generate/claims.hpp"

namespace isobench::detail {

// The pairs of `rows` (table lines without a header) read as result lines: within each run of
// consecutive lines of one configuration, the last line is the candidate and the line before it
// the baseline (a tool lists the new implementation last), unless a line's name says it is the
// old one ("previous", "old", "baseline", "before"). Whether any pair was found.
bool scan_result_lines(std::span<const std::string_view> rows, claim_source source, std::vector<perf_claim>& out);

}  // namespace isobench::detail
