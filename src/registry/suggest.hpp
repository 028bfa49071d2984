#pragma once
// "Did you mean …?" for unknown names: Levenshtein distance with a cut-off relative to length.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace isobench::detail {

std::size_t edit_distance(std::string_view a, std::string_view b);

// Candidates within a distance of max(2, |name|/3), or that contain `name`, best first.
std::vector<std::string> closest_names(std::string_view name, const std::vector<std::string>& candidates,
                                       std::size_t max_count);

}  // namespace isobench::detail
