#include "generate/claim_builders.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

#include "generate/claim_words.hpp"

namespace isobench::detail {

namespace {

using text::keyword_hit;
using text::quantity;
using text::unit_class;

// A factor ("2x") is a claim only in a sentence about speed, time or memory.
constexpr std::string_view k_perf_context[] = {
    "faster",   "speedup",       "speed-up",   "speed up",    "speeds up", "quicker",   "accelerat",   "improv",
    "boost",    "gain",          "better",     "throughput",  "latency",   "perf",      "reduc",       "less",
    "lower",    "fewer",         "memory",     "slower",      "slowdown",  "higher",    "smaller",     "tokens/s",
    "tok/s",    "ttft",          "itl",        "tpot",        "bandwidth", "efficient", "cheaper",     "time",
    "over the", "over baseline", "outperform", "compared to", "versus",    "vs",        "relative to", "end-to-end",
    "e2e"};

// A caption that compares two versions ("legacy vs new", "before and after this PR").
constexpr std::string_view k_versions[] = {"vs",     "vs.", "versus", "compared", "before",  "after",
                                           "legacy", "old", "new",    "baseline", "this pr", "main"};

// What a factor may count that is no performance: instructions, launches, lines; or a comparison
// with real time (a speech model's real-time factor).
constexpr std::string_view k_counted[] = {
    "instructions", "instruction count", "kernel launches", "launches",      "registers", "lines of code",
    "loc",          "than real time",    "than realtime",   "than real-time"};

}  // namespace

std::optional<perf_claim> restated_bare_pair(const context& c, const quantity& a, const quantity& b,
                                             const quantity& restating, const perf_claim* previous) {
  if (a.value <= 0.0 || b.value <= 0.0 || a.value == b.value) return std::nullopt;
  const auto word = std::string_view(c.low).substr(restating.end, 12);
  const bool good = text::contains_word(word, k_faster, false) || text::contains_word(word, k_improve, false);
  const bool bad = text::contains_word(word, k_slower, false);
  bool lower_better = false;  // the orientation of this list of pairs
  if (good != bad) {
    lower_better = (b.value < a.value) == good;
  } else if (previous != nullptr && previous->before_after && previous->unit.empty() && previous->value_to) {
    lower_better = (*previous->value_to < previous->value) == (previous->direction == claim_direction::improvement);
  } else {
    return std::nullopt;
  }
  perf_claim pc;
  pc.text = clip(c.sentence);
  pc.source = c.source;
  pc.value = a.value;
  pc.value_to = b.value;
  pc.before_after = true;
  pc.cumulative = c.cumulative;
  pc.kind = lower_better ? claim_kind::latency : claim_kind::throughput;
  pc.direction = (b.value < a.value) == lower_better ? claim_direction::improvement : claim_direction::regression;
  pc.expected_speedup = lower_better ? a.value / b.value : b.value / a.value;
  return pc;
}

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
  // "- CSA Main (BF16): 1.28x avg" under "Measured (legacy vs new):": a caption that compares two
  // versions says what the item's factor is (one that only names speedups may list a document's).
  if (!text::contains_word(c.low, k_perf_context) && !text::contains_word(c.caption_low, k_versions, true)) {
    return std::nullopt;
  }
  // "using 1x model", a "1.00x" baseline: no change.
  if (q.value <= 0.0 || q.value > 10000.0 || (q.value == 1.0 && !q.high)) return std::nullopt;
  // "3x fewer instructions", "~10x faster than real time": a count, or no comparison of versions.
  const auto next = c.low.substr(q.end, 40);
  if (text::contains_word(next.substr(0, next.find_first_of(",;)")), k_counted, false)) return std::nullopt;
  // "ran 3 times per side", "5 times each", "3 times in a row": repetitions, not a ratio.
  if (const auto spelled = c.low.substr(q.begin, q.end - q.begin); spelled.ends_with("times")) {
    constexpr std::string_view repeats[] = {"per", "each", "in a row", "and", "with", "on", "for"};
    if (text::contains_word(text::trim(next).substr(0, 9), repeats, false)) return std::nullopt;
  }
  if (q.value >= 100.0) {
    // "Ryzen 7950X", "RTX 4090x": a model number, unless a speed word follows at once.
    const auto after = c.low.substr(q.end, 16);
    if (!text::contains_word(after, k_faster) && after.find("improvement") == std::string::npos) return std::nullopt;
  }
  perf_claim pc = base_claim(c, q);
  pc.metric = metric_in(c.low, q.begin, q.end);
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
  if (pc.kind == claim_kind::memory) return pc;
  pc.expected_speedup = pc.direction == claim_direction::improvement ? q.value : 1.0 / q.value;
  // "a geomean speedup of 0.997x": a speedup below 1 is that much of a slowdown.
  if (q.value < 1.0 && !q.high && pc.direction == claim_direction::improvement && pc.kind == claim_kind::speedup &&
      !slower && text::contains_word(c.low, k_faster)) {
    pc.direction = claim_direction::regression;
    pc.expected_speedup = q.value;
  }
  return pc;
}

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
  // In the after value's unit ("7.7 s -> 1 ms" is 7700 ms); exact when the units agree.
  pc.value = qa.scale == qb.scale ? qa.value : qa.value * qa.scale / qb.scale;
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
      // A rate named next to a time ("0.18 (seconds) Rate: 357 (tokens/s)") is not what it measures.
      if (pc.metric.empty() || is_throughput_metric(pc.metric)) pc.metric = "latency";
      pc.expected_speedup = before / after;
      break;
    case unit_class::throughput:
      pc.kind = claim_kind::throughput;
      if (pc.metric.empty() || is_latency_metric(pc.metric)) pc.metric = "throughput";
      pc.expected_speedup = after / before;
      break;
    case unit_class::memory:
      pc.kind = claim_kind::memory;
      pc.metric = "memory";
      break;
    case unit_class::factor:  // speedups over one baseline, before and after: "1.86x -> 2.08x"
      pc.kind = claim_kind::speedup;
      if (pc.metric.empty()) pc.metric = "speed";
      pc.expected_speedup = after / before;
      break;
    default: return std::nullopt;  // percentages before and after: not a speed
  }
  // Memory left over ("available KV cache memory: 25.53 GiB -> 28.67 GiB") is better when larger.
  constexpr std::string_view spare[] = {"available", "free memory", "headroom", "kv cache capacity"};
  const bool more_is_better = cls == unit_class::throughput || cls == unit_class::factor ||
                              (cls == unit_class::memory && text::contains_word(c.low, spare));
  const bool better = more_is_better ? after > before : after < before;
  pc.direction = better ? claim_direction::improvement : claim_direction::regression;
  pc.qualifier = qualifier_near(c.low, a.begin, b.end, false);
  return pc;
}

