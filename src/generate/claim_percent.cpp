#include "generate/claim_builders.hpp"

#include <algorithm>
#include <cctype>

#include "generate/claim_words.hpp"

// Percentages: the word that governs one ("30% faster", "reduces TTFT by 31%", "+15%") says its
// kind, direction and expected speedup; shares, accuracy and the like are no claims.

namespace isobench::detail {

namespace {

using text::keyword_hit;
using text::quantity;
using text::unit_class;

// Percentages that are not about speed: accuracy, utilisation, shares.
constexpr std::string_view k_not_perf[] = {
    "accuracy",   "acc.",        "utilization", "utilisation", "gpu util",     "hit rate",   "coverage",
    "gsm8k",      "mmlu",        "score",       "perplexity",  "ppl",          "top-p",      "sparsity",
    "dropout",    "probability", "percentile",  "pass rate",   "success rate", "acceptance", "occupancy",
    "error",      "loss",        "win rate",    "quantile",    "mfu",          "recall",     "precision",
    "confidence", "noise",       "variance",    "stddev",      "std dev"};
// A share when it follows the figure ("10% of the requests"); before it, it is the sentence's
// object ("improves the performance of the model by 8%").
constexpr std::string_view k_share_of[] = {"of the", "of all", "of requests", "of tokens", "of cases", "of users"};

// "drop in performance", "lower speed": the quantity that went down is a speed, not a time.
constexpr std::string_view k_speed_words[] = {"perf", "speed", "throughput"};
// Where a list of percentages that ends at `begin` starts ("0.02% / 0.36% / 0.24%": at the first).
std::size_t list_start(std::string_view low, std::size_t begin) {
  std::size_t at = begin;
  for (int items = 0; items < 32; ++items) {
    std::size_t i = at;
    while (i > 0 && low[i - 1] == ' ') --i;
    if (i == 0 || (low[i - 1] != '/' && low[i - 1] != ',')) break;
    --i;
    while (i > 0 && low[i - 1] == ' ') --i;
    if (i == 0 || low[i - 1] != '%') break;
    --i;
    while (i > 0 && (std::isdigit(static_cast<unsigned char>(low[i - 1])) || low[i - 1] == '.')) --i;
    at = i;
  }
  return at;
}

bool speed_named_after(std::string_view low, std::size_t end) {
  return text::contains_word(low.substr(std::min(end, low.size()), 36), k_speed_words);
}

// "increase speed by 53%": the quantity that went up, named just before the figure.
bool speed_named_before(std::string_view low, std::size_t begin) {
  const std::size_t from = begin > 24 ? begin - 24 : 0;
  return text::contains_word(low.substr(from, begin - from), k_speed_words);
}

// The word that governs a percentage: the nearest of the faster/slower/improve/up/down words; a
// written sign counts as a word next to the number.
enum class percent_word { none, faster, slower, improve, up, down };
struct governing_word {
  percent_word w = percent_word::none;
  bool faster_near = false, improve_near = false;  // "more" alone is no claim without them
};

// "... by around 5% for A and by around 10% for B": a percentage led by "by" continues a verb
// further back.
bool led_by_by(std::string_view low, std::size_t begin) {
  auto lead = text::trim(low.substr(0, begin));
  for (std::string_view hedge : {"~", "around", "about", "roughly", "nearly", "approximately", "almost"}) {
    if (lead.ends_with(hedge)) lead = text::trim(lead.substr(0, lead.size() - hedge.size()));
  }
  return lead.ends_with(" by");
}

// "giving 1-3% E2E performance", "brings 4% more performance", "a 5% perf uplift": the percentage is
// an amount of performance, named right after it (a share when "of" follows: "90% performance of
// cuBLAS"; a bound after "within").
bool performance_named_after(std::string_view low, const quantity& q) {
  constexpr std::string_view lead_in[] = {"more", "extra", "higher", "better", "e2e", "end-to-end", "overall", "total"};
  std::size_t p = q.end;
  for (int words = 0; words < 3; ++words) {
    while (p < low.size() && low[p] == ' ') ++p;
    const auto hit = std::find_if(std::begin(lead_in), std::end(lead_in),
                                  [&](std::string_view w) { return text::word_at(low, p, w, true); });
    if (hit == std::end(lead_in)) break;
    p += hit->size();
  }
  while (p < low.size() && low[p] == ' ') ++p;
  constexpr std::string_view nouns[] = {"performance", "perf"};
  const bool named = std::any_of(std::begin(nouns), std::end(nouns),
                                 [&](std::string_view w) { return text::word_at(low, p, w, true); });
  if (!named) return false;
  const auto noun_end = low.find_first_of(" .,;:)", p);
  if (noun_end != std::string_view::npos && low.substr(noun_end, 4) == " of ") return false;
  const auto lead = text::trim(low.substr(0, q.begin));
  return !lead.ends_with("within") && !lead.ends_with("\xc2\xb1");
}

// "L1/TEX throughput drops from 61% to 41%", "MFU 37% -> 40%": two levels of a share (a
// utilisation, a hit rate), not a change; a change is one percentage.
bool percent_level(std::string_view low, const quantity& q) {
  const auto is_link = [](std::string_view t) {
    return t == "to" || t == "->" || t == "=>" || t == "\xe2\x86\x92";
  };
  auto lead = text::trim(low.substr(q.begin >= 16 ? q.begin - 16 : 0, std::min<std::size_t>(q.begin, 16)));
  if (lead.ends_with("~")) lead = text::trim(lead.substr(0, lead.size() - 1));
  if (lead.ends_with("from") && q.high) return true;  // "from 20% to 30%" read as a range
  // This figure ends the pair: a percentage, then the link, right before it.
  for (std::size_t cut = lead.size(); cut-- > 0;) {
    if (lead[cut] != '%') continue;
    if (is_link(text::trim(lead.substr(cut + 1)))) return true;
    break;
  }
  // It starts one: the link, then a percentage.
  auto tail = low.substr(q.end, 16);
  const auto pct = tail.find('%');
  if (pct == std::string_view::npos) return false;
  auto between = text::trim(tail.substr(0, pct));
  while (!between.empty() && (std::isdigit(static_cast<unsigned char>(between.back())) || between.back() == '.'))
    between.remove_suffix(1);
  between = text::trim(between);
  if (between.ends_with("~")) between = text::trim(between.substr(0, between.size() - 1));
  return is_link(between);
}

governing_word percent_governor(const context& c, const quantity& q) {
  const std::size_t reach = led_by_by(c.low, q.begin) ? 160 : 60;
  const auto faster = text::nearest_keyword(c.low, q.begin, q.end, k_faster, reach, 30);
  const auto slower = text::nearest_keyword(c.low, q.begin, q.end, k_slower, reach, 30);
  const auto improve = text::nearest_keyword(c.low, q.begin, q.end, k_improve, reach, 30);
  const auto up = text::nearest_keyword(c.low, q.begin, q.end, k_up, reach, 30);
  const auto down = text::nearest_keyword(c.low, q.begin, q.end, k_down, reach, 30);
  governing_word g;
  g.faster_near = faster.has_value();
  g.improve_near = improve.has_value();
  std::size_t best = std::string_view::npos;
  auto take = [&](const std::optional<keyword_hit>& h, percent_word kind) {
    if (h && h->distance < best) {
      best = h->distance;
      g.w = kind;
    }
  };
  take(faster, percent_word::faster);
  take(slower, percent_word::slower);
  take(improve, percent_word::improve);
  take(up, percent_word::up);
  take(down, percent_word::down);
  // "4% more performance": more of it is a gain, whatever the metric words around say.
  if ((g.w == percent_word::none || g.w == percent_word::up) && q.sign == 0 && performance_named_after(c.low, q)) {
    g.w = percent_word::improve;
  }
  if (q.sign > 0 && g.w == percent_word::none) g.w = percent_word::up;
  if (q.sign < 0 && g.w == percent_word::none) g.w = percent_word::down;
  return g;
}

// "up" and "down" words: more or less of the metric, a gain or a loss depending on which it is.
// `low`: the sentence, lower-case.
bool apply_up_down(perf_claim& pc, const governing_word& g, const quantity& q, double p, std::string_view low) {
  const auto& m = pc.metric;
  const bool latency = is_latency_metric(m);
  const bool throughput = is_throughput_metric(m);
  if (g.w == percent_word::up) {
    if (m == "memory") {
      pc.kind = claim_kind::memory;
      pc.direction = claim_direction::regression;
    } else if (latency) {
      pc.kind = claim_kind::latency;
      pc.direction = claim_direction::regression;
      pc.expected_speedup = 1.0 / (1.0 + p);
    } else if (throughput || m.empty() || m == "kernel time") {
      pc.kind = throughput ? claim_kind::throughput : claim_kind::speedup;
      pc.expected_speedup = 1.0 + p;
      // "more" alone is no claim; "increase speed by 53%" is.
      if (!throughput && !g.improve_near && !g.faster_near && q.sign == 0 && !speed_named_before(low, q.begin)) {
        return false;
      }
    } else {
      return false;
    }
    return true;
  }
  if (m == "memory") {
    pc.kind = claim_kind::memory;
  } else if (throughput || (m.empty() && speed_named_after(low, q.end))) {  // "a 10% drop in performance"
    pc.kind = claim_kind::throughput;
    pc.direction = claim_direction::regression;
    pc.expected_speedup = 1.0 - std::min(p, 0.99);
  } else {
    pc.kind = claim_kind::latency;
    if (pc.metric.empty()) pc.metric = "time";
    if (p >= 1.0) return false;  // "reduces by 150%" is not a time
    pc.expected_speedup = 1.0 / (1.0 - p);
  }
  return true;
}

// The claim's kind, direction and expected speedup from its governing word; false when the
// percentage is no performance claim.
bool apply_percent(perf_claim& pc, const governing_word& g, const quantity& q, std::string_view low) {
  const double p = q.value / 100.0;
  const auto& m = pc.metric;
  const bool latency = is_latency_metric(m);
  const bool throughput = is_throughput_metric(m);
  switch (g.w) {
    case percent_word::none: return false;
    case percent_word::faster:
      pc.kind = throughput                                     ? claim_kind::throughput
                : latency && m != "time" && m != "kernel time" ? claim_kind::latency
                                                               : claim_kind::speedup;
      pc.expected_speedup = 1.0 + p;
      return true;
    case percent_word::slower:
      pc.kind = throughput ? claim_kind::throughput : claim_kind::speedup;
      pc.direction = claim_direction::regression;
      // "5% slower" is 1/1.05 of the speed; "a 5% throughput regression" is 0.95 of it.
      pc.expected_speedup = throughput ? 1.0 - std::min(p, 0.99) : 1.0 / (1.0 + p);
      return true;
    case percent_word::improve:
      if (m == "memory") {
        pc.kind = claim_kind::memory;
      } else if (latency) {
        pc.kind = claim_kind::latency;  // "improves TTFT by 20%": 20% less time
        if (p < 1.0) pc.expected_speedup = 1.0 / (1.0 - p);
      } else {
        pc.kind = throughput ? claim_kind::throughput : claim_kind::speedup;
        pc.expected_speedup = 1.0 + p;
      }
      return true;
    case percent_word::up:
    case percent_word::down: return apply_up_down(pc, g, q, p, low);
  }
  return false;
}
}  // namespace

std::optional<perf_claim> percent_claim(const context& c, const quantity& q) {
  if (q.value <= 0.0 || q.value > 10000.0) return std::nullopt;
  perf_claim pc = base_claim(c, q);
  const auto metric_hit = metric_keyword(c.low, q.begin, q.end, 50);
  // "77% of Q4_1 speed", "89% of the gap": a share, not a change.
  if (c.low.substr(q.end, 4) == " of ") return std::nullopt;
  if (percent_level(c.low, q)) return std::nullopt;
  // In a list ("accuracy (0.02% / 0.36% / 0.24%)") the words before the list's first figure count.
  const auto from = list_start(c.low, q.begin);
  auto not_perf = text::nearest_keyword(c.low, from, q.end, k_not_perf, 40, 25);
  if (!not_perf) not_perf = text::nearest_keyword(c.low, q.begin, q.end, k_share_of, 0, 25);
  if (not_perf && (!metric_hit || not_perf->distance < metric_hit->distance)) return std::nullopt;
  pc.metric = metric_hit ? std::string(metric_of(*metric_hit)) : std::string();
  if (performance_governs(c.low, q.begin, metric_hit)) pc.metric = "throughput";
  if (!apply_percent(pc, percent_governor(c, q), q, c.low)) return std::nullopt;
  pc.qualifier = qualifier_near(c.low, q.begin, q.end, q.high.has_value());
  return pc;
}

}  // namespace isobench::detail
