#pragma once
// Markdown and tab-separated tables: columns named by side ("before" | "after", "main" | "this PR"),
// pairs of columns named alike ("ITL (ref)" | "ITL (CAKE)"), rows a relative-change column
// confirms ("| 12.1 | 10.4 | 14.0% |"), rows named by side, and speedup columns.

#include <string_view>
#include <vector>

#include "generate/claims.hpp"

namespace isobench::detail {

// The claims of one table, `rows` its lines as written (header first), `caption` the text above it.
void scan_table(const std::vector<std::string_view>& rows, std::string_view caption, claim_source source,
                std::vector<perf_claim>& out);

// A line of header cells: at least two cells (or one, `one_will_do`), each with a letter and no
// figure ("Max error | Max state error |"), not a separator or data row.
bool names_cells(std::string_view line, bool one_will_do = false);

}  // namespace isobench::detail
