#pragma once
// Seeded percentile-bootstrap confidence intervals. Seeded so that a result file's interval can
// be reproduced exactly from its samples.

#include <cstdint>
#include <span>

namespace isobench::detail::stats {

struct interval {
  double low = 0.0;
  double high = 0.0;
};

struct bootstrap_options {
  int resamples = 10000;
  double level = 0.95;
  std::uint64_t seed = 0x150b;
};

interval bootstrap_median_ci(std::span<const double> x, const bootstrap_options& o = {});

// median(num) / median(den), resampling each side independently (two separate samples).
interval bootstrap_median_ratio_ci(std::span<const double> num, std::span<const double> den,
                                   const bootstrap_options& o = {});

// median(num) / median(den) for paired observations (same index = same round): indices are
// resampled jointly, so drift shared by a pair cancels.
interval bootstrap_paired_median_ratio_ci(std::span<const double> num, std::span<const double> den,
                                          const bootstrap_options& o = {});

}  // namespace isobench::detail::stats
