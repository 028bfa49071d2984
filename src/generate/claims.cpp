#include "generate/claims.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <deque>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "generate/claim_builders.hpp"
#include "generate/claim_repeats.hpp"
#include "generate/claim_rows.hpp"
#include "generate/column_sides.hpp"
#include "generate/page_text.hpp"
#include "generate/table_pairs.hpp"
#include "generate/text_scan.hpp"

namespace isobench::detail {

namespace {

using text::keyword_hit;
using text::quantity;
using text::unit_class;

constexpr std::size_t k_max_claim_text = 300;
constexpr std::size_t k_max_sentence = 600;
// Bounds that keep any extraction within the input limit linear in time and memory: a text that
// repeats claims keeps each distinct one once; Before:/After: blocks and tables beyond these sizes
// are not benchmark output someone wrote by hand.
constexpr std::size_t k_max_claims = 2000;
constexpr std::size_t k_max_block_entries = 1000;
constexpr std::size_t k_max_table_rows = 2000;
constexpr std::size_t k_max_block_line = 2000;

// --- vocabularies ---------------------------------------------------------------------------

struct metric_word {
  std::string_view word;
  std::string_view metric;
};
constexpr metric_word k_metrics[] = {
    {"kernel time", "kernel time"},
    {"kernel latency", "kernel time"},
    {"time to first token", "TTFT"},
    {"ttft", "TTFT"},
    {"inter-token latency", "ITL"},
    {"inter token latency", "ITL"},
    {"itl", "ITL"},
    {"time per output token", "TPOT"},
    {"tpot", "TPOT"},
    {"end-to-end", "end-to-end latency"},
    {"end to end", "end-to-end latency"},
    {"e2e", "end-to-end latency"},
    {"tokens/s", "tokens/s"},
    {"tok/s", "tokens/s"},
    {"tokens per second", "tokens/s"},
    {"token throughput", "tokens/s"},
    {"output throughput", "tokens/s"},
    {"generation throughput", "tokens/s"},
    {"req/s", "requests/s"},
    {"requests/s", "requests/s"},
    {"request throughput", "requests/s"},
    {"throughput", "throughput"},
    {"qps", "requests/s"},
    {"kernel", "kernel time"},
    {"memory", "memory"},
    {"vram", "memory"},
    {"footprint", "memory"},
    {"workspace", "memory"},
    {"latency", "latency"},
    {"latencies", "latency"},
    {"bandwidth", "bandwidth"},
    {"tflops", "flops"},
    {"runtime", "time"},
    {"run time", "time"},
    {"duration", "end-to-end latency"},
    {"time", "time"},
    {"step", "time"},
};

constexpr std::string_view k_metric_words[] = {"kernel time",
                                               "kernel latency",
                                               "time to first token",
                                               "ttft",
                                               "inter-token latency",
                                               "inter token latency",
                                               "itl",
                                               "time per output token",
                                               "tpot",
                                               "end-to-end",
                                               "end to end",
                                               "e2e",
                                               "tokens/s",
                                               "tok/s",
                                               "tokens per second",
                                               "token throughput",
                                               "output throughput",
                                               "generation throughput",
                                               "req/s",
                                               "requests/s",
                                               "request throughput",
                                               "throughput",
                                               "qps",
                                               "kernel",
                                               "memory",
                                               "vram",
                                               "footprint",
                                               "workspace",
                                               "latency",
                                               "latencies",
                                               "bandwidth",
                                               "tflops",
                                               "runtime",
                                               "run time",
                                               "duration",
                                               "time",
                                               "step"};
static_assert(std::size(k_metric_words) == std::size(k_metrics));

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

constexpr std::string_view k_faster[] = {"faster",    "speedup", "speed-up", "speed up",
                                         "speeds up", "quicker", "accelerat"};
constexpr std::string_view k_slower[] = {"slower",  "slowdown", "slow down", "slows down",
                                         "regress", "degrad",   "overhead"};
constexpr std::string_view k_improve[] = {"improv", "boost", "gain", "better", "enhanc", "optimiz"};
constexpr std::string_view k_up[] = {"increas", "higher", "more ", "rais", "grow", "up ", "up,", "up."};
constexpr std::string_view k_down[] = {"reduc",   "lower", "less",   "decreas", "drop", "cut",      "sav",
                                       "shorter", "fewer", "shrink", "smaller", "down", "eliminat", "trim"};
// A factor ("2x") is a claim only in a sentence about speed, time or memory.
constexpr std::string_view k_perf_context[] = {
    "faster",   "speedup",       "speed-up",   "speed up",    "speeds up", "quicker",   "accelerat",   "improv",
    "boost",    "gain",          "better",     "throughput",  "latency",   "perf",      "reduc",       "less",
    "lower",    "fewer",         "memory",     "slower",      "slowdown",  "higher",    "smaller",     "tokens/s",
    "tok/s",    "ttft",          "itl",        "tpot",        "bandwidth", "efficient", "cheaper",     "time",
    "over the", "over baseline", "outperform", "compared to", "versus",    "vs",        "relative to", "end-to-end",
    "e2e"};
constexpr std::string_view k_cumulative[] = {"cumulative",  "combined with", "together with", "on top of",
                                             "in total",    "stacked",       "series of",     "these prs",
                                             "this series", "all prs",       "along with #",  "accumulated"};
constexpr std::string_view k_other_pr_phrases[] = {"previous pr", "prior pr", "earlier pr",      "another pr",
                                                   "other pr",    "last pr",  "the original pr", "previous commit",
                                                   "upstream pr", "older pr", "a separate pr",   "merged pr"};
constexpr std::string_view k_ref_lead[] = {" in ", " by ",      " from ",  " of ",    " like ",   " see ",
                                           " as ", " from pr ", " in pr ", " by pr ", " see pr ", " of pr "};
constexpr std::string_view k_ref_verbs[] = {" gave",      " achieved", " brought",  " showed",   " got",
                                            " delivered", " yielded",  " improved", " reported", " had ",
                                            " already",   " merged",   " closed"};

constexpr std::string_view k_bots[] = {"bot",        "github-actions", "mergify",   "codecov",  "gemini-code-assist",
                                       "coderabbit", "copilot",        "dosu",      "sourcery", "netlify",
                                       "vercel",     "sonarcloud",     "dependabot"};

// --- small helpers ---------------------------------------------------------------------------

std::string clip(std::string_view s) {
  s = text::trim(s);
  while (!s.empty() && (static_cast<unsigned char>(s.front()) & 0xC0) == 0x80) s.remove_prefix(1);  // no half character
  if (s.size() <= k_max_claim_text) return std::string(s);
  return std::string(text::utf8_prefix(s, k_max_claim_text)) + "...";
}

std::string metric_near(std::string_view low, std::size_t b, std::size_t e, std::size_t after_chars = 50) {
  auto hit = text::nearest_keyword(low, b, e, k_metric_words, 90, after_chars, false);
  if (!hit) return {};
  std::string metric(k_metrics[hit->index].metric);
  if (metric == "end-to-end latency") {
    // "end-to-end" is an adjective: "1.35x end-to-end decode throughput" is a throughput.
    const std::size_t from = hit->before ? b - std::min(b, hit->distance + 12) : e + hit->distance - 8;
    const auto tail = low.substr(std::min(from, low.size()), 48);
    constexpr std::string_view rates[] = {"throughput", "tokens/s", "tok/s", "req/s"};
    if (text::contains_word(tail, rates)) metric = "throughput";
  }
  return metric;
}

// "up to" as "up_to" (same length, so positions hold): "up" then means a rise only.
std::string spell_up_to(std::string low) {
  for (std::size_t p = low.find("up to"); p != std::string::npos; p = low.find("up to", p + 1)) low[p + 2] = '_';
  return low;
}

bool is_latency_metric(std::string_view m) {
  return m == "TTFT" || m == "ITL" || m == "TPOT" || m == "end-to-end latency" || m == "latency" ||
         m == "kernel time" || m == "time";
}
bool is_throughput_metric(std::string_view m) {
  return m == "tokens/s" || m == "requests/s" || m == "throughput" || m == "bandwidth" || m == "flops";
}

constexpr std::size_t k_whole = std::string_view::npos / 2;

// `low` spells "up to" as "up_to" (see spell_up_to). Whole texts (table rows) pass b = e = 0 and
// after_chars = npos.
claim_qualifier qualifier_near(std::string_view low, std::size_t b, std::size_t e, bool range,
                               std::size_t after_chars = 25) {
  if (range) return claim_qualifier::range;
  constexpr std::string_view near_before[] = {"up_to", "as much as", "as high as", "at least"};
  if (auto h = text::nearest_keyword(low, b, b, near_before, 20, 0)) {
    return h->index == 3 ? claim_qualifier::at_least : claim_qualifier::up_to;
  }
  constexpr std::string_view pct[] = {"p50", "p90", "p99", "median", "mean", "avg", "average", "on average"};
  // After the number, a qualifier belongs to it only within its clause: "+9%, mean TTFT ..." is not a mean.
  const auto clause_end = after_chars == k_whole ? low.size() : low.find_first_of(",;", e);
  const auto clause = low.substr(0, clause_end == std::string_view::npos ? low.size() : clause_end);
  if (auto h = text::nearest_keyword(clause, b, e, pct, 70, after_chars, true)) {
    switch (h->index) {
      case 0: return claim_qualifier::p50;
      case 1: return claim_qualifier::p90;
      case 2: return claim_qualifier::p99;
      case 3: return claim_qualifier::median;
      case 4: return claim_qualifier::mean;
      default: return claim_qualifier::average;
    }
  }
  return claim_qualifier::none;
}

// The claim is about another pull request: "as in #1234, which gave 2x", "the previous PR ...".
bool about_other_pr(std::string_view low) {
  if (text::contains_word(low, k_other_pr_phrases)) return true;
  for (std::size_t p = low.find('#'); p != std::string_view::npos; p = low.find('#', p + 1)) {
    if (p + 1 >= low.size() || low[p + 1] < '0' || low[p + 1] > '9') continue;
    const auto lead = low.substr(p >= 10 ? p - 10 : 0, p >= 10 ? 10 : p);
    for (auto w : k_ref_lead) {
      if (lead.ends_with(w)) return true;
    }
    std::size_t q = p + 1;
    while (q < low.size() && low[q] >= '0' && low[q] <= '9') ++q;
    const auto tail = low.substr(q, 12);
    for (auto v : k_ref_verbs) {
      if (tail.starts_with(v) || tail.starts_with(std::string(")") + std::string(v))) return true;
    }
  }
  return false;
}

double to_base(const quantity& q) {
  return q.value * q.scale;
}

// --- claim builders --------------------------------------------------------------------------

perf_claim base_claim(const context& c, const quantity& q) {
  perf_claim pc;
  pc.text = clip(c.sentence);
  pc.source = c.source;
  pc.value = q.value;
  pc.value_to = q.high;
  pc.unit = q.unit;
  pc.cumulative = c.cumulative;
  return pc;
}

std::optional<perf_claim> factor_claim(const context& c, const quantity& q) {
  if (!text::contains_word(c.low, k_perf_context)) return std::nullopt;
  if (q.value <= 0.0 || q.value > 10000.0) return std::nullopt;
  if (q.value >= 100.0) {
    // "Ryzen 7950X", "RTX 4090x": a model number, unless a speed word follows at once.
    const auto after = c.low.substr(q.end, 16);
    if (!text::contains_word(after, k_faster) && after.find("improvement") == std::string::npos) return std::nullopt;
  }
  perf_claim pc = base_claim(c, q);
  pc.metric = metric_near(c.low, q.begin, q.end);
  const auto slower = text::nearest_keyword(c.low, q.begin, q.end, k_slower, 40, 40);
  const auto down = text::nearest_keyword(c.low, q.begin, q.end, k_down, 40, 40);
  const auto up = text::nearest_keyword(c.low, q.begin, q.end, k_up, 40, 40);
  const auto faster = text::nearest_keyword(c.low, q.begin, q.end, k_faster, 40, 40);
  if (pc.metric == "memory") {
    pc.kind = claim_kind::memory;
    if (!down && !up) return std::nullopt;  // "2x the memory": no direction
    pc.direction =
        down && (!up || down->distance <= up->distance) ? claim_direction::improvement : claim_direction::regression;
  } else {
    pc.kind = is_throughput_metric(pc.metric) ? claim_kind::throughput
              : is_latency_metric(pc.metric) && pc.metric != "time" && pc.metric != "kernel time" ? claim_kind::latency
                                                                                                  : claim_kind::speedup;
    if (slower && (!faster || slower->distance < faster->distance)) pc.direction = claim_direction::regression;
    if (pc.kind == claim_kind::latency && up && !down && !faster) pc.direction = claim_direction::regression;
  }
  pc.qualifier = qualifier_near(c.low, q.begin, q.end, q.high.has_value());
  if (pc.kind != claim_kind::memory) {
    pc.expected_speedup = pc.direction == claim_direction::improvement ? q.value : 1.0 / q.value;
  }
  return pc;
}

// "drop in performance", "lower speed": the quantity that went down is a speed, not a time.
bool speed_named_after(std::string_view low, std::size_t end) {
  const auto tail = low.substr(std::min(end, low.size()), 36);
  constexpr std::string_view speeds[] = {"perf", "speed", "throughput"};
  return text::contains_word(tail, speeds);
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
      if (!throughput && !g.improve_near && !g.faster_near && q.sign == 0) return false;  // "more" alone
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

std::optional<perf_claim> percent_claim(const context& c, const quantity& q) {
  if (q.value <= 0.0 || q.value > 10000.0) return std::nullopt;
  perf_claim pc = base_claim(c, q);
  const auto metric_hit = text::nearest_keyword(c.low, q.begin, q.end, k_metric_words, 90, 50);
  // "77% of Q4_1 speed", "89% of the gap": a share, not a change.
  if (c.low.substr(q.end, 4) == " of ") return std::nullopt;
  auto not_perf = text::nearest_keyword(c.low, q.begin, q.end, k_not_perf, 40, 25);
  if (!not_perf) not_perf = text::nearest_keyword(c.low, q.begin, q.end, k_share_of, 0, 25);
  if (not_perf && (!metric_hit || not_perf->distance < metric_hit->distance)) return std::nullopt;
  pc.metric = metric_hit ? std::string(k_metrics[metric_hit->index].metric) : std::string();
  if (!apply_percent(pc, percent_governor(c, q), q, c.low)) return std::nullopt;
  pc.qualifier = qualifier_near(c.low, q.begin, q.end, q.high.has_value());
  return pc;
}

}  // namespace

std::string metric_in(std::string_view low, std::size_t b, std::size_t e) {
  return metric_near(low, b, e);
}

// before -> after in one unit class.
std::optional<perf_claim> pair_claim(const context& c, const quantity& a, const quantity& b, std::string metric) {
  quantity qa = a, qb = b;
  if (qa.cls == unit_class::none) {
    qa.unit = qb.unit;
    qa.cls = qb.cls;
    qa.scale = qb.scale;
  }
  if (qb.cls == unit_class::none) {
    qb.unit = qa.unit;
    qb.cls = qa.cls;
    qb.scale = qa.scale;
  }
  if (qa.cls != qb.cls) return std::nullopt;
  if (qa.value <= 0.0 || qb.value <= 0.0) return std::nullopt;
  if (to_base(qa) == to_base(qb)) return std::nullopt;  // unchanged: not a claim
  perf_claim pc;
  pc.text = clip(c.sentence);
  pc.source = c.source;
  pc.value = qa.value * qa.scale / qb.scale;  // in the after value's unit: "7.7 s -> 1 ms" is 7700 ms
  pc.value_to = qb.value;
  pc.unit = qb.unit.empty() ? qa.unit : qb.unit;
  // "QPS improved from 85 to 104", "Output throughput 1049 -> 1083": the metric names the unit.
  if (pc.unit.empty() && (metric == "tokens/s" || metric == "requests/s")) pc.unit = metric;
  pc.before_after = true;
  pc.cumulative = c.cumulative;
  pc.metric = std::move(metric);
  unit_class cls = qa.cls;
  if (cls == unit_class::none) {
    if (is_latency_metric(pc.metric))
      cls = unit_class::time;
    else if (is_throughput_metric(pc.metric))
      cls = unit_class::throughput;
    else if (pc.metric == "memory")
      cls = unit_class::memory;
    else
      return std::nullopt;
  }
  const double before = to_base(qa), after = to_base(qb);
  switch (cls) {
    case unit_class::time:
      pc.kind = claim_kind::latency;
      if (pc.metric.empty()) pc.metric = "latency";
      pc.expected_speedup = before / after;
      break;
    case unit_class::throughput:
      pc.kind = claim_kind::throughput;
      if (pc.metric.empty()) pc.metric = "throughput";
      pc.expected_speedup = after / before;
      break;
    case unit_class::memory:
      pc.kind = claim_kind::memory;
      pc.metric = "memory";
      break;
    default: return std::nullopt;  // percentages or factors before and after: not a speed
  }
  // Memory left over ("available KV cache memory: 25.53 GiB -> 28.67 GiB") is better when larger.
  constexpr std::string_view spare[] = {"available", "free memory", "headroom", "kv cache capacity"};
  const bool more_is_better =
      cls == unit_class::throughput || (cls == unit_class::memory && text::contains_word(c.low, spare));
  const bool better = more_is_better ? after > before : after < before;
  pc.direction = better ? claim_direction::improvement : claim_direction::regression;
  pc.qualifier = qualifier_near(c.low, a.begin, b.end, false);
  return pc;
}

namespace {

// "reduces latency by 5 ms", "saves 2 GB": an absolute change, no ratio.
std::optional<perf_claim> absolute_claim(const context& c, const quantity& q) {
  auto before = std::string_view(c.low).substr(q.begin >= 40 ? q.begin - 40 : 0, std::min<std::size_t>(q.begin, 40));
  // "by about 5 ms", "cutting ~145s", "save around 0.4GiB": the verb before an approximation.
  constexpr std::string_view approx[] = {"~", "about ", "around ", "roughly ", "approximately ", "nearly ", "up_to "};
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (auto a : approx) {
      if (before.ends_with(a)) {
        before.remove_suffix(a.size());
        stripped = true;
      }
    }
  }
  const bool by = before.ends_with("by ");
  // A verb that takes time or memory away, right before the figure, or "... saved" after it.
  constexpr std::string_view saves[] = {"saves ",   "saving ", "save ",     "saved ",      "frees ",      "shaves off ",
                                        "shaves ",  "cuts ",   "cutting ",  "reduces ",    "reduce ",     "reducing ",
                                        "removes ", "remove ", "removing ", "eliminates ", "eliminating "};
  bool save = false;
  for (auto s : saves) save = save || before.ends_with(s);
  const auto after = std::string_view(c.low).substr(q.end, 32);
  save = save || (q.cls == unit_class::memory && after.find(" saved") != std::string_view::npos);
  // "Improve TPOT 2ms", "improves decode 1.5 ms": time an improvement names is time taken away.
  if (const auto at = before.rfind("improve"); !save && q.cls == unit_class::time && at != std::string_view::npos) {
    auto rest = before.substr(at);
    rest.remove_prefix(std::min(rest.find(' '), rest.size()));
    const auto words = std::count(rest.begin(), rest.end(), ' ');
    save = words <= 3 && rest.find_first_of("0123456789,.;:(") == std::string_view::npos;
  }
  if (!by && !save) return std::nullopt;
  const auto down = text::nearest_keyword(c.low, q.begin, q.end, k_down, 60, 0);
  const auto up = text::nearest_keyword(c.low, q.begin, q.end, k_up, 60, 0);
  if (!save && !down && !up) return std::nullopt;
  perf_claim pc = base_claim(c, q);
  pc.metric = q.cls == unit_class::memory ? "memory" : metric_near(c.low, q.begin, q.end);
  pc.kind = q.cls == unit_class::memory ? claim_kind::memory
            : q.cls == unit_class::time ? claim_kind::latency
                                        : claim_kind::throughput;
  if (pc.metric.empty()) pc.metric = q.cls == unit_class::time ? "latency" : "throughput";
  const bool went_down = save || (down && (!up || down->distance <= up->distance));
  pc.direction =
      (q.cls == unit_class::throughput) != went_down ? claim_direction::improvement : claim_direction::regression;
  return pc;
}

bool is_arrow(std::string_view between, bool from_before) {
  auto t = text::trim(between);
  // "`12 ms` to `9 ms`": code spans around the figures.
  if (t.starts_with('`')) t = text::trim(t.substr(1));
  if (t.ends_with('`')) t = text::trim(t.substr(0, t.size() - 1));
  if (t == "->" || t == "-->" || t == "=>" || t == "\xe2\x86\x92" || t == "\xe2\x87\x92" || t == "\xe2\x9f\xb6") {
    return true;
  }
  return from_before && (t == "to" || t == "down to" || t == "up to");
}

// "13.9 t/s vs 11.8 t/s", "to 16 t/s from 15.5 t/s", "4.9 us instead of 5.2 us": the new value
// first. A few words may sit between ("vs the reference's").
bool is_reverse_link(std::string_view low_between) {
  const auto t = text::trim(low_between);
  if (t.size() > 32) return false;
  constexpr std::string_view links[] = {"vs",         "vs.",         "versus",        "from",    "up from", "down from",
                                        "instead of", "compared to", "compared with", "against", "(vs",     "(vs."};
  for (auto l : links) {
    if (t == l || (t.starts_with(l) && t.size() > l.size() && t[l.size()] == ' ' && l.size() >= 2)) return true;
  }
  return false;
}

// --- sentences -------------------------------------------------------------------------------

// "21.5 ms/t on master, 21.7 ms/t with this PR", "baseline: ~95ms | this change: ~66ms": two
// consecutive figures of one kind, each attributed to a side by the words right after it (or
// right before it, for both).
void attributed_pairs(const context& c, const std::vector<quantity>& qs, std::vector<bool>& used,
                      std::vector<perf_claim>& out) {
  const auto measured = [](const quantity& q) {
    return q.cls == unit_class::time || q.cls == unit_class::throughput || q.cls == unit_class::memory;
  };
  const std::string_view low = c.low;
  for (std::size_t i = 0; i + 1 < qs.size(); ++i) {
    const auto& q = qs[i];
    // The next figure with a unit, over bare numbers between (a count column).
    std::size_t j = i + 1;
    while (j + 1 < qs.size() && qs[j].cls == unit_class::none && qs[j + 1].begin - q.end <= 60) ++j;
    const auto& n = qs[j];
    if (used[i] || used[j] || !measured(q) || n.cls != q.cls || n.begin - q.end > 60) continue;
    const std::size_t next_end = j + 1 < qs.size() ? qs[j + 1].begin : low.size();
    // The words before the first figure reach back over bare numbers ("Baseline 18766 1241.78
    // tokens/sec + PR 18638 1246.69 tokens/sec": a count column sits between label and figure).
    std::size_t prev = i;
    while (prev > 0 && qs[prev - 1].cls == unit_class::none && qs[prev - 1].end + 24 > q.begin) --prev;
    const std::size_t prev_end = prev > 0 ? qs[prev - 1].end : 0;
    const auto after_q = attributed_side(low.substr(q.end, std::min<std::size_t>(n.begin - q.end, 24)));
    const auto after_n = attributed_side(low.substr(n.end, std::min<std::size_t>(next_end - n.end, 24)));
    const auto before_q = attributed_side(low.substr(std::max(prev_end, q.begin > 24 ? q.begin - 24 : 0),
                                                     q.begin - std::max(prev_end, q.begin > 24 ? q.begin - 24 : 0)));
    const auto before_n = attributed_side(low.substr(std::max(q.end, n.begin > 24 ? n.begin - 24 : 0),
                                                     n.begin - std::max(q.end, n.begin > 24 ? n.begin - 24 : 0)));
    side sq = side::none, sn = side::none;
    if (after_q != side::none && after_n != side::none) {
      sq = after_q;
      sn = after_n;
    } else if (before_q != side::none && before_n != side::none) {
      sq = before_q;
      sn = before_n;
    }
    if (sq == side::none || sq == sn) continue;
    const bool q_first = sq == side::before;
    auto pc = pair_claim(c, q_first ? q : n, q_first ? n : q, metric_near(c.low, q.begin, n.end));
    if (!pc) continue;
    out.push_back(std::move(*pc));
    used[i] = used[j] = true;
    i = j;
  }
}

// Whether the text after a bare figure leaves it bare: an end, a clause, not a word naming what
// was counted ("3 layers").
bool ends_a_figure(std::string_view after_low) {
  const auto t = text::trim(after_low.substr(0, std::min<std::size_t>(after_low.size(), 16)));
  if (t.empty() || !std::isalpha(static_cast<unsigned char>(t.front()))) return true;
  constexpr std::string_view links[] = {"for", "on", "in", "with", "at", "when", "and", "after", "while", "using"};
  return text::contains_word(t.substr(0, t.find(' ')), links, true);
}

// Two figures without units linked by an arrow or "from ... to", where the words right before the
// first name what was measured: "Benchmark duration (s): 437.69 -> 409.60" (the unit in
// parentheses), "reduces sampling latency from 3.67 to 0.92" (a latency or throughput word, which
// says which way is better). Elsewhere bare numbers are counts and settings, not claims.
std::optional<perf_claim> labelled_bare_pair(const context& c, const std::vector<quantity>& qs, std::size_t i) {
  const auto& q = qs[i];
  const auto& n = qs[i + 1];
  const std::size_t label_from = std::max(i > 0 ? qs[i - 1].end : 0, q.begin > 60 ? q.begin - 60 : 0);
  const auto label = std::string_view(c.low).substr(label_from, q.begin - label_from);
  const bool from = text::trim(label).ends_with("from");
  if (!is_arrow(std::string_view(c.low).substr(q.end, n.begin - q.end), from)) return std::nullopt;
  quantity qa = q, qb = n;
  if (const auto u = text::unit_in_parentheses(label);
      u && u->cls != unit_class::percent && u->cls != unit_class::factor && !from) {
    for (auto* x : {&qa, &qb}) {
      x->unit = u->unit;
      x->cls = u->cls;
      x->scale = u->scale;
    }
  } else if (!ends_a_figure(std::string_view(c.low).substr(n.end))) {
    return std::nullopt;  // "latency: 2 -> 3 layers" counts layers
  }
  const auto metric = metric_in(label, label.size(), label.size());
  if (qa.cls == unit_class::none && !is_latency_metric(metric) && !is_throughput_metric(metric)) return std::nullopt;
  return pair_claim(c, qa, qb, metric);
}

void labelled_bare_pairs(const context& c, const std::vector<quantity>& qs, std::vector<perf_claim>& out) {
  for (std::size_t i = 0; i + 1 < qs.size(); ++i) {
    if (qs[i].cls != unit_class::none || qs[i + 1].cls != unit_class::none) continue;
    if (auto pc = labelled_bare_pair(c, qs, i)) {
      out.push_back(std::move(*pc));
      ++i;
    }
  }
}

// Where a flattened table's header names its two columns by side, old first ("33B model master
// this PR GPU Read BW 167 GB/s 275 GB/s prompt 1 117ms/tok 79ms/tok"): the position after it, or
// npos.
std::size_t side_header_end(std::string_view low) {
  constexpr std::string_view olds[] = {"master", "main", "baseline", "before", "base", "original"};
  constexpr std::string_view news[] = {"this pr", "pr", "after", "patched", "ours", "optimized", "new"};
  std::size_t first = std::string_view::npos;
  for (auto o : olds) {
    for (std::size_t p = low.find(o); p != std::string_view::npos && p < first; p = low.find(o, p + 1)) {
      if (!text::word_at(low, p, o, true)) continue;
      std::size_t q = p + o.size();
      while (q < low.size() && (low[q] == ' ' || low[q] == '|' || low[q] == '*')) ++q;
      for (auto n : news) {
        if (text::word_at(low, q, n, true)) {
          first = std::min(first, q + n.size());
          break;
        }
      }
    }
  }
  return first;
}

// After such a header, two figures of one unit with nothing but space between are a row's old and
// new value.
void side_header_pairs(const context& c, const std::vector<quantity>& qs, std::vector<bool>& used,
                       std::vector<perf_claim>& out) {
  const auto header_end = side_header_end(c.low);
  if (header_end == std::string_view::npos) return;
  for (std::size_t i = 0; i + 1 < qs.size(); ++i) {
    const auto& q = qs[i];
    const auto& n = qs[i + 1];
    const bool measured = q.cls == unit_class::time || q.cls == unit_class::throughput || q.cls == unit_class::memory;
    if (q.begin < header_end || used[i] || used[i + 1] || !measured || n.cls != q.cls || n.unit != q.unit) continue;
    if (!text::trim(std::string_view(c.low).substr(q.end, n.begin - q.end)).empty()) continue;
    if (auto pc = pair_claim(c, q, n, metric_near(c.low, q.begin, n.end))) {
      out.push_back(std::move(*pc));
      used[i] = used[i + 1] = true;
      ++i;
    }
  }
}

// "from 99.17 output tokens/s to 148.08 output tokens/s": the unit sits a word or two after each
// figure.
bool unit_phrase_pair(const context& c, bool from, quantity q, quantity n, std::vector<perf_claim>& out) {
  const auto between = std::string_view(c.low).substr(q.end, n.begin - q.end);
  const auto phrase = text::leading_unit_phrase(between);
  if (!phrase || !is_arrow(between.substr(phrase->second), from)) return false;
  const auto& u = phrase->first;
  if (u.cls == unit_class::percent || u.cls == unit_class::factor) return false;
  for (auto* x : {&q, &n}) {
    if (x->cls != unit_class::none) continue;
    x->unit = u.unit;
    x->cls = u.cls;
    x->scale = u.scale;
  }
  if (n.unit != q.unit) return false;
  auto pc = pair_claim(c, q, n, metric_near(c.low, q.begin, n.end));
  if (!pc) return false;
  out.push_back(std::move(*pc));
  return true;
}

void scan_sentence(std::string_view sentence, std::string_view prior, claim_source source,
                   std::vector<perf_claim>& out) {
  context c{sentence, spell_up_to(text::lower_ascii(sentence)), source, false};
  const auto qs = text::find_quantities(sentence, c.low);
  if (qs.empty()) return;
  if (about_other_pr(c.low)) return;
  // A quotation ("\"X is 4x faster\" in the docs") states someone else's figure.
  if (c.low.starts_with('"') || c.low.starts_with("\xe2\x80\x9c")) return;
  c.cumulative = text::contains_word(c.low, k_cumulative);
  // Flattened table rows whose relative-change column confirms the pair; they need no unit.
  std::vector<bool> used(qs.size(), false);
  // "[-13.2% -12.9% -12.6%]": a confidence interval (criterion); its middle is the estimate.
  for (std::size_t i = 0; i + 2 < qs.size(); ++i) {
    const auto open = text::trim(std::string_view(c.low).substr(0, qs[i].begin));
    const auto close = text::trim(std::string_view(c.low).substr(qs[i + 2].end, 2));
    if (open.ends_with('[') && close.starts_with(']') && qs[i].cls == qs[i + 1].cls && qs[i].cls == qs[i + 2].cls) {
      used[i] = used[i + 2] = true;
      i += 2;
    }
  }
  const auto before_rows = out.size();
  scan_row_pairs(c, qs, text::lower_ascii(prior) + " " + c.low.substr(0, qs.front().begin), out, used);
  const bool rows = out.size() != before_rows;
  bool any_unit = false;
  for (const auto& q : qs) {
    any_unit = any_unit || q.cls != unit_class::none ||
               text::leading_unit_phrase(
                   std::string_view(c.low).substr(q.end, std::min<std::size_t>(40, c.low.size() - q.end)));
  }
  if (!any_unit) {
    labelled_bare_pairs(c, qs, out);
    return;
  }

  // "Before: 120 tok/s, After: 150 tok/s" within one sentence.
  const auto before_pos = c.low.find("before");
  const auto after_pos = c.low.find("after", before_pos == std::string::npos ? 0 : before_pos);
  if (!rows && before_pos != std::string::npos && after_pos != std::string::npos) {
    const quantity* a = nullptr;
    const quantity* b = nullptr;
    for (const auto& q : qs) {
      if (q.begin > before_pos && q.begin < after_pos && !a && q.cls != unit_class::percent) a = &q;
      if (q.begin > after_pos && !b && q.cls != unit_class::percent) b = &q;
    }
    if (a && b) {
      if (auto pc = pair_claim(c, *a, *b, metric_near(c.low, a->begin, a->end))) {
        out.push_back(std::move(*pc));
        return;
      }
    }
  }

  attributed_pairs(c, qs, used, out);
  side_header_pairs(c, qs, used, out);
  for (std::size_t i = 0; i < qs.size(); ++i) {
    const auto& q = qs[i];
    if (used[i]) continue;
    if (i + 1 < qs.size() && !used[i + 1]) {
      const auto lead = c.low.substr(q.begin >= 24 ? q.begin - 24 : 0, std::min<std::size_t>(q.begin, 24));
      const bool from = lead.find("from") != std::string::npos;
      if (q.cls == unit_class::none && unit_phrase_pair(c, from, qs[i], qs[i + 1], out)) {
        ++i;
        continue;
      }
      const auto& n = qs[i + 1];
      if (is_arrow(sentence.substr(q.end, n.begin - q.end), from) &&
          (q.cls == n.cls || q.cls == unit_class::none || n.cls == unit_class::none) && q.cls != unit_class::percent &&
          q.cls != unit_class::factor) {
        auto pc = pair_claim(c, q, n, metric_near(c.low, q.begin, n.end));
        if (!pc && q.cls == unit_class::none && n.cls == unit_class::none) pc = labelled_bare_pair(c, qs, i);
        if (pc) out.push_back(std::move(*pc));
        ++i;
        // "170 -> 213 t/s (+25%)", "(3.8x speedup)": the figure that follows restates the pair.
        if (i + 1 < qs.size() && restates(c.low, q, n, qs[i + 1]) != order::none) used[i + 1] = true;
        continue;
      }
      const bool measured = q.cls == unit_class::time || q.cls == unit_class::throughput || q.cls == unit_class::memory;
      if (measured && (n.cls == q.cls || n.cls == unit_class::none) &&
          is_reverse_link(std::string_view(c.low).substr(q.end, n.begin - q.end))) {
        if (auto pc = pair_claim(c, n, q, metric_near(c.low, q.begin, n.end))) {
          out.push_back(std::move(*pc));
          ++i;
          if (i + 1 < qs.size() && restates(c.low, n, q, qs[i + 1]) != order::none) used[i + 1] = true;
          continue;
        }
      }
    }
    std::optional<perf_claim> pc;
    switch (q.cls) {
      case unit_class::factor: pc = factor_claim(c, q); break;
      case unit_class::percent: pc = percent_claim(c, q); break;
      case unit_class::time:
      case unit_class::memory:
      case unit_class::throughput: pc = absolute_claim(c, q); break;
      case unit_class::none: break;
    }
    if (pc) out.push_back(std::move(*pc));
  }
}

// Sentences already scanned (views into the extraction's text): a sentence's claims depend on its
// text alone, so a repeated one adds nothing and is not scanned again.
using sentence_memo = std::unordered_set<std::string_view>;
constexpr std::size_t k_max_memo = 100'000;

// Sentences that state no claim go to `repeats` (tool output pasted twice).
void scan_line(std::string_view line, claim_source source, std::vector<perf_claim>& out, sentence_memo& memo,
               repeated_metrics& repeats) {
  const auto scan = [&](std::string_view sentence) {
    if (memo.count(sentence) != 0) return;
    if (memo.size() < k_max_memo) memo.insert(sentence);
    const auto from = sentence.data() - line.data();
    // A long table's header may sit several sentence-lengths before the row.
    const std::size_t prior_chars = std::min<std::size_t>(static_cast<std::size_t>(from), 1500);
    const auto found = out.size();
    scan_sentence(sentence, line.substr(static_cast<std::size_t>(from) - prior_chars, prior_chars), source, out);
    if (out.size() == found) repeats.add(sentence);
  };
  std::size_t start = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    const bool end_mark =
        (ch == '.' || ch == '!' || ch == '?' || ch == ';') && (i + 1 == line.size() || line[i + 1] == ' ');
    // A long run without an end mark is cut, but never inside a UTF-8 character.
    const bool too_long = i - start >= k_max_sentence &&
                          (i + 1 == line.size() || (static_cast<unsigned char>(line[i + 1]) & 0xC0) != 0x80);
    if (end_mark || too_long) {
      scan(line.substr(start, i + 1 - start));
      start = i + 1;
    }
  }
  if (start < line.size()) scan(line.substr(start));
}

// --- Before:/After: blocks -------------------------------------------------------------------

struct block_entry {
  std::string key;  // letters of the text before the number: "mean ttft ms"
  quantity q;
  std::string_view line;  // into the extraction's text, which outlives the entries
  std::string metric;
};

std::string key_of(std::string_view low) {
  std::string k;
  for (char ch : low) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
      k += ch;
    else if (!k.empty() && k.back() != ' ')
      k += ' ';
  }
  while (!k.empty() && k.back() == ' ') k.pop_back();
  return k;
}

