#include "stats/summary.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace isobench::detail::stats {

namespace {
void require_samples(std::span<const double> x) {
  if (x.empty()) throw std::invalid_argument("statistics of an empty sample");
}
}  // namespace

double mean(std::span<const double> x) {
  require_samples(x);
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

double stddev(std::span<const double> x) {
  require_samples(x);
  if (x.size() == 1) return 0.0;
  const double m = mean(x);
  double ss = 0.0;
  for (double v : x) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

double cv(std::span<const double> x) {
  const double m = mean(x);
  return m == 0.0 ? 0.0 : stddev(x) / m;
}

double min(std::span<const double> x) {
  require_samples(x);
  return *std::min_element(x.begin(), x.end());
}

double max(std::span<const double> x) {
  require_samples(x);
  return *std::max_element(x.begin(), x.end());
}

double quantile_sorted(std::span<const double> sorted, double q) {
  require_samples(sorted);
  if (!(q >= 0.0 && q <= 1.0)) throw std::invalid_argument("quantile outside [0, 1]");
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

double quantile(std::span<const double> x, double q) {
  std::vector<double> sorted(x.begin(), x.end());
  std::sort(sorted.begin(), sorted.end());
  return quantile_sorted(sorted, q);
}

double median(std::span<const double> x) {
  return quantile(x, 0.5);
}

summary summarize(std::span<const double> x) {
  require_samples(x);
  std::vector<double> sorted(x.begin(), x.end());
  std::sort(sorted.begin(), sorted.end());
  summary s;
  s.count = x.size();
  s.mean = mean(x);
  s.stddev = stddev(x);
  s.cv = s.mean == 0.0 ? 0.0 : s.stddev / s.mean;
  s.min = sorted.front();
  s.max = sorted.back();
  s.p50 = quantile_sorted(sorted, 0.50);
  s.p95 = quantile_sorted(sorted, 0.95);
  s.p99 = quantile_sorted(sorted, 0.99);
  return s;
}

}  // namespace isobench::detail::stats
