#pragma once
// Where a text names the unit of a figure written without one: a header's "(ms)", the words after a
// metric ("throughput in tok/s"), a benchmark key's suffix ("mean_ttft_ms"), "3.99 (seconds)".

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

#include "generate/text_scan.hpp"

namespace isobench::detail::text {

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
