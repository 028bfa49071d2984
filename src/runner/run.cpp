#include "runner/run.hpp"

#include <unistd.h>

#include <chrono>
#include <memory>
#include <new>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "device/device.hpp"
#include "equivalence/reference_store.hpp"
#include "io/atomic_file.hpp"
#include "io/json_document.hpp"
#include "report/json_reporter.hpp"
#include "report/reporter.hpp"
#include "runner/executor.hpp"
#include "runner/settings.hpp"
#include "timing/cache_flush.hpp"

namespace isobench {

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

namespace {

std::string utc_now() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

}  // namespace

std::string equivalence_failure_line(const std::string& workload, const std::string& impl, const eq_outcome& eq) {
  return fmt::format("  EQUIVALENCE FAILED {} {} vs {}: {}\n", workload, impl, eq.against, eq.result.summary());
}

namespace {

// --smoke: each case set up and called once; outputs checked against the baseline and, with
// --eqcheck, the reference. Nothing is timed, judged or written.
exit_code run_smoke(const executor_context& ctx, const loaded_reference* reference, bool quiet, std::ostream& err) {
  const auto& pl = ctx.pl;
  bool eq_failed = false;
  bool opt_missed = false;
  for (const auto& w : pl.workloads) {
    const auto run = smoke_workload(ctx, w);
    for (std::size_t i = 0; i < pl.impls.size(); ++i) {
      const auto& im = pl.impls[i];
      const auto& outputs = run.outputs[i];
      std::vector<eq_outcome> checks;
      // As in a timed run: against the reference when there is one, else the candidate against the baseline.
      if (reference != nullptr) {
        checks.push_back(
            {"reference", compare_outputs(reference->outputs.at(w.name), outputs, ctx.settings.equivalence)});
      } else if (im.role == role::candidate) {
        checks.push_back({"baseline", compare_outputs(run.outputs[0], outputs, ctx.settings.equivalence)});
      }
      if (im.role != role::baseline && ctx.s.require_opt_path && !run.opt_path_hit[i]) opt_missed = true;
      std::string status = "ok";
      for (const auto& c : checks) {
        if (!c.result.passed()) {
          eq_failed = true;
          status = "FAILED";
          err << equivalence_failure_line(w.name, im.info->full_name(), c);
        }
      }
      if (!quiet) {
        std::string eq = checks.empty() ? std::string("not checked") : std::string();
        for (const auto& c : checks) {
          eq += fmt::format("{}{} vs {}", eq.empty() ? "" : ", ", to_string(c.result.achieved), c.against);
        }
        err << fmt::format("  smoke {:<6} {} / {}: one call, eq {}\n", status, w.name, im.info->full_name(), eq);
      }
    }
  }
  return eq_failed ? exit_code::equivalence_failed : opt_missed ? exit_code::opt_path_not_hit : exit_code::ok;
}

}  // namespace

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
  const bool eq_failed = std::any_of(rep.cases.begin(), rep.cases.end(), [](const auto& c) { return c.eq_failed(); });
  const bool opt_missed = rep.spec.require_opt_path &&
                          std::any_of(rep.cases.begin(), rep.cases.end(),
                                      [](const auto& c) { return c.role != role::baseline && !c.opt_path_hit; });
  const bool gate_failed = o.gate && std::any_of(rep.verdicts.begin(), rep.verdicts.end(),
                                                 [](const auto& v) { return is_gate_failure(v.verdict); });
  outcome.code = eq_failed     ? exit_code::equivalence_failed
                 : opt_missed  ? exit_code::opt_path_not_hit
                 : gate_failed ? exit_code::gate_failed
                               : exit_code::ok;
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

std::size_t flush_size_bytes(const host_info& host) {
  // Twice the last-level cache, within sane bounds: VMs sometimes report absurd L3 sizes.
  constexpr std::size_t min_bytes = std::size_t{8} << 20;
  constexpr std::size_t max_bytes = std::size_t{256} << 20;
  const std::size_t llc = host.last_level_cache_bytes();
  return std::clamp(llc > 0 ? 2 * llc : std::size_t{64} << 20, min_bytes, max_bytes);
}

std::filesystem::path result_path(const std::filesystem::path& dir, std::string_view prefix, std::string_view spec_name,
                                  std::string_view impl_tag) {
  return dir / (prefix.empty() ? fmt::format("{}_{}.json", spec_name, impl_tag)
                               : fmt::format("{}_{}_{}.json", prefix, spec_name, impl_tag));
}

run_outcome run_spec(const run_options& o, const registry& reg, timing::clock& clock,
                     const std::vector<report_target>& reporters, std::ostream& err) {
  check_run_options(o);
  spec s = load_spec(o.spec_file);
  if (o.device) s.device = *o.device;
  const cuda_status cuda = probe_cuda();
  const plan pl = make_plan(s, reg, cuda, o.workloads);
  std::unique_ptr<device_context> dev;
  if (pl.device == device_kind::cuda) dev = make_cuda_context();

  run_outcome outcome;
  outcome.result_file = result_path(o.out_dir, o.prefix, s.name, o.impl_tag);
  const auto ref_file = reference_path(o.reference_dir.value_or(o.out_dir), o.prefix, s.name);

  // Reference and output problems are found before spending time measuring.
  std::optional<loaded_reference> reference;
  if (o.mode == run_mode::eqcheck) reference = load_reference(ref_file, s, reference_workloads(pl));
  // Only a regular file is replaced, so only a regular file needs --force (a FIFO is written through).
  if (o.mode == run_mode::reference && !o.force && check_output_target(ref_file, "reference") == output_node::regular) {
    throw reference_error(fmt::format("{}: already exists; pass --force to replace it", ref_file.string()));
  }
  if (!o.smoke) {
    check_output(outcome.result_file, "result");
    if (o.mode == run_mode::reference) check_output(ref_file, "reference");
    for (const auto& f : o.extra_outputs) check_output(f, "report");
  }

  const double timer_overhead_s = timing::estimate_timer_overhead_s(clock);
  const run_settings settings = decide_settings(s, pl, o, timer_overhead_s);
  s.timing.cache = settings.cache;  // the spec as run

  run_report& rep = outcome.report;
  fill_report_header(rep, s, o, settings, cuda);
  if (o.mode != run_mode::measure) rep.reference_file = ref_file.string();

  std::unique_ptr<timing::cache_flusher> flusher;
  if (!dev && settings.cache == cache_mode::cold && !o.smoke) {
    flusher = std::make_unique<timing::cache_flusher>(flush_size_bytes(rep.host));
  }
  const executor_context ctx{s, pl, settings, clock, flusher.get(), dev.get()};
  if (o.smoke) {
    outcome.code = run_smoke(ctx, reference ? &*reference : nullptr, o.quiet, err);
    return outcome;
  }

  std::vector<workload_outputs> to_record;
  std::vector<bool> equivalent;
  for (const auto& w : pl.workloads) {
    if (!o.quiet) {
      err << fmt::format("  running {} / {} ...\n", w.name,
                         pl.impls.size() == 2 ? fmt::format("{} vs {} (interleaved)", pl.impls[0].info->full_name(),
                                                            pl.impls[1].info->full_name())
                                              : pl.impls[0].info->full_name())
          << std::flush;
    }
    auto run = run_workload(ctx, w);
    // Each output against the reference when there is one; else the candidate against the baseline.
    for (std::size_t i = 0; i < run.cases.size(); ++i) {
      auto& c = run.cases[i];
      if (reference) {
        c.eq = eq_outcome{"reference",
                          compare_outputs(reference->outputs.at(w.name), run.outputs[i], settings.equivalence)};
      } else if (c.role == role::candidate) {
        c.eq = eq_outcome{"baseline", compare_outputs(run.outputs[0], run.outputs[i], settings.equivalence)};
      }
    }
    if (o.mode == run_mode::reference) to_record.push_back({w.name, std::move(run.outputs[0])});
    if (run.verdict) {
      const auto& base = run.cases[0];
      const auto& head = run.cases[1];
      // Timings whose work escaped the timed stream cannot back a verdict either.
      equivalent.push_back(!base.eq_failed() && !head.eq_failed() && !head.work_escaped_stream());
      if (head.eq) run.verdict->candidate_eq = head.eq->result.achieved;
      run.verdict->candidate_counters = head.counters;
      rep.verdicts.push_back(std::move(*run.verdict));
    }
    for (auto& c : run.cases) rep.cases.push_back(std::move(c));
  }
  judge(rep.verdicts, rep.policy, equivalent);

  // The reference first: a run killed in between must not leave a result naming a reference that
  // does not exist. A failed equivalence still leaves its numbers on disk.
  if (o.mode == run_mode::reference) {
    save_reference(ref_file, s, reference_workloads(pl), {pl.reference_impl().info->full_name(), rep.commit_hash},
                   to_record, o.force);
    outcome.reference_file = ref_file;
  }
  finish_run(outcome, o, reporters, err);
  return outcome;
}

}  // namespace isobench
