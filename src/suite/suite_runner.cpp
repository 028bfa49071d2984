#include "suite/suite_runner.hpp"

#include <cstring>
#include <map>
#include <numeric>

#include <fmt/format.h>

#include "io/atomic_file.hpp"
#include "io/child_process.hpp"
#include "io/json_document.hpp"
#include "io/subprocess.hpp"
#include "isobench/error.hpp"
#include "isobench/tensor.hpp"
#include "runner/session.hpp"
#include "suite/suite_report.hpp"

namespace isobench::detail {

namespace {

namespace fs = std::filesystem;

std::string fnv1a(std::string_view data) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char ch : data) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

std::string clock_text(double s) {
  const auto total = static_cast<long>(s + 0.5);
  return total >= 3600 ? fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60)
                       : fmt::format("{}:{:02}", total / 60, total % 60);
}

// "isobench: error: <why>" from a case's log, else its last line.
std::string reason_from_log(const fs::path& log) {
  const auto tail = file_tail(log, 4000);
  const auto marker = tail.rfind("isobench: error: ");
  std::string line;
  if (marker != std::string::npos) {
    line = tail.substr(marker + 17);
  } else {
    auto end = tail.find_last_not_of("\n ");
    if (end == std::string::npos) return {};
    const auto start = tail.rfind('\n', end);
    line =
        tail.substr(start == std::string::npos ? 0 : start + 1, end + 1 - (start == std::string::npos ? 0 : start + 1));
  }
  if (const auto nl = line.find('\n'); nl != std::string::npos) line.resize(nl);
  if (line.size() > 300) line = line.substr(0, 297) + "...";
  return line;
}

std::string summary_of(const case_record& r) {
  if (r.status != case_status::ok || r.rows.empty()) return r.reason;
  const auto& row = r.rows.front();
  std::string s;
  if (row.contains("ci_low") && row["ci_low"].is_number()) {
    s = fmt::format("{:.3g}x [{:.3g}, {:.3g}] {}", row["speedup"].get<double>(), row["ci_low"].get<double>(),
                    row["ci_high"].get<double>(), row.value("verdict", ""));
  } else if (row.contains("baseline_ms") && row["baseline_ms"].is_number()) {
    s = fmt::format("p50 {:.4g} ms", row["baseline_ms"].get<double>());
  }
  if (r.rows.size() > 1) s += fmt::format(" (+{} workloads)", r.rows.size() - 1);
  return s;
}

// Records of cases finished earlier: --resume reads them from the results file; results there
// without --resume or --force stop the suite before anything runs.
std::map<std::string, case_record> previous_records(const suite_options& o, const suite_outcome& outcome) {
  std::map<std::string, case_record> previous;
  for (const auto& k : o.known) previous.emplace(k.id, k);
  // Checked before any case runs: a device or FIFO there is written through, a directory refused.
  check_output_target(outcome.results_csv, "suite CSV");
  if (check_output_target(outcome.results_json, "suite results") != output_node::regular) return previous;
  if (!o.resume) {
    if (!o.force && o.known.empty()) {
      throw config_error(
          fmt::format("{}: results of an earlier run exist; pass --resume to finish that run or --force "
                      "to start over",
                      outcome.results_json.string()));
    }
    return previous;
  }
  const auto text = read_file(outcome.results_json, std::size_t{256} << 20, exit_code::invalid_config, "suite results");
  const auto j = parse_json_document(text, outcome.results_json.string(), exit_code::invalid_config);
  // A corrupt file is refused: reading it as "no finished cases" would rerun everything.
  const auto it = j.is_object() ? j.find("cases") : j.end();
  if (it == j.end() || !it->is_array()) {
    throw config_error(fmt::format("{}: cases: {}; expected the array of finished cases (or start over with --force)",
                                   outcome.results_json.string(),
                                   it == j.end() ? "missing" : it->dump().substr(0, 40)));
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    try {
      auto r = case_record_from_json((*it)[i]);
      previous.emplace(r.id, std::move(r));
    } catch (const nlohmann::json::exception&) {
      throw config_error(
          fmt::format("{}: cases[{}]: expected an object with string id and status, a number "
                      "elapsed_s, ... (or start over with --force)",
                      outcome.results_json.string(), i));
    }
  }
  return previous;
}

