#pragma once
// Robust spread and outlier counts. Outliers are reported, never dropped: a benchmark's slow
// samples are data about the code too.

#include <cstddef>
#include <span>

namespace isobench::detail::stats {

double mad(std::span<const double> x);  // median absolute deviation from the median, unscaled
double iqr(std::span<const double> x);  // Q3 - Q1 (type 7 quantiles)

struct outlier_counts {
  std::size_t mild = 0;     // beyond 1.5 IQR from the quartiles but within 3 IQR
  std::size_t extreme = 0;  // beyond 3 IQR
  std::size_t low = 0;      // of either kind, below Q1
  std::size_t high = 0;     // of either kind, above Q3
};

outlier_counts tukey_outliers(std::span<const double> x);

}  // namespace isobench::detail::stats
