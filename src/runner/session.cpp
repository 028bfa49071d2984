#include "runner/session.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <sstream>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "io/atomic_file.hpp"
#include "io/json_document.hpp"
#include "report/json_reporter.hpp"
#include "runner/settings.hpp"

namespace isobench::detail {

namespace {

bool is_safe_token(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
  });
}

constexpr std::size_t k_max_token = 64;  // --prefix and --impl-tag end up in file names

std::string shown(std::string_view s) {
  return s.size() > 40 ? fmt::format("{}...", s.substr(0, 37)) : std::string(s);
}

std::string utc_now() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

}  // namespace

void check_run_options(const run_options& o) {
  if (!is_safe_token(o.prefix) || o.prefix.size() > k_max_token) {
    throw config_error(fmt::format("--prefix '{}': expected at most {} letters, digits, '_', '-' or '.'",
                                   shown(o.prefix), k_max_token));
  }
  if (o.impl_tag.empty() || !is_safe_token(o.impl_tag) || o.impl_tag.size() > k_max_token) {
    throw config_error(
        fmt::format("--impl-tag '{}': expected a non-empty name of at most {} letters, digits, '_', "
                    "'-' or '.'",
                    shown(o.impl_tag), k_max_token));
  }
  if (o.commit_hash && (!is_valid_utf8(*o.commit_hash) || o.commit_hash->size() > 256)) {
    throw config_error("--commit-hash: expected at most 256 bytes of UTF-8 text");
  }
  if (o.smoke && o.mode == run_mode::reference) {
    throw config_error("--smoke records nothing: run --reference without --smoke");
  }
}

void fill_report_header(run_report& rep, const spec& s, const run_options& o, const run_settings& settings,
                        const cuda_status& cuda) {
  rep.spec_name = s.name;
  rep.spec_file = o.spec_file.string();
  rep.target = s.target;
  rep.mode = o.mode;
  rep.impl_tag = o.impl_tag;
  rep.commit_hash = o.commit_hash.value_or(s.commit.hash);
  rep.timestamp = utc_now();
  rep.host = collect_host_info();
  rep.host.timer_overhead_ns = settings.measure.base.timer_overhead_s * 1e9;
  rep.device = cuda;
  rep.spec = s;
  rep.settings = settings;
  rep.policy = settings.verdict;
}

std::filesystem::path result_path(const std::filesystem::path& dir, std::string_view prefix, std::string_view spec_name,
                                  std::string_view impl_tag) {
  return dir / (prefix.empty() ? fmt::format("{}_{}.json", spec_name, impl_tag)
                               : fmt::format("{}_{}_{}.json", prefix, spec_name, impl_tag));
}

std::size_t flush_size_bytes(const host_info& host) {
  // Twice the last-level cache, within sane bounds: VMs sometimes report absurd L3 sizes.
  constexpr std::size_t min_bytes = std::size_t{8} << 20;
  constexpr std::size_t max_bytes = std::size_t{256} << 20;
  const std::size_t llc = host.last_level_cache_bytes();
  return std::clamp(llc > 0 ? 2 * llc : std::size_t{64} << 20, min_bytes, max_bytes);
}

void check_output(const std::filesystem::path& file, std::string_view what) {
  namespace fs = std::filesystem;
  const auto name = file.filename().string();
  if (name.empty()) throw config_error(fmt::format("{}: not a file name ({})", file.string(), what));
  if (name.size() > 255 || file.string().size() > 4095) {
    throw config_error(fmt::format("{}: {} file name too long ({} bytes; at most 255 per name)", shown(file.string()),
                                   what, name.size()));
  }
  // Directories, block devices and sockets are refused; a device or FIFO is written through in
  // place, so its directory (/dev) need not be writable.
  if (check_output_target(file, what) == output_node::write_through) return;
  const fs::path target = resolve_output(file);  // a symlink's target is replaced in its own directory
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    throw io_error(fmt::format("{}: cannot create the directory for the {} file: {}", dir.string(), what,
                               ec ? ec.message() : std::string("not a directory")));
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    throw io_error(fmt::format("{}: directory for the {} file is not writable", dir.string(), what));
  }
}

std::string equivalence_failure_line(const std::string& workload, const std::string& impl, const eq_outcome& eq) {
  return fmt::format("  EQUIVALENCE FAILED {} {} vs {}: {}\n", workload, impl, eq.against, eq.result.summary());
}

run_session::run_session(const run_options& o) : m_o(o) {
  check_run_options(o);
}

void run_session::open(const std::function<plan(const spec&)>& make_plan) {
  m_spec = load_spec(m_o.spec_file);
  if (m_o.device) m_spec.device = *m_o.device;
  m_plan = make_plan(m_spec);
  m_outcome.result_file = result_path(m_o.out_dir, m_o.prefix, m_spec.name, m_o.impl_tag);
  m_reference_file = reference_path(m_o.reference_dir.value_or(m_o.out_dir), m_o.prefix, m_spec.name);

  // Reference and output problems are found before spending time measuring.
  if (m_o.mode == run_mode::eqcheck)
    m_reference = load_reference(m_reference_file, m_spec, reference_workloads(m_plan));
  // Only a regular file is replaced, so only a regular file needs --force (a FIFO is written through).
  if (m_o.mode == run_mode::reference && !m_o.force &&
      check_output_target(m_reference_file, "reference") == output_node::regular) {
    throw reference_error(fmt::format("{}: already exists; pass --force to replace it", m_reference_file.string()));
  }
  if (m_o.smoke) return;  // writes nothing
  check_output(m_outcome.result_file, "result");
  if (m_o.mode == run_mode::reference) check_output(m_reference_file, "reference");
  for (const auto& f : m_o.extra_outputs) check_output(f, "report");
}

