#pragma once
// Scanning prose for numbers with units, and for keywords near them. ASCII case folding only:
// the keywords are ASCII, and multi-byte UTF-8 passes through untouched.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace isobench::detail::text {

std::string lower_ascii(std::string_view s);
bool is_alnum(char c) noexcept;
std::string_view trim(std::string_view s) noexcept;
// The longest prefix of `s` of at most `max_bytes` that ends on a whole UTF-8 character (a clipped
// quotation must stay valid JSON text).
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes) noexcept;

// `kw` occurs at `pos` of `low` starting a word (and, when `whole`, ending one).
bool word_at(std::string_view low, std::size_t pos, std::string_view kw, bool whole) noexcept;
// Any of `kws` anywhere in `low` as a word start (or whole word).
bool contains_word(std::string_view low, std::span<const std::string_view> kws, bool whole = false);

struct keyword_hit {
  std::size_t index = 0;     // into the keyword list
  std::size_t distance = 0;  // characters between the keyword and the span (after-hits weigh more)
  bool before = true;        // the keyword precedes the span
};
// The keyword nearest to [begin, end) within `before_chars` before it or `after_chars` after it.
// Keywords after the span count 8 characters farther: prose puts the word that governs a number
// ("reduces ... by 30%") before it more often than after.
std::optional<keyword_hit> nearest_keyword(std::string_view low, std::size_t begin, std::size_t end,
                                           std::span<const std::string_view> kws, std::size_t before_chars,
                                           std::size_t after_chars, bool whole = false);

enum class unit_class { none, factor, percent, time, throughput, memory };

struct quantity {
  std::size_t begin = 0, end = 0;  // in the text, number through unit
  double value = 0.0;
  std::optional<double> high;  // "2-3x": 3
  std::string unit;            // canonical spelling: "x", "%", "ms", "tokens/s", "GB", ... or ""
  unit_class cls = unit_class::none;
  double scale = 1.0;  // unit -> base unit (seconds, per second, bytes)
  int sign = 0;        // +1 or -1 when written ("+15%"), else 0
};

// Every number in `text` (with `low` its lower_ascii), with the unit that follows it. Numbers
// inside identifiers (fp8, H100, llama-3, #1234, v0.5) are not numbers; "4096x4096" is a shape and
// "8x H100" a hardware count, neither a factor.
std::vector<quantity> find_quantities(std::string_view text, std::string_view low);

// A word that spells a unit of a measure (time, rate, memory; not "x" or "%"), as a quantity of
// value 1; nullopt for any other word. Where such words sit in a text: unit_names.hpp.
std::optional<quantity> measure_unit(std::string_view word);

}  // namespace isobench::detail::text
