#pragma once
// Summary statistics as plain functions over samples. Empty input throws std::invalid_argument.
//
// Quantiles use linear interpolation between closest ranks (Hyndman & Fan type 7, the default of
// numpy.percentile and R): for sorted x[0..n-1], q in [0,1], h = (n-1)q,
// Q(q) = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).

#include <cstddef>
#include <span>
#include <vector>

namespace isobench::detail::stats {

double mean(std::span<const double> x);
double stddev(std::span<const double> x);  // sample (n-1) standard deviation; 0 for n == 1
double cv(std::span<const double> x);      // stddev / mean
double min(std::span<const double> x);
double max(std::span<const double> x);
double quantile(std::span<const double> x, double q);  // type 7, x need not be sorted
double quantile_sorted(std::span<const double> sorted, double q);
double median(std::span<const double> x);

struct summary {
  std::size_t count = 0;
  double mean = 0, stddev = 0, cv = 0;
  double min = 0, p50 = 0, p95 = 0, p99 = 0, max = 0;
};

summary summarize(std::span<const double> x);

}  // namespace isobench::detail::stats
