#include "stats/hypothesis.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "stats/distributions.hpp"
#include "stats/summary.hpp"

namespace isobench::detail::stats {

std::vector<double> average_ranks(std::span<const double> x, double* tie_term) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> ranks(x.size());
  double ties = 0.0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    const double avg = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k) ranks[order[k]] = avg;
    const auto t = static_cast<double>(j - i + 1);
    ties += t * t * t - t;
    i = j + 1;
  }
  if (tie_term != nullptr) *tie_term = ties;
  return ranks;
}

namespace {

// Counts of the exact null distribution of U for sizes m, n, built by addition alone (as scipy
// does) so the smallest tail probabilities keep full precision: with c(i, j) the counts for i and
// j values, c(i, j)[u] = c(i - 1, j)[u - j] + c(i, j - 1)[u] (the largest value is an x, which beats
// all j y's, or a y, which beats none).
std::vector<double> mwu_counts(std::size_t m, std::size_t n) {
  std::vector<std::vector<double>> prev(n + 1, std::vector<double>{1.0}), cur(n + 1);
  for (std::size_t i = 1; i <= m; ++i) {
    cur[0] = {1.0};
    for (std::size_t j = 1; j <= n; ++j) {
      auto& c = cur[j];
      c.assign(i * j + 1, 0.0);
      const auto& left = cur[j - 1];  // c(i, j - 1)
      const auto& up = prev[j];       // c(i - 1, j)
      for (std::size_t u = 0; u < left.size(); ++u) c[u] += left[u];
      for (std::size_t u = 0; u < up.size(); ++u) c[u + j] += up[u];
    }
    std::swap(prev, cur);
  }
  return prev[n];
}

// P(S >= s) for a distribution given by counts.
double upper_tail(const std::vector<double>& counts, double s) {
  const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
  double tail = 0.0;
  for (std::size_t u = 0; u < counts.size(); ++u) {
    if (static_cast<double>(u) >= s - 1e-9) tail += counts[u];
  }
  return tail / total;
}

// Counts of the exact null distribution of W+ for n non-zero differences: coefficients of
// prod_{k=1..n} (1 + q^k).
std::vector<double> signed_rank_counts(std::size_t n) {
  std::vector<double> c{1.0};
  c.resize(n * (n + 1) / 2 + 1, 0.0);
  std::size_t top = 0;
  for (std::size_t k = 1; k <= n; ++k) {
    top += k;
    for (std::size_t u = top; u >= k; --u) c[u] += c[u - k];
  }
  return c;
}

double clip01(double p) {
  return std::clamp(p, 0.0, 1.0);
}

}  // namespace

test_result mann_whitney_u(std::span<const double> x, std::span<const double> y, alternative alt, test_method method) {
  if (x.empty() || y.empty()) throw std::invalid_argument("mann_whitney_u: empty sample");
  std::vector<double> all(x.begin(), x.end());
  all.insert(all.end(), y.begin(), y.end());
  double tie_term = 0.0;
  const auto ranks = average_ranks(all, &tie_term);
  const double n1 = static_cast<double>(x.size());
  const double n2 = static_cast<double>(y.size());
  const double r1 = std::accumulate(ranks.begin(), ranks.begin() + static_cast<std::ptrdiff_t>(x.size()), 0.0);
  const double u1 = r1 - n1 * (n1 + 1.0) / 2.0;
  const double u2 = n1 * n2 - u1;

  const double u = alt == alternative::greater ? u1 : alt == alternative::less ? u2 : std::max(u1, u2);
  const double factor = alt == alternative::two_sided ? 2.0 : 1.0;
  if (method == test_method::automatic) {
    method = tie_term == 0.0 && x.size() <= 50 && y.size() <= 50 ? test_method::exact : test_method::asymptotic;
  }
  test_result r;
  r.statistic = u1;
  if (method == test_method::exact) {
    r.exact = true;
    r.p_value = clip01(factor * upper_tail(mwu_counts(x.size(), y.size()), u));
    return r;
  }
  const double n = n1 + n2;
  const double mu = n1 * n2 / 2.0;
  const double s = std::sqrt(n1 * n2 / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0))));
  const double z = s > 0.0 ? (u - mu - 0.5) / s : 0.0;
  r.p_value = clip01(factor * normal_sf(z));
  return r;
}

