#include "generate/claim_scanner.hpp"

#include <algorithm>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>

#include "generate/claim_blocks.hpp"
#include "generate/claim_builders.hpp"
#include "generate/claim_repeats.hpp"
#include "generate/claim_sentences.hpp"
#include "generate/claim_sink.hpp"
#include "generate/claim_tables.hpp"
#include "generate/column_sides.hpp"
#include "generate/flattened_frames.hpp"
#include "generate/page_text.hpp"
#include "generate/result_lines.hpp"
#include "generate/spaced_tables.hpp"
#include "generate/table_pairs.hpp"
#include "generate/text_scan.hpp"

namespace isobench::detail {

namespace {

// Bounds that keep any extraction within the input limit linear in time and memory (claim_sink.hpp
// bounds the claims): Before:/After: blocks and tables beyond these sizes are not benchmark output
// someone wrote by hand.
constexpr std::size_t k_max_table_rows = 2000;
constexpr std::size_t k_max_row_bytes = 4000;  // a wrapped row joined over lines, at most

// A code fence: ``` or ~~~ (CommonMark's two).
bool is_fence(std::string_view line) {
  return line.starts_with("```") || line.starts_with("~~~");
}

// One text read line by line: prose sentences (a paragraph's wrapped lines joined), markdown and
// tab-separated tables (scanned when they end), "Before:"/"After:" blocks (entries paired by
// key), review bots' comments and quotes skipped, tool output pasted twice.
class claim_scanner {
public:
  claim_scanner(claim_source source, std::vector<perf_claim>& out) : m_source(source), m_out(out), m_sink(out) {}

  void line(std::string_view line) {
    const auto low_head = text::lower_ascii(line.substr(0, std::min<std::size_t>(line.size(), 200)));
    if (m_source == claim_source::pr_text) {
      bool is_bot = false;
      if (const auto header = bot_header(low_head, is_bot); header != 0) {
        m_skipping_bot = is_bot;
        flush_para();
        flush_table();
        m_block = side::none;
        line = text::trim(line.substr(header));  // the post itself, when the page ran it on
        if (line.empty()) return;
      }
      if (m_skipping_bot) return;
      if (!line.empty() && line.front() == '>') {  // quoting someone else
        flush_para();
        return;
      }
    }
    if (!m_in_code && html_comment(line)) return;
    frame_line(line);
    if (is_fence(line)) {
      flush_para();
      if (m_in_code) offer_table(code_block_table(m_code, m_code_caption));
      m_code.clear();
      m_code_caption = m_last_text_line;
      m_in_code = !m_in_code;
      return;
    }
    if (m_in_code && m_code.size() < k_max_table_rows) m_code.push_back(line);
    if (table_line(line)) return;
    // "| a | b |", a blank line, then "|---|---|": one table whose header a blank line split off.
    if (line.empty() && m_table.size() == 1) return;
    flush_table();
    if (line.empty()) {
      flush_para();
      return;
    }
    if (!m_in_code) m_last_text_line = line;
    if (block_line(line)) return;
    if (m_in_code && line.front() == '$') return;  // a command line: settings, not results
    if (m_in_code) {
      flush_para();
      const auto above =
          std::string_view(m_code.front().data(), static_cast<std::size_t>(line.data() - m_code.front().data()));
      scan_line(line, m_source, m_out, m_memo, m_repeats, above);
      m_sink.settle();
      return;
    }
    prose_line(line);
  }

  // The end of the text `all` (the one whose lines were read): what is still open, then the
  // figures pasted twice.
  void finish(std::string_view all) {
    flush_frames();
    flush_para();
    flush_table();
    m_repeats.emit(all, m_source, m_out);
    m_sink.settle();
  }

private:
  void flush_table() {
    if (!m_table.empty() && scan_result_lines(m_table, m_source, m_out)) {
      // A tool's result lines, every row "name | key: value | measure: figure": no header to read.
      m_table.clear();
      m_sink.settle();
      return;
    }
    if (!m_table.empty()) {
      const auto found = m_out.size();
      scan_table(m_table, m_caption, m_source, m_out);
      offer_table(markdown_table(m_table, m_caption));
      // Lines that read as no table are read line by line: a tool's tab-separated log lines ("I
      // 00:00:05 stats.h:90]\tLoad time:\t\t3.99 (seconds)"), where figures pasted twice pair,
      // and a markdown table of prose ("| Kernels | Up to 32% lower latency |").
      if (m_out.size() == found) {
        for (const auto row : m_table) scan_line(row, m_source, m_out, m_memo, m_repeats);
      }
    }
    m_table.clear();
    m_sink.settle();
  }

