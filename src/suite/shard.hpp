#pragma once
// Sharding a suite across a cluster's array jobs: which shard this process is (a flag, or the
// scheduler's environment), which cases it runs (a deterministic, balanced part), and merging the
// shards' records from the shared store back into one run.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "history/run_store.hpp"
#include "suite/suite.hpp"
#include "suite/suite_runner.hpp"

namespace isobench::detail {

struct shard_spec {
  int index = 0;  // 0-based
  int count = 1;
  std::string source;  // "--shard", "slurm", "kubernetes"
};

using environment_lookup = std::string (*)(const char* name);  // getenv, or a test's own
std::string process_env(const char* name);

// `flag` is "I/N" (0-based I); without it, Slurm job arrays (SLURM_ARRAY_TASK_ID with
// SLURM_ARRAY_TASK_COUNT, or SLURM_ARRAY_TASK_MIN/MAX) or Kubernetes Indexed Jobs
// (JOB_COMPLETION_INDEX, with the completions count from `count_flag` or ISOBENCH_SHARD_COUNT).
// nullopt when nothing says this is a shard. config_error for inconsistent values.
std::optional<shard_spec> shard_from(const std::string& flag, int count_flag, environment_lookup env);

// The run id: `flag`, else ISOBENCH_RUN_ID, else slurm-<SLURM_ARRAY_JOB_ID>; "" when none.
std::string run_id_from(const std::string& flag, environment_lookup env);

// Indexes of the cases shard `s` runs: longest expected time first, each to the least loaded
// shard (ties: lower index); without expected times every case weighs the same. Deterministic for
// the same cases and times; every case lands in exactly one shard.
std::vector<std::size_t> select_shard(const suite& all, const shard_spec& s,
                                      const std::map<std::string, double>& expected_s);

// A case's identity (torchao columns, skip reason) as stored with the run, and back.
nlohmann::json case_identity(const suite_case& c);
suite_case case_from_identity(const nlohmann::json& j);

struct merged_run {
  suite s;                           // the cases as registered
  std::vector<case_record> records;  // suite order, finished cases only
  std::vector<std::string> missing, failed, retried;
  std::vector<int> shards_never_started;
};
// config_error when the store has no such run.
merged_run merge_run(history::run_store& runs, const std::string& run_id);

}  // namespace isobench::detail
