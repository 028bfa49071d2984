#pragma once
// Claim builders shared by the extraction's stages (sentences, tables, rows): the sentence a number
// sits in and the claim a before -> after pair states.

#include <optional>
#include <string>
#include <string_view>

#include "generate/claims.hpp"
#include "generate/text_scan.hpp"

namespace isobench::detail {

struct context {
  std::string_view sentence;
  std::string low;  // lower_ascii of the text keywords are looked for in
  claim_source source;
  bool cumulative = false;
};

// before -> after in one unit class (a side without a unit takes the other's); nullopt when the
// units differ or no unit or metric says whether lower or higher is better.
std::optional<perf_claim> pair_claim(const context& c, const text::quantity& a, const text::quantity& b,
                                     std::string metric);

// The metric named nearest to [b, e) of `low` ("" when none).
std::string metric_in(std::string_view low, std::size_t b, std::size_t e);

}  // namespace isobench::detail
