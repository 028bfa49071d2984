#pragma once
// Launches as the unit of a verdict (README, "Statistics: launches"): each launch (a fresh pair of
// processes, or fresh kernels, with its own memory layout) gives one estimate of log(speedup) and
// its within-launch variance; a random-effects model adds the between-launch variance (tau^2), so
// the p-value and the CI include how much the layout moves the result.

#include <cstddef>
#include <span>

namespace isobench::detail::stats {

// Tukey-McLaughlin trimmed mean: `proportion` of the values cut from each end (floor(p n) of them,
// as scipy.stats.trim_mean), and the squared standard error from the winsorized variance,
// s_w^2 / ((1 - 2p)^2 n) (scipy.stats.mstats.trimmed_stde squared). n >= 2.
struct trimmed_estimate {
  double mean = 0.0;
  double se2 = 0.0;
};
trimmed_estimate trimmed_mean(std::span<const double> x, double proportion = 0.2);

struct random_effects_result {
  double estimate = 0.0;  // weighted mean of the launches' estimates
  double se = 0.0;        // modified Hartung-Knapp standard error (never below the DL one)
  double df = 0.0;        // k - 1
  double tau2 = 0.0;      // DerSimonian-Laird between-launch variance
  double q = 0.0;         // Cochran's Q
  double t = 0.0;         // estimate / se
  double p_value = 1.0;   // two-sided, Student t with df
  std::size_t k = 0;
};

// y: the launches' estimates; v: their within-launch variances (floored at 1e-12). k >= 2.
// DerSimonian-Laird tau^2, weights 1/(v + tau^2), and the Hartung-Knapp-Sidik-Jonkman variance
// q_HK / sum(w) with q_HK = sum(w (y - estimate)^2) / (k - 1), taken as max(q_HK, 1) / sum(w)
// (Roever et al. 2015) so that launches agreeing by chance never shrink the error below the
// model's own; the test and CI use Student's t with k - 1 degrees of freedom.
random_effects_result random_effects(std::span<const double> y, std::span<const double> v);

// One-sided p of "true effect <= bar" (log scale) against "> bar", from the same model.
double random_effects_p_greater(const random_effects_result& r, double bar);

}  // namespace isobench::detail::stats
