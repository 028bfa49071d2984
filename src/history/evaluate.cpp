#include "history/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>

namespace isobench::detail::history {

namespace {

// Consecutive alarms are one event (a z-score keeps alarming until its window catches up).
std::vector<std::size_t> events(const std::vector<std::size_t>& alarms) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < alarms.size(); ++i) {
    if (i == 0 || alarms[i] != alarms[i - 1] + 1) out.push_back(alarms[i]);
  }
  return out;
}

// `injected`: a change starts at `at`; detections in [at, max(at + window, region_end)) find it.
void score(method_score& m, const std::vector<std::size_t>& found, std::size_t points, bool injected, std::size_t at,
           std::size_t region_end, std::size_t window) {
  m.points += points;
  bool hit = false, exact = false;
  for (const auto idx : found) {
    if (injected && idx >= at && idx < std::max(at + window, region_end)) {
      hit = true;
      exact = exact || idx == at;
    } else {
      ++m.false_alarms;
    }
  }
  if (injected) {
    ++m.changes_injected;
    m.detected += hit ? 1 : 0;
    m.exact += exact ? 1 : 0;
  }
}

}  // namespace

double method_score::detected_pct() const {
  return changes_injected ? 100.0 * static_cast<double>(detected) / static_cast<double>(changes_injected) : 0.0;
}
double method_score::exact_pct() const {
  return changes_injected ? 100.0 * static_cast<double>(exact) / static_cast<double>(changes_injected) : 0.0;
}
double method_score::false_alarms_per_1000() const {
  return points ? 1000.0 * static_cast<double>(false_alarms) / static_cast<double>(points) : 0.0;
}

std::vector<scenario> standard_scenarios() {
  return {{"noise only", 0.0, 0.0, false, 0.0},
          {"2% step", 0.02, 0.0, false, 0.0},
          {"5% step", 0.05, 0.0, false, 0.0},
          {"10% step", 0.10, 0.0, false, 0.0},
          {"5% drift over 100 points", 0.0, 0.05, false, 0.0},
          {"5% step + single 25% outliers", 0.05, 0.0, true, 0.0},
          {"5% step + bimodal noise (+-1.5%)", 0.05, 0.0, false, 0.03}};
}

std::vector<scenario_result> evaluate_detectors(const std::vector<scenario>& scenarios, const evaluation_options& o) {
  std::vector<scenario_result> out;
  std::mt19937_64 rng(o.seed);
  std::normal_distribution<double> noise(0.0, o.noise);
  std::uniform_int_distribution<std::size_t> where(o.points / 4, 3 * o.points / 4);
  std::bernoulli_distribution coin(0.5);
  for (const auto& sc : scenarios) {
    scenario_result r;
    r.s = sc;
    for (std::size_t k = 0; k < o.series; ++k) {
      const std::size_t at = where(rng);
      std::vector<std::size_t> outlier_at;
      if (sc.outliers) {
        for (int i = 0; i < 3; ++i) {
          std::size_t p = 0;
          do p = std::uniform_int_distribution<std::size_t>(0, o.points - 1)(rng);
          while (p + o.match_window > at && p < at + o.match_window);
          outlier_at.push_back(p);
        }
      }
      std::vector<std::vector<double>> samples(o.points);
      for (std::size_t i = 0; i < o.points; ++i) {
        double level = 0.0;
        if (sc.step != 0.0 && i >= at) level += std::log1p(sc.step);
        if (sc.drift != 0.0 && i >= at)
          level += std::log1p(sc.drift * std::min(1.0, static_cast<double>(i - at) / 100.0));
        if (sc.bimodal != 0.0) level += (coin(rng) ? 0.5 : -0.5) * sc.bimodal;
        if (std::find(outlier_at.begin(), outlier_at.end(), i) != outlier_at.end()) level += std::log(1.25);
        level += noise(rng);
        for (std::size_t s = 0; s < o.samples; ++s) samples[i].push_back(std::exp(level + noise(rng)));
      }
      std::vector<std::size_t> ed;
      for (const auto& c : detect_changes(samples, o.detect)) ed.push_back(c.index);
      const auto z = events(lookback_z_alarms(point_levels(samples)));
      const bool injected = sc.step != 0.0 || sc.drift != 0.0;
      const std::size_t region_end = sc.drift != 0.0 ? o.points : 0;  // a drift may be found anywhere after it starts
      score(r.edivisive, ed, o.points, injected, at, region_end, o.match_window);
      score(r.zscore, z, o.points, injected, at, region_end, o.match_window);
    }
    out.push_back(r);
  }
  return out;
}

}  // namespace isobench::detail::history
