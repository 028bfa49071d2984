#include "runner/run_spec.hpp"

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
#include "report/reporter.hpp"
#include "timing/cache_flush.hpp"
#include "timing/interleave.hpp"
#include "timing/measure.hpp"

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

void check_options(const run_options& o) {
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

// An output must be writable where it is going, or the run fails before it measures anything:
// its directory is created now, and must be writable; the name must fit the file system.
void check_output(const std::filesystem::path& file, std::string_view what) {
  namespace fs = std::filesystem;
  const auto name = file.filename().string();
  if (name.empty()) throw config_error(fmt::format("{}: not a file name ({})", file.string(), what));
  if (name.size() > 255 || file.string().size() > 4095) {
    throw config_error(fmt::format("{}: {} file name too long ({} bytes; at most 255 per name)", shown(file.string()),
                                   what, name.size()));
  }
  const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    throw io_error(fmt::format("{}: cannot create the directory for the {} file: {}", dir.string(), what,
                               ec ? ec.message() : std::string("not a directory")));
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    throw io_error(fmt::format("{}: directory for the {} file is not writable", dir.string(), what));
  }
  if (fs::is_directory(file, ec)) {
    throw io_error(fmt::format("{}: is a directory; cannot write the {} file there", file.string(), what));
  }
}

std::string utc_now() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

timing::policy make_policy(const timing_policy& t, double timer_overhead_s) {
  timing::policy p;
  p.warmup = t.warmup;
  p.min_iters = t.min_iters;
  p.max_iters = t.max_iters;
  p.min_time_s = t.min_time_s;
  p.max_time_s = t.max_time_s;
  p.cold = t.cache == cache_mode::cold;
  p.timer_overhead_s = timer_overhead_s;
  return p;
}

struct case_context {
  const spec& s;
  device_kind device;
  const timing::policy& policy;
  timing::clock& clock;
  timing::cache_flusher* flusher;
  device_context* dev;  // CUDA runs; nullptr on the CPU
};

// Kernel failures during setup or run become the documented exit codes.
template <class Fn>
auto with_kernel_errors(const case_context& ctx, const planned_impl& im, const planned_workload& w, Fn&& fn) {
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    throw error(exit_code::out_of_memory, fmt::format("{}: out of memory setting up or running {} on workload '{}'",
                                                      ctx.s.source, im.info->full_name(), w.name));
  } catch (const config_error& e) {
    // A kernel rejecting its parameters (e.g. a shape constraint) is a spec problem.
    throw config_error(fmt::format("{}: /workloads/{}: {}: {}", ctx.s.source, w.index, im.info->full_name(), e.what()));
  } catch (const error& e) {
    if (e.code() != exit_code::out_of_memory) throw;
    throw error(exit_code::out_of_memory, fmt::format("{}: /workloads/{}: {} on workload '{}': {}", ctx.s.source,
                                                      w.index, im.info->full_name(), w.name, e.what()));
  }
}

std::unique_ptr<kernel> make_kernel(const case_context& ctx, const planned_impl& im, const planned_workload& w,
                                    const params& bound) {
  // Sizes whose byte counts pass 2^62 cannot be computed in 64-bit arithmetic by any kernel: refuse
  // them before setup multiplies them (the formula is evaluated in doubles, so it cannot wrap).
  if (im.info->bytes) {
    const double bytes = im.info->bytes(bound);
    if (!(bytes < 0x1p62)) {
      throw error(exit_code::out_of_memory,
                  fmt::format("{}: /workloads/{}: {} on workload '{}' would need about {:.3g} bytes: beyond 64-bit "
                              "sizes (and any machine's memory)",
                              ctx.s.source, w.index, im.info->full_name(), w.name, bytes));
    }
  }
  return with_kernel_errors(ctx, im, w, [&] {
    std::unique_ptr<kernel> k = im.info->factory();
    k->setup(setup_context{bound, ctx.s.type, w.seed, ctx.device, ctx.dev != nullptr ? ctx.dev->stream() : nullptr});
    if (ctx.dev != nullptr) ctx.dev->synchronize();
    return k;
  });
}

std::function<void(std::int64_t)> body_of(kernel& k) {
  return [raw = &k](std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) raw->run();
  };
}

std::function<void()> flush_of(const case_context& ctx) {
  if (ctx.dev != nullptr && ctx.s.timing.cache == cache_mode::cold) return [d = ctx.dev] { d->flush_cache(); };
  if (ctx.flusher == nullptr) return {};
  return [f = ctx.flusher] { f->flush(); };
}

