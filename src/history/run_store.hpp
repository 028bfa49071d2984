#pragma once
// Sharded suite runs in the history store: the run's case list (registered by whichever shard comes
// first), one row per shard (its attempt and state), one row per finished case (replaced, never
// duplicated, when a retried shard records it again). A shard holds its index for as long as its
// process lives: on PostgreSQL a session advisory lock, on SQLite an flock on a file beside the
// database; both vanish with a killed process, so the scheduler's retry takes over while a second
// live shard given the same index is refused.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "history/store.hpp"

namespace isobench::detail::history {

struct run_case_row {
  std::string case_id;
  int shard_index = 0;
  int attempt = 1;
  std::string status;
  double elapsed_s = 0.0;
  nlohmann::json record;
};

struct run_info {
  std::string run_id, suite, source, kind;
  nlohmann::json cases;             // the suite's cases in order, as the first shard registered them
  std::vector<int> shard_attempts;  // by shard index; 0 when that shard never started
  int shard_count = 0;
};

class run_store {
public:
  explicit run_store(store& db) : m_db(db) {}
  ~run_store();
  run_store(const run_store&) = delete;
  run_store& operator=(const run_store&) = delete;

  // The first shard registers the run; the others check they run the same cases (config_error if not).
  void register_run(const std::string& run_id, const std::string& suite, const std::string& source,
                    const std::string& kind, const nlohmann::json& cases);
  // Claims shard `index` of `count` for this process; returns its attempt (1, then 2 on a retry...).
  // Throws config_error when a live process holds it, or when the run was sharded another way.
  int claim_shard(const std::string& run_id, int index, int count);
  void finish_shard(const std::string& run_id, int index, const std::string& state);
  void record_case(const std::string& run_id, const std::string& case_id, int shard_index, int attempt,
                   const std::string& status, double elapsed_s, const nlohmann::json& record);

  [[nodiscard]] std::optional<run_info> run(const std::string& run_id);
  std::vector<run_case_row> cases(const std::string& run_id);
  // The latest elapsed time of each case id in earlier runs of `suite`, for balancing shards.
  std::map<std::string, double> expected_times(const std::string& suite);

private:
  store& m_db;
  int m_lock_fd = -1;  // SQLite: the shard's lock file
};

}  // namespace isobench::detail::history
