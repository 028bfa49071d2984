#pragma once
// Tables of signed relative changes. Flattened, under a header of measures: "Mode Output tok/s Total
// tok/s Req/s p50 TPOT Native lengths +7.43% +8.20% +8.88% -5.86%": each change takes the measure
// of its column (the k-th of the last header names as many measures as the row has changes). As a
// markdown table whose cells are all changes ("| H100 | bf16 | -10% | -13% | -15% |" under "min |
// avg | max"): each cell is a claim. A change's sign and its measure say whether it is a gain: more
// tokens/s, less TPOT; a table that names no measure is of time.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "generate/claim_builders.hpp"

namespace isobench::detail {

// Claims for the rows of signed percentages in `qs` (the quantities of c.sentence), marking the
// percentages used in `used` (same size as qs).
void scan_change_rows(const context& c, std::span<const text::quantity> qs, std::vector<bool>& used,
                      std::vector<perf_claim>& out);

// The claims of a markdown table whose value cells are all signed percentages (`header` and `body`
// its cells, `lines` its body rows as written); false, adding nothing, when it is no such table.
bool scan_change_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& body,
                       std::span<const std::string_view> lines, std::string_view caption, claim_source source,
                       std::vector<perf_claim>& out);

}  // namespace isobench::detail
