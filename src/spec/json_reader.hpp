#pragma once
// Typed, path-aware reading of a JSON object: every failure names the source file, the JSON
// pointer of the field and what was expected, and unknown keys are rejected (a typo such as
// "warmpu" must not be silently ignored).

#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace isobench::detail {

// "a string", "an integer", … of a JSON value, quoting short scalars: `got "abc"`.
std::string describe_json(const nlohmann::json& value);

[[noreturn]] void throw_spec_error(std::string_view source, std::string_view pointer, std::string_view problem);

class json_reader {
public:
  // `value` must outlive the reader.
  json_reader(const nlohmann::json& value, std::string source, std::string pointer);

  [[nodiscard]] const std::string& pointer() const noexcept { return m_pointer; }
  [[nodiscard]] std::string child_pointer(std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key) const;
  [[nodiscard]] const nlohmann::json* get(std::string_view key);  // marks the key used

  std::string required_string(std::string_view key);
  std::optional<std::string> optional_string(std::string_view key);
  std::optional<std::int64_t> optional_int(std::string_view key, std::int64_t min_value, std::int64_t max_value);
  std::optional<double> optional_number(std::string_view key, double min_value, bool min_exclusive,
                                        double max_value = std::numeric_limits<double>::infinity());
  std::optional<bool> optional_bool(std::string_view key);
  // An object child, or nullopt when absent.
  std::optional<json_reader> optional_object(std::string_view key);

  // Throws if the object has keys that were never read (keys starting with '$' or '_' are free
  // for comments and $schema).
  void finish() const;

  [[noreturn]] void fail(std::string_view key, std::string_view problem) const;

private:
  const nlohmann::json* m_value;
  std::string m_source;
  std::string m_pointer;
  std::set<std::string, std::less<>> m_used;
};

}  // namespace isobench::detail