void run_session::settle(timing::clock& clock, const cuda_status& cuda) {
  const double timer_overhead_s = timing::estimate_timer_overhead_s(clock);
  const run_settings settings = decide_settings(m_spec, m_plan, m_o, timer_overhead_s);
  m_spec.timing.cache = settings.cache;  // the spec as run
  auto& rep = m_outcome.report;
  fill_report_header(rep, m_spec, m_o, settings, cuda);
  if (m_o.mode != run_mode::measure) rep.reference_file = m_reference_file.string();
}

void run_session::check_equivalence(const std::string& workload, std::vector<case_result>& cases,
                                    const std::vector<std::vector<named_tensor>>& outputs) const {
  const auto& req = settings().equivalence;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    auto& c = cases[i];
    if (m_reference) {
      c.eq = eq_outcome{"reference", compare_outputs(m_reference->outputs.at(workload), outputs[i], req)};
    } else if (c.role == role::candidate) {
      c.eq = eq_outcome{"baseline", compare_outputs(outputs[0], outputs[i], req)};
    }
  }
}

void run_session::record_reference(const std::string& workload, std::vector<named_tensor> outputs) {
  if (m_o.mode == run_mode::reference) m_to_record.push_back({workload, std::move(outputs)});
}

void run_session::add_case(case_result c) {
  m_outcome.report.cases.push_back(std::move(c));
}

void run_session::add_verdict(verdict_result v, case_result base, case_result head) {
  // Timings whose work escaped the timed stream cannot back a verdict either.
  m_equivalent.push_back(!base.eq_failed() && !head.eq_failed() && !head.work_escaped_stream());
  if (head.eq) v.candidate_eq = head.eq->result.achieved;
  v.candidate_counters = head.counters;
  auto& rep = m_outcome.report;
  rep.verdicts.push_back(std::move(v));
  rep.cases.push_back(std::move(base));
  rep.cases.push_back(std::move(head));
}

void run_session::add_error(verdict_result v) {
  m_equivalent.push_back(false);
  m_outcome.report.verdicts.push_back(std::move(v));
}

run_outcome run_session::close(const std::vector<report_target>& reporters, std::ostream& err) {
  auto& rep = m_outcome.report;
  judge(rep.verdicts, rep.policy, m_equivalent);
  // The reference first: a run killed in between must not leave a result naming a reference that
  // does not exist. A failed equivalence still leaves its numbers on disk.
  if (m_o.mode == run_mode::reference) {
    save_reference(m_reference_file, m_spec, reference_workloads(m_plan),
                   {m_plan.reference_impl().info->full_name(), rep.commit_hash}, m_to_record, m_o.force);
    m_outcome.reference_file = m_reference_file;
  }
  finish_run(m_outcome, m_o, reporters, err);
  return std::move(m_outcome);
}

void finish_run(run_outcome& outcome, const run_options& o, const std::vector<report_target>& reporters,
                std::ostream& err) {
  const auto& rep = outcome.report;
  std::ostringstream doc;
  json_reporter().report(rep, doc);
  write_file_atomic(outcome.result_file, doc.str(), overwrite::allow);
  for (const auto& r : reporters) r.format->report(rep, *r.stream);
  if (!o.quiet) {
    err << fmt::format("  results: {}\n", outcome.result_file.string());
    if (outcome.reference_file) err << fmt::format("  reference: {}\n", outcome.reference_file->string());
  } else {
    // Quiet drops the table, never the reason for a failing exit code.
    for (const auto& c : rep.cases) {
      if (c.eq_failed()) err << equivalence_failure_line(c.workload, c.implementation, *c.eq);
    }
  }
  const auto& cases = rep.cases;
  const bool eq_failed = std::any_of(cases.begin(), cases.end(), [](const auto& c) { return c.eq_failed(); });
  const bool opt_missed = rep.spec.require_opt_path && std::any_of(cases.begin(), cases.end(), [](const auto& c) {
                            return c.role != role::baseline && !c.opt_path_hit;
                          });
  const bool gate_failed = o.gate && std::any_of(rep.verdicts.begin(), rep.verdicts.end(),
                                                 [](const auto& v) { return is_gate_failure(v.verdict); });
  outcome.code = eq_failed     ? exit_code::equivalence_failed
                 : opt_missed  ? exit_code::opt_path_not_hit
                 : gate_failed ? exit_code::gate_failed
                               : exit_code::ok;
}

run_outcome run_session::close_without_files(exit_code code) {
  m_outcome.code = code;
  return std::move(m_outcome);
}

}  // namespace isobench::detail
