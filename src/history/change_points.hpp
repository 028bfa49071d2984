#pragma once
// Level shifts in a series of points, each point a set of timing samples: E-divisive means
// (Matteson & James 2014, "A nonparametric approach for multiple change point analysis of
// multivariate data", JASA 109(505)) with binary segmentation, as Apache Otava/Hunter use it.
//
//   - Each point's level is the median of the log of its samples: every sample counts, and one
//     slow sample cannot move a point. Samples of one run share its machine state, so they are not
//     independent evidence of a change; levels are compared point against point.
//   - In a segment, the split maximising the energy statistic Q (alpha = 1) is the candidate; its
//     significance is a permutation test of max Q (the points of the segment shuffled, fixed seed).
//     A change is kept when that p-value is at most `alpha` and the level moved by at least
//     `min_change`; then both halves are searched again.
//   - Each kept change is then measured between its neighbouring changes: magnitude, its 95% CI and
//     p-value from compare_levels (every sample's spread weighs its point; run-to-run variance from
//     the points' scatter), and whether it persists (the latest level still differs from the level
//     before it by at least half the change, in the same direction).
//
// Plain functions over spans, like stats/.

#include <cstdint>
#include <span>
#include <vector>

namespace isobench::detail::history {

struct detect_options {
  double alpha = 0.005;           // permutation p-value a split must reach
  int permutations = 199;         // so the smallest p is 1/200
  double min_change = 0.01;       // relative level change below which nothing is reported
  std::size_t min_segment = 3;    // points on each side of a change
  std::uint64_t seed = 0x15b0;    // permutations are reproducible
  std::size_t max_points = 1000;  // the latest points analysed (the test is O(n^2) per permutation)
};

struct change {
  std::size_t index = 0;   // first point at the new level: the first bad commit; index - 1 the last good
  double magnitude = 1.0;  // level after / level before (> 1: slower for times)
  double ci_low = 1.0, ci_high = 1.0;
  double p_value = 1.0;  // Welch's t on the point levels of the neighbouring segments
  double p_permutation = 1.0;
  bool persists = false;
};

// Point levels: the median of log(samples) of each point.
std::vector<double> point_levels(std::span<const std::vector<double>> samples);

// A point's level and the variance of that level from its own samples: (1.2533 x 1.4826 MAD)^2 / n
// of the log samples (the median's sampling variance, robust to a stray sample); 0 for one sample.
struct point_level {
  double y = 0.0;
  double v = 0.0;
};
std::vector<point_level> point_level_stats(std::span<const std::vector<double>> samples);

// The difference of two segments' levels (after - before, log scale) under a random-effects model:
// y_i = segment level + run-to-run effect (variance tau^2, estimated from the points' scatter
// beyond their own sampling variance, pooled over both segments) + the point's own sampling error
// (v_i). Points are weighted 1 / (tau^2 + v_i), so every sample counts through v_i while runs stay
// the independent units; t with n_before + n_after - 2 degrees of freedom. With v_i = 0 this is
// Student's pooled two-sample t-test.
struct level_difference {
  double diff = 0.0, se = 0.0, df = 1.0, t = 0.0, p_value = 1.0, tau2 = 0.0;
};
level_difference compare_levels(std::span<const point_level> before, std::span<const point_level> after);

// Changes in index order.
std::vector<change> detect_changes(std::span<const std::vector<double>> samples, const detect_options& o = {});

// The energy statistic of splitting `y` at tau (exposed for tests).
double energy_statistic(std::span<const double> y, std::size_t tau);

// conbench's lookback z-score: for each point, z of its level against the previous `window` points'
// levels (mean, sample standard deviation); indexes where |z| > threshold (the comparison method).
std::vector<std::size_t> lookback_z_alarms(std::span<const double> levels, std::size_t window = 100,
                                           double threshold = 5.0, std::size_t min_history = 10);

}  // namespace isobench::detail::history