// The case's identity, its measurement summarised in ms, and its throughput.
case_result make_case(const case_context& ctx, const planned_impl& im, const planned_workload& w, const params& bound,
                      timing::measurement m, const kernel& k) {
  case_result c;
  c.workload = w.name;
  c.workload_params = w.values;
  c.seed = w.seed;
  c.implementation = im.info->full_name();
  c.role = im.role;
  c.device = ctx.device;
  c.type = ctx.s.type;
  c.measurement = std::move(m);
  c.opt_path_hit = k.opt_path_hit();
  c.isa = k.isa();
  if (c.isa.empty()) c.isa = ctx.device == device_kind::cuda ? "cuda" : im.info->isa;
  c.counters = k.counters();
  if (ctx.dev != nullptr) {
    c.peak_device_memory_bytes = ctx.dev->peak_memory_bytes();
    c.cross_check = ctx.dev->take_cross_check();
  }
  std::vector<double> ms;
  ms.reserve(c.measurement.samples_s.size());
  for (double x : c.measurement.samples_s) ms.push_back(x * 1e3);
  c.summary_ms = stats::summarize(ms);
  const double p50_s = c.summary_ms.p50 * 1e-3;
  if (im.info->flops) {
    c.flops = im.info->flops(bound);
    if (p50_s > 0.0) c.gflops = *c.flops / p50_s * 1e-9;
  }
  if (im.info->bytes) {
    c.bytes = im.info->bytes(bound);
    if (p50_s > 0.0) c.gbps = *c.bytes / p50_s * 1e-9;
  }
  return c;
}

case_result run_single(const case_context& ctx, const planned_impl& im, const planned_workload& w, const params& bound,
                       std::vector<named_tensor>& outputs) {
  if (ctx.dev != nullptr) ctx.dev->reset_memory_watermark();
  auto k = make_kernel(ctx, im, w, bound);
  auto m = with_kernel_errors(ctx, im, w,
                              [&] { return timing::measure(body_of(*k), ctx.policy, ctx.clock, flush_of(ctx)); });
  outputs = k->outputs();
  return make_case(ctx, im, w, bound, std::move(m), *k);
}

// Baseline and candidate interleaved in rounds until the speedup's CI is narrow enough (or the
// claim is decided, or a bound is hit). Returns the two cases and the estimate on round medians.
struct pair_result {
  case_result base, head;
  std::vector<named_tensor> base_outputs, head_outputs;
  verdict_result verdict;
};

pair_result run_pair(const case_context& ctx, const plan& pl, const planned_workload& w) {
  const auto& ia = pl.impls[0];
  const auto& ib = pl.impls[1];
  if (ctx.dev != nullptr) ctx.dev->reset_memory_watermark();  // both kernels together
  auto ka = make_kernel(ctx, ia, w, w.per_impl[0]);
  auto kb = make_kernel(ctx, ib, w, w.per_impl[1]);
  const auto& v = ctx.s.verdict;
  timing::ab_policy ab;
  ab.base = ctx.policy;
  ab.min_rounds = v.min_rounds;
  ab.max_rounds = v.max_rounds;
  ab.round_target_s = v.round_time_s;
  const auto claim = ctx.s.claim;
  auto stop = [&](const std::vector<double>& a, const std::vector<double>& b) -> std::optional<std::string> {
    const auto e = estimate_paired(a, b, 0.95, 2000);
    if ((e.ci.high - e.ci.low) / 2.0 <= v.ci_half_width * e.speedup) return "ci_target_reached";
    if (claim) {
      // Decided once the claim is shown at alpha / workloads (Bonferroni: then Holm shows it too),
      // or once the CI lies below the bar.
      const double bar = claim->speedup * claim->tolerance;
      const double a_k = v.alpha / static_cast<double>(pl.workloads.size());
      const bool faster = e.p_value < a_k && e.speedup > 1.0;
      const bool shown = claim_p_value(e, bar) < a_k && (claim->speedup <= 1.0 || faster);
      if (shown || e.ci.high < bar) return "claim_decided";
    }
    return std::nullopt;
  };
  auto m = with_kernel_errors(ctx, ia, w, [&] {
    return timing::measure_interleaved(body_of(*ka), body_of(*kb), ab, ctx.clock, stop, flush_of(ctx));
  });

  pair_result r;
  r.base_outputs = ka->outputs();
  r.head_outputs = kb->outputs();
  r.base = make_case(ctx, ia, w, w.per_impl[0], std::move(m.a), *ka);
  r.head = make_case(ctx, ib, w, w.per_impl[1], std::move(m.b), *kb);
  r.head.cross_check = r.base.cross_check;  // one timer served both sides
  r.base.round_medians_s = m.a_round_medians_s;
  r.head.round_medians_s = m.b_round_medians_s;
  auto& vr = r.verdict;
  vr.spec_name = ctx.s.name;
  vr.workload = w.name;
  vr.baseline = ia.info->full_name();
  vr.candidate = ib.info->full_name();
  vr.estimate = estimate_paired(m.a_round_medians_s, m.b_round_medians_s, 0.95);
  vr.stop_reason = m.stop_reason;
  vr.base_p50_ms = r.base.summary_ms.p50;
  vr.head_p50_ms = r.head.summary_ms.p50;
  vr.samples_per_side = r.base.summary_ms.count;
  return r;
}

