#pragma once
// Strict JSON for every file isobench reads (specs, results, reference headers): one parse that
// refuses what nlohmann::json would accept silently or fail on obscurely. Duplicate keys (JSON
// leaves them undefined; nlohmann keeps the last) and nesting deeper than 128 are errors; numbers
// out of double range and invalid UTF-8 are parse errors. Every failure is an isobench::error with
// the caller's exit code and names the source and, for duplicates, the JSON pointer.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "isobench/error.hpp"

namespace isobench::detail {

inline constexpr int json_max_depth = 128;

nlohmann::json parse_json_document(std::string_view text, const std::string& source, exit_code code);

// RFC 6901 token escaping (~ -> ~0, / -> ~1), for pointers in messages.
std::string json_pointer_token(std::string_view key);

// Whether `text` is well-formed UTF-8 (what JSON strings must be).
bool is_valid_utf8(std::string_view text) noexcept;
// Replaces every byte that does not start a well-formed UTF-8 sequence with U+FFFD; returns how
// many (scraped pages and diffs carry stray Latin-1 bytes).
std::size_t replace_invalid_utf8(std::string& text);

}  // namespace isobench::detail
