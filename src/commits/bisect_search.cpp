#include "commits/bisect_search.hpp"

#include <algorithm>
#include <optional>

namespace isobench::detail {

namespace {

// The untried commit strictly between lo and hi nearest their middle.
std::optional<std::size_t> pick(std::size_t lo, std::size_t hi, const std::vector<std::size_t>& skipped) {
  const std::size_t mid = lo + (hi - lo) / 2;
  for (std::size_t d = 0; d < hi - lo; ++d) {
    for (const std::size_t m : {mid + d, mid - std::min(d, mid)}) {
      if (m > lo && m < hi && std::find(skipped.begin(), skipped.end(), m) == skipped.end()) return m;
    }
  }
  return std::nullopt;
}

}  // namespace

bisect_steps bisect_search(std::size_t count, const std::function<probe_answer(std::size_t)>& probe) {
  bisect_steps s;
  if (count < 2) return s;
  std::size_t lo = 0, hi = count - 1;
  bool hi_judged = false;
  std::vector<std::size_t> skipped;
  auto ask = [&](std::size_t m) {
    s.probed.push_back(m);
    const auto a = probe(m);
    if (a == probe_answer::skip) {
      skipped.push_back(m);
    } else {
      ++s.probes;
    }
    return a;
  };
  while (hi - lo > 1) {
    const auto m = pick(lo, hi, skipped);
    if (!m) break;  // everything between does not build
    const auto a = ask(*m);
    if (a == probe_answer::good) lo = *m;
    if (a == probe_answer::bad) hi = *m, hi_judged = true;
  }
  if (!hi_judged) {
    const auto a = ask(hi);
    if (a == probe_answer::bad) hi_judged = true;
    if (a == probe_answer::good) s.no_regression = true, lo = hi;
  }
  s.last_good = lo;
  s.first_bad = hi;
  s.found = hi_judged;
  for (const auto k : skipped) {
    if (k > lo && k <= hi) s.untestable.push_back(k);
  }
  std::sort(s.untestable.begin(), s.untestable.end());
  return s;
}

}  // namespace isobench::detail
