#include "generate/unit_names.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

namespace isobench::detail::text {

std::optional<quantity> unit_in_parentheses(std::string_view low) {
  std::vector<std::string_view> named;  // "(ms)", "[ms]", "in ms"
  for (std::size_t p = low.find_first_of("(["); p != std::string_view::npos; p = low.find_first_of("([", p + 1)) {
    const std::size_t close = low.find_first_of(")]", p);
    if (close == std::string_view::npos) break;
    named.push_back(trim(low.substr(p + 1, close - p - 1)));
  }
  for (std::size_t p = low.find(" in "); p != std::string_view::npos; p = low.find(" in ", p + 1)) {
    std::size_t e = p + 4;
    while (e < low.size() && !(low[e] == ' ' || low[e] == ')' || low[e] == ',' || low[e] == ':' || low[e] == '|')) ++e;
    named.push_back(low.substr(p + 4, e - p - 4));
  }
  // A unit as a word of its own: the "t/s" of a header "PR t/s".
  std::size_t s = 0;
  for (std::size_t i = 0; i <= low.size(); ++i) {
    const char ch = i < low.size() ? low[i] : ' ';
    if (ch == ' ' || ch == '(' || ch == ')' || ch == '[' || ch == ']' || ch == '|' || ch == ',' || ch == ':') {
      if (i > s + 1) named.push_back(low.substr(s, i - s));
      s = i + 1;
    }
  }
  for (const auto inner : named) {
    if (auto q = measure_unit(inner)) return q;
  }
  return std::nullopt;
}

std::optional<std::pair<quantity, std::size_t>> leading_unit_phrase(std::string_view low) {
  std::size_t i = 0;
  for (int word = 0; word < 3; ++word) {
    while (i < low.size() && low[i] == ' ') ++i;
    std::size_t e = i;
    while (e < low.size() && low[e] != ' ' && low[e] != ',' && low[e] != ')' && low[e] != '(') ++e;
    if (e == i) return std::nullopt;
    const auto token = low.substr(i, e - i);
    if (auto q = measure_unit(token)) return std::pair{*q, e};
    // Only words of letters may come first ("output", "decode").
    if (!std::all_of(token.begin(), token.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; })) return std::nullopt;
    i = e;
  }
  return std::nullopt;
}

std::optional<quantity> unit_right_after(std::string_view low, const quantity& q) {
  const auto after = trim(low.substr(q.end, std::min<std::size_t>(low.size() - q.end, 24)));
  const auto close = after.find(')');
  if (!after.starts_with('(') || close == std::string_view::npos) return std::nullopt;
  return unit_in_parentheses(after.substr(0, close + 1));
}

bool names_a_measure(std::string_view label_low) {
  constexpr std::string_view measures[] = {"time", "throughput", "latency", "duration"};
  return contains_word(label_low, measures);
}

std::optional<quantity> unit_after_word(std::string_view low, std::string_view word, std::size_t window) {
  if (word.size() < 2) return std::nullopt;
  for (std::size_t p = low.find(word); p != std::string_view::npos; p = low.find(word, p + 1)) {
    const bool starts = p == 0 || !is_alnum(low[p - 1]);
    const std::size_t e = p + word.size();
    if (!starts || (e < low.size() && is_alnum(low[e]))) continue;
    // The words that follow, up to the next sentence or clause: "throughput in mean output tok/s".
    std::size_t end = std::min(low.size(), e + window);
    for (std::size_t i = e; i < end; ++i) {
      if (low[i] == ';' || low[i] == ',' || low[i] == '.' || low[i] == '|') end = i;
    }
    std::size_t s = e;
    for (std::size_t i = e; i <= end; ++i) {
      const char ch = i < end ? low[i] : ' ';
      if (ch != ' ' && ch != '(' && ch != ')' && ch != ':') continue;
      const auto w = low.substr(s, i - s);
      s = i + 1;
      if (auto q = measure_unit(w)) return q;
    }
  }
  return std::nullopt;
}

std::optional<quantity> unit_quantity(std::string_view spelled) {
  std::string probe = "1 ";
  probe += lower_ascii(spelled);
  const auto qs = find_quantities(probe, probe);
  if (qs.size() != 1 || qs[0].cls == unit_class::none || qs[0].end != probe.size()) return std::nullopt;
  return qs[0];
}

std::optional<quantity> unit_of_key(std::string_view key_low) {
  auto t = key_low;
  while (!t.empty() && !is_alnum(t.back())) t.remove_suffix(1);  // "\": ", " = "
  std::size_t b = t.size();
  while (b > 0 && (is_alnum(t[b - 1]) || t[b - 1] == '_')) --b;
  const auto key = t.substr(b);
  const auto last = key.rfind('_');
  if (last == std::string_view::npos || last == 0) return std::nullopt;
  const auto suffix = key.substr(last + 1);
  const auto head = key.substr(0, last);
  constexpr std::string_view per_second[] = {"s", "sec", "second"};
  if (head.ends_with("_per") && std::find(std::begin(per_second), std::end(per_second), suffix) != std::end(per_second)) {
    const auto counted = head.substr(0, head.size() - 4);
    const auto what = counted.substr(counted.rfind('_') == std::string_view::npos ? 0 : counted.rfind('_') + 1);
    if (what == "tokens" || what == "tok" || what == "token") return unit_quantity("tokens/s");
    if (what == "requests" || what == "req" || what == "request" || what == "reqs") return unit_quantity("req/s");
    return std::nullopt;
  }
  // A bare unit word as the key's last part: "_ms", "_s", "_gib", "_tflops"; a one-letter "s" only
  // after a word that is a time ("time_s", "latency_s"), not a plural ("tokens_s").
  if (suffix == "s") {
    constexpr std::string_view times[] = {"time", "latency", "duration", "elapsed", "ttft", "tpot", "itl", "e2el"};
    const auto word = head.substr(head.rfind('_') == std::string_view::npos ? 0 : head.rfind('_') + 1);
    if (std::find(std::begin(times), std::end(times), word) == std::end(times)) return std::nullopt;
  }
  auto u = unit_quantity(suffix);
  if (!u || u->cls == unit_class::factor || u->cls == unit_class::percent) return std::nullopt;
  return u;
}

quantity with_unit_of(quantity q, const quantity& unit) {
  if (q.cls != unit_class::none) return q;
  q.unit = unit.unit;
  q.cls = unit.cls;
  q.scale = unit.scale;
  return q;
}

}  // namespace isobench::detail::text
