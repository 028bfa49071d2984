#include "history/detect_report.hpp"

#include <fmt/format.h>

namespace isobench::detail::history {

namespace {

nlohmann::json change_json(const series_change& c) {
  return {{"series", c.series.key.text()},
          {"series_id", c.series.id},
          {"first_bad_commit", c.first_bad_commit},
          {"last_good_commit", c.last_good_commit},
          {"index", c.c.index},
          {"change_pct", 100.0 * (c.c.magnitude - 1.0)},
          {"ci_low_pct", 100.0 * (c.c.ci_low - 1.0)},
          {"ci_high_pct", 100.0 * (c.c.ci_high - 1.0)},
          {"p_value", c.c.p_value},
          {"p_permutation", c.c.p_permutation},
          {"regression", c.regression},
          {"persists", c.c.persists},
          {"new", c.is_new}};
}

}  // namespace

std::string short_commit(const std::string& c) {
  return c.size() > 12 ? c.substr(0, 12) : (c.empty() ? std::string("?") : c);
}

detect_findings print_changes(const std::vector<series_change>& changes, std::ostream& out) {
  detect_findings f;
  for (const auto& c : changes) {
    const bool bad = c.is_new && c.regression && c.c.persists;
    f.new_regression = f.new_regression || bad;
    out << fmt::format("{}{} {}: {:+.2f}% [{:+.2f}%, {:+.2f}%] p={:.2g} at {} (last good {}){}\n",
                       bad            ? "REGRESSION "
                       : c.regression ? "regression "
                                      : "improvement ",
                       c.series.key.text(), c.is_new ? "new" : "old", 100.0 * (c.c.magnitude - 1.0),
                       100.0 * (c.c.ci_low - 1.0), 100.0 * (c.c.ci_high - 1.0), c.c.p_value,
                       short_commit(c.first_bad_commit), short_commit(c.last_good_commit),
                       c.c.persists ? ", persists" : ", no longer");
    f.json.push_back(change_json(c));
  }
  return f;
}

}  // namespace isobench::detail::history
