#include "history/stress.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include <fmt/format.h>

#include "history/run_store.hpp"
#include "history/store.hpp"

namespace isobench::detail::history {

stress_result stress_store(const std::string& database, int shards, int cases) {
  const std::string run_id =
      fmt::format("stress-{}-{}", ::getpid(), std::chrono::steady_clock::now().time_since_epoch().count());
  nlohmann::json ids = nlohmann::json::array();
  for (int k = 0; k < shards; ++k) {
    for (int i = 0; i < cases; ++i) ids.push_back({{"id", fmt::format("s{}.c{}", k, i)}});
  }
  {
    store db(database);  // created and migrated once, before the rush
  }
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<pid_t> kids;
  for (int k = 0; k < shards; ++k) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      int rc = 0;
      try {
        store db(database);
        run_store runs(db);
        runs.register_run(run_id, "stress", "stress", "benchmarks", ids);
        const int attempt = runs.claim_shard(run_id, k, shards);
        for (int i = 0; i < cases; ++i) {
          const auto id = fmt::format("s{}.c{}", k, i);
          nlohmann::json record{
              {"id", id},         {"status", "ok"},
              {"reason", ""},     {"elapsed_s", 1.0},
              {"spec_hash", "x"}, {"result_file", ""},
              {"log_file", ""},   {"rows", nlohmann::json::array({{{"workload", "w"}, {"baseline_ms", 1.0}}})}};
          runs.record_case(run_id, id, k, attempt, "ok", 1.0, record);
          batch b;
          point p;
          p.key = {"stress", id, "op.impl", "machine"};
          p.commit = run_id;
          p.produced_at = "2026-01-01T00:00:00Z";
          p.source = "stress";
          for (int s = 0; s < 50; ++s) p.samples.push_back(1.0 + 0.001 * s);
          p.median = 1.0245;
          b.points.push_back(std::move(p));
          db.record(b);
        }
        runs.finish_shard(run_id, k, "finished");
      } catch (...) {
        rc = 1;
      }
      ::_exit(rc);
    }
    kids.push_back(pid);
  }
  stress_result r;
  for (const auto pid : kids) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++r.failed_processes;
  }
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  store db(database);
  run_store runs(db);
  r.cases_recorded = runs.cases(run_id).size();
  for (const auto& s : db.series()) {
    if (s.key.spec == "stress" && s.last_commit == run_id) r.points_recorded += static_cast<std::size_t>(s.points);
  }
  r.cases_per_s = static_cast<double>(r.cases_recorded) / r.wall_s;
  return r;
}

}  // namespace isobench::detail::history
