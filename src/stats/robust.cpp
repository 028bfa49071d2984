#include "stats/robust.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "stats/summary.hpp"

namespace isobench::detail::stats {

double mad(std::span<const double> x) {
  const double m = median(x);
  std::vector<double> dev(x.size());
  std::transform(x.begin(), x.end(), dev.begin(), [m](double v) { return std::fabs(v - m); });
  return median(dev);
}

double iqr(std::span<const double> x) {
  std::vector<double> sorted(x.begin(), x.end());
  std::sort(sorted.begin(), sorted.end());
  return quantile_sorted(sorted, 0.75) - quantile_sorted(sorted, 0.25);
}

outlier_counts tukey_outliers(std::span<const double> x) {
  std::vector<double> sorted(x.begin(), x.end());
  std::sort(sorted.begin(), sorted.end());
  const double q1 = quantile_sorted(sorted, 0.25);
  const double q3 = quantile_sorted(sorted, 0.75);
  const double r = q3 - q1;
  outlier_counts c;
  for (double v : x) {
    const double beyond = v < q1 ? q1 - v : v > q3 ? v - q3 : 0.0;
    if (beyond > 3.0 * r)
      ++c.extreme;
    else if (beyond > 1.5 * r)
      ++c.mild;
    else
      continue;
    if (v < q1)
      ++c.low;
    else
      ++c.high;
  }
  return c;
}

}  // namespace isobench::detail::stats
