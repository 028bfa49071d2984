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

// The unit `spelled` ("ms", "TFLOP/s", "tok/s") as a quantity of value 1: a template for a figure
// written without one. nullopt when it spells no unit.
std::optional<quantity> unit_quantity(std::string_view spelled);
// `q` in the unit of `unit` when it has none of its own.
quantity with_unit_of(quantity q, const quantity& unit);

// A unit named alone: the "(ms)" of a header "Latency (ms)", "[ms]", or "in ms".
std::optional<quantity> unit_in_parentheses(std::string_view low);
// A unit after up to two words at the start of `low` (" output tokens/s to ..."): the unit and the
// length through it.
std::optional<std::pair<quantity, std::size_t>> leading_unit_phrase(std::string_view low);

// The unit a snake_case key names at its end, as benchmark JSON and logs write them: the last
// identifier of `key_low` ("\"mean_ttft_ms\": ", "avg_generation_time_s: ", "decode_tokens_per_s").
std::optional<quantity> unit_of_key(std::string_view key_low);

// A unit in parentheses right after a figure: "3.99 (seconds)".
std::optional<quantity> unit_right_after(std::string_view low, const quantity& q);

// Whether a figure's label names a measure ("total inference time", "total token throughput"),
// which words that usually count ("total", "number of") do not make a count.
bool names_a_measure(std::string_view label_low);

// The unit a text names for `word` in the few words after it, within its clause: "throughput in
// mean output tok/s, ITL is median in ms" gives tok/s for "throughput" and ms for "itl".
std::optional<quantity> unit_after_word(std::string_view low, std::string_view word, std::size_t window = 40);

}  // namespace isobench::detail::text
