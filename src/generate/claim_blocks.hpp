#pragma once
// "Before:" / "After:" blocks: the figures of each line ("Mean TTFT (ms):   25.42"), keyed by the
// words before them, so that an "after" line pairs with the "before" line of the same key.

#include <string>
#include <string_view>
#include <vector>

#include "generate/text_scan.hpp"

namespace isobench::detail {

struct block_entry {
  std::string key;  // letters of the text before the number: "mean ttft ms"
  text::quantity q;
  std::string_view line;  // into the extraction's text, which outlives the entries
  std::string metric;
};

// Entries of one block line ("Mean TTFT (ms):   25.42"); empty when the line is prose.
std::vector<block_entry> block_entries(std::string_view line);

// "Decode got faster. Before:": a sentence, then the caption of the block below it; the caption,
// or empty.
std::string_view trailing_caption(std::string_view line);

}  // namespace isobench::detail
