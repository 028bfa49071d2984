#pragma once
// The distribution functions the tests need, self-contained: standard normal and Student's t.

namespace isobench::detail::stats {

double normal_cdf(double z);
double normal_sf(double z);        // 1 - cdf, accurate in the upper tail
double normal_quantile(double p);  // inverse cdf, p in (0, 1)

// Regularised incomplete beta I_x(a, b), by Lentz's continued fraction.
double incomplete_beta(double a, double b, double x);

double student_t_sf(double t, double df);  // P(T > t)
double student_t_quantile(double p, double df);

}  // namespace isobench::detail::stats
