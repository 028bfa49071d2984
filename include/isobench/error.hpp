#pragma once
// One exception type for every failure a user can cause or meet, carrying the process exit code.
// Only main() turns an exit_code into a process status.

#include <stdexcept>
#include <string>

#include "isobench/enum_string.hpp"

namespace isobench {

// Exit codes 0-6 follow ISO-Bench's test scripts; 7 and up are isobench's own.
enum class exit_code : int {
  ok = 0,
  target_not_resolved = 1,  // unknown op or implementation
  unsupported = 2,          // capability missing: device, dtype
  opt_path_not_hit = 3,     // the spec required the optimized path and it was not taken
  out_of_memory = 4,
  equivalence_failed = 5,
  invalid_config = 6,   // bad spec, bad command line
  gate_failed = 7,      // reserved: a CI verdict gate failed (compare)
  reference_error = 8,  // reference missing, corrupt, mismatched, or exists without --force
  io_error = 9,         // a file could not be read or written
  internal_error = 10,  // a bug in isobench
};

const char* to_string(exit_code code) noexcept;
// The words to_string writes ("reference error", ...); processes report the numbers.
template <>
std::optional<exit_code> from_string<exit_code>(std::string_view text) noexcept;

class error : public std::runtime_error {
public:
  error(exit_code code, const std::string& message) : std::runtime_error(message), m_code(code) {}
  [[nodiscard]] exit_code code() const noexcept { return m_code; }

private:
  exit_code m_code;
};

// Thin subclasses let callers catch one kind without inspecting codes.
class config_error : public error {
public:
  explicit config_error(const std::string& message) : error(exit_code::invalid_config, message) {}
};

class reference_error : public error {
public:
  explicit reference_error(const std::string& message) : error(exit_code::reference_error, message) {}
};

class io_error : public error {
public:
  explicit io_error(const std::string& message) : error(exit_code::io_error, message) {}
};

// Throws the subclass that matches `code` (config_error for invalid_config, ...), else error.
[[noreturn]] void throw_error(exit_code code, const std::string& message);

}  // namespace isobench
