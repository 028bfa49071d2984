#include "stats/random_effects.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "isobench/error.hpp"
#include "stats/distributions.hpp"

namespace isobench::detail::stats {

trimmed_estimate trimmed_mean(std::span<const double> x, double proportion) {
  const std::size_t n = x.size();
  if (n < 2) throw error(exit_code::internal_error, "trimmed_mean: needs at least 2 values");
  std::vector<double> s(x.begin(), x.end());
  std::sort(s.begin(), s.end());
  const auto g = static_cast<std::size_t>(std::floor(proportion * static_cast<double>(n)));
  trimmed_estimate out;
  double sum = 0.0;
  for (std::size_t i = g; i < n - g; ++i) sum += s[i];
  out.mean = sum / static_cast<double>(n - 2 * g);
  // Winsorize: the g smallest become s[g], the g largest s[n-g-1].
  for (std::size_t i = 0; i < g; ++i) {
    s[i] = s[g];
    s[n - 1 - i] = s[n - 1 - g];
  }
  double wmean = 0.0;
  for (double v : s) wmean += v;
  wmean /= static_cast<double>(n);
  double ss = 0.0;
  for (double v : s) ss += (v - wmean) * (v - wmean);
  const double wvar = ss / static_cast<double>(n - 1);
  const double shrink = 1.0 - 2.0 * proportion;
  out.se2 = wvar / (shrink * shrink * static_cast<double>(n));
  return out;
}

random_effects_result random_effects(std::span<const double> y, std::span<const double> v) {
  const std::size_t k = y.size();
  if (k < 2 || v.size() != k) throw error(exit_code::internal_error, "random_effects: needs k >= 2 launches");
  constexpr double v_floor = 1e-12;
  std::vector<double> w(k);
  double sw = 0.0, sw2 = 0.0, swy = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    w[i] = 1.0 / std::max(v[i], v_floor);
    sw += w[i];
    sw2 += w[i] * w[i];
    swy += w[i] * y[i];
  }
  const double fixed = swy / sw;
  random_effects_result r;
  r.k = k;
  r.df = static_cast<double>(k - 1);
  for (std::size_t i = 0; i < k; ++i) r.q += w[i] * (y[i] - fixed) * (y[i] - fixed);
  const double c = sw - sw2 / sw;
  r.tau2 = c > 0.0 ? std::max(0.0, (r.q - r.df) / c) : 0.0;
  double sws = 0.0, swsy = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    w[i] = 1.0 / (std::max(v[i], v_floor) + r.tau2);
    sws += w[i];
    swsy += w[i] * y[i];
  }
  r.estimate = swsy / sws;
  double q_hk = 0.0;
  for (std::size_t i = 0; i < k; ++i) q_hk += w[i] * (y[i] - r.estimate) * (y[i] - r.estimate);
  q_hk /= r.df;
  r.se = std::sqrt(std::max(q_hk, 1.0) / sws);
  r.t = r.estimate / r.se;
  r.p_value = std::min(1.0, 2.0 * student_t_sf(std::fabs(r.t), r.df));
  return r;
}

double random_effects_p_greater(const random_effects_result& r, double bar) {
  if (!(r.se > 0.0) || r.k < 2) return 1.0;
  return student_t_sf((r.estimate - bar) / r.se, r.df);
}

}  // namespace isobench::detail::stats
