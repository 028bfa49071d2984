#pragma once
// `isobench run`: spec -> plan -> measure every workload x implementation -> equivalence ->
// results file (+ reference) -> reports. The CLI is a thin layer over this.

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "isobench/error.hpp"
#include "isobench/registry.hpp"
#include "report/reporter.hpp"
#include "report/result.hpp"
#include "report/settings_json.hpp"
#include "runner/plan.hpp"
#include "timing/clock.hpp"

namespace isobench {

struct run_options {
  std::filesystem::path spec_file;
  run_mode mode = run_mode::measure;
  bool force = false;  // replace an existing reference
  std::string prefix;  // file name prefix for results and references
  std::filesystem::path out_dir = ".";
  std::optional<std::filesystem::path> reference_dir;  // default: out_dir
  std::string impl_tag = "child";
  std::optional<std::string> commit_hash;  // default: the spec's commit.hash
  std::optional<device_request> device;    // overrides the spec
  std::optional<cache_mode> cache;         // overrides the spec (decided in run_settings)
  std::vector<std::string> workloads;      // run only these
  bool quiet = false;                      // no progress on stderr (reporters are the caller's choice)
  bool gate = false;                       // exit 7 when a baseline/candidate verdict fails
  // Smoke mode: set up every case, call it once, check equivalence (against the baseline, and the
  // reference with eqcheck); no timing, no verdict, no files written. For checking a spec in CI.
  bool smoke = false;
  // Files the caller writes after the run (JUnit, markdown): checked with the others before anything
  // is measured, so a bad path never throws away a finished measurement.
  std::vector<std::filesystem::path> extra_outputs;
};

struct run_outcome {
  exit_code code = exit_code::ok;
  std::filesystem::path result_file;
  std::optional<std::filesystem::path> reference_file;
  run_report report;  // empty cases' timings in smoke mode
};

// <out>/<prefix>_<spec>_<impl_tag>.json (no leading "_" when prefix is empty).
std::filesystem::path result_path(const std::filesystem::path& dir, std::string_view prefix, std::string_view spec_name,
                                  std::string_view impl_tag);

// Size of the buffer written between samples in cold-cache mode.
std::size_t flush_size_bytes(const host_info& host);

// Throws isobench::error for anything that stops the run before results exist; returns
// equivalence failures (exit 5) and missed optimised paths (exit 3) in the outcome, after the
// results have been written.
// The run's identity in a report: spec, options, settings (which it records), host and device.
void fill_report_header(run_report& rep, const spec& s, const run_options& o, const run_settings& settings,
                        const cuda_status& cuda);

// Checks of a run's options (prefix, impl tag, commit hash) before anything else; throws config_error.
void check_run_options(const run_options& o);
// An output must be writable where it is going, or the run fails before it measures anything: its
// directory is created now and must be writable, the name must fit the file system, and no
// directory may stand in its place. Throws io_error or config_error naming `what` ("result", ...).
void check_output(const std::filesystem::path& file, std::string_view what);
// "  EQUIVALENCE FAILED <workload> <impl> vs <against>: <summary>\n"
std::string equivalence_failure_line(const std::string& workload, const std::string& impl, const eq_outcome& eq);

// A reporter and where it writes, run after the result file is written (console table, ISO-Bench
// summary lines, ...): the caller decides which, like google/benchmark's reporters.
struct report_target {
  std::unique_ptr<isobench::reporter> format;
  std::ostream* stream = nullptr;
};

// The end of a run: the result file, the reporters, the closing lines on `err` (with -q only the
// reasons for a failing exit code), and outcome.code (5 equivalence, 3 optimised path, 7 gate).
void finish_run(run_outcome& outcome, const run_options& o, const std::vector<report_target>& reporters,
                std::ostream& err);

run_outcome run_spec(const run_options& options, const registry& reg, timing::clock& clock,
                     const std::vector<report_target>& reporters, std::ostream& err);

}  // namespace isobench
