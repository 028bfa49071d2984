#include "suite/shard.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <numeric>

#include <fmt/format.h>

#include "isobench/error.hpp"

namespace isobench::detail {

namespace {

constexpr long long k_max_shards = 1'000'000;

// Digits only; a number out of range says so (and the range) instead of "not an integer".
int parse_int(const std::string& text, const std::string& what, long long lo = 0) {
  long long v = -1;
  const auto* end = text.data() + text.size();
  const auto [p, ec] = std::from_chars(text.data(), end, v);
  const bool digits = !text.empty() && p == end && (ec == std::errc() || ec == std::errc::result_out_of_range);
  if (!digits || text.front() == '+') {
    throw config_error(fmt::format("{}: '{}' is not an integer; expected {}..{}", what, text, lo, k_max_shards));
  }
  if (ec == std::errc::result_out_of_range || v < lo || v > k_max_shards) {
    throw config_error(fmt::format("{}: {} is out of range; expected {}..{}", what, text, lo, k_max_shards));
  }
  return static_cast<int>(v);
}

}  // namespace

std::string process_env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

std::optional<shard_spec> shard_from(const std::string& flag, int count_flag, environment_lookup env) {
  shard_spec s;
  if (!flag.empty()) {
    const auto slash = flag.find('/');
    if (slash == std::string::npos) throw config_error(fmt::format("--shard: expected I/N (e.g. 0/4), got '{}'", flag));
    s.index = parse_int(flag.substr(0, slash), "--shard index");
    s.count = parse_int(flag.substr(slash + 1), "--shard count", 1);
    s.source = "--shard";
  } else if (const auto id = env("SLURM_ARRAY_TASK_ID"); !id.empty()) {
    const int task = parse_int(id, "SLURM_ARRAY_TASK_ID");
    const auto count = env("SLURM_ARRAY_TASK_COUNT");
    const auto min = env("SLURM_ARRAY_TASK_MIN"), max = env("SLURM_ARRAY_TASK_MAX");
    const int lo = min.empty() ? 0 : parse_int(min, "SLURM_ARRAY_TASK_MIN");
    s.index = task - lo;
    if (!count.empty()) {
      s.count = parse_int(count, "SLURM_ARRAY_TASK_COUNT", 1);
    } else if (!max.empty()) {
      s.count = parse_int(max, "SLURM_ARRAY_TASK_MAX") - lo + 1;
    } else {
      throw config_error("SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX");
    }
    s.source = "slurm";
  } else if (const auto k = env("JOB_COMPLETION_INDEX"); !k.empty()) {
    s.index = parse_int(k, "JOB_COMPLETION_INDEX");
    const auto count = env("ISOBENCH_SHARD_COUNT");
    if (count_flag > 0) {
      s.count = count_flag;
    } else if (!count.empty()) {
      s.count = parse_int(count, "ISOBENCH_SHARD_COUNT", 1);
    } else {
      throw config_error(
          "JOB_COMPLETION_INDEX is set: pass the Job's completions as --shard-count or "
          "ISOBENCH_SHARD_COUNT");
    }
    s.source = "kubernetes";
  } else {
    return std::nullopt;
  }
  if (s.count < 1) {
    throw config_error(fmt::format("shard {}/{} ({}): the count must be at least 1", s.index, s.count, s.source));
  }
  if (s.index < 0 || s.index >= s.count) {
    throw config_error(fmt::format("shard {}/{} ({}): the index must be in 0..{} (0-based, below the count)", s.index,
                                   s.count, s.source, s.count - 1));
  }
  return s;
}

std::string run_id_from(const std::string& flag, environment_lookup env) {
  if (!flag.empty()) return flag;
  if (const auto v = env("ISOBENCH_RUN_ID"); !v.empty()) return v;
  if (const auto v = env("SLURM_ARRAY_JOB_ID"); !v.empty()) return "slurm-" + v;
  return {};
}

std::vector<std::size_t> select_shard(const suite& all, const shard_spec& s,
                                      const std::map<std::string, double>& expected_s) {
  std::vector<std::size_t> order(all.cases.size());
  std::iota(order.begin(), order.end(), 0);
  auto weight = [&](std::size_t i) {
    const auto& c = all.cases[i];
    if (!c.skip_reason.empty()) return 0.0;
    const auto it = expected_s.find(c.id);
    return it != expected_s.end() ? std::max(it->second, 1e-3) : 1.0;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double wa = weight(a), wb = weight(b);
    if (wa != wb) return wa > wb;
    return all.cases[a].id < all.cases[b].id;
  });
  std::vector<double> load(static_cast<std::size_t>(s.count), 0.0);
  std::vector<std::size_t> counts(static_cast<std::size_t>(s.count), 0);
  std::vector<std::size_t> mine;
  for (const auto i : order) {
    std::size_t best = 0;
    for (std::size_t k = 1; k < load.size(); ++k) {
      if (load[k] < load[best] || (load[k] == load[best] && counts[k] < counts[best])) best = k;
    }
    load[best] += weight(i);
    ++counts[best];
    if (best == static_cast<std::size_t>(s.index)) mine.push_back(i);
  }
  std::sort(mine.begin(), mine.end());  // run in suite order
  return mine;
}