// Entries of one block line ("Mean TTFT (ms):   25.42"); empty when the line is prose.
std::vector<block_entry> block_entries(std::string_view line) {
  std::vector<block_entry> out;
  if (line.size() > k_max_block_line) return out;  // prose, not "Metric: value"
  const auto low = text::lower_ascii(line);
  auto qs = text::find_quantities(line, low);
  std::size_t prev = 0;
  for (auto& q : qs) {
    if (q.cls == unit_class::factor || q.cls == unit_class::percent) {
      prev = q.end;
      continue;
    }
    const auto key_text = std::string_view(low).substr(prev, q.begin - prev);
    prev = q.end;
    if (q.cls == unit_class::none) {
      auto u = text::unit_in_parentheses(key_text);
      if (!u) u = text::unit_right_after(low, q);  // "Load time: 3.99 (seconds)"
      if (u) {
        q.unit = u->unit;
        q.cls = u->cls;
        q.scale = u->scale;
      }
    }
    block_entry e;
    e.key = key_of(key_text);
    e.metric = metric_near(low, q.begin, q.end);
    if (e.metric.empty() && q.cls == unit_class::none) continue;  // "Successful requests: 1000"
    constexpr std::string_view counts[] = {"total", "successful", "number of", "num ", "count"};
    if (text::contains_word(key_text, counts) && !text::names_a_measure(key_text)) continue;
    e.q = q;
    e.line = text::trim(line);
    out.push_back(std::move(e));
  }
  return out;
}

