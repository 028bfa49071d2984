#pragma once
// ISO-Bench's summary line on stdout (--stdout-json): one compact JSON object per workload x
// implementation, with ISO-Bench's field names, so existing graders can parse it unchanged. As in
// ISO-Bench, eq_level is the requested level when nothing was compared (eq_checked: false), and the
// strongest level that held when outputs were compared.

#include "report/reporter.hpp"

namespace isobench::detail {

class summary_reporter final : public reporter {
public:
  void report(const run_report& r, std::ostream& os) const override;
};

}  // namespace isobench::detail
