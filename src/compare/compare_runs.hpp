#pragma once
// `isobench compare`: judge head result files against base result files, per spec x workload x
// implementation, from their raw samples.
//
// The unit of inference is the *run*. Samples of one run share its process-level state (CPU
// placement, frequency, memory layout), so two runs of identical code differ far more than the
// samples inside either suggest; testing samples as independent draws flags most A/A pairs (see
// README, Statistics). With >= 6 runs per side (files, ideally measured alternately), the test is
// Mann-Whitney U on per-run medians: exact when runs are exchangeable, and one disturbed run cannot
// hide an effect. With 2-5 it is Welch's t on the logarithms of the run medians (a rank test
// cannot reach p < 0.01 there). With one, it falls back to medians of blocks of samples, marks the
// result run_variance_unaccounted, and only the noise threshold guards against false alarms.

#include <string>
#include <vector>

#include "report/result.hpp"
#include "report/result_reader.hpp"

namespace isobench::detail {

struct compare_options {
  verdict_policy policy;
  bool allow_env_mismatch = false;
  int resamples = 10000;
  int min_runs_per_side = 2;  // below this: block fallback
  int rank_test_runs = 6;     // from this many runs per side on: Mann-Whitney instead of Welch
};

struct compare_report {
  verdict_policy policy;
  std::vector<verdict_result> verdicts;
  std::vector<std::string> notes;  // warnings a reader must see (env overridden, fallback used, …)
};

// Differences in what makes timings incomparable: CPU model, build type, device, isobench major
// version. Each entry: "field: base value vs head value".
std::vector<std::string> environment_differences(const std::vector<loaded_result>& base,
                                                 const std::vector<loaded_result>& head);

// Throws config_error when environments differ (unless allowed) or a side is empty.
compare_report compare_results(const std::vector<loaded_result>& base, const std::vector<loaded_result>& head,
                               const compare_options& options);

// Medians of consecutive blocks of `block` samples (the last block takes the remainder).
std::vector<double> block_medians(const std::vector<double>& samples, std::size_t blocks);

}  // namespace isobench::detail
