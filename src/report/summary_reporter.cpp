#include "report/summary_reporter.hpp"

#include <ostream>

#include <nlohmann/json.hpp>

namespace isobench::detail {

void summary_reporter::report(const run_report& r, std::ostream& os) const {
  for (const auto& c : r.cases) {
    nlohmann::json j = {{"impl_tag", r.impl_tag},
                        {"commit_hash", r.commit_hash},
                        {"device", to_string(c.device)},
                        {"dtype", to_string(c.type)},
                        {"iters", c.measurement.measured_calls},
                        {"warmup", c.measurement.warmup_calls},
                        {"avg_ms", c.summary_ms.mean},
                        {"p50_ms", c.summary_ms.p50},
                        {"p95_ms", c.summary_ms.p95},
                        {"eq_level", c.eq ? nlohmann::json(to_string(c.eq->result.achieved))
                                          : nlohmann::json(to_string(r.spec.equivalence.level))},
                        {"eq_checked", c.eq.has_value()},
                        {"opt_path_hit", c.opt_path_hit},
                        {"workload", c.workload},
                        {"implementation", c.implementation}};
    os << j.dump() << '\n';
  }
}

}  // namespace isobench::detail
