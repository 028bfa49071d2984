#pragma once
// Quantitative performance claims in a commit's subject, message and pull-request text:
// "avg 2.8x speedup", "2-3x", "up to 4x", "30% faster", "reduces TTFT (P50) by 31.4%",
// "latency 12.3 ms -> 8.1 ms", Before:/After: blocks, markdown tables of before/after numbers,
// "throughput +15%", "20% less memory".
//
// Pure text: no regular expressions (std::regex recurses per character and overflows the stack on
// long inputs), one pass over each line, so a 50 MB pull-request page is scanned in well under a
// second. What is not a claim: numbers without a unit or a direction (batch sizes, model names,
// versions), hardware counts ("8x H100"), shapes ("4096x4096"), accuracy and utilisation
// percentages, numbers quoted about other pull requests, quoted text and review bots' comments.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "isobench/enum_string.hpp"

namespace isobench::detail {

enum class claim_source : std::uint8_t { subject, message, pr_text };
enum class claim_kind : std::uint8_t { speedup, latency, throughput, memory, other };
enum class claim_direction : std::uint8_t { improvement, regression };
enum class claim_qualifier : std::uint8_t { none, average, up_to, at_least, range, p50, p90, p99, mean, median };

std::string_view to_string(claim_source v) noexcept;
std::string_view to_string(claim_kind v) noexcept;
std::string_view to_string(claim_direction v) noexcept;
std::string_view to_string(claim_qualifier v) noexcept;

struct perf_claim {
  std::string text;  // the sentence, line or table row it came from (at most ~300 characters)
  claim_source source = claim_source::message;
  claim_kind kind = claim_kind::speedup;
  double value = 0.0;              // the factor (2.8), the percentage (31.4), or the before value
  std::optional<double> value_to;  // the upper end of a range, or the after value
  std::string unit;                // "x", "%", "ms", "tokens/s", "GB", ... ("" when the text gave none)
  bool before_after = false;       // value -> value_to is a before -> after pair
  claim_direction direction = claim_direction::improvement;
  claim_qualifier qualifier = claim_qualifier::none;
  std::string metric;                      // TTFT, ITL, TPOT, end-to-end latency, tokens/s, kernel time, ...
  std::optional<double> expected_speedup;  // new speed / old speed, when the claim says it
  bool cumulative = false;                 // stated over several PRs ("combined with #123", "in total")
  bool end_to_end = false;                 // measured on the serving system (TTFT, tokens/s), not one kernel
};

// The claim a spec should test: one with an expected speedup above 1, preferring, in order, a
// claim not flagged cumulative, one measured on the kernel rather than end to end, a typical
// figure (plain, average, median) over a tail or a maximum ("up to"), the subject over the message
// over the PR page, and a speedup over a latency over a throughput figure. "up to" claims get a
// tolerance of 0.5 (the maximum, not the typical case), others 0.8.
struct claim_choice {
  std::optional<std::size_t> index;
  double tolerance = 0.8;
  std::string reason;
};
claim_choice choose_claim(const std::vector<perf_claim>& claims);

// Claims in one text, in order. Bot comments and quotes are skipped only for pr_text.
std::vector<perf_claim> extract_claims(std::string_view text, claim_source source);

// Removes restatements: a claim equal in kind, value, unit, direction and metric to an earlier one
// (the PR page repeats the commit message).
void drop_repeated_claims(std::vector<perf_claim>& claims);

// True for metrics measured on a whole serving system rather than one kernel.
bool is_end_to_end_metric(std::string_view metric) noexcept;

}  // namespace isobench::detail

namespace isobench {

template <>
std::optional<detail::claim_source> from_string<detail::claim_source>(std::string_view text) noexcept;
template <>
std::optional<detail::claim_kind> from_string<detail::claim_kind>(std::string_view text) noexcept;
template <>
std::optional<detail::claim_direction> from_string<detail::claim_direction>(std::string_view text) noexcept;
template <>
std::optional<detail::claim_qualifier> from_string<detail::claim_qualifier>(std::string_view text) noexcept;

}  // namespace isobench