// "Decode got faster. Before:": a sentence, then the caption of the block below it; the caption,
// or empty.
std::string_view trailing_caption(std::string_view line) {
  const auto t = text::trim(line);
  if (!t.ends_with(':')) return {};
  const auto stop = t.rfind(". ");
  if (stop == std::string_view::npos) return {};
  const auto caption = t.substr(stop + 2);
  if (caption.size() > 40 || label_of(caption).first == side::none) return {};
  return caption;
}

// --- markdown tables -------------------------------------------------------------------------

std::optional<quantity> cell_quantity(std::string_view cell, std::string_view unit_context) {
  const auto low = text::lower_ascii(cell);
  auto qs = text::find_quantities(cell, low);
  if (qs.empty()) return std::nullopt;
  auto q = qs.front();
  if (q.cls == unit_class::none) {
    if (auto u = text::unit_in_parentheses(text::lower_ascii(unit_context))) {
      q.unit = u->unit;
      q.cls = u->cls;
      q.scale = u->scale;
    }
  }
  return q;
}

// A markdown table being scanned: its header, body rows and the text around it.
struct table_view {
  const std::vector<std::string_view>& rows;
  std::string_view caption;
  claim_source source;
  std::vector<std::string> header;
  std::size_t first = 1;  // the first body row
  std::vector<std::vector<std::string>> body;
};

