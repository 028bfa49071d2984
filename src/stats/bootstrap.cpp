#include "stats/bootstrap.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "isobench/random.hpp"
#include "stats/summary.hpp"

namespace isobench::detail::stats {

namespace {

void check(const bootstrap_options& o) {
  if (o.resamples < 100) throw std::invalid_argument("bootstrap: at least 100 resamples");
  if (!(o.level > 0.0 && o.level < 1.0)) throw std::invalid_argument("bootstrap: level outside (0, 1)");
}

// Median of x[idx[0..n)] without allocating: copies into scratch and uses nth_element.
double median_of(std::span<const double> x, const std::vector<std::size_t>& idx, std::vector<double>& scratch) {
  scratch.resize(idx.size());
  for (std::size_t i = 0; i < idx.size(); ++i) scratch[i] = x[idx[i]];
  const std::size_t n = scratch.size();
  const std::size_t mid = n / 2;
  std::nth_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(mid), scratch.end());
  const double upper = scratch[mid];
  if (n % 2 == 1) return upper;
  const double lower = *std::max_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(mid));
  return 0.5 * (lower + upper);
}

void draw(gen::rng& r, std::size_t n, std::vector<std::size_t>& idx) {
  idx.resize(n);
  for (auto& i : idx) i = static_cast<std::size_t>(r.next() % n);  // n << 2^64: bias negligible
}

interval percentile_interval(std::vector<double>& stats, double level) {
  std::sort(stats.begin(), stats.end());
  const double alpha = 1.0 - level;
  return {quantile_sorted(stats, alpha / 2.0), quantile_sorted(stats, 1.0 - alpha / 2.0)};
}

// The percentile interval of `statistic(rng)` over o.resamples draws.
template <class Statistic>
interval run_bootstrap(const bootstrap_options& o, Statistic&& statistic) {
  check(o);
  gen::rng r(o.seed);
  std::vector<double> stats(static_cast<std::size_t>(o.resamples));
  for (auto& s : stats) s = statistic(r);
  return percentile_interval(stats, o.level);
}

}  // namespace

interval bootstrap_median_ci(std::span<const double> x, const bootstrap_options& o) {
  if (x.empty()) throw std::invalid_argument("bootstrap of an empty sample");
  std::vector<std::size_t> idx;
  std::vector<double> scratch;
  return run_bootstrap(o, [&](gen::rng& r) {
    draw(r, x.size(), idx);
    return median_of(x, idx, scratch);
  });
}

interval bootstrap_median_ratio_ci(std::span<const double> num, std::span<const double> den,
                                   const bootstrap_options& o) {
  if (num.empty() || den.empty()) throw std::invalid_argument("bootstrap of an empty sample");
  std::vector<std::size_t> idx;
  std::vector<double> scratch;
  return run_bootstrap(o, [&](gen::rng& r) {
    draw(r, num.size(), idx);
    const double a = median_of(num, idx, scratch);
    draw(r, den.size(), idx);
    return a / median_of(den, idx, scratch);
  });
}

interval bootstrap_paired_median_ratio_ci(std::span<const double> num, std::span<const double> den,
                                          const bootstrap_options& o) {
  if (num.empty() || num.size() != den.size())
    throw std::invalid_argument("paired bootstrap needs equal, non-empty sizes");
  std::vector<std::size_t> idx;
  std::vector<double> scratch;
  return run_bootstrap(o, [&](gen::rng& r) {
    draw(r, num.size(), idx);  // one index set for both sides: pairs stay together
    const double a = median_of(num, idx, scratch);
    return a / median_of(den, idx, scratch);
  });
}

}  // namespace isobench::detail::stats
