#pragma once
// `isobench backfill RANGE SPEC... --db DB`: every commit of a range (or every Nth) built with the
// recipe, its benchmark executable's `run` of each spec recorded into the history store as
// `history record` records a result, and change detection run over the series afterwards.
// Resumable: a commit already recorded for a spec on this machine is not run again, and a commit
// that does not build stays failed in the build cache. Points carry their commit's date, so a
// series is in history order however the range was backfilled.

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "build/builder.hpp"
#include "history/change_points.hpp"
#include "history/detect_series.hpp"

namespace isobench::detail {

struct backfill_options {
  std::string range;  // "v1.0..main", or one revision for its whole history
  std::string since;  // git's --since
  int steps = 1;      // every Nth commit (the newest always)
  std::vector<std::filesystem::path> specs;
  std::string db;
  std::string machine;                           // overrides the machine fingerprint (as history record)
  std::optional<std::filesystem::path> out_dir;  // keep each run's result and log here
  std::vector<std::string> workloads;
  double run_timeout_s = 3600.0;
  history::detect_options detect;
  bool quiet = false;
};

struct backfill_outcome {
  std::size_t commits = 0, runs = 0, known = 0, build_failures = 0, run_failures = 0, points_new = 0;
  std::vector<history::series_change> changes;  // of the specs' series
};

// Every Nth of `commits` (oldest first), from the oldest, and the newest always.
std::vector<std::string> every_nth(const std::vector<std::string>& commits, int steps);

backfill_outcome run_backfill(builder& b, const backfill_options& o, std::ostream& err);

}  // namespace isobench::detail
