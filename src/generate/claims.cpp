#include "generate/claims.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "generate/claim_scanner.hpp"
#include "generate/claim_words.hpp"
#include "generate/page_text.hpp"
#include "generate/text_scan.hpp"

namespace isobench::detail {

std::string_view to_string(claim_source v) noexcept {
  switch (v) {
    case claim_source::subject: return "subject";
    case claim_source::message: return "message";
    case claim_source::pr_text: return "pr_text";
  }
  return "?";
}
std::string_view to_string(claim_kind v) noexcept {
  switch (v) {
    case claim_kind::speedup: return "speedup";
    case claim_kind::latency: return "latency";
    case claim_kind::throughput: return "throughput";
    case claim_kind::memory: return "memory";
    case claim_kind::other: return "other";
  }
  return "?";
}
std::string_view to_string(claim_direction v) noexcept {
  return v == claim_direction::improvement ? "improvement" : "regression";
}
std::string_view to_string(claim_qualifier v) noexcept {
  switch (v) {
    case claim_qualifier::none: return "none";
    case claim_qualifier::average: return "average";
    case claim_qualifier::up_to: return "up_to";
    case claim_qualifier::at_least: return "at_least";
    case claim_qualifier::range: return "range";
    case claim_qualifier::p50: return "p50";
    case claim_qualifier::p90: return "p90";
    case claim_qualifier::p99: return "p99";
    case claim_qualifier::mean: return "mean";
    case claim_qualifier::median: return "median";
  }
  return "?";
}

bool is_end_to_end_metric(std::string_view metric) noexcept {
  return metric == "TTFT" || metric == "ITL" || metric == "TPOT" || metric == "end-to-end latency" ||
         metric == "tokens/s" || metric == "requests/s" || metric == "throughput";
}

std::vector<perf_claim> extract_claims(std::string_view text_in, claim_source source) {
  // A flattened page: one post per line, interface text gone.
  const std::string page = source == claim_source::pr_text ? split_page(text_in) : std::string();
  const std::string_view all = source == claim_source::pr_text ? std::string_view(page) : text_in;
  std::vector<perf_claim> out;
  scan_text(all, source, out);
  for (auto& c : out) c.end_to_end = is_end_to_end_metric(c.metric);
  return out;
}

claim_choice choose_claim(const std::vector<perf_claim>& claims) {
  claim_choice out;
  auto rank = [](const perf_claim& c) {
    int q = 0;
    switch (c.qualifier) {
      case claim_qualifier::none:
      case claim_qualifier::average:
      case claim_qualifier::mean:
      case claim_qualifier::median:
      case claim_qualifier::p50: q = 0; break;
      case claim_qualifier::p90:
      case claim_qualifier::p99:
      case claim_qualifier::range:
      case claim_qualifier::at_least: q = 1; break;
      case claim_qualifier::up_to: q = 2; break;
    }
    const int kind = c.kind == claim_kind::speedup ? 0 : c.kind == claim_kind::latency ? 1 : 2;
    return std::array<int, 5>{c.cumulative ? 1 : 0, c.end_to_end ? 1 : 0, q, static_cast<int>(c.source), kind};
  };
  for (std::size_t i = 0; i < claims.size(); ++i) {
    const auto& c = claims[i];
    if (!c.expected_speedup || *c.expected_speedup <= 1.0) continue;
    if (!out.index || rank(c) < rank(claims[*out.index])) out.index = i;
  }
  if (!out.index) {
    out.reason = claims.empty() ? "no quantitative performance claim found"
                                : "no claim states a speedup (memory, absolute or regression figures only): the "
                                  "spec checks correctness and times without a claim";
    return out;
  }
  const auto& c = claims[*out.index];
  std::string why = fmt::format("claim {} chosen: {:.3g}x expected from '{}' ({} {}, {}, from the {})", *out.index + 1,
                                *c.expected_speedup, text::utf8_prefix(c.text, 120), to_string(c.kind),
                                c.metric.empty() ? "speed" : c.metric, to_string(c.qualifier), to_string(c.source));
  if (c.qualifier == claim_qualifier::up_to) {
    out.tolerance = 0.5;
    why += "; 'up to' is a maximum, so the claim passes at half the gain";
  }
  if (c.cumulative) why += "; flagged: stated as cumulative over several PRs";
  if (c.end_to_end) why += "; flagged: measured end to end while the target is one kernel";
  if (claims.size() > 1) why += fmt::format("; the other {} claims are recorded", claims.size() - 1);
  out.reason = std::move(why);
  return out;
}

void drop_repeated_claims(std::vector<perf_claim>& claims) {
  std::vector<perf_claim> kept;
  for (auto& c : claims) {
    const bool seen = std::any_of(kept.begin(), kept.end(), [&](const perf_claim& k) {
      // Two rows of one text's tables, or two items of its lists: two measurements.
      const bool other_rows = k.source == c.source && k.text != c.text && is_row_or_item(k.text) && is_row_or_item(c.text);
      const bool same = k.kind == c.kind && k.direction == c.direction && k.unit == c.unit && k.metric == c.metric &&
                        std::abs(k.value - c.value) < 1e-9 && k.value_to.value_or(-1) == c.value_to.value_or(-1) &&
                        !other_rows;
      // One sentence stating a figure twice: "+6% (2,950 -> 3,127 tokens/s)". Two different
      // before -> after pairs, or speedups of two metrics, are two measurements, however alike.
      const bool restated = k.text == c.text && k.kind == c.kind && k.unit != c.unit && k.expected_speedup &&
                            c.expected_speedup && std::abs(*k.expected_speedup / *c.expected_speedup - 1.0) < 0.01 &&
                            !(k.before_after && c.before_after) &&
                            !(k.kind == claim_kind::speedup && k.metric != c.metric);
      return same || restated;
    });
    if (!seen) kept.push_back(std::move(c));
  }
  claims = std::move(kept);
}

}  // namespace isobench::detail

namespace isobench {

template <>
std::optional<detail::claim_source> from_string<detail::claim_source>(std::string_view text) noexcept {
  using detail::claim_source;
  static constexpr claim_source all[] = {claim_source::subject, claim_source::message, claim_source::pr_text};
  return from_string_among(text, all);
}

template <>
std::optional<detail::claim_kind> from_string<detail::claim_kind>(std::string_view text) noexcept {
  using detail::claim_kind;
  static constexpr claim_kind all[] = {claim_kind::speedup, claim_kind::latency, claim_kind::throughput,
                                       claim_kind::memory, claim_kind::other};
  return from_string_among(text, all);
}

template <>
std::optional<detail::claim_direction> from_string<detail::claim_direction>(std::string_view text) noexcept {
  using detail::claim_direction;
  static constexpr claim_direction all[] = {claim_direction::improvement, claim_direction::regression};
  return from_string_among(text, all);
}

template <>
std::optional<detail::claim_qualifier> from_string<detail::claim_qualifier>(std::string_view text) noexcept {
  using detail::claim_qualifier;
  static constexpr claim_qualifier all[] = {claim_qualifier::none,     claim_qualifier::average, claim_qualifier::up_to,
                                            claim_qualifier::at_least, claim_qualifier::range,   claim_qualifier::p50,
                                            claim_qualifier::p90,      claim_qualifier::p99,     claim_qualifier::mean,
                                            claim_qualifier::median};
  return from_string_among(text, all);
}

}  // namespace isobench