// A before/after pair found in a table, with its row (or column) label as context.
void emit_table_pair(const table_view& t, std::string_view row_text, std::string_view label,
                     const std::optional<quantity>& a, const std::optional<quantity>& b, std::vector<perf_claim>& out) {
  if (!a || !b) return;
  const std::string ctx = std::string(label) + " | " + std::string(t.caption);
  context c{row_text, spell_up_to(text::lower_ascii(ctx)), t.source, false};
  c.cumulative = text::contains_word(text::lower_ascii(t.caption), k_cumulative);
  const auto metric = metric_near(c.low, 0, 0, k_whole);
  // A unit named in the caption serves only a column whose header names no measure of another
  // kind ("throughput (ref)" under "... ITL is median in ms").
  const auto label_low = text::lower_ascii(label);
  const auto header_metric = metric_near(label_low, 0, 0, k_whole);
  auto unit = text::unit_in_parentheses(label_low);
  const auto caption_low = text::lower_ascii(t.caption);
  for (std::size_t i = 0; !unit && i < label_low.size();) {  // the caption names a label word's unit
    std::size_t e = i;
    while (e < label_low.size() && text::is_alnum(label_low[e])) ++e;
    const auto word = std::string_view(label_low).substr(i, e - i);
    if (word.size() >= 3 && !std::isdigit(static_cast<unsigned char>(word[0]))) {
      unit = text::unit_after_word(caption_low, word);
    }
    i = e + 1;
  }
  if (!unit) {
    unit = text::unit_in_parentheses(c.low);
    const bool clash = unit && ((is_throughput_metric(header_metric) && unit->cls == unit_class::time) ||
                                (is_latency_metric(header_metric) && unit->cls == unit_class::throughput));
    if (clash) unit.reset();
  }
  quantity qa = *a, qb = *b;
  for (auto* q : {&qa, &qb}) {
    if (q->cls == unit_class::none) {
      if (const auto& u = unit) {
        q->unit = u->unit;
        q->cls = u->cls;
        q->scale = u->scale;
      }
    }
  }
  if (auto pc = pair_claim(c, qa, qb, header_metric.empty() ? metric : header_metric)) {
    pc->qualifier = qualifier_near(c.low, 0, 0, false, k_whole);
    out.push_back(std::move(*pc));
  }
}

