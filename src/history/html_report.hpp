#pragma once
// `isobench report`: the history as a static site that opens from disk without a network (inline
// CSS and SVG, no scripts): an index of series with sparklines, the latest change and the latest
// pairwise verdict; a page per series with its plot (every point's median and sample range, change
// points marked, commits on the axis, linked when a repository URL is given), its changes and
// verdicts. And the same as markdown for a pull-request comment.

#include <filesystem>
#include <string>
#include <vector>

#include "history/detect_series.hpp"

namespace isobench::detail::history {

struct site_options {
  std::string title = "isobench history";
  std::string repo_url;  // "https://github.com/org/repo": commits link to <repo_url>/commit/<hash>
};

// Writes index.html and series/<id>.html under `dir` (each file atomically).
void write_site(const std::filesystem::path& dir, const std::vector<series_report>& reports,
                const std::vector<series_change>& changes, const std::vector<verdict_record>& verdicts,
                const site_options& o);

std::string markdown_summary(const std::vector<series_report>& reports, const std::vector<series_change>& changes,
                             const std::vector<verdict_record>& verdicts, const site_options& o);

std::string html_escape(std::string_view s);

}  // namespace isobench::detail::history
