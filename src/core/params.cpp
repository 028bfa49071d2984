#include <fmt/format.h>

#include "isobench/error.hpp"
#include "isobench/kernel.hpp"

namespace isobench {

std::string_view to_string(device_kind kind) noexcept {
  return kind == device_kind::cuda ? "cuda" : "cpu";
}

template <>
std::optional<device_kind> from_string<device_kind>(std::string_view text) noexcept {
  static constexpr device_kind all[] = {device_kind::cpu, device_kind::cuda};
  return from_string_among(text, all);
}

void params::set(std::string name, value v) {
  m_values.insert_or_assign(std::move(name), std::move(v));
}

bool params::contains(std::string_view name) const {
  return m_values.find(name) != m_values.end();
}

const params::value& params::at(std::string_view name) const {
  auto it = m_values.find(name);
  if (it == m_values.end()) throw config_error(fmt::format("missing parameter '{}'", name));
  return it->second;
}

std::int64_t params::get_int(std::string_view name) const {
  if (const auto* v = std::get_if<std::int64_t>(&at(name))) return *v;
  throw config_error(fmt::format("parameter '{}': expected an integer", name));
}

double params::get_double(std::string_view name) const {
  const auto& v = at(name);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  throw config_error(fmt::format("parameter '{}': expected a number", name));
}

bool params::get_bool(std::string_view name) const {
  if (const auto* v = std::get_if<bool>(&at(name))) return *v;
  throw config_error(fmt::format("parameter '{}': expected a boolean", name));
}

const std::string& params::get_string(std::string_view name) const {
  if (const auto* v = std::get_if<std::string>(&at(name))) return *v;
  throw config_error(fmt::format("parameter '{}': expected a string", name));
}

std::string to_string(const params::value& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, bool>) {
          return x ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::string>) {
          return x;
        } else {
          return fmt::format("{}", x);
        }
      },
      v);
}

}  // namespace isobench
