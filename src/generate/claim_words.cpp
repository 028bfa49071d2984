#include "generate/claim_words.hpp"

#include <algorithm>
#include <iterator>

namespace isobench::detail {

namespace {

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
    {"tps", "tokens/s"},
    {"kernel", "kernel time"},
    {"memory", "memory"},
    {"vram", "memory"},
    {"footprint", "memory"},
    {"workspace", "memory"},
    {"latency", "latency"},
    {"latencies", "latency"},
    {"bandwidth", "bandwidth"},
    {"tflops", "flops"},
    {"flops", "flops"},
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
                                               "tps",
                                               "kernel",
                                               "memory",
                                               "vram",
                                               "footprint",
                                               "workspace",
                                               "latency",
                                               "latencies",
                                               "bandwidth",
                                               "tflops",
                                               "flops",
                                               "runtime",
                                               "run time",
                                               "duration",
                                               "time",
                                               "step"};
static_assert(std::size(k_metric_words) == std::size(k_metrics));

constexpr std::string_view k_cumulative[] = {"cumulative",  "combined with", "together with", "on top of",
                                             "in total",    "stacked",       "series of",     "these prs",
                                             "this series", "all prs",       "along with #",  "accumulated"};
constexpr std::string_view k_other_pr_phrases[] = {"previous pr",
                                                   "prior pr",
                                                   "earlier pr",
                                                   "another pr",
                                                   "other pr",
                                                   "last pr",
                                                   "the original pr",
                                                   "previous commit",
                                                   "upstream pr",
                                                   "older pr",
                                                   "a separate pr",
                                                   "merged pr",
                                                   "the paper",
                                                   "paper reports",
                                                   "according to the documentation",
                                                   "according to the docs",
                                                   "the blog post"};
constexpr std::string_view k_ref_lead[] = {" in ", " by ",      " from ",  " of ",    " like ",   " see ",
                                           " as ", " from pr ", " in pr ", " by pr ", " see pr ", " of pr "};
constexpr std::string_view k_ref_verbs[] = {" gave",      " achieved", " brought",  " showed",   " got",
                                            " delivered", " yielded",  " improved", " reported", " had ",
                                            " already",   " merged",   " closed"};

}  // namespace

bool is_row_or_item(std::string_view t) {
  // A row printed without a leading pipe ("[prod] regroup | B: 512 | Runtime: 0.4 ms") is a row too.
  const bool pipe_row = std::count(t.begin(), t.end(), '|') >= 2 && t.find(" | ") != std::string_view::npos;
  return t.starts_with('|') || pipe_row || t.starts_with("* ") || t.starts_with("- ") || t.starts_with("+ ") ||
         t.starts_with("\xe2\x80\xa2");
}

std::string clip(std::string_view s) {
  s = text::trim(s);
  while (!s.empty() && (static_cast<unsigned char>(s.front()) & 0xC0) == 0x80) s.remove_prefix(1);  // no half character
  if (s.size() <= k_max_claim_text) return std::string(s);
  return std::string(text::utf8_prefix(s, k_max_claim_text)) + "...";
}

std::optional<text::keyword_hit> metric_keyword(std::string_view low, std::size_t b, std::size_t e,
                                                std::size_t after_chars) {
  auto hit = text::nearest_keyword(low, b, e, k_metric_words, 90, after_chars, false);
  if (!hit || !hit->before) return hit;
  // A metric word right after another figure is that figure's: in "+30.7% QPS and -23.4% mean
  // latency" QPS belongs to 30.7%, and -23.4% takes the word after it.
  const std::size_t at = b - hit->distance - k_metric_words[hit->index].size();
  const auto lead = text::trim(low.substr(0, at));
  const char last = lead.empty() ? ' ' : lead.back();
  if (last != '%' && (last < '0' || last > '9')) return hit;
  if (auto after = text::nearest_keyword(low, b, e, k_metric_words, 0, after_chars, false); after && !after->before) {
    return after;
  }
  return hit;
}

std::vector<std::string_view> metrics_in_order(std::string_view low, std::size_t from, std::size_t to) {
  std::vector<std::string_view> out;
  to = std::min(to, low.size());
  for (std::size_t i = from; i < to;) {
    std::size_t best = 0, best_len = 0;
    for (std::size_t k = 0; k < std::size(k_metric_words); ++k) {
      const auto w = k_metric_words[k];
      if (w.size() > best_len && i + w.size() <= to && text::word_at(low, i, w, true)) {
        best = k;
        best_len = w.size();
      }
    }
    if (best_len == 0) {
      ++i;
      continue;
    }
    out.push_back(k_metrics[best].metric);
    i += best_len;
  }
  return out;
}

std::string_view metric_of(const text::keyword_hit& hit) {
  return k_metrics[hit.index].metric;
}

bool performance_governs(std::string_view low, std::size_t b, const std::optional<text::keyword_hit>& hit) {
  const std::size_t from = b >= 28 ? b - 28 : 0;
  const auto lead = low.substr(from, b - from);
  const auto p = lead.rfind("performance");
  if (p == std::string_view::npos || lead.substr(p).find_first_of(".;:,") != std::string_view::npos) return false;
  return !hit || !hit->before || hit->distance > b - (from + p);
}

std::string metric_in(std::string_view low, std::size_t b, std::size_t e, std::size_t after_chars) {
  auto hit = metric_keyword(low, b, e, after_chars);
  if (performance_governs(low, b, hit)) return "throughput";
  if (!hit) return {};
  std::string metric(k_metrics[hit->index].metric);
  if (metric == "end-to-end latency") {
    // "end-to-end" is an adjective: "1.35x end-to-end decode throughput" is a throughput.
    const std::size_t from = hit->before ? b - std::min(b, hit->distance + 12) : e + hit->distance - 8;
    const auto tail = low.substr(std::min(from, low.size()), 48);
    constexpr std::string_view rates[] = {"throughput", "tokens/s", "tok/s", "req/s", "performance", "perf"};
    if (text::contains_word(tail, rates)) metric = "throughput";
  }
  return metric;
}

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

claim_qualifier qualifier_near(std::string_view low, std::size_t b, std::size_t e, bool range,
                               std::size_t after_chars) {
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
      if (tail.starts_with(v) || (tail.starts_with(')') && tail.substr(1).starts_with(v))) return true;
    }
  }
  return false;
}

double to_base(const text::quantity& q) {
  return q.value * q.scale;
}

bool states_cumulative(std::string_view low) {
  return text::contains_word(low, k_cumulative);
}

}  // namespace isobench::detail