// What every case of one suite run shares.
struct suite_run {
  const suite_options& o;
  fs::path out_dir, cases_dir;
  std::string exe;                    // the isobench each case runs
  std::optional<std::size_t> memory;  // CPU cases' address-space limit
  std::vector<double> durations;      // of the cases run so far
};

// How the case's process ended, as its record's status and reason.
void record_end(case_record& r, const child_outcome& co, const child_limits& limits, const fs::path& log,
                double case_timeout_s) {
  switch (co.end) {
    case child_end::exited:
      r.exit_code = co.exit_code;
      if (co.exit_code == 0) {
        r.status = case_status::ok;
      } else if (co.exit_code == static_cast<int>(exit_code::unsupported)) {
        r.status = case_status::skipped;
        r.reason = reason_from_log(log);
      } else {
        r.status = case_status::failed;
        const auto why = reason_from_log(log);
        r.reason = fmt::format("exit {} ({}){}", co.exit_code,
                               co.exit_code <= 10 ? to_string(static_cast<exit_code>(co.exit_code)) : "unknown",
                               why.empty() ? "" : ": " + why);
        if (co.exit_code == static_cast<int>(exit_code::out_of_memory) && limits.address_space_bytes) {
          r.reason += fmt::format(" [address-space limit {} MiB]", *limits.address_space_bytes >> 20);
        }
      }
      break;
    case child_end::signaled:
      r.status = case_status::crashed;
      r.signal = co.signal;
      r.reason = fmt::format("killed by signal {} ({})", co.signal, ::strsignal(co.signal));
      break;
    case child_end::timed_out:
      r.status = case_status::timed_out;
      r.reason = fmt::format("no result within {:g} s; its process group was killed", case_timeout_s);
      break;
    case child_end::interrupted:
      r.status = case_status::interrupted;
      r.reason = "interrupted (Ctrl-C); rerun with --resume";
      break;
  }
}

// One case as `isobench run` in a child process, limited in time and memory; its rows come from
// its result file.
void run_case(suite_run& x, const suite_case& c, const std::string& spec_text, case_record& r,
              const std::string& prefix, std::size_t remaining, std::ostream& progress) {
  std::error_code ec;
  const fs::path spec_path = !c.spec_file.empty() ? c.spec_file : x.cases_dir / (c.id + ".spec.json");
  if (c.spec_file.empty()) write_file_atomic(spec_path, spec_text, overwrite::allow);
  const std::string spec_name = c.spec.contains("name") ? c.spec["name"].get<std::string>() : c.name;
  const fs::path result = result_path(x.cases_dir, spec_name == c.id ? std::string() : c.id, spec_name, "suite");
  const fs::path log = x.cases_dir / (c.id + ".log");
  // Stale files go; a device or FIFO someone put there is never removed (outputs never replace one).
  for (const auto* stale : {&result, &log}) {
    if (fs::is_regular_file(fs::symlink_status(*stale, ec))) fs::remove(*stale, ec);
  }
  // Result files are <prefix>_<spec name>_suite.json: the case id once is enough.
  const std::string prefix_arg = spec_name == c.id ? std::string() : c.id;
  std::vector<std::string> argv{x.exe,
                                "run",
                                fs::absolute(spec_path).string(),
                                "--out",
                                x.cases_dir.string(),
                                "--prefix",
                                prefix_arg,
                                "--impl-tag",
                                "suite",
                                "-q"};
  argv.insert(argv.end(), x.o.run_args.begin(), x.o.run_args.end());
  if (x.o.terminal) {
    double mean = 0.0;
    for (double d : x.durations) mean += d / static_cast<double>(x.durations.size());
    const auto eta = x.durations.empty() ? std::string("?") : clock_text(mean * static_cast<double>(remaining));
    progress << fmt::format("\r\033[K{} (elapsed so far {}, ETA {})", prefix,
                            clock_text(std::accumulate(x.durations.begin(), x.durations.end(), 0.0)), eta)
             << std::flush;
  }
  child_limits limits;
  limits.timeout_s = x.o.case_timeout_s;
  if (c.device != "cuda") limits.address_space_bytes = x.memory;
  const auto co = run_child(argv, log, limits);
  r.elapsed_s = co.wall_s;
  r.peak_host_memory_bytes = co.max_rss_bytes;
  r.log_file = fs::relative(log, x.out_dir, ec).string();
  x.durations.push_back(co.wall_s);
  record_end(r, co, limits, log, x.o.case_timeout_s);
  if ((r.status == case_status::ok || r.status == case_status::failed) && fs::exists(result)) {
    try {
      const auto text = read_file(result, std::size_t{256} << 20, exit_code::io_error, "result");
      r.rows = rows_from_result(parse_json_document(text, result.string(), exit_code::io_error), c.baseline_only);
      r.result_file = fs::relative(result, x.out_dir, ec).string();
    } catch (const error& e) {
      r.reason += fmt::format("{}result unreadable: {}", r.reason.empty() ? "" : "; ", e.what());
    }
  }
}

}  // namespace

