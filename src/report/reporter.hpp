#pragma once
// Output formats behind one interface (as google/benchmark's reporters): one file per format and
// a factory that picks by name.

#include <memory>
#include <ostream>
#include <string_view>
#include <vector>

#include "report/result.hpp"

namespace isobench::detail {

class reporter {
public:
  reporter() = default;
  reporter(const reporter&) = delete;
  reporter& operator=(const reporter&) = delete;
  virtual ~reporter() = default;
  virtual void report(const run_report& r, std::ostream& os) const = 0;
};

// "json": the full result document; "console": the human table; "summary": ISO-Bench's one-line
// JSON per case. Throws config_error for an unknown name.
std::unique_ptr<reporter> make_reporter(std::string_view format);
std::vector<std::string_view> reporter_formats();

}  // namespace isobench::detail
