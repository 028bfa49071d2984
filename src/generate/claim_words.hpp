#pragma once
// The words every stage of claim extraction reads figures by: the metric a figure measures ("TTFT",
// "tokens/s"), its qualifier ("up to", "p99", "mean"), and the phrases that make it someone else's
// ("as in #1234, which gave 2x") or a sum over several changes ("combined with #123").

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "generate/claims.hpp"
#include "generate/text_scan.hpp"

namespace isobench::detail {

// Words of change that govern a figure ("2x faster", "reduces ... by 5 ms", "+15% throughput").
inline constexpr std::string_view k_faster[] = {"faster",    "speedup", "speed-up", "speed up",
                                                "speeds up", "quicker", "accelerat"};
inline constexpr std::string_view k_slower[] = {"slower",  "slowdown", "slow down", "slows down",
                                                "regress", "degrad",   "overhead"};
inline constexpr std::string_view k_improve[] = {"improv", "boost", "gain", "better", "enhanc", "optimiz", "promot", "uplift"};
inline constexpr std::string_view k_up[] = {"increas", "higher", "more ", "rais", "grow", "up ", "up,", "up."};
inline constexpr std::string_view k_down[] = {"reduc",   "lower", "less",   "decreas", "drop", "cut",      "sav",
                                              "shorter", "fewer", "shrink", "smaller", "down", "eliminat", "trim"};

// The longest text a claim keeps of the sentence or row it came from.
inline constexpr std::size_t k_max_claim_text = 300;
// The "after" reach that makes qualifier_near and metric_in read a whole text (a table row).
inline constexpr std::size_t k_whole = std::string_view::npos / 2;

// A table row ("| 16 | 9.8 | 4.1 |") or a list item ("* gemm -> 7% gain"): a measurement of its
// own, so equal figures in two of them are two claims (the same row quoted twice is one).
bool is_row_or_item(std::string_view claim_text);

// `s` trimmed and cut to k_max_claim_text on a character boundary ("..." when cut).
std::string clip(std::string_view s);

// The metric named nearest to [b, e) of `low`, looking 90 characters back and `after_chars`
// ahead ("" when none).
std::string metric_in(std::string_view low, std::size_t b, std::size_t e, std::size_t after_chars = 50);
// The metric word nearest to [b, e), with its distance; metric_of names the metric it stands for.
std::optional<text::keyword_hit> metric_keyword(std::string_view low, std::size_t b, std::size_t e,
                                                std::size_t after_chars);
std::string_view metric_of(const text::keyword_hit& hit);

// "performance increases by 3-8% compared with asm kernel": "performance" named in the clause just
// before the figure at `b` is what it measures (higher is better), unless a metric word `hit` comes
// nearer before it; the word is too common to be read from further away.
bool performance_governs(std::string_view low, std::size_t b, const std::optional<text::keyword_hit>& hit);

// The metrics named in [from, to) of `low`, in order (the longest word at each place, whole words):
// a flattened table's header "Output tok/s Total tok/s Req/s p50 TPOT" names four.
std::vector<std::string_view> metrics_in_order(std::string_view low, std::size_t from, std::size_t to);

bool is_latency_metric(std::string_view m);
bool is_throughput_metric(std::string_view m);

// "up to" as "up_to" (same length, so positions hold): "up" then means a rise only.
std::string spell_up_to(std::string low);

// The qualifier of the figure at [b, e) of `low` (which spells "up to" as "up_to"). Whole texts
// (table rows) pass b = e = 0 and after_chars = k_whole.
claim_qualifier qualifier_near(std::string_view low, std::size_t b, std::size_t e, bool range,
                               std::size_t after_chars = 25);

// The sentence is about another pull request: "as in #1234, which gave 2x", "the previous PR ...".
bool about_other_pr(std::string_view low);
// The sentence states a figure over several changes: "combined with #123", "in total".
bool states_cumulative(std::string_view low);

// The quantity in its unit class's base unit.
double to_base(const text::quantity& q);

}  // namespace isobench::detail
