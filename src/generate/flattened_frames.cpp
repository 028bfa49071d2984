#include "generate/flattened_frames.hpp"

#include <cctype>
#include <deque>
#include <optional>
#include <string>

#include "generate/text_scan.hpp"

namespace isobench::detail {

namespace {

// "Summary: Before:" -> "Before:": the clause a caption ends with.
std::string_view last_clause(std::string_view s) {
  s = text::trim(s);
  const auto body = s.ends_with(':') ? s.substr(0, s.size() - 1) : s;
  const auto cut = body.find_last_of(":.");
  return cut == std::string_view::npos ? s : text::trim(s.substr(cut + 1));
}

// Where the columns start after a caption ending in ':' that ran onto a header ("Before:     N_CTX
// ..."); 0 when the line starts with its columns.
std::size_t caption_end(std::string_view line) {
  const auto gap = line.find("   ");
  if (gap == std::string_view::npos) return 0;
  return text::trim(line.substr(0, gap)).ends_with(':') ? gap : 0;
}

// Where a caption that ran onto a row's last cell starts ("928.55 After:"), or npos.
std::size_t caption_in_cell(std::string_view cell) {
  const auto low = text::lower_ascii(cell);
  const auto qs = text::find_quantities(cell, low);
  if (qs.size() != 1 || qs[0].end >= cell.size()) return std::string_view::npos;
  const auto rest = text::trim(cell.substr(qs[0].end));
  const bool caption = !rest.empty() && std::isalpha(static_cast<unsigned char>(rest.front())) && rest.ends_with(':');
  return caption ? qs[0].end : std::string_view::npos;
}

// The length of a row the next prose ran onto ("3  8192.0    928.55 After: ..."): its cells up to
// the number a caption follows; 0 when the line is no such row.
std::size_t row_prefix(std::string_view line) {
  std::size_t numeric = 0;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t e = i;
    while (e < line.size() && line[e] != '\t' && !(line[e] == ' ' && e + 1 < line.size() && line[e + 1] == ' ')) ++e;
    const auto cell = line.substr(i, e - i);
    if (cell.empty()) break;
    if (const auto at = caption_in_cell(cell); at != std::string_view::npos) return numeric >= 1 ? i + at : 0;
    if (!numeric_cell(std::string(cell))) return 0;
    ++numeric;
    i = e;
  }
  return 0;
}

}  // namespace

bool spaced_line(std::string_view line) {
  const auto t = text::trim(line);
  return !t.empty() && t.front() != '|' && t.find("  ") != std::string_view::npos;
}

std::vector<captioned_table> flattened_frames(std::span<const std::string_view> lines, std::string_view caption_above) {
  std::vector<captioned_table> out;
  std::vector<std::string_view> block;  // a header, if any, then rows
  std::string_view caption = caption_above;
  const auto close = [&] {
    if (!block.empty()) {
      if (auto t = code_block_table(block, caption)) out.push_back(std::move(*t));
    }
    block.clear();
    caption = {};
  };
  std::deque<std::string_view> pending(lines.begin(), lines.end());
  while (!pending.empty()) {
    const auto piece = text::trim(pending.front());
    pending.pop_front();
    if (piece.empty()) continue;
    if (numeric_row(spaced_cells(piece))) {
      block.push_back(piece);
      continue;
    }
    if (const auto n = row_prefix(piece); n != 0) {
      block.push_back(piece.substr(0, n));
      close();
      pending.push_front(piece.substr(n));
      continue;
    }
    // Text: a header, after a caption that ran onto it or under the caption above.
    const bool first = block.empty() && out.empty();
    close();
    if (const auto at = caption_end(piece); at != 0) {
      caption = last_clause(piece.substr(0, at));
      block.push_back(text::trim(piece.substr(at)));
    } else {
      caption = first ? caption_above : std::string_view{};
      if (piece.ends_with(':') && spaced_cells(piece).size() == 1) {
        caption = last_clause(piece);  // "After:" alone, the frame's rows below
      } else {
        block.push_back(piece);
      }
    }
  }
  close();
  return out;
}

}  // namespace isobench::detail
