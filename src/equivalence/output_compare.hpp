#pragma once
// Output comparison: names, then dtype and shape, then values. Each tensor gets the strongest
// level that holds (exact = bitwise equal; numeric/behavioral = |actual - expected| <= atol +
// rtol * |expected| everywhere with that level's tolerance; NaN matches only NaN); the run gets the
// weakest over its tensors.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "equivalence/tolerance.hpp"
#include "isobench/tensor.hpp"

namespace isobench::detail {

struct eq_request {
  eq_level level = eq_level::numeric;
  dtype type = dtype::f32;           // selects the default tolerance row
  std::optional<double> rtol, atol;  // override the requested level's defaults
  [[nodiscard]] tolerance tolerance_for(eq_level l) const;
};

struct tensor_comparison {
  std::string name;
  eq_level level = eq_level::none;
  double max_abs_err = 0.0;
  double max_rel_err = 0.0;                   // over elements whose expected value is non-zero
  std::optional<std::size_t> first_mismatch;  // first index that breaks the requested level
  double expected_value = 0.0;                // at first_mismatch
  double actual_value = 0.0;
  std::string problem;  // structural mismatch (missing, dtype, shape), empty otherwise
};

struct comparison {
  eq_level required = eq_level::numeric;
  eq_level achieved = eq_level::exact;
  tolerance used;  // of the requested level
  std::vector<tensor_comparison> tensors;

  [[nodiscard]] bool passed() const noexcept { return achieved >= required; }
  [[nodiscard]] double max_abs_err() const noexcept;
  [[nodiscard]] double max_rel_err() const noexcept;
  // One line for humans: the first failing tensor and where, or the level reached.
  [[nodiscard]] std::string summary() const;
};

tensor_comparison compare_tensor(const named_tensor& expected, const named_tensor& actual, const eq_request& req);

comparison compare_outputs(std::span<const named_tensor> expected, std::span<const named_tensor> actual,
                           const eq_request& req);

}  // namespace isobench::detail