void write_suite_outputs(const suite& s, const std::vector<case_record>& records, bool interrupted,
                         const fs::path& out_dir, const fs::path& json_file, const fs::path& csv_file,
                         const nlohmann::json& extra) {
  nlohmann::json j{{"suite", s.name},  {"source", s.source},
                   {"kind", s.kind},   {"output_dir", out_dir.string()},
                   {"notes", s.notes}, {"cases_total", s.cases.size()}};
  j.update(extra);
  j["complete"] = !interrupted && records.size() == s.cases.size();
  nlohmann::json list = nlohmann::json::array();
  std::map<std::string, int> counts;
  for (const auto& r : records) {
    list.push_back(to_json(r));
    ++counts[std::string(to_string(r.status))];
  }
  j["counts"] = counts;
  j["cases"] = std::move(list);
  write_file_atomic(json_file, j.dump(2) + "\n", overwrite::allow);
  write_file_atomic(csv_file, suite_csv(s, records, out_dir.string()), overwrite::allow);
}

std::string_view to_string(case_status s) noexcept {
  switch (s) {
    case case_status::ok: return "ok";
    case case_status::failed: return "failed";
    case case_status::crashed: return "crashed";
    case case_status::timed_out: return "timed_out";
    case case_status::skipped: return "skipped";
    case case_status::interrupted: return "interrupted";
  }
  return "?";
}

std::size_t suite_outcome::count(case_status s) const {
  std::size_t n = 0;
  for (const auto& r : records) n += r.status == s ? 1 : 0;
  return n;
}

nlohmann::json to_json(const case_record& r) {
  nlohmann::json j{{"id", r.id},
                   {"status", to_string(r.status)},
                   {"reason", r.reason},
                   {"elapsed_s", r.elapsed_s},
                   {"spec_hash", r.spec_hash},
                   {"result_file", r.result_file},
                   {"log_file", r.log_file},
                   {"rows", r.rows}};
  j["exit_code"] = r.exit_code ? nlohmann::json(*r.exit_code) : nlohmann::json(nullptr);
  j["signal"] = r.signal ? nlohmann::json(*r.signal) : nlohmann::json(nullptr);
  j["peak_host_memory_bytes"] =
      r.peak_host_memory_bytes ? nlohmann::json(*r.peak_host_memory_bytes) : nlohmann::json(nullptr);
  return j;
}

case_record case_record_from_json(const nlohmann::json& j) {
  case_record r;
  r.id = j.at("id").get<std::string>();
  const auto st = from_string<case_status>(j.at("status").get<std::string>());
  if (!st) throw config_error(fmt::format("unknown case status '{}'", j.at("status").get<std::string>()));
  r.status = *st;
  r.reason = j.value("reason", "");
  r.elapsed_s = j.value("elapsed_s", 0.0);
  r.spec_hash = j.value("spec_hash", "");
  r.result_file = j.value("result_file", "");
  r.log_file = j.value("log_file", "");
  r.rows = j.value("rows", nlohmann::json::array());
  if (j.contains("exit_code") && j["exit_code"].is_number_integer()) r.exit_code = j["exit_code"].get<int>();
  if (j.contains("signal") && j["signal"].is_number_integer()) r.signal = j["signal"].get<int>();
  if (j.contains("peak_host_memory_bytes") && j["peak_host_memory_bytes"].is_number_unsigned()) {
    r.peak_host_memory_bytes = j["peak_host_memory_bytes"].get<std::size_t>();
  }
  return r;
}

