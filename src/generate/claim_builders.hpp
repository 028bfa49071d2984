#pragma once
// Claim builders shared by the extraction's stages (sentences, tables, rows, blocks): the claim one
// figure states in its sentence ("2.8x faster", "reduces TTFT by 31%", "saves 2 GB") and the claim
// a before -> after pair states.

#include <optional>
#include <string>
#include <string_view>

#include "generate/claim_words.hpp"
#include "generate/claims.hpp"
#include "generate/text_scan.hpp"

namespace isobench::detail {

struct context {
  std::string_view sentence;
  std::string low;  // lower_ascii of the text keywords are looked for in
  claim_source source;
  bool cumulative = false;
  std::string caption_low;  // lower-case caption of the list the sentence is an item of, or ""
};

// before -> after in one unit class (a side without a unit takes the other's); nullopt when the
// units differ or no unit or metric says whether lower or higher is better.
std::optional<perf_claim> pair_claim(const context& c, const text::quantity& a, const text::quantity& b,
                                     std::string metric);

// "1.125 -> 1.065 (~5% faster)": a pair without units that `restating`, a percentage beside it,
// restates. Which way is better comes from the word after that percentage ("faster", "slower"),
// else from `previous` (a pair of the same kind just before it in the sentence: "(~7%)" on the
// next line of the list); nullopt when neither says.
std::optional<perf_claim> restated_bare_pair(const context& c, const text::quantity& a, const text::quantity& b,
                                             const text::quantity& restating, const perf_claim* previous);

// The fields every claim of one figure starts with: its sentence, source, value (and range top),
// unit and whether it is stated over several changes.
perf_claim base_claim(const context& c, const text::quantity& q);

// A factor ("2.8x") in a sentence about speed, time or memory.
std::optional<perf_claim> factor_claim(const context& c, const text::quantity& q);
// A percentage, its direction from the word that governs it ("30% faster", "reduces TTFT by 31%");
// defined in claim_percent.cpp.
std::optional<perf_claim> percent_claim(const context& c, const text::quantity& q);
// An absolute change: "reduces latency by 5 ms", "saves 2 GB"; defined in claim_absolute.cpp.
std::optional<perf_claim> absolute_claim(const context& c, const text::quantity& q);

// "->", "=>", "→", or "to" after a "from": the text between a before and an after figure.
bool is_arrow(std::string_view between, bool from_before);
// "vs", "up from", "instead of": the text between an after and a before figure.
bool is_reverse_link(std::string_view low_between);

}  // namespace isobench::detail
