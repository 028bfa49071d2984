#include "history/detect_series.hpp"

#include <fmt/format.h>

#include "isobench/error.hpp"

namespace isobench::detail::history {

std::vector<series_report> analyse(store& db, const detect_options& o) {
  std::vector<series_report> out;
  for (const auto& s : db.series()) {
    series_report r;
    r.series = s;
    r.points = db.points(s.id);
    std::vector<std::vector<double>> samples;
    samples.reserve(r.points.size());
    for (const auto& p : r.points) samples.push_back(p.p.samples);
    r.changes = detect_changes(samples, o);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<series_change> detect_all(const std::vector<series_report>& reports, store& db,
                                      const std::optional<std::string>& since) {
  // Points are ordered by (produced_at, id): results produced in the same second keep the order
  // they were recorded in.
  using order_key = std::pair<std::string, std::int64_t>;
  std::optional<order_key> since_at;
  if (since) {
    for (const auto& r : reports) {
      for (const auto& p : r.points) {
        const order_key k{p.p.produced_at, p.id};
        if (p.p.commit.starts_with(*since) && (!since_at || k < *since_at)) since_at = k;
      }
    }
    if (!since_at) {
      throw config_error(fmt::format("--since {}: no recorded result of that commit in {}", *since, db.describe()));
    }
  }
  std::vector<series_change> out;
  for (const auto& r : reports) {
    for (const auto& c : r.changes) {
      series_change sc;
      sc.series = r.series;
      sc.c = c;
      sc.first_bad_commit = r.points[c.index].p.commit;
      sc.last_good_commit = c.index > 0 ? r.points[c.index - 1].p.commit : std::string();
      sc.first_bad_at = r.points[c.index].p.produced_at;
      sc.regression = c.magnitude > 1.0;
      sc.is_new = !since_at || order_key{sc.first_bad_at, r.points[c.index].id} >= *since_at;
      out.push_back(std::move(sc));
    }
  }
  return out;
}

}  // namespace isobench::detail::history