suite_outcome run_suite(const suite& s, const suite_options& o, std::ostream& progress) {
  suite_run x{o, o.out_dir.empty() ? s.output_dir : o.out_dir, {}, {}, {}, {}};
  x.cases_dir = x.out_dir / "cases";
  suite_outcome outcome;
  outcome.results_json = x.out_dir / "suite_results.json";
  outcome.results_csv = x.out_dir / "results.csv";
  std::error_code ec;
  fs::create_directories(x.cases_dir, ec);
  if (ec) throw io_error(fmt::format("{}: cannot create the output directory: {}", x.cases_dir.string(), ec.message()));

  const auto previous = previous_records(o, outcome);
  x.exe = o.executable.empty() ? self_executable() : o.executable;
  x.memory = o.case_memory_bytes;
  if (!x.memory) x.memory = physical_memory_bytes() / 10 * 9;
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer reserves terabytes of address space: a limit would stop every child at start.
  progress << "isobench suite: AddressSanitizer build: no per-case memory limit\n";
  x.memory.reset();
#endif

  interrupt_guard guard;
  const std::size_t total = s.cases.size();
  for (std::size_t i = 0; i < total; ++i) {
    const auto& c = s.cases[i];
    case_record r;
    r.id = c.id;
    const std::string spec_text = !c.spec_file.empty()
                                      ? read_file(c.spec_file, spec_max_bytes, exit_code::invalid_config, "spec")
                                      : c.spec.dump(2) + "\n";
    r.spec_hash = fnv1a(spec_text + c.skip_reason);
    const auto prefix = fmt::format("[{}/{}] {}", i + 1, total, c.id);

    if (auto it = previous.find(c.id);
        it != previous.end() && it->second.status != case_status::interrupted && it->second.spec_hash == r.spec_hash) {
      outcome.records.push_back(it->second);
      progress << fmt::format("{}: {} (finished earlier, kept)\n", prefix, to_string(it->second.status));
      continue;
    }
    if (!c.skip_reason.empty()) {
      r.status = case_status::skipped;
      r.reason = c.skip_reason;
    } else {
      run_case(x, c, spec_text, r, prefix, total - i, progress);
      if (r.status == case_status::interrupted) outcome.interrupted = true;
    }
    if (o.terminal) progress << "\r\033[K";
    progress << fmt::format("{}: {}{}{}\n", prefix, to_string(r.status),
                            summary_of(r).empty() ? "" : " " + summary_of(r),
                            r.status == case_status::skipped ? "" : fmt::format(" ({:.1f} s)", r.elapsed_s));
    if (o.on_case && r.status != case_status::interrupted) o.on_case(c, r);
    outcome.records.push_back(std::move(r));
    if (!outcome.interrupted && guard.interrupted()) outcome.interrupted = true;
    write_suite_outputs(s, outcome.records, outcome.interrupted, x.out_dir, outcome.results_json, outcome.results_csv,
                        o.extra);
    if (outcome.interrupted) break;
  }
  if (outcome.records.empty())
    write_suite_outputs(s, outcome.records, outcome.interrupted, x.out_dir, outcome.results_json, outcome.results_csv,
                        o.extra);
  return outcome;
}

}  // namespace isobench::detail

namespace isobench {

template <>
std::optional<detail::case_status> from_string<detail::case_status>(std::string_view text) noexcept {
  using detail::case_status;
  static constexpr case_status all[] = {case_status::ok,        case_status::failed,  case_status::crashed,
                                        case_status::timed_out, case_status::skipped, case_status::interrupted};
  return from_string_among(text, all);
}

}  // namespace isobench
