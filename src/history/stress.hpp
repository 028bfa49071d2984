#pragma once
// The store under load, as a cluster would load it: `shards` processes at once, each claiming its
// shard and recording `cases` case records and history points (one transaction each), then a merge
// that must find every case exactly once. For the README's design limits.

#include <cstddef>
#include <string>

namespace isobench::detail::history {

struct stress_result {
  double wall_s = 0.0;
  std::size_t cases_recorded = 0, points_recorded = 0, failed_processes = 0;
  double cases_per_s = 0.0;
};

stress_result stress_store(const std::string& database, int shards, int cases);

}  // namespace isobench::detail::history