// Rows for before and after (a vertical table): one pair per column. False when there are none.
bool scan_table_rows(const table_view& t, std::vector<perf_claim>& out) {
  std::optional<std::size_t> before_row, after_row;
  for (std::size_t r = 0; r < t.body.size(); ++r) {
    if (t.body[r].empty()) continue;
    const auto s = column_side(t.body[r][0]);
    if (s == side::before && !before_row) before_row = r;
    if (s == side::after && !after_row) after_row = r;
  }
  if (!before_row || !after_row) return false;
  const auto& b = t.body[*before_row];
  const auto& a = t.body[*after_row];
  const auto& header = t.header;
  for (std::size_t col = 1; col < header.size() && col < a.size() && col < b.size(); ++col) {
    const std::string row_text = header[col] + ": " + b[col] + " -> " + a[col];
    emit_table_pair(t, row_text, header[col], cell_quantity(b[col], header[col]), cell_quantity(a[col], header[col]),
                    out);
  }
  return true;
}

// A speedup column: one factor per row.
void scan_speedup_column(const table_view& t, std::size_t speedup_col, std::vector<perf_claim>& out) {
  for (std::size_t r = 0; r < t.body.size(); ++r) {
    const auto& cells = t.body[r];
    if (cells.size() <= speedup_col) continue;
    const auto low = text::lower_ascii(cells[speedup_col]);
    auto qs = text::find_quantities(cells[speedup_col], low);
    if (qs.empty() || (qs[0].cls != unit_class::none && qs[0].cls != unit_class::factor)) continue;
    const std::string ctx =
        (cells.empty() ? std::string() : cells[0]) + " " + t.header[speedup_col] + " " + std::string(t.caption);
    context c{t.rows[t.first + r], spell_up_to(text::lower_ascii(ctx)), t.source, false};
    perf_claim pc;
    pc.text = clip(t.rows[t.first + r]);
    pc.source = t.source;
    pc.kind = claim_kind::speedup;
    pc.value = qs[0].value;
    pc.unit = "x";
    pc.metric = metric_near(c.low, 0, 0, k_whole);
    if (pc.metric.empty()) pc.metric = "speed";
    if (pc.value <= 0.0 || pc.value == 1.0) continue;  // the baseline row ("1.00x")
    pc.direction = pc.value >= 1.0 ? claim_direction::improvement : claim_direction::regression;
    pc.expected_speedup = pc.value;
    out.push_back(std::move(pc));
  }
}