nlohmann::json case_identity(const suite_case& c) {
  nlohmann::json j{{"id", c.id},
                   {"name", c.name},
                   {"quantization", c.quantization},
                   {"sparsity", c.sparsity},
                   {"high_precision_dtype", c.high_precision_dtype},
                   {"torch_compile_mode", c.torch_compile_mode},
                   {"device", c.device},
                   {"model_type", c.model_type},
                   {"enable_profiler", c.enable_profiler},
                   {"enable_memory_profiler", c.enable_memory_profiler},
                   {"baseline_only", c.baseline_only},
                   {"skip_reason", c.skip_reason}};
  for (const auto& [key, v] : {std::pair{"m", c.m}, std::pair{"k", c.k}, std::pair{"n", c.n}}) {
    j[key] = v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  }
  return j;
}

suite_case case_from_identity(const nlohmann::json& j) {
  suite_case c;
  c.id = j.value("id", "");
  c.name = j.value("name", "");
  c.quantization = j.value("quantization", "");
  c.sparsity = j.value("sparsity", "");
  c.high_precision_dtype = j.value("high_precision_dtype", "");
  c.torch_compile_mode = j.value("torch_compile_mode", "");
  c.device = j.value("device", "");
  c.model_type = j.value("model_type", "");
  c.enable_profiler = j.value("enable_profiler", false);
  c.enable_memory_profiler = j.value("enable_memory_profiler", false);
  c.baseline_only = j.value("baseline_only", false);
  c.skip_reason = j.value("skip_reason", "");
  for (auto [key, v] : {std::pair{"m", &c.m}, std::pair{"k", &c.k}, std::pair{"n", &c.n}}) {
    if (j.contains(key) && j[key].is_number_integer()) *v = j[key].get<std::int64_t>();
  }
  return c;
}

merged_run merge_run(history::run_store& runs, const std::string& run_id) {
  const auto info = runs.run(run_id);
  if (!info) throw config_error(fmt::format("run '{}' is not in the store", run_id));
  merged_run m;
  m.s.name = info->suite;
  m.s.source = info->source;
  m.s.kind = info->kind;
  const auto corrupt = [&](const std::string& where) {
    return reference_error(fmt::format("corrupt suite run '{}' in the store: {}", run_id, where));
  };
  for (std::size_t i = 0; i < info->cases.size(); ++i) {
    try {
      m.s.cases.push_back(case_from_identity(info->cases[i]));
    } catch (const nlohmann::json::exception&) {
      throw corrupt(fmt::format("table suite_runs, column cases[{}]: expected a case identity object", i));
    }
  }
  std::map<std::string, history::run_case_row> rows;
  for (auto& r : runs.cases(run_id)) rows.emplace(r.case_id, std::move(r));
  for (const auto& c : m.s.cases) {
    const auto it = rows.find(c.id);
    if (it == rows.end()) {
      m.missing.push_back(c.id);
      continue;
    }
    case_record rec;
    try {
      rec = case_record_from_json(it->second.record);
    } catch (const nlohmann::json::exception&) {
      throw corrupt(
          fmt::format("table suite_cases, case {}, column record: expected a case record (id, status, ...)", c.id));
    }
    if (rec.status == case_status::failed || rec.status == case_status::crashed ||
        rec.status == case_status::timed_out) {
      m.failed.push_back(c.id);
    }
    if (it->second.attempt > 1) m.retried.push_back(c.id);
    m.records.push_back(std::move(rec));
  }
  for (int k = 0; k < info->shard_count; ++k) {
    if (static_cast<std::size_t>(k) >= info->shard_attempts.size() || info->shard_attempts[k] == 0) {
      m.shards_never_started.push_back(k);
    }
  }
  return m;
}

}  // namespace isobench::detail
