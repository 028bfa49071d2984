#pragma once
// What `isobench run` (runner/run.hpp, kernels in this process) and `isobench ab` (runner/ab.hpp,
// two builds' workers) share, so that both open and close a run the same way. The opening: options
// checked, the spec loaded (--device applied), the command's plan made, the reference loaded
// (--eqcheck) and every output checked before anything is measured, then the settings decided once
// and the report's header filled. The closing: each workload's outputs compared (against the
// reference, else the candidate against the baseline), the verdicts judged together, the reference
// (--reference) and result files written, then the reporters. Each command measures its own way.

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "equivalence/reference_store.hpp"
#include "isobench/error.hpp"
#include "report/reporter.hpp"
#include "report/result.hpp"
#include "runner/plan.hpp"
#include "timing/clock.hpp"

namespace isobench::detail {

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

// A reporter and where it writes, run after the result file is written (console table, ISO-Bench
// summary lines, ...): the caller decides which, like google/benchmark's reporters.
struct report_target {
  std::unique_ptr<isobench::detail::reporter> format;
  std::ostream* stream = nullptr;
};

// <out>/<prefix>_<spec>_<impl_tag>.json (no leading "_" when prefix is empty).
std::filesystem::path result_path(const std::filesystem::path& dir, std::string_view prefix, std::string_view spec_name,
                                  std::string_view impl_tag);

// Size of the buffer written between samples in cold-cache mode.
std::size_t flush_size_bytes(const host_info& host);

// An output must be writable where it is going, or the run fails before it measures anything: its
// directory is created now and must be writable, the name must fit the file system, and no
// directory may stand in its place. Throws io_error or config_error naming `what` ("result", ...).
void check_output(const std::filesystem::path& file, std::string_view what);

// "  EQUIVALENCE FAILED <workload> <impl> vs <against>: <summary>\n"
std::string equivalence_failure_line(const std::string& workload, const std::string& impl, const eq_outcome& eq);

// The pieces of run_session for an outcome made without running anything (commits/failed_build):
// checks of a run's options (prefix, impl tag, commit hash), throwing config_error; the run's
// identity in a report (spec, options, settings, which it records, host and device); and the end
// of a run whose verdicts are judged: the result file, the reporters, the closing lines on `err`
// (with -q only the reasons for a failing exit code), and outcome.code (5 equivalence, 3 optimised
// path, 7 gate).
void check_run_options(const run_options& o);
void fill_report_header(run_report& rep, const spec& s, const run_options& o, const run_settings& settings,
                        const cuda_status& cuda);
void finish_run(run_outcome& outcome, const run_options& o, const std::vector<report_target>& reporters,
                std::ostream& err);

// One run from its options to its outcome. Throws isobench::error for anything that stops the run
// before results exist; equivalence failures (exit 5), missed optimised paths (exit 3) and failed
// gates (exit 7) are returned in the outcome, after the results have been written.
class run_session {
public:
  // Checks the options (prefix, impl tag, commit hash); throws config_error.
  explicit run_session(const run_options& o);

  // The spec, loaded with --device applied, and the command's plan of it; then the reference
  // (--eqcheck) and every output the run will write are checked.
  void open(const std::function<plan(const spec&)>& make_plan);
  // The settings, decided once (`clock` estimates the timer overhead), and the report's header.
  void settle(timing::clock& clock, const cuda_status& cuda);

  [[nodiscard]] const run_options& options() const { return m_o; }
  [[nodiscard]] const spec& the_spec() const { return m_spec; }
  [[nodiscard]] const plan& the_plan() const { return m_plan; }
  [[nodiscard]] const run_settings& settings() const { return m_outcome.report.settings; }
  [[nodiscard]] const loaded_reference* reference() const { return m_reference ? &*m_reference : nullptr; }
  [[nodiscard]] run_report& report() { return m_outcome.report; }

  // One workload's outputs (parallel to `cases`) compared: each against the reference when there
  // is one; else the candidate against the baseline.
  void check_equivalence(const std::string& workload, std::vector<case_result>& cases,
                         const std::vector<std::vector<named_tensor>>& outputs) const;
  // The reference implementation's outputs of a workload, recorded when the run is --reference.
  void record_reference(const std::string& workload, std::vector<named_tensor> outputs);
  // A case measured alone.
  void add_case(case_result c);
  // A verdict with its two cases, checked: it may pass only when both are equivalent and the
  // head's timings are its own (no work escaped the timed stream).
  void add_verdict(verdict_result v, case_result base, case_result head);
  // A workload that could not be measured (an ERROR verdict, its reason in the estimate).
  void add_error(verdict_result v);

  // Judges the verdicts, writes the reference (--reference) and the result file, runs the
  // reporters and says on `err` where the files are (with -q, only why the exit code fails).
  run_outcome close(const std::vector<report_target>& reporters, std::ostream& err);
  // The outcome without files: --smoke, which writes nothing.
  run_outcome close_without_files(exit_code code);

private:
  const run_options& m_o;
  spec m_spec;
  plan m_plan;
  std::filesystem::path m_reference_file;
  std::optional<loaded_reference> m_reference;
  std::vector<workload_outputs> m_to_record;
  std::vector<bool> m_equivalent;  // parallel to the report's verdicts
  run_outcome m_outcome;
};

}  // namespace isobench::detail