  // Lines with runs of spaces outside a code fence, collected as a possible frame whose fence a
  // page dropped (flattened_frames.hpp); the lines are read by the other stages as well.
  void frame_line(std::string_view line) {
    if (m_in_code || is_fence(line) || !spaced_line(line)) {
      flush_frames();
      return;
    }
    if (m_spaced.empty()) m_spaced_caption = m_last_text_line;
    if (m_spaced.size() < k_max_table_rows) m_spaced.push_back(line);
  }

  void flush_frames() {
    if (m_spaced.empty()) return;
    if (scan_arrow_table(m_spaced, m_source, m_out)) {
      // Read as a table: the same lines must not be read again as the paragraph they also joined.
      if (const auto at = m_para.find(m_spaced.front()); at != std::string::npos) {
        m_para.resize(at);
        while (!m_para.empty() && m_para.back() == ' ') m_para.pop_back();
      }
      m_sink.settle();
    } else {
      for (auto& t : flattened_frames(m_spaced, m_spaced_caption)) offer_table(std::move(t));
    }
    m_spaced.clear();
  }

  // Whether the line is inside an HTML comment ("<!-- release notes by a bot -->", a template's
  // instructions), which a reader never sees: such lines are skipped, and so are lines of tags only.
  bool html_comment(std::string_view line) {
    if (m_in_comment) {
      m_in_comment = line.find("-->") == std::string_view::npos;
      return true;
    }
    const auto open = line.find("<!--");
    if (open == std::string_view::npos) return line.starts_with('<') && line.ends_with('>');
    if (line.find("-->", open) != std::string_view::npos) return open == 0 && line.ends_with("-->");
    m_in_comment = true;
    return open == 0 || line.starts_with('<');
  }

  // A line of a markdown or tab-separated table, or the rest of a row a 72-column message wrapped;
  // false when the line is no part of a table.
  bool table_line(std::string_view line) {
    if (line.empty()) return false;
    if (!m_table.empty() && continues_row(line)) {
      m_joined.push_back(std::string(m_table.back()) + " " + std::string(line));
      m_table.back() = m_joined.back();
      return true;
    }
    // "-------" under a header printed without a leading pipe: its separator.
    const bool rule =
        m_table.size() == 1 && line.size() >= 3 && line.find_first_not_of("-|: ") == std::string_view::npos;
    const bool tab_row = std::count(line.begin(), line.end(), '\t') >= 2;
    if (line.front() != '|' && !tab_row && !pipe_row(line) && !rule) return false;
    flush_para();
    if (m_table.empty()) m_caption = caption_above();
    if (m_table.size() < k_max_table_rows) m_table.push_back(line);
    return true;
  }

  // Whether `line` is the rest of the table's last row: "| a | b | ITL" then "(ref) |", over as
  // many lines as it takes where the table's rows end in '|'; a header wrapped between cells ("| a
  // | b |" then "c | d"); a body row still short of the header's cells ("| x | 1.2 ms |" then
  // "1.0 ms |").
  bool continues_row(std::string_view line) const {
    const auto last = m_table.back();
    if (line.front() == '|' || (last.front() != '|' && !pipe_row(last)) || last.size() >= k_max_row_bytes) return false;
    if (m_table.size() == 1 && line.find('|') != std::string_view::npos && names_cells(line, true)) return true;
    if (m_table.front().front() != '|' && pipe_row(line)) return false;  // its own row (no leading pipes)
    if (last.back() != '|' && (line.back() == '|' || (m_table.front().back() == '|' && m_table.size() > 1)))
      return true;
    return line.back() == '|' && m_table.size() > 2 && cells_of(last).size() < cells_of(m_table.front()).size();
  }

  // A table row without a leading pipe ("1 | 256 | 0.241 | 0.020"): cells joined by " | ".
  static bool pipe_row(std::string_view line) {
    return std::count(line.begin(), line.end(), '|') >= 2 && line.find(" | ") != std::string_view::npos;
  }

  // A table captioned as one side: kept when it is the before side, paired with the kept one when
  // it is the after side (table_pairs.hpp).
  void offer_table(std::optional<captioned_table> t) {
    if (!t) return;
    if (scan_spaced_table(*t, m_source, m_out)) {  // one table with a column per side
      m_sink.settle();
      return;
    }
    auto [s, rest] = label_of(t->caption_low);
    if (s == side::none && t->caption_low.size() <= 40) s = column_side(t->caption_low);
    if (s == side::before) {
      m_before_table = std::move(t);
    } else if (s == side::after && m_before_table) {
      pair_tables(*m_before_table, *t, m_source, m_out);
      m_before_table.reset();
      m_sink.settle();
    }
  }

