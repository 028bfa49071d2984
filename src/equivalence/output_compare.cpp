#include "equivalence/output_compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

namespace isobench::detail {

tolerance eq_request::tolerance_for(eq_level l) const {
  tolerance t = default_tolerance(l, type);
  if (l == level && l != eq_level::exact) {
    if (rtol) t.rtol = *rtol;
    if (atol) t.atol = *atol;
  }
  return t;
}

namespace {

bool within(double expected, double actual, const tolerance& tol) {
  if (std::isnan(expected) || std::isnan(actual)) return std::isnan(expected) && std::isnan(actual);
  if (std::isinf(expected) || std::isinf(actual)) return expected == actual;
  return std::fabs(actual - expected) <= tol.atol + tol.rtol * std::fabs(expected);
}

std::size_t first_differing_element(const tensor& a, const tensor& b) {
  const auto x = a.bytes();
  const auto y = b.bytes();
  const std::size_t width = size_bytes(a.type());
  for (std::size_t i = 0; i < x.size(); i += width) {
    if (std::memcmp(x.data() + i, y.data() + i, width) != 0) return i / width;
  }
  return a.numel();
}

}  // namespace

tensor_comparison compare_tensor(const named_tensor& expected, const named_tensor& actual, const eq_request& req) {
  tensor_comparison c;
  c.name = expected.name;
  const tensor& e = expected.value;
  const tensor& a = actual.value;
  if (e.type() != a.type()) {
    c.problem = fmt::format("dtype {} expected, got {}", to_string(e.type()), to_string(a.type()));
    return c;
  }
  if (e.shape() != a.shape()) {
    c.problem = fmt::format("shape {} expected, got {}", shape_to_string(e.shape()), shape_to_string(a.shape()));
    return c;
  }
  const std::size_t differing = first_differing_element(e, a);
  if (differing == e.numel()) {
    c.level = eq_level::exact;
    return c;
  }

  const tolerance numeric = req.tolerance_for(eq_level::numeric);
  const tolerance behavioral = req.tolerance_for(eq_level::behavioral);
  const tolerance required = req.tolerance_for(req.level);
  bool numeric_ok = true;
  bool behavioral_ok = true;
  for (std::size_t i = differing; i < e.numel(); ++i) {
    const double x = e.element(i);
    const double y = a.element(i);
    if (std::isfinite(x) && std::isfinite(y)) {
      const double d = std::fabs(y - x);
      c.max_abs_err = std::max(c.max_abs_err, d);
      if (x != 0.0) c.max_rel_err = std::max(c.max_rel_err, d / std::fabs(x));
    }
    numeric_ok = numeric_ok && within(x, y, numeric);
    behavioral_ok = behavioral_ok && within(x, y, behavioral);
    if (!c.first_mismatch && (req.level == eq_level::exact || !within(x, y, required))) {
      c.first_mismatch = i;
      c.expected_value = x;
      c.actual_value = y;
    }
  }
  c.level = numeric_ok ? eq_level::numeric : behavioral_ok ? eq_level::behavioral : eq_level::none;
  return c;
}

comparison compare_outputs(std::span<const named_tensor> expected, std::span<const named_tensor> actual,
                           const eq_request& req) {
  comparison out;
  out.required = req.level;
  out.used = req.tolerance_for(req.level);
  for (const auto& e : expected) {
    auto it = std::find_if(actual.begin(), actual.end(), [&](const auto& a) { return a.name == e.name; });
    if (it == actual.end()) {
      tensor_comparison c;
      c.name = e.name;
      c.problem = "missing from the outputs";
      out.tensors.push_back(std::move(c));
    } else {
      out.tensors.push_back(compare_tensor(e, *it, req));
    }
  }
  for (const auto& a : actual) {
    if (std::none_of(expected.begin(), expected.end(), [&](const auto& e) { return e.name == a.name; })) {
      tensor_comparison c;
      c.name = a.name;
      c.problem = "not in the reference";
      out.tensors.push_back(std::move(c));
    }
  }
  for (const auto& t : out.tensors) out.achieved = std::min(out.achieved, t.level);
  return out;
}

double comparison::max_abs_err() const noexcept {
  double m = 0.0;
  for (const auto& t : tensors) m = std::max(m, t.max_abs_err);
  return m;
}

double comparison::max_rel_err() const noexcept {
  double m = 0.0;
  for (const auto& t : tensors) m = std::max(m, t.max_rel_err);
  return m;
}

std::string comparison::summary() const {
  for (const auto& t : tensors) {
    if (!t.problem.empty()) return fmt::format("output '{}': {}", t.name, t.problem);
    if (t.level < required && t.first_mismatch) {
      return fmt::format(
          "output '{}' fails {} (rtol {:g}, atol {:g}): first mismatch at index {} (expected {:.9g}, got "
          "{:.9g}); max abs err {:.3g}, max rel err {:.3g}; strongest level that holds: {}",
          t.name, to_string(required), used.rtol, used.atol, *t.first_mismatch, t.expected_value, t.actual_value,
          t.max_abs_err, t.max_rel_err, to_string(t.level));
    }
  }
  return fmt::format("{} (max abs err {:.3g}, max rel err {:.3g})", to_string(achieved), max_abs_err(), max_rel_err());
}

}  // namespace isobench::detail
