#include "history/change_points.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "history/model.hpp"
#include "stats/distributions.hpp"
#include "stats/hypothesis.hpp"

namespace isobench::detail::history {

namespace {

// Q(tau) for every tau in [m, n - m], in O(n^2) time and O(n) memory: the within-left and
// within-right sums of |y_i - y_k| built incrementally, the cross sum as the rest of all pairs.
// Returns the best tau and its Q (tau = 0 when no split is allowed).
std::pair<std::size_t, double> best_split(std::span<const double> y, std::size_t m) {
  const std::size_t n = y.size();
  if (n < 2 * m || m == 0) return {0, 0.0};
  std::vector<double> left(n + 1, 0.0), right(n + 1, 0.0);
  for (std::size_t t = 1; t <= n; ++t) {
    double add = 0.0;
    for (std::size_t i = 0; i + 1 < t; ++i) add += std::abs(y[i] - y[t - 1]);
    left[t] = left[t - 1] + add;  // pairs within y[0, t)
  }
  for (std::size_t t = n; t-- > 0;) {
    double add = 0.0;
    for (std::size_t k = t + 1; k < n; ++k) add += std::abs(y[k] - y[t]);
    right[t] = right[t + 1] + add;  // pairs within y[t, n)
  }
  const double all = left[n];
  std::size_t best_tau = 0;
  double best_q = -1.0;
  for (std::size_t tau = m; tau + m <= n; ++tau) {
    const double a = static_cast<double>(tau), b = static_cast<double>(n - tau);
    const double within_l = left[tau], within_r = right[tau];
    const double cross = all - within_l - within_r;
    const double e = 2.0 * cross / (a * b) - within_l / (a * (a - 1.0) / 2.0) - within_r / (b * (b - 1.0) / 2.0);
    const double q = a * b / (a + b) * e;
    if (q > best_q) {
      best_q = q;
      best_tau = tau;
    }
  }
  return {best_tau, best_q};
}

void segment(std::span<const double> y, std::size_t offset, const detect_options& o, std::mt19937_64& rng,
             std::vector<std::pair<std::size_t, double>>& found) {
  const auto [tau, q] = best_split(y, o.min_segment);
  if (tau == 0) return;
  // Permutation test of max Q.
  std::vector<double> shuffled(y.begin(), y.end());
  int at_least = 0;
  for (int r = 0; r < o.permutations; ++r) {
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    if (best_split(shuffled, o.min_segment).second >= q) ++at_least;
  }
  const double p = (1.0 + at_least) / (1.0 + o.permutations);
  if (p > o.alpha) return;
  double mean_l = 0.0, mean_r = 0.0;
  for (std::size_t i = 0; i < tau; ++i) mean_l += y[i] / static_cast<double>(tau);
  for (std::size_t i = tau; i < y.size(); ++i) mean_r += y[i] / static_cast<double>(y.size() - tau);
  if (std::abs(std::exp(mean_r - mean_l) - 1.0) < o.min_change) return;
  found.emplace_back(offset + tau, p);
  segment(y.subspan(0, tau), offset, o, rng, found);
  segment(y.subspan(tau), offset + tau, o, rng, found);
}

double mean(std::span<const double> x) {
  return x.empty() ? 0.0 : std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

}  // namespace

std::vector<double> point_levels(std::span<const std::vector<double>> samples) {
  std::vector<double> out;
  out.reserve(samples.size());
  for (const auto& p : point_level_stats(samples)) out.push_back(p.y);
  return out;
}

double energy_statistic(std::span<const double> y, std::size_t tau) {
  const std::size_t n = y.size();
  double cross = 0.0, wl = 0.0, wr = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = i + 1; k < n; ++k) {
      const double d = std::abs(y[i] - y[k]);
      if (k < tau)
        wl += d;
      else if (i >= tau)
        wr += d;
      else
        cross += d;
    }
  }
  const double a = static_cast<double>(tau), b = static_cast<double>(n - tau);
  return a * b / (a + b) * (2.0 * cross / (a * b) - wl / (a * (a - 1.0) / 2.0) - wr / (b * (b - 1.0) / 2.0));
}

std::vector<point_level> point_level_stats(std::span<const std::vector<double>> samples) {
  std::vector<point_level> out;
  out.reserve(samples.size());
  for (const auto& s : samples) {
    std::vector<double> logs;
    logs.reserve(s.size());
    for (double x : s) logs.push_back(std::log(std::max(x, 1e-300)));
    point_level p;
    p.y = median_of(logs);
    if (logs.size() > 1) {
      std::vector<double> dev;
      dev.reserve(logs.size());
      for (double l : logs) dev.push_back(std::abs(l - p.y));
      const double sigma = 1.4826 * median_of(std::move(dev));
      const double se = 1.2533 * sigma / std::sqrt(static_cast<double>(logs.size()));
      p.v = se * se;
    }
    out.push_back(p);
  }
  return out;
}

