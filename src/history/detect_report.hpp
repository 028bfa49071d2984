#pragma once
// The findings of change detection as `history detect` (and `backfill`) print them: one line per
// change, the same as JSON, and whether a new regression persists (the gate).

#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "history/detect_series.hpp"

namespace isobench::detail::history {

struct detect_findings {
  nlohmann::json json = nlohmann::json::array();
  bool new_regression = false;  // a new, persisting regression: `history detect` exits 7
};

// "REGRESSION spec/w/impl@machine: +25.00% [+24.10%, +25.90%] p=1e-06 at <commit> (last good <commit>), persists"
detect_findings print_changes(const std::vector<series_change>& changes, std::ostream& out);

// The first 12 characters of a commit, "?" for none.
std::string short_commit(const std::string& c);

}  // namespace isobench::detail::history