std::string equivalence_failure_line(const std::string& workload, const std::string& impl, const eq_outcome& eq) {
  return fmt::format("  EQUIVALENCE FAILED {} {} vs {}: {}\n", workload, impl, eq.against, eq.result.summary());
}

// --smoke: each case set up and called once; outputs checked against the baseline and, with
// --eqcheck, the reference. Nothing is timed, judged or written.
exit_code run_smoke(const case_context& ctx, const plan& pl, const loaded_reference* reference, const eq_request& req,
                    bool quiet, std::ostream& err) {
  bool eq_failed = false;
  bool opt_missed = false;
  for (const auto& w : pl.workloads) {
    std::vector<named_tensor> baseline_outputs;
    for (std::size_t i = 0; i < pl.impls.size(); ++i) {
      const auto& im = pl.impls[i];
      auto k = make_kernel(ctx, im, w, w.per_impl[i]);
      with_kernel_errors(ctx, im, w, [&] {
        k->run();
        if (ctx.dev != nullptr) ctx.dev->synchronize();
      });
      const auto outputs = k->outputs();
      std::vector<eq_outcome> checks;
      // As in a timed run: against the reference when there is one, else the candidate against the baseline.
      if (reference != nullptr) {
        checks.push_back({"reference", compare_outputs(reference->outputs.at(w.name), outputs, req)});
      } else if (im.role == role::candidate) {
        checks.push_back({"baseline", compare_outputs(baseline_outputs, outputs, req)});
      }
      if (im.role == role::baseline) baseline_outputs = outputs;
      if (im.role != role::baseline && ctx.s.require_opt_path && !k->opt_path_hit()) opt_missed = true;
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

run_outcome run_spec(const run_options& o, const registry& reg, timing::clock& clock, std::ostream& out,
                     std::ostream& err) {
  check_options(o);
  spec s = load_spec(o.spec_file);
  if (o.device) s.device = *o.device;
  if (o.cache) s.timing.cache = *o.cache;
  const cuda_status cuda = probe_cuda();
  const plan pl = make_plan(s, reg, cuda, o.workloads);
  if (!s.timing.cache_given && pl.device == device_kind::cuda) s.timing.cache = cache_mode::cold;
  std::unique_ptr<device_context> dev;
  if (pl.device == device_kind::cuda) dev = make_cuda_context();

  run_outcome outcome;
  outcome.result_file = result_path(o.out_dir, o.prefix, s.name, o.impl_tag);
  const auto ref_file = reference_path(o.reference_dir.value_or(o.out_dir), o.prefix, s.name);

  // Reference and output problems are found before spending time measuring.
  std::optional<loaded_reference> reference;
  if (o.mode == run_mode::eqcheck) reference = load_reference(ref_file, s, reference_workloads(pl));
  if (o.mode == run_mode::reference && !o.force && std::filesystem::exists(ref_file)) {
    throw reference_error(fmt::format("{}: already exists; pass --force to replace it", ref_file.string()));
  }
  if (!o.smoke) {
    check_output(outcome.result_file, "result");
    if (o.mode == run_mode::reference) check_output(ref_file, "reference");
    for (const auto& f : o.extra_outputs) check_output(f, "report");
  }

  run_report& rep = outcome.report;
  rep.spec_name = s.name;
  rep.spec_file = o.spec_file.string();
  rep.target = s.target;
  rep.mode = o.mode;
  rep.impl_tag = o.impl_tag;
  rep.commit_hash = o.commit_hash.value_or(s.commit.hash);
  rep.timestamp = utc_now();
  rep.host = collect_host_info();
  rep.device = cuda;
  if (o.mode != run_mode::measure) rep.reference_file = ref_file.string();
  rep.spec = s;

  const double timer_overhead_s = timing::estimate_timer_overhead_s(clock);
  rep.host.timer_overhead_ns = timer_overhead_s * 1e9;
  timing::policy policy = make_policy(s.timing, timer_overhead_s);
  if (dev) policy.timer = &dev->timer();
  std::unique_ptr<timing::cache_flusher> flusher;
  if (!dev && s.timing.cache == cache_mode::cold && !o.smoke) {
    flusher = std::make_unique<timing::cache_flusher>(flush_size_bytes(rep.host));
  }
  const case_context ctx{s, pl.device, policy, clock, flusher.get(), dev.get()};
  const eq_request eq_req{s.equivalence.level, s.type, s.equivalence.rtol, s.equivalence.atol};
  if (o.smoke) {
    outcome.code = run_smoke(ctx, pl, reference ? &*reference : nullptr, eq_req, o.quiet, err);
    return outcome;
  }

  std::vector<workload_outputs> to_record;
  std::vector<bool> equivalent;
  auto check = [&](const planned_workload& w, case_result& c, const std::vector<named_tensor>& outputs,
                   const std::vector<named_tensor>* baseline) {
    if (reference) {
      c.eq = eq_outcome{"reference", compare_outputs(reference->outputs.at(w.name), outputs, eq_req)};
    } else if (baseline != nullptr) {
      c.eq = eq_outcome{"baseline", compare_outputs(*baseline, outputs, eq_req)};
    }
  };
  for (const auto& w : pl.workloads) {
    if (!o.quiet) {
      err << fmt::format("  running {} / {} ...\n", w.name,
                         pl.impls.size() == 2 ? fmt::format("{} vs {} (interleaved)", pl.impls[0].info->full_name(),
                                                            pl.impls[1].info->full_name())
                                              : pl.impls[0].info->full_name())
          << std::flush;
    }
    if (pl.impls.size() == 2) {
      auto r = run_pair(ctx, pl, w);
      check(w, r.base, r.base_outputs, nullptr);
      check(w, r.head, r.head_outputs, &r.base_outputs);
      if (o.mode == run_mode::reference) to_record.push_back({w.name, std::move(r.base_outputs)});
      // Timings whose work escaped the timed stream cannot back a verdict either.
      equivalent.push_back(!r.base.eq_failed() && !r.head.eq_failed() && !r.head.work_escaped_stream());
      if (r.head.eq) r.verdict.candidate_eq = r.head.eq->result.achieved;
      r.verdict.candidate_counters = r.head.counters;
      rep.verdicts.push_back(std::move(r.verdict));
      rep.cases.push_back(std::move(r.base));
      rep.cases.push_back(std::move(r.head));
    } else {
      std::vector<named_tensor> outputs;
      case_result c = run_single(ctx, pl.impls[0], w, w.per_impl[0], outputs);
      check(w, c, outputs, nullptr);
      if (o.mode == run_mode::reference) to_record.push_back({w.name, std::move(outputs)});
      rep.cases.push_back(std::move(c));
    }
  }
  rep.policy.alpha = s.verdict.alpha;
  rep.policy.noise_threshold = s.verdict.noise_threshold;
  rep.policy.claim = s.claim;
  judge(rep.verdicts, rep.policy, equivalent);

  // The reference first: a run killed in between must not leave a result naming a reference that
  // does not exist. A failed equivalence still leaves its numbers on disk.
  if (o.mode == run_mode::reference) {
    save_reference(ref_file, s, reference_workloads(pl), {pl.reference_impl().info->full_name(), rep.commit_hash},
                   to_record, o.force);
    outcome.reference_file = ref_file;
  }
  std::ostringstream doc;
  make_reporter("json")->report(rep, doc);
  write_file_atomic(outcome.result_file, doc.str(), overwrite::allow);

  if (!o.quiet) {
    make_reporter("console")->report(rep, err);
    err << fmt::format("  results: {}\n", outcome.result_file.string());
    if (outcome.reference_file) err << fmt::format("  reference: {}\n", outcome.reference_file->string());
  } else {
    // Quiet drops the table, never the reason for a failing exit code.
    for (const auto& c : rep.cases) {
      if (c.eq_failed()) err << equivalence_failure_line(c.workload, c.implementation, *c.eq);
    }
  }
  if (o.stdout_json) make_reporter("summary")->report(rep, out);

  const bool eq_failed = std::any_of(rep.cases.begin(), rep.cases.end(), [](const auto& c) { return c.eq_failed(); });
  const bool opt_missed = s.require_opt_path && std::any_of(rep.cases.begin(), rep.cases.end(), [](const auto& c) {
                            return c.role != role::baseline && !c.opt_path_hit;
                          });
  const bool gate_failed = o.gate && std::any_of(rep.verdicts.begin(), rep.verdicts.end(),
                                                 [](const auto& v) { return is_gate_failure(v.verdict); });
  outcome.code = eq_failed     ? exit_code::equivalence_failed
                 : opt_missed  ? exit_code::opt_path_not_hit
                 : gate_failed ? exit_code::gate_failed
                               : exit_code::ok;
  return outcome;
}

}  // namespace isobench
