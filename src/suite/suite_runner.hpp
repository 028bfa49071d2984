#pragma once
// Runs a suite's cases, each as `isobench run` in a child process (io/child_process.hpp) with a
// wall-time and an address-space limit. Every case ends in one status, with its reason:
//   ok, failed (the exit code), crashed (the signal), timed_out, skipped (capability);
// a case cut short by Ctrl-C is "interrupted" and not finished. After every case the records
// (suite_results.json) and the CSV (results.csv) are rewritten atomically, so an interrupt or a
// crash of the runner itself loses nothing finished; --resume skips finished cases whose spec has
// not changed.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "isobench/enum_string.hpp"
#include "suite/suite.hpp"

namespace isobench::detail {

enum class case_status : std::uint8_t { ok, failed, crashed, timed_out, skipped, interrupted };
std::string_view to_string(case_status s) noexcept;

struct case_record {
  std::string id;
  case_status status = case_status::skipped;
  std::optional<int> exit_code;
  std::optional<int> signal;
  std::string reason;
  double elapsed_s = 0.0;
  std::optional<std::size_t> peak_host_memory_bytes;  // the child's high-water RSS
  std::string spec_hash;                              // a changed spec reruns under --resume
  std::string result_file;                            // relative to the output directory
  std::string log_file;
  nlohmann::json rows = nlohmann::json::array();  // one per workload: times, speedup, CI, verdict, ...
};

struct suite_options {
  std::filesystem::path out_dir;  // the suite's output_dir when empty
  bool resume = false;
  bool force = false;  // start over when results exist
  double case_timeout_s = 600.0;
  std::optional<std::size_t> case_memory_bytes;  // CPU cases; default 90% of physical memory
  std::string executable;                        // isobench to run cases with; default this one
  std::vector<std::string> run_args;             // extra arguments for every `isobench run`
  bool terminal = false;                         // progress redrawn in place
  // Records finished elsewhere (a shared store: a retried shard's earlier attempt); kept like --resume.
  std::vector<case_record> known;
  // Called after each case (a shard records it into the shared store); not while a case runs.
  std::function<void(const suite_case&, const case_record&)> on_case;
  nlohmann::json extra = nlohmann::json::object();  // merged into suite_results.json (shard, run id)
};

struct suite_outcome {
  std::vector<case_record> records;  // in suite order, finished or not
  bool interrupted = false;
  std::filesystem::path results_json, results_csv;
  [[nodiscard]] std::size_t count(case_status s) const;
};

suite_outcome run_suite(const suite& s, const suite_options& o, std::ostream& progress);

nlohmann::json to_json(const case_record& r);
// suite_results.json and results.csv for these records (atomically); `extra` joins the JSON.
void write_suite_outputs(const suite& s, const std::vector<case_record>& records, bool interrupted,
                         const std::filesystem::path& out_dir, const std::filesystem::path& json_file,
                         const std::filesystem::path& csv_file, const nlohmann::json& extra);
case_record case_record_from_json(const nlohmann::json& j);

}  // namespace isobench::detail

namespace isobench {

template <>
std::optional<detail::case_status> from_string<detail::case_status>(std::string_view text) noexcept;

}  // namespace isobench
