#pragma once
// "Before:" / "After:" blocks: the figures of each line ("Mean TTFT (ms):   25.42"), keyed by the
// words before them, so that an "after" line pairs with the "before" line of the same key.

#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "generate/claims.hpp"
#include "generate/column_sides.hpp"
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

// "bf16 inputs 32 bit indices, lengths_sum 1110" inside a Before:/After: block: the settings of the
// runs below (short, with figures but no change and no sentence end), or a rule ("------") of a
// tool's table. The block goes on past it.
bool block_setting_line(std::string_view line);

// The entries of a "Before:" block, each paired with the first entry of the same key in the
// "After:" block that follows.
class block_pairs {
public:
  // A new "Before:" label: entries read before it are forgotten.
  void start_before();
  // Entries of a line under the label of side `s`: kept (before), or paired into `out` (after).
  void add(const std::vector<block_entry>& entries, side s, claim_source source, std::vector<perf_claim>& out);

private:
  static constexpr std::size_t k_max_entries = 1000;
  void pair_after(const block_entry& a, claim_source source, std::vector<perf_claim>& out);
  std::vector<block_entry> m_before;
  // Unused "before" entries by key, oldest first: pairing is a lookup, not a scan of the block.
  std::unordered_map<std::string, std::deque<std::size_t>> m_unused_before;
};

}  // namespace isobench::detail
