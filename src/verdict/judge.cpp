#include "verdict/judge.hpp"

#include <vector>

#include "stats/hypothesis.hpp"

namespace isobench::detail {

void judge(std::vector<verdict_result>& results, const verdict_policy& policy, const std::vector<bool>& equivalent) {
  std::vector<double> p, p_claim;
  p.reserve(results.size());
  for (const auto& r : results) {
    p.push_back(r.estimate.p_value);
    if (policy.claim) p_claim.push_back(claim_p_value(r.estimate, policy.claim->speedup * policy.claim->tolerance));
  }
  // Claims are corrected across workloads exactly like the two-sided p-values.
  const auto adjusted = stats::holm_adjust(p);
  const auto claim_adjusted = stats::holm_adjust(p_claim);
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto& r = results[i];
    r.p_adjusted = adjusted[i];
    adjusted_p ap{adjusted[i], 1.0};
    if (policy.claim) {
      r.p_claim = p_claim[i];
      r.p_claim_adjusted = ap.claim = claim_adjusted[i];
    }
    r.verdict = decide(r.estimate, ap, policy, equivalent[i]);
    r.reason = explain(r.estimate, ap, policy, r.verdict);
    r.mde = r.estimate.mde(policy.alpha);
  }
}

}  // namespace isobench::detail