// Rows whose relative-change column confirms their two values ("| 12.1 | 10.4 | 14.0% |").
bool table_row_pairs(const std::vector<std::string_view>& rows, std::size_t first, std::string_view caption,
                     claim_source source, std::vector<perf_claim>& out) {
  const auto before = out.size();
  const auto header_low = text::lower_ascii(std::string(caption) + " " + std::string(rows[0]));
  for (std::size_t r = first; r < rows.size(); ++r) {
    context c{rows[r], spell_up_to(text::lower_ascii(rows[r])), source, false};
    const auto qs = text::find_quantities(rows[r], c.low);
    std::vector<bool> used(qs.size(), false);
    scan_row_pairs(c, qs, header_low, out, used);
  }
  return out.size() != before;
}

std::string header_low_of(const table_view& t) {
  return text::lower_ascii(std::string(t.caption) + " " + std::string(t.rows[0]));
}

// A row with more than the named pair ("| 64 | 0.068 | 0.065 | +4.40% | 0.068 | 0.065 | +4.22% |",
// the same measurement with another setting): each further pair its relative-change column
// confirms, unless it restates a pair this row already gave (from index `named` of `out`).
void more_row_pairs(std::string_view row, const std::string& header_low, claim_source source, std::size_t named,
                    std::vector<perf_claim>& out) {
  std::vector<perf_claim> found;
  context c{row, spell_up_to(text::lower_ascii(row)), source, false};
  const auto qs = text::find_quantities(row, c.low);
  std::vector<bool> used(qs.size(), false);
  scan_row_pairs(c, qs, header_low, found, used);
  // The pair's two values, smaller first (by value: std::minmax would return references to the
  // temporaries value_or makes).
  const auto ends = [](const perf_claim& p) {
    const double to = p.value_to.value_or(p.value);
    return std::pair{std::min(p.value, to), std::max(p.value, to)};
  };
  const auto near = [](double a, double b) { return std::abs(a - b) <= 1e-9 * std::abs(b); };
  for (auto& f : found) {
    const auto lf = ends(f);
    const bool known =
        std::any_of(out.begin() + static_cast<std::ptrdiff_t>(named), out.end(), [&](const perf_claim& o) {
          const auto lo = ends(o);
          return near(lo.first, lf.first) && near(lo.second, lf.second);
        });
    if (!known) out.push_back(std::move(f));
  }
}

// Columns for before and after (horizontal), rows a relative-change column confirms, rows for
// before and after (vertical), or a speedup column.
// A column of factors only ("1.02x" in every row): a ratio of the two sides, read as a speedup.
bool factor_column(const std::vector<std::vector<std::string>>& body, std::size_t col) {
  if (col == 0 || body.empty()) return false;
  for (const auto& cells : body) {
    if (cells.size() <= col) return false;
    const auto low = text::lower_ascii(cells[col]);
    const auto qs = text::find_quantities(cells[col], low);
    if (qs.size() != 1 || qs[0].cls != unit_class::factor) return false;
  }
  return true;
}

// The first value column (not the row label's) whose header names the unit column `of` names.
std::optional<std::size_t> first_column_in_unit_of(const std::vector<std::string>& header, std::size_t of) {
  const auto unit = text::unit_in_parentheses(text::lower_ascii(header[of]));
  if (!unit) return std::nullopt;
  for (std::size_t c = 1; c < header.size(); ++c) {
    if (c == of) continue;
    const auto u = text::unit_in_parentheses(text::lower_ascii(header[c]));
    if (u && u->unit == unit->unit) return c;
  }
  return std::nullopt;
}