  // A table's caption: the line above it when that names a side ("Before:"), else the end of the
  // paragraph it ends, which a wrapped commit message spreads over lines ("... throughput in mean
  // output tok/s, ITL is median in\nms):").
  std::string_view caption_above() const {
    if (label_of(m_last_text_line).first != side::none || m_paragraphs.empty()) return m_last_text_line;
    std::string_view para = m_paragraphs.back();
    if (m_last_text_line.empty() || !para.ends_with(m_last_text_line)) return m_last_text_line;
    constexpr std::size_t k_tail = 300;
    if (para.size() <= k_tail) return para;
    std::size_t from = para.size() - k_tail;
    while (from < para.size() && para[from - 1] != ' ') ++from;  // a whole word
    return para.substr(from);
  }

  // A list item or heading starts a paragraph; a heading or a line ending in ':' ends one.
  void prose_line(std::string_view line) {
    const char f = line.front();
    const bool item = f == '#' || list_item(line);
    if (item || m_para.size() > k_max_sentence * 20) flush_para();
    if (!m_para.empty()) m_para += ' ';
    m_para += line;
    constexpr std::string_view wide_colon = "\xef\xbc\x9a";  // U+FF1A, as CJK text ends a caption
    if (f == '#' || line.back() == ':' || line.ends_with(wide_colon)) flush_para();
  }

  void flush_para() {
    if (m_para.empty()) return;
    m_paragraphs.push_back(std::move(m_para));
    m_para.clear();
    const std::string_view para = m_paragraphs.back();
    const bool item = list_item(para);
    if (!item) m_list_caption = {};
    scan_line(para, m_source, m_out, m_memo, m_repeats, {}, m_list_caption);
    if (para.ends_with(':')) m_list_caption = para.substr(para.size() - std::min<std::size_t>(para.size(), 200));
    m_sink.settle();
  }

  // "- a", "* a", "+ a", "1. a": an item of a list.
  static bool list_item(std::string_view line) {
    const char f = line.front();
    return ((f == '-' || f == '*' || f == '+') && line.size() > 1 && line[1] == ' ') ||
           (f >= '0' && f <= '9' && line.find(". ") != std::string_view::npos && line.find(". ") < 4);
  }

  // A "Before:"/"After:" label or a line inside such a block; false when the line is prose.
  bool block_line(std::string_view line) {
    if (const auto caption = trailing_caption(line); !caption.empty()) {
      if (caption.data() != line.data()) prose_line(text::trim(line.substr(0, caption.data() - line.data())));
      return block_line(caption);
    }
    if (const auto [s, rest] = label_of(line); s != side::none) {
      flush_para();
      m_block = s;
      if (s == side::before) m_blocks.start_before();
      const auto entries = block_entries(rest);
      m_blocks.add(entries, s, m_source, m_out);
      if (!rest.empty() && entries.empty()) scan_line(line, m_source, m_out, m_memo, m_repeats);
      m_sink.settle();
      return true;
    }
    if (m_block == side::none) return false;
    const auto entries = block_entries(line);
    const bool prose =
        entries.empty() && !m_in_code && (line.find(':') == std::string_view::npos) && !block_setting_line(line);
    if (prose) {
      m_block = side::none;
      return false;
    }
    flush_para();
    m_blocks.add(entries, m_block, m_source, m_out);
    m_sink.settle();
    return true;
  }

  claim_source m_source;
  std::vector<perf_claim>& m_out;
  claim_sink m_sink;
  sentence_memo m_memo;
  repeated_metrics m_repeats;
  bool m_skipping_bot = false;
  bool m_in_comment = false;
  bool m_in_code = false;
  side m_block = side::none;
  block_pairs m_blocks;
  std::vector<std::string_view> m_table;
  std::string_view m_caption, m_last_text_line;
  std::deque<std::string> m_joined;        // wrapped table rows, joined (m_table views them)
  std::vector<std::string_view> m_code;    // the open code block's lines
  std::vector<std::string_view> m_spaced;  // consecutive spaced lines outside a code block
  std::string_view m_spaced_caption;
  std::string_view m_code_caption;
  std::optional<captioned_table> m_before_table;
  // Prose lines of one paragraph, joined: commit messages wrap sentences at 72 columns. Kept
  // alive while the sentence memo holds views into them; together never larger than the input.
  std::deque<std::string> m_paragraphs;
  std::string m_para;
  std::string_view m_list_caption;  // the paragraph ending in ':' the list items below it stand under
};

}  // namespace

void scan_text(std::string_view all, claim_source source, std::vector<perf_claim>& out) {
  claim_scanner scanner(source, out);
  std::size_t start = 0;
  while (start <= all.size()) {
    std::size_t nl = all.find('\n', start);
    if (nl == std::string_view::npos) nl = all.size();
    scanner.line(text::trim(all.substr(start, nl - start)));
    start = nl + 1;
  }
  scanner.finish(all);
}

}  // namespace isobench::detail