double welch_df(std::span<const double> x, std::span<const double> y) {
  const double v1 = std::pow(stddev(x), 2) / static_cast<double>(x.size());
  const double v2 = std::pow(stddev(y), 2) / static_cast<double>(y.size());
  return (v1 + v2) * (v1 + v2) /
         (v1 * v1 / static_cast<double>(x.size() - 1) + v2 * v2 / static_cast<double>(y.size() - 1));
}

test_result welch_t_test(std::span<const double> x, std::span<const double> y, alternative alt) {
  if (x.size() < 2 || y.size() < 2) throw std::invalid_argument("welch_t_test: at least 2 values per sample");
  const double v1 = std::pow(stddev(x), 2) / static_cast<double>(x.size());
  const double v2 = std::pow(stddev(y), 2) / static_cast<double>(y.size());
  test_result r;
  const double se = std::sqrt(v1 + v2);
  if (se == 0.0) {  // identical constant samples: no evidence either way, or certain difference
    const double diff = mean(x) - mean(y);
    r.statistic = diff == 0.0 ? 0.0 : std::copysign(INFINITY, diff);
    r.p_value = diff == 0.0                                   ? 1.0
                : alt == alternative::two_sided               ? 0.0
                : (alt == alternative::greater) == (diff > 0) ? 0.0
                                                              : 1.0;
    return r;
  }
  r.statistic = (mean(x) - mean(y)) / se;
  const double df = welch_df(x, y);
  switch (alt) {
    case alternative::two_sided: r.p_value = clip01(2.0 * student_t_sf(std::fabs(r.statistic), df)); break;
    case alternative::greater: r.p_value = student_t_sf(r.statistic, df); break;
    case alternative::less: r.p_value = student_t_sf(-r.statistic, df); break;
  }
  return r;
}

test_result wilcoxon_signed_rank(std::span<const double> d, alternative alt, test_method method) {
  std::vector<double> nonzero;
  for (double v : d) {
    if (v != 0.0) nonzero.push_back(v);
  }
  test_result r;
  if (nonzero.empty()) return r;  // no evidence: p = 1
  std::vector<double> mags(nonzero.size());
  std::transform(nonzero.begin(), nonzero.end(), mags.begin(), [](double v) { return std::fabs(v); });
  double tie_term = 0.0;
  const auto ranks = average_ranks(mags, &tie_term);
  double w_plus = 0.0;
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    if (nonzero[i] > 0.0) w_plus += ranks[i];
  }
  const auto n = static_cast<double>(nonzero.size());
  const double total = n * (n + 1.0) / 2.0;
  const double w_minus = total - w_plus;
  r.statistic = alt == alternative::two_sided ? std::min(w_plus, w_minus) : w_plus;
  if (method == test_method::automatic) {
    method = tie_term == 0.0 && nonzero.size() <= 50 ? test_method::exact : test_method::asymptotic;
  }
  if (method == test_method::exact) {
    r.exact = true;
    const auto counts = signed_rank_counts(nonzero.size());
    switch (alt) {
      case alternative::two_sided: r.p_value = clip01(2.0 * upper_tail(counts, total - r.statistic)); break;
      case alternative::greater: r.p_value = upper_tail(counts, w_plus); break;
      case alternative::less: r.p_value = upper_tail(counts, total - w_plus); break;
    }
    return r;
  }
  const double mn = total / 2.0;
  const double se = std::sqrt(n * (n + 1.0) * (2.0 * n + 1.0) / 24.0 - tie_term / 48.0);
  const double z = (r.statistic - mn) / se;
  switch (alt) {
    case alternative::two_sided: r.p_value = clip01(2.0 * normal_cdf(z)); break;  // statistic <= mean
    case alternative::greater: r.p_value = normal_sf(z); break;
    case alternative::less: r.p_value = normal_cdf(z); break;
  }
  return r;
}

std::vector<double> holm_adjust(std::span<const double> p) {
  std::vector<std::size_t> order(p.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  std::vector<double> adjusted(p.size());
  double running = 0.0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    running = std::max(running, std::min(1.0, static_cast<double>(p.size() - i) * p[order[i]]));
    adjusted[order[i]] = running;
  }
  return adjusted;
}

}  // namespace isobench::detail::stats
