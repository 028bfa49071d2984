#pragma once
// One text read line by line, each line routed to the stage that reads it: prose sentences (a
// paragraph's wrapped lines joined), markdown and tab-separated tables, code blocks, "Before:" /
// "After:" blocks, tables shown twice; review bots' comments and quotes skipped (pull-request text
// only); at the end, tool output pasted twice.

#include <string_view>
#include <vector>

#include "generate/claims.hpp"

namespace isobench::detail {

// The claims of `all` in order, each distinct one once and at most a bounded number of them.
void scan_text(std::string_view all, claim_source source, std::vector<perf_claim>& out);

}  // namespace isobench::detail