void scan_table(const std::vector<std::string_view>& rows, std::string_view caption, claim_source source,
                std::vector<perf_claim>& out) {
  if (rows.size() < 2) return;
  table_view t{rows, caption, source, cells_of(rows[0]), 1, {}};
  if (t.first < rows.size() && separator_row(cells_of(rows[t.first]))) ++t.first;
  for (std::size_t r = t.first; r < rows.size(); ++r) t.body.push_back(cells_of(rows[r]));
  const auto& header = t.header;

  std::optional<std::size_t> before_col, after_col;
  std::vector<std::size_t> speedup_cols;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const auto s = strong_column_side(header[i]);
    if (s == side::before && !before_col) before_col = i;
    if (s == side::after && !after_col) after_col = i;
  }
  const bool strong = before_col && after_col;
  if (!strong) before_col = after_col = std::nullopt;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const auto s = strong ? side::none : column_side(header[i]);
    if (s == side::before && !before_col) before_col = i;
    if (s == side::after && !after_col) after_col = i;
    const auto low = text::lower_ascii(header[i]);
    if (low.find("speedup") != std::string::npos || low.find("speed-up") != std::string::npos ||
        factor_column(t.body, i)) {
      speedup_cols.push_back(i);
    }
  }
  // Two value columns, one of them named ("Expanded (#3952)" | "Single (this PR)"): the other
  // column is the other side.
  if (header.size() == 3 && (before_col.has_value() != after_col.has_value())) {
    auto& missing = before_col ? after_col : before_col;
    missing = (before_col ? *before_col : *after_col) == 1 ? 2 : 1;
  }
  // Only the new side named, among several columns of its unit ("TMA + copy (us)" | "Vectorized
  // (us)" | "This PR (us)"): the first of them is the reference the table starts from.
  if (after_col && !before_col && header.size() > 3) before_col = first_column_in_unit_of(header, *after_col);
  // Measures side by side, each in a pair of columns named by side ("ITL (CAKE)" | "ITL (ref)").
  if (const auto pairs = named_column_pairs(header); pairs.size() >= 2 || (pairs.size() == 1 && !after_col)) {
    for (std::size_t r = 0; r < t.body.size(); ++r) {
      const auto& cells = t.body[r];
      for (const auto& [b, a] : pairs) {
        if (cells.size() <= std::max(b, a)) continue;
        const std::string label = cells[0] + " " + header[b] + " " + header[0];
        emit_table_pair(t, rows[t.first + r], label, cell_quantity(cells[b], label), cell_quantity(cells[a], label),
                        out);
      }
    }
    return;
  }
  if (before_col && after_col && *before_col != 0 && *after_col != 0) {
    for (std::size_t r = 0; r < t.body.size(); ++r) {
      const auto& cells = t.body[r];
      if (cells.size() <= std::max(*before_col, *after_col)) continue;
      const std::string label = cells[0] + " " + header[*before_col] + " " + header[0];
      const auto named = out.size();
      emit_table_pair(t, rows[t.first + r], label, cell_quantity(cells[*before_col], label),
                      cell_quantity(cells[*after_col], label), out);
      more_row_pairs(rows[t.first + r], header_low_of(t), source, named, out);
    }
    return;
  }
  if (table_row_pairs(rows, t.first, caption, source, out)) return;
  if (scan_table_rows(t, out)) return;
  for (auto col : speedup_cols) scan_speedup_column(t, col, out);  // "Throughput Speedup" | "ITL Speedup"
}

// A line of header cells: at least two cells, each with a letter and no figure ("Max error | Max
// state error |"), not a separator or data row.
bool names_cells(std::string_view line) {
  const auto cells = cells_of(line);
  if (cells.size() < 2) return false;
  return std::all_of(cells.begin(), cells.end(), [](const std::string& c) {
    const bool letter =
        std::any_of(c.begin(), c.end(), [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)); });
    const bool digit =
        std::any_of(c.begin(), c.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
    return letter && !digit;
  });
}

// A post header ("Member alice commented Feb 13, 2026"): its length, and whether a bot wrote it.
std::size_t bot_header(std::string_view low_line, bool& is_bot) {
  std::size_t end = post_header_end(low_line);
  if (end == 0 && low_line.find("[bot]") != std::string::npos) end = low_line.size();
  if (end == 0) return 0;
  const auto header = low_line.substr(0, end);
  is_bot = header.find("[bot]") != std::string::npos;
  for (auto b : k_bots) is_bot = is_bot || text::contains_word(header, std::span(&b, 1), false);
  return end;
}

}  // namespace

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

// The claims found so far, each distinct one once (drop_repeated_claims' notion of "the same"), at
// most k_max_claims: memory stays bounded however often a text repeats them.
class claim_sink {
public:
  explicit claim_sink(std::vector<perf_claim>& out) : m_out(out) {}
  // Keeps the claims appended since the last call that are new.
  void settle() {
    std::size_t w = m_settled;
    for (std::size_t r = m_settled; r < m_out.size(); ++r) {
      auto& c = m_out[r];
      const auto key = fmt::format("{}|{}|{}|{}|{:.9g}|{:.9g}", static_cast<int>(c.kind), static_cast<int>(c.direction),
                                   c.unit, c.metric, c.value, c.value_to.value_or(-1));
      if (w >= k_max_claims || !m_seen.insert(key).second) continue;
      if (w != r) m_out[w] = std::move(c);
      ++w;
    }
    m_out.resize(w);
    m_settled = w;
  }

private:
  std::vector<perf_claim>& m_out;
  std::unordered_set<std::string> m_seen;
  std::size_t m_settled = 0;
};

namespace {

// One text read line by line: prose sentences (a paragraph's wrapped lines joined), markdown and
// tab-separated tables (scanned when they end), "Before:"/"After:" blocks (entries paired by
// key), review bots' comments and quotes skipped, tool output pasted twice.
class claim_scanner {
public:
  claim_scanner(claim_source source, std::vector<perf_claim>& out) : m_source(source), m_out(out), m_sink(out) {}

  void line(std::string_view line) {
    const auto low_head = text::lower_ascii(line.substr(0, std::min<std::size_t>(line.size(), 200)));
    if (m_source == claim_source::pr_text) {
      bool is_bot = false;
      if (const auto header = bot_header(low_head, is_bot); header != 0) {
        m_skipping_bot = is_bot;
        flush_para();
        flush_table();
        m_block = side::none;
        line = text::trim(line.substr(header));  // the post itself, when the page ran it on
        if (line.empty()) return;
      }
      if (m_skipping_bot) return;
      if (!line.empty() && line.front() == '>') {  // quoting someone else
        flush_para();
        return;
      }
    }
    if (line.starts_with("```")) {
      flush_para();
      if (m_in_code) offer_table(code_block_table(m_code, m_code_caption));
      m_code.clear();
      m_code_caption = m_last_text_line;
      m_in_code = !m_in_code;
      return;
    }
    if (m_in_code && m_code.size() < k_max_table_rows) m_code.push_back(line);
    const bool tab_row = std::count(line.begin(), line.end(), '\t') >= 2;
    // A markdown row that a 72-column commit message wrapped: "| a | b | ITL" then "(ref) |".
    // Or a header row wrapped between cells: "| a | b |" then "c | d |".
    if (!m_table.empty() && !line.empty() && line.front() != '|' && line.back() == '|' &&
        m_table.back().front() == '|' && (m_table.back().back() != '|' || (m_table.size() == 1 && names_cells(line)))) {
      m_joined.push_back(std::string(m_table.back()) + " " + std::string(line));
      m_table.back() = m_joined.back();
      return;
    }
    if (!line.empty() && (line.front() == '|' || tab_row)) {
      flush_para();
      if (m_table.empty()) m_caption = caption_above();
      if (m_table.size() < k_max_table_rows) m_table.push_back(line);
      return;
    }
    // "| a | b |", a blank line, then "|---|---|": one table whose header a blank line split off.
    if (line.empty() && m_table.size() == 1) return;
    flush_table();
    if (line.empty()) {
      flush_para();
      return;
    }
    if (!m_in_code) m_last_text_line = line;
    if (block_line(line)) return;
    if (m_in_code && line.front() == '$') return;  // a command line: settings, not results
    if (m_in_code) {
      flush_para();
      scan_line(line, m_source, m_out, m_memo, m_repeats);
      m_sink.settle();
      return;
    }
    prose_line(line);
  }

