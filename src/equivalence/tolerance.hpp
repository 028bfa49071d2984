#pragma once
// Equivalence levels and the default tolerance table (ISO-Bench's), as (rtol, atol) for
// |actual - expected| <= atol + rtol * |expected|.

#include <optional>
#include <string_view>

#include "isobench/enum_string.hpp"
#include "isobench/tensor.hpp"

namespace isobench::detail {

// Ordered weakest to strongest so "the strongest level that holds" is a max.
enum class eq_level : std::uint8_t { none, behavioral, numeric, exact };

std::string_view to_string(eq_level level) noexcept;

struct tolerance {
  double rtol = 0.0;
  double atol = 0.0;
  friend bool operator==(const tolerance&, const tolerance&) = default;
};

// exact: (0, 0) for every dtype; numeric: fp32 (1e-5, 1e-7), fp16 (1e-3, 1e-4),
// bf16 (1e-2, 1e-3); behavioral: fp32 (1e-2, 1e-3), fp16 (5e-2, 1e-2); anything else (1e-3, 1e-4).
tolerance default_tolerance(eq_level level, dtype type) noexcept;

}  // namespace isobench::detail

namespace isobench {

template <>
std::optional<detail::eq_level> from_string<detail::eq_level>(std::string_view text) noexcept;

}  // namespace isobench
