#pragma once
// Change detection over a whole store: every series, its changes, and which are new since a commit.

#include <optional>
#include <string>
#include <vector>

#include "history/change_points.hpp"
#include "history/store.hpp"

namespace isobench::detail::history {

struct series_change {
  series_info series;
  change c;
  std::string first_bad_commit, last_good_commit, first_bad_at;
  bool regression = false;  // slower (the stored numbers are times)
  bool is_new = true;       // at or after --since
};

struct series_report {
  series_info series;
  std::vector<stored_point> points;
  std::vector<change> changes;
};

// Every series with its points and changes (the report's input).
std::vector<series_report> analyse(store& db, const detect_options& o);

// Changes of every series; with `since`, changes whose first bad point was produced at or after
// that commit's first point anywhere in the store are new (config_error if the store lacks it).
std::vector<series_change> detect_all(const std::vector<series_report>& reports, store& db,
                                      const std::optional<std::string>& since);

}  // namespace isobench::detail::history
