#pragma once
// What the history keeps. A series is one spec x workload x implementation x machine (CPU model,
// device, build type): numbers from different machines never share a line. A point is one
// result of a series at one commit, with every sample; a verdict is one pairwise judgement.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace isobench::detail::history {

struct series_key {
  std::string spec, workload, implementation, machine;
  [[nodiscard]] std::string text() const;  // "spec/workload/implementation@machine", the unique key
  friend bool operator==(const series_key&, const series_key&) = default;
};

struct point {
  series_key key;
  std::string unit = "ms";
  std::string commit, parent;
  std::string produced_at;  // UTC ISO 8601 of the result; orders a series
  std::string source;       // run, ab, suite, gbench, nvbench, isobench-line
  std::string impl_tag;
  std::vector<double> samples;  // in `unit`
  double median = 0.0;
  nlohmann::json environment = nlohmann::json::object();
  [[nodiscard]] std::string digest() const;  // identity: recording the same result twice is a no-op
};

struct verdict_record {
  std::string spec, workload, baseline, candidate, machine;
  std::string base_commit, head_commit;
  std::string verdict;
  double speedup = 0.0, ci_low = 0.0, ci_high = 0.0, p_value = 1.0;
  std::string produced_at, source;
  [[nodiscard]] std::string digest() const;
};

struct batch {
  std::vector<point> points;
  std::vector<verdict_record> verdicts;
};

// 128-bit FNV-1a (two seeds) as 32 hex digits: stable across builds and platforms.
std::string stable_digest(std::string_view data);

double median_of(std::vector<double> v);

// "2026-11-30T06:53:10Z": when a result carries no time of its own, and for bookkeeping rows.
std::string utc_now_iso8601();

}  // namespace isobench::detail::history
