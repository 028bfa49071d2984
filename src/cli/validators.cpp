#include "cli/validators.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "io/json_document.hpp"

namespace isobench::detail::cli {

CLI::Validator finite_range(double low, double high, bool low_exclusive) {
  const auto expected = fmt::format("a number in {}{:g}, {:g}]", low_exclusive ? "(" : "[", low, high);
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        double x = 0.0;
        const char* end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, x);
        const bool parsed = ec == std::errc() && ptr == end;
        if (!parsed || !std::isfinite(x) || x < low || x > high || (low_exclusive && x == low)) {
          const auto shown = text.size() > 40 ? text.substr(0, 37) + "..." : text;
          return fmt::format("expected {}, got '{}'", expected, shown);
        }
        return {};
      },
      fmt::format("NUMBER in {}{:g}, {:g}]", low_exclusive ? "(" : "[", low, high));
}

CLI::Validator json_text(std::size_t max_bytes) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        if (text.size() > max_bytes) return fmt::format("expected at most {} bytes, got {}", max_bytes, text.size());
        if (!is_valid_utf8(text)) return "expected UTF-8 text, got invalid UTF-8 bytes";
        for (char c : text) {
          if (static_cast<unsigned char>(c) < 0x20) return "expected text without control characters";
        }
        return {};
      },
      "TEXT");
}

}  // namespace isobench::detail::cli
