// `isobench report --db DB -o DIR [--markdown FILE]`: the history as a static site.
#include <memory>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/validators.hpp"
#include "history/detect_series.hpp"
#include "history/html_report.hpp"
#include "io/atomic_file.hpp"
#include "isobench/error.hpp"

namespace isobench::detail::cli {

command add_report_command(CLI::App& parent, const command_context& ctx) {
  auto* sub = parent.add_subcommand("report", "Write the history as a static site (and markdown for a PR comment)");
  struct options {
    std::string db = "history.sqlite", out, markdown;
    history::site_options site;
    double threshold_pct = 1.0;
  };
  auto o = std::make_shared<options>();
  sub->add_option("--db", o->db, "SQLite file or postgresql:// URL")->capture_default_str();
  sub->add_option("-o,--out", o->out, "Directory for the site");
  sub->add_option("--markdown", o->markdown, "Also write a markdown summary here");
  sub->add_option("--repo-url", o->site.repo_url, "Repository URL; commits link to <url>/commit/<hash>");
  sub->add_option("--title", o->site.title, "Title")->capture_default_str();
  sub->add_option("--threshold", o->threshold_pct, "Smallest change marked, percent")
      ->check(finite_range(0.0, 1000.0))
      ->capture_default_str();
  return {sub, [&ctx, o] {
            if (o->out.empty() && o->markdown.empty())
              throw config_error("report: give -o DIR, --markdown FILE or both");
            history::require_existing(o->db);
            history::store db(o->db, history::access::read);
            history::detect_options dopt;
            dopt.min_change = o->threshold_pct / 100.0;
            const auto reports = history::analyse(db, dopt);
            const auto changes = history::detect_all(reports, db, std::nullopt);
            const auto verdicts = db.verdicts(1000);
            if (!o->out.empty()) {
              history::write_site(o->out, reports, changes, verdicts, o->site);
              ctx.err << fmt::format("isobench report: {} series -> {}/index.html\n", reports.size(), o->out);
            }
            if (!o->markdown.empty()) {
              write_file_atomic(o->markdown, history::markdown_summary(reports, changes, verdicts, o->site),
                                overwrite::allow);
            }
            return 0;
          }};
}

}  // namespace isobench::detail::cli
