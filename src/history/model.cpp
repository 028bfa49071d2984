#include "history/model.hpp"

#include <algorithm>
#include <ctime>

#include <fmt/format.h>

namespace isobench::detail::history {

std::string series_key::text() const {
  return fmt::format("{}/{}/{}@{}", spec, workload, implementation, machine);
}

std::string stable_digest(std::string_view data) {
  auto fnv = [&](std::uint64_t h) {
    for (unsigned char ch : data) {
      h ^= ch;
      h *= 1099511628211ull;
    }
    return h;
  };
  return fmt::format("{:016x}{:016x}", fnv(14695981039346656037ull), fnv(0x6a09e667f3bcc908ull));
}

std::string point::digest() const {
  std::string s = key.text() + '\n' + commit + '\n' + produced_at + '\n' + source + '\n' + impl_tag + '\n';
  for (double x : samples) s += fmt::format("{:.17g},", x);
  return stable_digest(s);
}

std::string verdict_record::digest() const {
  return stable_digest(fmt::format("{}\n{}\n{}\n{}\n{}\n{}\n{}\n{:.17g}\n{}", spec, workload, baseline, candidate,
                                   machine, base_commit, head_commit, speedup, produced_at));
}

std::string utc_now_iso8601() {
  const auto t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

double median_of(std::vector<double> v) {
  if (v.empty()) return 0.0;
  const auto mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double hi = v[mid];
  if (v.size() % 2 == 1) return hi;
  const double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return 0.5 * (lo + hi);
}

}  // namespace isobench::detail::history
