#include "generate/claim_builders.hpp"

#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string_view>

#include "generate/claim_words.hpp"

// Absolute changes: an amount of time, memory or rate that a commit took away or added ("saves 2
// GB", "reduces TTFT by 5 ms", "3.25ms speedup", "15 tokens/s boost", "an extra 200 MB"), its
// direction read from the words right around the figure.

namespace isobench::detail {

namespace {

using text::quantity;
using text::unit_class;

// The text before the figure, back 40 characters, without an approximation right before it ("by
// about 5 ms", "cutting ~145s", "save around 0.4GiB": the verb is before "about").
std::string_view lead_without_hedges(const context& c, const quantity& q) {
  auto before = std::string_view(c.low).substr(q.begin >= 40 ? q.begin - 40 : 0, std::min<std::size_t>(q.begin, 40));
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
  return before;
}

// A verb that takes time or memory away right before the figure ("saves", "cuts", "Improve TPOT"),
// or "... saved" after a memory figure.
bool taken_away(const context& c, const quantity& q, std::string_view before) {
  constexpr std::string_view saves[] = {"saves ",   "saving ", "save ",     "saved ",      "frees ",      "shaves off ",
                                        "shaves ",  "cuts ",   "cutting ",  "reduces ",    "reduce ",     "reducing ",
                                        "removes ", "remove ", "removing ", "eliminates ", "eliminating "};
  for (auto s : saves) {
    if (before.ends_with(s)) return true;
  }
  // "a reduction of 3-5 tok/s", "savings of 2 GB": a noun of taking away, then "of".
  constexpr std::string_view reduction_of[] = {"reduction of ", "reductions of ", "decrease of ", "drop of ",
                                               "saving of ",    "savings of ",    "loss of "};
  for (auto s : reduction_of) {
    if (before.ends_with(s)) return true;
  }
  const auto after = std::string_view(c.low).substr(q.end, 32);
  if (q.cls == unit_class::memory && after.find(" saved") != std::string_view::npos) return true;
  // "Improve TPOT 2ms", "improves decode 1.5 ms": time an improvement names is time taken away.
  const auto at = before.rfind("improve");
  if (q.cls != unit_class::time || at == std::string_view::npos) return false;
  auto rest = before.substr(at);
  rest.remove_prefix(std::min(rest.find(' '), rest.size()));
  const auto words = std::count(rest.begin(), rest.end(), ' ');
  return words <= 3 && rest.find_first_of("0123456789,.;:(") == std::string_view::npos;
}

bool one_of(std::string_view word, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// The word right after the figure, over up to two names of a measure ("1 ms TPOT optimization",
// "2 GB memory saving"), says which way it went: true for down, false for up.
std::optional<bool> word_after_says(const context& c, const quantity& q) {
  auto next = text::trim(std::string_view(c.low).substr(q.end, 40));
  auto word = next.substr(0, std::min(next.find_first_of(" ,.;:)"), next.size()));
  for (int skipped = 0;
       skipped < 2 && one_of(word, {"tpot", "ttft", "itl", "latency", "memory", "e2e", "decode", "prefill"});
       ++skipped) {
    next = text::trim(next.substr(word.size()));
    word = next.substr(0, std::min(next.find_first_of(" ,.;:)"), next.size()));
  }
  if (q.cls == unit_class::throughput) {  // "15 tokens/s boost", "200 GB/s drop"
    if (one_of(word, {"boost", "gain", "improvement", "increase", "more", "higher", "faster"})) return false;
    if (one_of(word, {"drop", "loss", "decrease", "less", "lower", "regression", "slower"})) return true;
    return std::nullopt;
  }
  // "(3.25ms speedup)", "~1.8 ms faster", "200 MB less".
  if (one_of(word, {"speedup", "speed-up", "faster", "quicker", "improvement", "reduction", "saving", "savings", "less",
                    "lower", "optimization", "optimisation"})) {
    return true;
  }
  if (one_of(word, {"slower", "slowdown", "regression", "more", "longer"})) return false;
  return std::nullopt;
}

// "reduces TTFT by 5 ms", "speeds up prefill by 3 ms": after "by", the nearest verb of change.
std::optional<bool> changed_by(const context& c, const quantity& q) {
  // "accelerates by 40us": a time that speed took away.
  if (q.cls == unit_class::time) {
    const auto faster = text::nearest_keyword(c.low, q.begin, q.end, k_faster, 60, 0);
    const auto slower = text::nearest_keyword(c.low, q.begin, q.end, k_slower, 60, 0);
    if (faster || slower) return faster && (!slower || faster->distance <= slower->distance);
  }
  const auto down = text::nearest_keyword(c.low, q.begin, q.end, k_down, 60, 0);
  const auto up = text::nearest_keyword(c.low, q.begin, q.end, k_up, 60, 0);
  if (!down && !up) return std::nullopt;
  return down && (!up || down->distance <= up->distance);
}

// Which way an absolute amount moved by the words around it (true: down), or nullopt when they say
// none.
std::optional<bool> absolute_went_down(const context& c, const quantity& q) {
  const auto before = lead_without_hedges(c, q);
  if (taken_away(c, q, before)) return true;
  if (before.ends_with("extra ") || before.ends_with("additional ")) return false;  // "an extra 200 MB"
  if (const auto said = word_after_says(c, q)) return said;
  if (!before.ends_with("by ")) return std::nullopt;
  // "throughput improves by 3 tok/s", "TTFT improved by 40 ms": an improvement of the measure, up for
  // a rate and down for a time or a size.
  const auto verb = text::trim(before.substr(0, before.size() - 3));
  const auto last_space = verb.rfind(' ');
  if (const auto word = verb.substr(last_space == std::string_view::npos ? 0 : last_space + 1);
      word.starts_with("improv") || word.starts_with("boost")) {
    return q.cls != unit_class::throughput;
  }
  return changed_by(c, q);
}

}  // namespace

std::optional<perf_claim> absolute_claim(const context& c, const quantity& q) {
  const auto went_down = absolute_went_down(c, q);
  if (!went_down) return std::nullopt;
  perf_claim pc = base_claim(c, q);
  pc.metric = q.cls == unit_class::memory ? "memory" : metric_in(c.low, q.begin, q.end);
  pc.kind = q.cls == unit_class::memory ? claim_kind::memory
            : q.cls == unit_class::time ? claim_kind::latency
                                        : claim_kind::throughput;
  if (pc.metric.empty()) pc.metric = q.cls == unit_class::time ? "latency" : "throughput";
  pc.direction =
      (q.cls == unit_class::throughput) != *went_down ? claim_direction::improvement : claim_direction::regression;
  return pc;
}

}  // namespace isobench::detail
