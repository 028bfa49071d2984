#include "spec/json_reader.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "io/json_document.hpp"
#include "isobench/error.hpp"

namespace isobench::detail {

std::string describe_json(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::boolean: return fmt::format("boolean {}", value.dump());
    case nlohmann::json::value_t::string: {
      std::string s = value.get<std::string>();
      if (s.size() > 40) s = s.substr(0, 37) + "...";
      return fmt::format("string {}", nlohmann::json(s).dump());
    }
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return fmt::format("integer {}", value.dump());
    case nlohmann::json::value_t::number_float: return fmt::format("number {}", value.dump());
    case nlohmann::json::value_t::object: return "an object";
    case nlohmann::json::value_t::array: return "an array";
    default: return "an unsupported value";
  }
}

void throw_spec_error(std::string_view source, std::string_view pointer, std::string_view problem) {
  throw config_error(fmt::format("{}: {}: {}", source, pointer.empty() ? "/" : pointer, problem));
}

json_reader::json_reader(const nlohmann::json& value, std::string source, std::string pointer)
    : m_value(&value), m_source(std::move(source)), m_pointer(std::move(pointer)) {
  if (!value.is_object()) {
    throw_spec_error(m_source, m_pointer, fmt::format("expected an object, got {}", describe_json(value)));
  }
}

std::string json_reader::child_pointer(std::string_view key) const {
  return fmt::format("{}/{}", m_pointer, json_pointer_token(key));
}

bool json_reader::has(std::string_view key) const {
  return m_value->contains(key);
}

const nlohmann::json* json_reader::get(std::string_view key) {
  auto it = m_value->find(key);
  if (it == m_value->end()) return nullptr;
  m_used.emplace(key);
  return &*it;
}

void json_reader::fail(std::string_view key, std::string_view problem) const {
  throw_spec_error(m_source, key.empty() ? m_pointer : child_pointer(key), problem);
}

std::string json_reader::required_string(std::string_view key) {
  const auto* v = get(key);
  if (v == nullptr) fail(key, "required field is missing (expected a non-empty string)");
  if (!v->is_string() || v->get<std::string>().empty()) {
    fail(key, fmt::format("expected a non-empty string, got {}", describe_json(*v)));
  }
  return v->get<std::string>();
}

std::optional<std::string> json_reader::optional_string(std::string_view key) {
  const auto* v = get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) fail(key, fmt::format("expected a string, got {}", describe_json(*v)));
  return v->get<std::string>();
}

std::optional<std::int64_t> json_reader::optional_int(std::string_view key, std::int64_t min_value,
                                                      std::int64_t max_value) {
  const auto* v = get(key);
  if (v == nullptr) return std::nullopt;
  const auto expected = max_value == std::numeric_limits<std::int64_t>::max()
                            ? fmt::format("an integer >= {}", min_value)
                            : fmt::format("an integer in [{}, {}]", min_value, max_value);
  if (!v->is_number_integer()) fail(key, fmt::format("expected {}, got {}", expected, describe_json(*v)));
  if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max_value)) {
    fail(key, fmt::format("expected {}, got {}", expected, describe_json(*v)));
  }
  const auto x = v->get<std::int64_t>();
  if (x < min_value || x > max_value) {
    fail(key, fmt::format("expected {}, got {}", expected, describe_json(*v)));
  }
  return x;
}

std::optional<double> json_reader::optional_number(std::string_view key, double min_value, bool min_exclusive,
                                                   double max_value) {
  const auto* v = get(key);
  if (v == nullptr) return std::nullopt;
  const auto expected = std::isinf(max_value)
                            ? fmt::format("a number {} {}", min_exclusive ? ">" : ">=", min_value)
                            : fmt::format("a number in {}{:g}, {:g}]", min_exclusive ? "(" : "[", min_value, max_value);
  if (!v->is_number()) fail(key, fmt::format("expected {}, got {}", expected, describe_json(*v)));
  const double x = v->get<double>();
  if (!std::isfinite(x) || x < min_value || (min_exclusive && x == min_value) || x > max_value) {
    fail(key, fmt::format("expected {}, got {}", expected, describe_json(*v)));
  }
  return x;
}

std::optional<bool> json_reader::optional_bool(std::string_view key) {
  const auto* v = get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) fail(key, fmt::format("expected true or false, got {}", describe_json(*v)));
  return v->get<bool>();
}

std::optional<json_reader> json_reader::optional_object(std::string_view key) {
  const auto* v = get(key);
  if (v == nullptr) return std::nullopt;
  return json_reader(*v, m_source, child_pointer(key));
}

void json_reader::finish() const {
  for (const auto& [key, value] : m_value->items()) {
    if (!key.empty() && (key.front() == '$' || key.front() == '_')) continue;
    if (m_used.find(key) == m_used.end()) fail(key, "unknown field");
  }
}

}  // namespace isobench::detail
