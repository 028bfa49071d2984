#pragma once
// The compact human table written to stderr after a run.

#include <string>

#include "report/reporter.hpp"

namespace isobench::detail {

class console_reporter final : public reporter {
public:
  void report(const run_report& r, std::ostream& os) const override;
};

}  // namespace isobench::detail
