#pragma once
// Prose: a line cut into sentences, each sentence's figures read as claims. Single figures ("2.8x
// faster", "reduces TTFT by 31%"), pairs linked by an arrow, "from ... to", "vs" or side words
// ("21.5 ms/t on master, 21.7 ms/t with this PR"), flattened table rows (claim_rows.hpp).

#include <cstddef>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "generate/claim_repeats.hpp"
#include "generate/claims.hpp"

namespace isobench::detail {

// A run of text without an end mark is cut into sentences of at most this many bytes.
inline constexpr std::size_t k_max_sentence = 600;

// Sentences already scanned (views into the extraction's text): a sentence's claims depend on its
// text alone, so a repeated one adds nothing and is not scanned again.
using sentence_memo = std::unordered_set<std::string_view>;

// The claims of each sentence of `line` not in `memo`, appended to `out`; sentences that state no
// claim go to `repeats` (tool output pasted twice). `line` must outlive `memo` and `repeats`.
// `above`: text before the line that heads it (a code block's lines above: a table's header).
// `caption`: the line a list item stands under ("Measured on MI355X (legacy vs new):"), which says
// what a bare factor in the item measures.
void scan_line(std::string_view line, claim_source source, std::vector<perf_claim>& out, sentence_memo& memo,
               repeated_metrics& repeats, std::string_view above = {}, std::string_view caption = {});

}  // namespace isobench::detail
