#include <vector>

#include "report/result.hpp"
#include "stats/hypothesis.hpp"

namespace isobench {

void judge(std::vector<verdict_result>& results, const verdict_policy& policy, const std::vector<bool>& equivalent) {
  std::vector<double> p;
  p.reserve(results.size());
  for (const auto& r : results) p.push_back(r.estimate.p_value);
  const auto adjusted = stats::holm_adjust(p);
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto& r = results[i];
    r.p_adjusted = adjusted[i];
    r.verdict = decide(r.estimate, r.p_adjusted, policy, equivalent[i]);
    r.reason = explain(r.estimate, r.p_adjusted, policy, r.verdict);
    r.mde = r.estimate.mde(policy.alpha, policy.ci_level);
  }
}

}  // namespace isobench
