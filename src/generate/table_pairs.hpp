#pragma once
// A table shown twice, once before and once after a change: "before opt:" | a markdown table,
// "after opt:" | the same table with new figures; "baseline" | a pandas frame in a code block,
// "pr" | the same frame. Each numeric cell that differs between the two is a before -> after pair
// (cells that agree are the settings: batch sizes, shapes, the frame's index); its column's header
// gives the unit and metric.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "generate/claims.hpp"

namespace isobench::detail {

struct captioned_table {
  std::vector<std::string> header;             // column names; fewer than the cells for a frame's index
  std::vector<std::vector<std::string>> rows;  // body cells
  std::vector<std::string_view> lines;         // the body rows as written (views into the text)
  std::string caption_low;                     // the line before the table, lower case
};

// Cells of a markdown row, or of a tab-separated one (llama-bench's plain output).
std::vector<std::string> cells_of(std::string_view row);
// Cells of a code block's or a frame's line: split at tabs and at runs of two or more spaces.
std::vector<std::string> spaced_cells(std::string_view line);
// A cell that holds one number ("12.1", "12.1 ms", "**59.2**").
bool numeric_cell(const std::string& cell);
// A data row: numbers only (a frame's index, settings, figures). "Mean TTFT (ms):  25.42" is a
// labelled line, which Before:/After: blocks pair by label.
bool numeric_row(const std::vector<std::string>& cells);
// "|---|:---:|": a markdown table's header separator.
bool separator_row(const std::vector<std::string>& cells);

// A markdown or tab-separated table's rows (its header first).
std::optional<captioned_table> markdown_table(std::span<const std::string_view> rows, std::string_view caption);
// A code block's lines as a table (columns split at runs of two or more spaces or tabs, a header
// of names first), or nullopt when its rows are not numeric rows of one width.
std::optional<captioned_table> code_block_table(std::span<const std::string_view> lines, std::string_view caption);

// The pairs of two tables of one shape (`before` shown first); nothing when their shapes differ.
void pair_tables(const captioned_table& before, const captioned_table& after, claim_source source,
                 std::vector<perf_claim>& out);

}  // namespace isobench::detail