bool is_arrow(std::string_view between, bool from_before) {
  auto t = text::trim(between);
  if (t.ends_with('~')) t = text::trim(t.substr(0, t.size() - 1));  // "from ~392 us to ~363 us"
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
  auto t = text::trim(low_between);
  // "133 tok/s on A100, vs. 93 tok/s": a short clause about the first figure, then the link.
  if (const auto comma = t.rfind(", "); comma != std::string_view::npos && comma <= 20)
    t = text::trim(t.substr(comma + 1));
  // "28GB of memory in total (compared with over 50GB previously)": what the first figure counts,
  // then a parenthesis that opens with the link; a hedge before the second figure.
  for (std::string_view hedge : {" over", " about", " around", " roughly", " nearly", " ~"}) {
    if (t.ends_with(hedge)) t = text::trim(t.substr(0, t.size() - hedge.size()));
  }
  if (const auto open = t.rfind('('); open != std::string_view::npos && open <= 40 &&
                                      t.substr(0, open).find_first_of("0123456789.;:") == std::string_view::npos) {
    // Only the link itself may follow the parenthesis: "(vs bf16+FA4 3.81s)" names another setup.
    constexpr std::string_view opened[] = {"(vs", "(vs.", "(compared to", "(compared with", "(instead of", "(down from", "(up from", "(from"};
    const auto inner = t.substr(open);
    return std::find(std::begin(opened), std::end(opened), inner) != std::end(opened);
  }
  if (t.size() > 32) return false;
  constexpr std::string_view links[] = {"vs",         "vs.",         "versus",        "from",    "up from", "down from",
                                        "instead of", "compared to", "compared with", "against", "(vs",     "(vs.",
                                        "better than", "faster than", "much better than", "much faster than"};
  for (auto l : links) {
    if (t == l || (t.starts_with(l) && t.size() > l.size() && t[l.size()] == ' ' && l.size() >= 2)) return true;
  }
  return false;
}

}  // namespace isobench::detail
