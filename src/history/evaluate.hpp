#pragma once
// The change-point detector against conbench's lookback z-score on synthetic series with known
// changes: steps of 2%, 5% and 10% at 1% noise, a slow drift, single outliers, bimodal noise and
// pure noise. For the README's evidence table and the detector's tests.

#include <cstdint>
#include <string>
#include <vector>

#include "history/change_points.hpp"

namespace isobench::detail::history {

struct scenario {
  std::string name;
  double step = 0.0;      // relative level change injected at a random point (0: none)
  double drift = 0.0;     // relative change spread linearly over 100 points instead of a step
  bool outliers = false;  // three single points 25% slow
  double bimodal = 0.0;   // each point's level is +-bimodal/2 at random
};

struct method_score {
  std::size_t changes_injected = 0, detected = 0, exact = 0, false_alarms = 0, points = 0;
  [[nodiscard]] double detected_pct() const;
  [[nodiscard]] double exact_pct() const;
  [[nodiscard]] double false_alarms_per_1000() const;
};

struct scenario_result {
  scenario s;
  method_score edivisive, zscore;
};

struct evaluation_options {
  std::size_t series = 100;      // per scenario
  std::size_t points = 200;      // per series
  std::size_t samples = 10;      // per point
  double noise = 0.01;           // point-to-point and within-point (log scale sd)
  std::size_t match_window = 3;  // a detection within [change, change + 3) counts
  std::uint64_t seed = 20261130;
  detect_options detect;
};

std::vector<scenario> standard_scenarios();
std::vector<scenario_result> evaluate_detectors(const std::vector<scenario>& scenarios, const evaluation_options& o);

}  // namespace isobench::detail::history
