#include "report/reporter.hpp"

#include <fmt/format.h>

#include "isobench/error.hpp"
#include "report/console_reporter.hpp"
#include "report/json_reporter.hpp"
#include "report/summary_reporter.hpp"

namespace isobench::detail {

std::string_view to_string(run_mode m) noexcept {
  switch (m) {
    case run_mode::measure: return "measure";
    case run_mode::reference: return "reference";
    case run_mode::eqcheck: return "eqcheck";
  }
  return "measure";
}

std::vector<std::string_view> reporter_formats() {
  return {"console", "json", "summary"};
}

std::unique_ptr<reporter> make_reporter(std::string_view format) {
  if (format == "json") return std::make_unique<json_reporter>();
  if (format == "console") return std::make_unique<console_reporter>();
  if (format == "summary") return std::make_unique<summary_reporter>();
  throw config_error(
      fmt::format("unknown report format '{}' (known: {})", format, fmt::join(reporter_formats(), ", ")));
}

}  // namespace isobench::detail

namespace isobench {

template <>
std::optional<detail::run_mode> from_string<detail::run_mode>(std::string_view text) noexcept {
  using detail::run_mode;
  static constexpr run_mode all[] = {run_mode::measure, run_mode::reference, run_mode::eqcheck};
  return from_string_among(text, all);
}

}  // namespace isobench
