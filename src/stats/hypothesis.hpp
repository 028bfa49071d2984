#pragma once
// Hypothesis tests and multiple-comparison correction. Conventions follow scipy.stats (1.10) so
// results can be checked against it: the statistics reported and the p-values agree with
// mannwhitneyu, ttest_ind(equal_var=False) and wilcoxon.

#include <span>
#include <string>
#include <vector>

namespace isobench::detail::stats {

// Of the location of x relative to y (or of d relative to 0): less means "x tends to be smaller".
enum class alternative { two_sided, less, greater };

enum class test_method { automatic, exact, asymptotic };

struct test_result {
  double statistic = 0.0;
  double p_value = 1.0;
  bool exact = false;  // exact distribution, or the normal approximation
};

// Mann-Whitney U. statistic: U of x. automatic = exact when there are no ties and both samples
// have at most 50 values; otherwise the normal approximation with tie correction and continuity
// correction.
test_result mann_whitney_u(std::span<const double> x, std::span<const double> y, alternative alt,
                           test_method method = test_method::automatic);

// Welch's unequal-variance t-test. statistic: t.
test_result welch_t_test(std::span<const double> x, std::span<const double> y, alternative alt);
double welch_df(std::span<const double> x, std::span<const double> y);

// Wilcoxon signed-rank test of paired differences d against 0. Zeros are dropped (Wilcoxon's
// method). statistic: min(W+, W-) when two-sided, W+ otherwise. automatic = exact when there are no
// ties and at most 50 non-zero differences; otherwise normal approximation with tie correction.
test_result wilcoxon_signed_rank(std::span<const double> d, alternative alt,
                                 test_method method = test_method::automatic);

// Holm-Bonferroni step-down adjusted p-values, in the input order.
std::vector<double> holm_adjust(std::span<const double> p);

// Average ranks (1-based) with ties sharing their mean rank; tie_term = sum(t^3 - t) over tie groups.
std::vector<double> average_ranks(std::span<const double> x, double* tie_term = nullptr);

}  // namespace isobench::detail::stats
