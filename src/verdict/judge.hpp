#pragma once
// Judging a set of baseline/candidate estimates together: Holm-corrected p-values (two-sided and,
// with a claim, the claim test's), the verdict, its reason and the MDE for each.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "equivalence/tolerance.hpp"
#include "isobench/kernel.hpp"
#include "verdict/verdict.hpp"

namespace isobench::detail {

// A baseline/candidate judgement for one workload: from an interleaved run, or from `compare`.
struct verdict_result {
  std::string spec_name;
  std::string workload;
  std::string baseline;  // implementation (and tag, for compare)
  std::string candidate;
  speedup_estimate estimate;
  double p_adjusted = 1.0;  // Holm across the workloads judged together
  // With a claim: one-sided p of "speedup <= claim x tolerance" (claim_p_value), raw and Holm-adjusted.
  std::optional<double> p_claim, p_claim_adjusted;
  isobench::detail::verdict verdict = verdict::error;
  std::string reason;
  std::string stop_reason;  // interleaved runs: why sampling stopped
  double mde = 0.0;         // relative minimum detectable effect reached
  double base_p50_ms = 0.0;
  double head_p50_ms = 0.0;
  std::size_t samples_per_side = 0;
  std::optional<eq_level> candidate_eq;     // strongest level that held, when checked
  std::vector<counter> candidate_counters;  // the candidate kernel's own figures (weight bytes, error)
  // `isobench ab`: the share of a round's wall time spent on coordinating the workers (the larger side).
  std::optional<double> coordination_overhead;
};

// Fills p_adjusted and, with a claim, p_claim (each Holm across the set), verdict, reason and mde.
void judge(std::vector<verdict_result>& results, const verdict_policy& policy, const std::vector<bool>& equivalent);

}  // namespace isobench::detail
