#pragma once
// The result document: one per run, everything needed to audit or re-analyse it (raw samples,
// environment, spec). Field names carry their units. Schema: configs/schema/result.schema.json.

#include <nlohmann/json_fwd.hpp>

#include "report/reporter.hpp"

namespace isobench::detail {

class json_reporter final : public reporter {
public:
  void report(const run_report& r, std::ostream& os) const override;
};

nlohmann::json to_json(const run_report& r);
nlohmann::json to_json(const case_result& c, const run_report& r);
nlohmann::json to_json(const verdict_result& v);
nlohmann::json policy_to_json(const verdict_policy& p);

}  // namespace isobench::detail