  // The end of the text `all` (the one whose lines were read): what is still open, then the
  // figures pasted twice.
  void finish(std::string_view all) {
    flush_para();
    flush_table();
    m_repeats.emit(all, m_source, m_out);
    m_sink.settle();
  }

private:
  void flush_table() {
    if (!m_table.empty()) {
      const auto found = m_out.size();
      scan_table(m_table, m_caption, m_source, m_out);
      offer_table(markdown_table(m_table, m_caption));
      // Tab-separated lines that read as no table (a tool's log lines, "I 00:00:05 stats.h:90]
      // \tLoad time:\t\t3.99 (seconds)") are read line by line, where figures pasted twice pair.
      if (m_out.size() == found && m_table.front().find('|') == std::string_view::npos) {
        for (const auto row : m_table) scan_line(row, m_source, m_out, m_memo, m_repeats);
      }
    }
    m_table.clear();
    m_sink.settle();
  }

  // A table captioned as one side: kept when it is the before side, paired with the kept one when
  // it is the after side (table_pairs.hpp).
  void offer_table(std::optional<captioned_table> t) {
    if (!t) return;
    auto [s, rest] = label_of(t->caption_low);
    if (s == side::none && t->caption_low.size() <= 40) s = column_side(t->caption_low);
    if (s == side::before) {
      m_before_table = std::move(t);
    } else if (s == side::after && m_before_table) {
      pair_tables(*m_before_table, *t, m_source, m_out);
      m_before_table.reset();
      m_sink.settle();
    }
  }

  // A table's caption: the line above it when that names a side ("Before:"), else the end of the
  // paragraph it ends, which a wrapped commit message spreads over lines ("... throughput in mean
  // output tok/s, ITL is median in\nms):").
  std::string_view caption_above() const {
    if (label_of(m_last_text_line).first != side::none || m_paragraphs.empty()) return m_last_text_line;
    std::string_view para = m_paragraphs.back();
    if (m_last_text_line.empty() || !para.ends_with(m_last_text_line)) return m_last_text_line;
    constexpr std::size_t k_tail = 300;
    if (para.size() <= k_tail) return para;
    std::size_t from = para.size() - k_tail;
    while (from < para.size() && para[from - 1] != ' ') ++from;  // a whole word
    return para.substr(from);
  }

  // A list item or heading starts a paragraph; a heading or a line ending in ':' ends one.
  void prose_line(std::string_view line) {
    const char f = line.front();
    const bool item = f == '#' || ((f == '-' || f == '*' || f == '+') && line.size() > 1 && line[1] == ' ') ||
                      (f >= '0' && f <= '9' && line.find(". ") != std::string_view::npos && line.find(". ") < 4);
    if (item || m_para.size() > k_max_sentence * 20) flush_para();
    if (!m_para.empty()) m_para += ' ';
    m_para += line;
    constexpr std::string_view wide_colon = "\xef\xbc\x9a";  // U+FF1A, as CJK text ends a caption
    if (f == '#' || line.back() == ':' || line.ends_with(wide_colon)) flush_para();
  }

  void flush_para() {
    if (m_para.empty()) return;
    m_paragraphs.push_back(std::move(m_para));
    m_para.clear();
    scan_line(m_paragraphs.back(), m_source, m_out, m_memo, m_repeats);
    m_sink.settle();
  }

  // A "Before:"/"After:" label or a line inside such a block; false when the line is prose.
  bool block_line(std::string_view line) {
    if (const auto caption = trailing_caption(line); !caption.empty()) {
      if (caption.data() != line.data()) prose_line(text::trim(line.substr(0, caption.data() - line.data())));
      return block_line(caption);
    }
    if (const auto [s, rest] = label_of(line); s != side::none) {
      flush_para();
      m_block = s;
      if (s == side::before) {
        m_before.clear();
        m_unused_before.clear();
      }
      const auto entries = block_entries(rest);
      add_entries(entries, s);
      if (!rest.empty() && entries.empty()) scan_line(line, m_source, m_out, m_memo, m_repeats);
      m_sink.settle();
      return true;
    }
    if (m_block == side::none) return false;
    const auto entries = block_entries(line);
    const bool prose = entries.empty() && !m_in_code && (line.find(':') == std::string_view::npos);
    if (prose) {
      m_block = side::none;
      return false;
    }
    flush_para();
    add_entries(entries, m_block);
    m_sink.settle();
    return true;
  }

  void add_entries(const std::vector<block_entry>& entries, side s) {
    for (const auto& e : entries) {
      if (s == side::before) {
        add_before(e);
      } else {
        pair_after(e);
      }
    }
  }

  void add_before(block_entry e) {
    if (m_before.size() >= k_max_block_entries) return;
    m_unused_before[e.key].push_back(m_before.size());
    m_before.push_back(std::move(e));
  }

  void pair_after(const block_entry& a) {
    const auto it = m_unused_before.find(a.key);
    if (it == m_unused_before.end() || it->second.empty()) return;
    const auto& b = m_before[it->second.front()];
    it->second.pop_front();
    context c{a.line, text::lower_ascii(a.line), m_source, false};
    const auto metric = !a.metric.empty() ? a.metric : b.metric;
    if (auto pc = pair_claim(c, b.q, a.q, metric)) {
      pc->text = clip(std::string(b.line) + " -> " + std::string(a.line));
      pc->qualifier = qualifier_near(spell_up_to(text::lower_ascii(a.line)), 0, 0, false, k_whole);
      m_out.push_back(std::move(*pc));
    }
  }

  claim_source m_source;
  std::vector<perf_claim>& m_out;
  claim_sink m_sink;
  sentence_memo m_memo;
  repeated_metrics m_repeats;
  bool m_skipping_bot = false;
  bool m_in_code = false;
  side m_block = side::none;
  std::vector<block_entry> m_before;
  // Unused "before" entries by key, oldest first: pairing is a lookup, not a scan of the block.
  std::unordered_map<std::string, std::deque<std::size_t>> m_unused_before;
  std::vector<std::string_view> m_table;
  std::string_view m_caption, m_last_text_line;
  std::deque<std::string> m_joined;      // wrapped table rows, joined (m_table views them)
  std::vector<std::string_view> m_code;  // the open code block's lines
  std::string_view m_code_caption;
  std::optional<captioned_table> m_before_table;
  // Prose lines of one paragraph, joined: commit messages wrap sentences at 72 columns. Kept
  // alive while the sentence memo holds views into them; together never larger than the input.
  std::deque<std::string> m_paragraphs;
  std::string m_para;
};

}  // namespace

std::vector<perf_claim> extract_claims(std::string_view text_in, claim_source source) {
  // A flattened page: one post per line, interface text gone.
  const std::string page = source == claim_source::pr_text ? split_page(text_in) : std::string();
  const std::string_view all = source == claim_source::pr_text ? std::string_view(page) : text_in;
  std::vector<perf_claim> out;
  claim_scanner scanner(source, out);
  std::size_t start = 0;
  while (start <= all.size()) {
    std::size_t nl = all.find('\n', start);
    if (nl == std::string_view::npos) nl = all.size();
    scanner.line(text::trim(all.substr(start, nl - start)));
    start = nl + 1;
  }
  scanner.finish(all);
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
      const bool same = k.kind == c.kind && k.direction == c.direction && k.unit == c.unit && k.metric == c.metric &&
                        std::abs(k.value - c.value) < 1e-9 && k.value_to.value_or(-1) == c.value_to.value_or(-1);
      // One sentence stating a figure twice: "+6% (2,950 -> 3,127 tokens/s)". Two different
      // before -> after pairs, or speedups of two metrics, are two measurements, however alike.
      const bool restated = k.text == c.text && k.kind == c.kind && k.expected_speedup && c.expected_speedup &&
                            std::abs(*k.expected_speedup / *c.expected_speedup - 1.0) < 0.01 &&
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
