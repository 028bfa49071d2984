#include "equivalence/tolerance.hpp"

namespace isobench::detail {

std::string_view to_string(eq_level level) noexcept {
  switch (level) {
    case eq_level::none: return "none";
    case eq_level::behavioral: return "behavioral";
    case eq_level::numeric: return "numeric";
    case eq_level::exact: return "exact";
  }
  return "none";
}

tolerance default_tolerance(eq_level level, dtype type) noexcept {
  constexpr tolerance fallback{1e-3, 1e-4};
  switch (level) {
    case eq_level::exact: return {0.0, 0.0};
    case eq_level::numeric:
      switch (type) {
        case dtype::f32: return {1e-5, 1e-7};
        case dtype::f16: return {1e-3, 1e-4};
        case dtype::bf16: return {1e-2, 1e-3};
        default: return fallback;
      }
    case eq_level::behavioral:
      switch (type) {
        case dtype::f32: return {1e-2, 1e-3};
        case dtype::f16: return {5e-2, 1e-2};
        default: return fallback;
      }
    case eq_level::none: break;
  }
  return fallback;
}

}  // namespace isobench::detail

namespace isobench {

template <>
std::optional<detail::eq_level> from_string<detail::eq_level>(std::string_view text) noexcept {
  using detail::eq_level;
  static constexpr eq_level all[] = {eq_level::none, eq_level::behavioral, eq_level::numeric, eq_level::exact};
  return from_string_among(text, all);
}

}  // namespace isobench
