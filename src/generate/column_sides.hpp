#pragma once
// Which side of a change a label names: "Before:", "### Baseline", "With this PR:" as a block
// label; "before (us)", "main", "this PR", "ref" as a table column's header; and columns that pair
// by name ("throughput (CAKE)" | "throughput (ref)": the same measure, one side named).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace isobench::detail {

enum class side { none, before, after };

// "Before:", "**After (this PR)**", "### Baseline", "With this PR:" -> the side and the rest.
std::pair<side, std::string_view> label_of(std::string_view line);

// Words that name a side outright ("Before (us)", "this PR"), checked before the weaker ones.
side strong_column_side(std::string_view header);
// Any word that names a side ("main", "new", "w/", "opt", "ref", ...).
side column_side(std::string_view header);

// The side a short window of prose beside a figure names outright ("on master", "with this PR",
// "baseline:", "this change:"), or none; stricter than column_side ("with", "new" name nothing).
side attributed_side(std::string_view window_low);

// Pairs of columns (before, after) whose headers differ only where one names a side ("ITL (ref)"
// and "ITL (CAKE)"; "TPS before" and "TPS after"), each column in at most one pair.
std::vector<std::pair<std::size_t, std::size_t>> named_column_pairs(const std::vector<std::string>& header);

// Whether two labels name one switch off and on ("SDMA off" / "SDMA on", "cache disabled" /
// "cache enabled", "overlap=False" / "overlap=True"): the side of `x`, or none when they do not.
side switched_side(std::string_view x, std::string_view y);

// Columns (before, after) that a signed difference column orders ("max-autotune | default |
// delta" with "| 4.29 s | 4.01 s | -0.28s |"): its figures are the after column minus the before
// column in every row where all three hold one, and in at least one. nullopt when no column does.
std::optional<std::pair<std::size_t, std::size_t>> columns_a_difference_orders(
    const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& body);

}  // namespace isobench::detail