level_difference compare_levels(std::span<const point_level> before, std::span<const point_level> after) {
  level_difference d;
  const double nb = static_cast<double>(before.size()), na = static_cast<double>(after.size());
  if (before.size() < 2 || after.size() < 2) return d;
  auto moments = [](std::span<const point_level> s, double& mean_y, double& ss, double& mean_v) {
    mean_y = ss = mean_v = 0.0;
    for (const auto& p : s) mean_y += p.y / static_cast<double>(s.size());
    for (const auto& p : s) {
      ss += (p.y - mean_y) * (p.y - mean_y);
      mean_v += p.v / static_cast<double>(s.size());
    }
  };
  double mb = 0, ssb = 0, vb = 0, ma = 0, ssa = 0, va = 0;
  moments(before, mb, ssb, vb);
  moments(after, ma, ssa, va);
  d.df = nb + na - 2.0;
  const double between = (ssb + ssa) / d.df;  // pooled scatter of the point levels
  d.tau2 = std::max(0.0, between - (vb * nb + va * na) / (nb + na));
  auto weighted = [&](std::span<const point_level> s, double& mean, double& var) {
    double sw = 0.0, swy = 0.0;
    for (const auto& p : s) {
      const double w = 1.0 / std::max(d.tau2 + p.v, 1e-24);
      sw += w;
      swy += w * p.y;
    }
    mean = swy / sw;
    var = 1.0 / sw;
  };
  double mean_b = 0, var_b = 0, mean_a = 0, var_a = 0;
  weighted(before, mean_b, var_b);
  weighted(after, mean_a, var_a);
  d.diff = mean_a - mean_b;
  d.se = std::sqrt(var_a + var_b);
  d.t = d.se > 0.0 ? d.diff / d.se : 0.0;
  d.p_value = d.se > 0.0 ? std::min(1.0, 2.0 * stats::student_t_sf(std::abs(d.t), d.df)) : (d.diff == 0.0 ? 1.0 : 0.0);
  return d;
}

std::vector<change> detect_changes(std::span<const std::vector<double>> all_samples, const detect_options& o) {
  const std::size_t skip = all_samples.size() > o.max_points ? all_samples.size() - o.max_points : 0;
  const auto samples = all_samples.subspan(skip);
  const auto y = point_levels(samples);
  const auto levels = point_level_stats(samples);
  std::mt19937_64 rng(o.seed);
  std::vector<std::pair<std::size_t, double>> found;
  segment(y, 0, o, rng, found);
  std::sort(found.begin(), found.end());

  std::vector<change> out;
  for (std::size_t c = 0; c < found.size(); ++c) {
    const std::size_t idx = found[c].first;
    const std::size_t lo = c == 0 ? 0 : found[c - 1].first;
    const std::size_t hi = c + 1 == found.size() ? y.size() : found[c + 1].first;
    const std::span<const double> before(y.data() + lo, idx - lo), after(y.data() + idx, hi - idx);
    change ch;
    ch.index = idx + skip;
    ch.p_permutation = found[c].second;
    const auto d = compare_levels(std::span<const point_level>(levels.data() + lo, idx - lo),
                                  std::span<const point_level>(levels.data() + idx, hi - idx));
    const double diff = d.diff;
    ch.magnitude = std::exp(diff);
    ch.p_value = d.p_value;
    const double q = stats::student_t_quantile(0.975, std::max(d.df, 1.0));
    ch.ci_low = std::exp(diff - q * d.se);
    ch.ci_high = std::exp(diff + q * d.se);
    // Persists: the latest segment is still away from the level before this change.
    const std::size_t last_start = found.back().first;
    const double latest = mean(std::span<const double>(y.data() + last_start, y.size() - last_start));
    const double still = latest - mean(before);
    ch.persists = (still > 0) == (diff > 0) && std::abs(still) >= std::abs(diff) / 2.0;
    if (std::abs(ch.magnitude - 1.0) < o.min_change) continue;  // neighbours narrowed it away
    out.push_back(ch);
  }
  return out;
}

std::vector<std::size_t> lookback_z_alarms(std::span<const double> levels, std::size_t window, double threshold,
                                           std::size_t min_history) {
  std::vector<std::size_t> out;
  for (std::size_t i = min_history; i < levels.size(); ++i) {
    const std::size_t from = i > window ? i - window : 0;
    const auto past = levels.subspan(from, i - from);
    const double m = mean(past);
    double ss = 0.0;
    for (double x : past) ss += (x - m) * (x - m);
    const double sd = std::sqrt(ss / static_cast<double>(past.size() - 1));
    if (sd > 0.0 && std::abs(levels[i] - m) / sd > threshold) out.push_back(i);
  }
  return out;
}

}  // namespace isobench::detail::history
