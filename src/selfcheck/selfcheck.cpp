#include "selfcheck/selfcheck.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compare/compare_runs.hpp"
#include "io/atomic_file.hpp"
#include "io/subprocess.hpp"
#include "isobench/error.hpp"
#include "isobench/random.hpp"
#include "report/result_reader.hpp"
#include "stats/summary.hpp"

namespace isobench::detail {

namespace {

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

[[gnu::noinline]] std::uint64_t chain(std::uint64_t x, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    asm volatile("" : "+r"(x));
  }
  return x;
}

// Iterations of the spin chain that take about kernel_ms here (same chain as spin.loop).
std::int64_t calibrate_iterations(double kernel_ms) {
  constexpr std::int64_t probe = 1 << 22;
  double best = 1e9;
  for (int i = 0; i < 5; ++i) {
    const double t0 = now_s();
    volatile std::uint64_t sink = chain(static_cast<std::uint64_t>(i), probe);
    (void)sink;
    best = std::min(best, now_s() - t0);
  }
  return std::max<std::int64_t>(1000, std::llround(kernel_ms * 1e-3 / best * probe));
}

std::string spec_text(const kernel_class& k, const std::string& implementations, const std::string& params,
                      double min_time_s, const selfcheck_options& o) {
  return fmt::format(R"({{
  "name": "selfcheck", "target": "{}", {}, "dtype": "{}",
  "workloads": [{{"name": "spin", {}}}],
  "timing": {{"warmup": 2, "min_iters": 10, "min_time_s": {}, "max_time_s": 5}},
  "equivalence": {{"level": "exact"}},
  "verdict": {{"alpha": {}, "noise_threshold": {}{}{}}}
}}
)",
                     k.candidate.substr(0, k.candidate.find('.')), implementations, k.dtype, params, min_time_s,
                     o.alpha, o.noise_threshold, o.verdict_fields.empty() ? "" : ", ", o.verdict_fields);
}

struct runner {
  const selfcheck_options& o;
  std::string exe = self_executable();

  // One `isobench run` in a fresh process; returns its wall time.
  double run(const std::filesystem::path& spec, const std::string& tag, const std::string& prefix) const {
    std::vector<std::string> argv = {exe,          "run", spec.string(), "--out", o.work_dir.string(),
                                     "--impl-tag", tag,   "--prefix",    prefix,  "-q"};
    if (!o.pin_cpu.empty()) {
      argv.emplace_back("--pin-cpu");
      argv.push_back(o.pin_cpu);
    }
    const double t0 = now_s();
    const int code = run_process(argv);
    if (code != 0) throw error(exit_code::internal_error, fmt::format("selfcheck: isobench run exited {}", code));
    return now_s() - t0;
  }
};

void record(scenario_result& s, double effect, double speedup, double p_adjusted, verdict v, double seconds,
            double alpha) {
  ++s.comparisons;
  const bool significant = p_adjusted < alpha;
  s.significant += significant;
  s.detected += significant && effect > 0.0 && speedup < 1.0;
  s.flagged += v == verdict::regressed || v == verdict::improved;
  s.verdict_s.push_back(seconds);
  s.speedups.push_back(speedup);
  s.p_adjusted.push_back(p_adjusted);
}

// The first verdict of a result file (`run` or `ab`), recorded; the file is removed.
void record_result_file(scenario_result& s, double effect, const std::filesystem::path& file, double seconds,
                        double alpha) {
  const auto j = nlohmann::json::parse(read_file(file, result_max_bytes, exit_code::internal_error, "result"));
  const auto& v = j.at("verdicts").at(0);
  // An ERROR verdict has no speedup (null): it counts as a verdict that found nothing.
  const auto number = [&](const char* key) { return v.at(key).is_number() ? v.at(key).get<double>() : NAN; };
  record(s, effect, number("speedup"), v.at("p_adjusted").is_number() ? number("p_adjusted") : 1.0,
         from_string<verdict>(v.at("verdict").get<std::string>()).value_or(verdict::error), seconds, alpha);
  if (const auto it = v.find("coordination_overhead_pct"); it != v.end() && it->is_number()) {
    s.overhead_pct.push_back(it->get<double>());
  }
  nlohmann::json kept = v;
  kept["verdict_s"] = seconds;
  s.verdicts.push_back(kept.dump());
  std::filesystem::remove(file);
}

std::string params_at(const kernel_class& k, double scale) {
  return fmt::format(R"({}, "scale": {})", k.params, scale);
}

scenario_result interleaved(const runner& r, const kernel_class& k, double effect) {
  const auto& o = r.o;
  const auto spec = o.work_dir / "interleaved.json";
  const auto impls =
      fmt::format(R"("implementations": {{"baseline": "{}", "candidate": "{}"}})", k.baseline, k.candidate);
  write_file_atomic(spec, spec_text(k, impls, params_at(k, 1.0 + effect), 0.05, o), overwrite::allow);
  scenario_result s;
  s.mode = "interleaved";
  s.effect = effect;
  for (int i = 0; i < o.comparisons; ++i) {
    const double seconds = r.run(spec, "x", "il");
    record_result_file(s, effect, o.work_dir / "il_selfcheck_x.json", seconds, o.alpha);
  }
  return s;
}

// `isobench ab` on two "builds": this executable as the base, and as the head a wrapper that runs this
// executable's worker on a spec whose workload does (1 + effect) x the work (identical source for
// effect 0). Each verdict is one `isobench ab` process with two fresh workers, as in CI.
scenario_result builds(const runner& r, const kernel_class& k, double effect) {
  const auto& o = r.o;
  const auto base_spec = o.work_dir / "builds_base.json";
  const auto head_spec = o.work_dir / "builds_head.json";
  const auto impl = fmt::format(R"("implementation": "{}")", k.candidate);
  write_file_atomic(base_spec, spec_text(k, impl, params_at(k, 1.0), 0.05, o), overwrite::allow);
  write_file_atomic(head_spec, spec_text(k, impl, params_at(k, 1.0 + effect), 0.05, o), overwrite::allow);
  // A/A: a byte-identical copy of this executable, as two builds of one commit would be. A slower
  // build: a script that execs this executable's worker on the head spec (ISOBENCH_WORKER_SPEC).
  const auto head_exe = o.work_dir / (effect == 0.0 ? "head_build" : "head_build.sh");
  if (effect == 0.0) {
    std::filesystem::copy_file(r.exe, head_exe, std::filesystem::copy_options::overwrite_existing);
  } else {
    // Its worker runs from a fresh copy of this executable, as ab runs each build's (so the two
    // sides' code sits in the page cache alike); the copies are removed after each verdict.
    write_file_atomic(head_exe,
                      fmt::format("#!/bin/sh\nw='{}'/worker-copy-$$\ncp '{}' \"$w\" || exit 1\n"
                                  "ISOBENCH_WORKER_SPEC='{}' exec \"$w\" worker\n",
                                  o.work_dir.string(), r.exe, head_spec.string()),
                      overwrite::allow);
  }
  std::filesystem::permissions(head_exe, std::filesystem::perms::owner_all);
  scenario_result s;
  s.mode = "builds";
  s.effect = effect;
  for (int i = 0; i < o.comparisons; ++i) {
    std::vector<std::string> argv = {r.exe,
                                     "ab",
                                     base_spec.string(),
                                     "--base",
                                     r.exe,
                                     "--head",
                                     head_exe.string(),
                                     "--out",
                                     o.work_dir.string(),
                                     "--impl-tag",
                                     "x",
                                     "--prefix",
                                     "ab",
                                     "-q"};
    if (!o.pin_cpu.empty()) {
      argv.emplace_back("--pin-cpu");
      argv.push_back(o.pin_cpu);
    }
    const double t0 = now_s();
    const int code = run_process(argv);
    const double seconds = now_s() - t0;
    for (const auto& e : std::filesystem::directory_iterator(o.work_dir)) {
      if (e.path().filename().string().rfind("worker-copy-", 0) == 0) std::filesystem::remove(e.path());
    }
    if (code != 0) throw error(exit_code::internal_error, fmt::format("selfcheck: isobench ab exited {}", code));
    record_result_file(s, effect, o.work_dir / "ab_selfcheck_x.json", seconds, o.alpha);
  }
  return s;
}

// One build, one implementation, `comparisons` separate processes one after another: how far apart
// their p50s land (the per-process spread that placement control is meant to remove).
scenario_result processes(const runner& r, const kernel_class& k) {
  const auto& o = r.o;
  const auto spec = o.work_dir / "processes.json";
  write_file_atomic(spec,
                    spec_text(k, fmt::format(R"("implementation": "{}")", k.candidate), params_at(k, 1.0), 0.2, o),
                    overwrite::allow);
  scenario_result s;
  s.mode = "processes";
  for (int i = 0; i < o.comparisons; ++i) {
    const double seconds = r.run(spec, "p", "proc");
    const auto file = o.work_dir / "proc_selfcheck_p.json";
    const auto j = nlohmann::json::parse(read_file(file, result_max_bytes, exit_code::internal_error, "result"));
    s.p50_ms.push_back(j.at("results").at(0).at("p50_ms").get<double>());
    s.verdict_s.push_back(seconds);
    ++s.comparisons;
    std::filesystem::remove(file);
  }
  return s;
}

scenario_result separate(const runner& r, const kernel_class& kc, double effect, gen::rng& order) {
  const auto& o = r.o;
  const auto base_spec = o.work_dir / "base.json";
  const auto head_spec = o.work_dir / "head.json";
  // Both sides run the scaled implementation, so the code is the same; only the head's amount of
  // work differs.
  const auto impl = fmt::format(R"("implementation": "{}")", kc.candidate);
  write_file_atomic(base_spec, spec_text(kc, impl, params_at(kc, 1.0), o.run_time_s, o), overwrite::allow);
  write_file_atomic(head_spec, spec_text(kc, impl, params_at(kc, 1.0 + effect), o.run_time_s, o), overwrite::allow);
  compare_options co;
  co.policy.alpha = o.alpha;
  co.policy.noise_threshold = o.noise_threshold;
  scenario_result s;
  s.mode = "separate";
  s.effect = effect;
  for (int i = 0; i < o.comparisons; ++i) {
    double seconds = 0.0;
    std::vector<loaded_result> base, head;
    for (int k = 0; k < o.runs_per_side; ++k) {
      // Alternate base and head, in a random order within each pair, so drift and any
      // "second run" effect fall on both sides alike.
      const bool base_first = (order.next() & 1u) != 0;
      const auto prefix = fmt::format("sep{}", k);
      for (int side = 0; side < 2; ++side) {
        const bool is_base = (side == 0) == base_first;
        seconds += r.run(is_base ? base_spec : head_spec, is_base ? "base" : "head", prefix);
      }
    }
    const double t0 = now_s();
    for (int k = 0; k < o.runs_per_side; ++k) {
      for (const char* tag : {"base", "head"}) {
        const auto file = o.work_dir / fmt::format("sep{}_selfcheck_{}.json", k, tag);
        (std::string(tag) == "base" ? base : head).push_back(load_result(file));
        std::filesystem::remove(file);
      }
    }
    const auto rep = compare_results(base, head, co);
    seconds += now_s() - t0;
    const auto& v = rep.verdicts.at(0);
    record(s, effect, v.estimate.speedup, v.p_adjusted, v.verdict, seconds, o.alpha);
  }
  return s;
}

}  // namespace

std::vector<kernel_class> kernel_classes(std::int64_t spin_iterations) {
  const auto mem = [](std::string name, const char* op, int rows, int dim, std::string what) {
    return kernel_class{std::move(name),
                        fmt::format("scaled.{}", op),
                        fmt::format("scaled.{}", op),
                        "fp32",
                        fmt::format(R"("rows": {}, "dim": {})", rows, dim),
                        std::move(what)};
  };
  return {
      {"spin", "spin.loop", "spin.scaled", "int64", fmt::format(R"("iterations": {})", spin_iterations),
       "dependent integer chain, no memory"},
      mem("rmsnorm_l1", "rmsnorm", 2, 1024, "rmsnorm 2 x 1024 fp32, 20 KiB (L1)"),
      mem("rmsnorm_l1x4", "rmsnorm", 4, 1024, "rmsnorm 4 x 1024 fp32, 36 KiB (L1/L2 edge)"),
      mem("silu_l1", "silu_and_mul", 2, 1024, "silu_and_mul 2 x 1024 fp32, 24 KiB (L1)"),
      mem("softmax_l2", "softmax", 16, 4096, "softmax 16 x 4096 fp32, 512 KiB (L2)"),
      mem("rmsnorm_l2", "rmsnorm", 16, 4096, "rmsnorm 16 x 4096 fp32, 528 KiB (L2)"),
      mem("rmsnorm_dram", "rmsnorm", 1024, 8192, "rmsnorm 1024 x 8192 fp32, 64 MiB (DRAM)"),
  };
}

int scenario_result::flagged_at(double threshold, double alpha) const {
  int n = 0;
  for (std::size_t i = 0; i < speedups.size(); ++i) {
    const bool beyond = std::fabs(std::log(speedups[i])) >= std::log1p(threshold);
    // With an injected slowdown only a REGRESSED verdict counts.
    n += p_adjusted[i] < alpha && beyond && (effect == 0.0 || speedups[i] < 1.0);
  }
  return n;
}

std::vector<scenario_result> run_selfcheck(const selfcheck_options& o, std::ostream& progress) {
  std::filesystem::create_directories(o.work_dir);
  const runner r{o};
  const auto iterations = calibrate_iterations(o.kernel_ms);
  progress << fmt::format("selfcheck: spin chain of {} iterations (~{:g} ms), {} comparisons per scenario\n",
                          iterations, o.kernel_ms, o.comparisons);
  gen::rng order(o.seed);
  std::vector<scenario_result> out;
  const auto all = kernel_classes(iterations);
  for (const auto& name : o.classes) {
    const auto it = std::find_if(all.begin(), all.end(), [&](const kernel_class& k) { return k.name == name; });
    if (it == all.end()) throw config_error(fmt::format("selfcheck: unknown kernel class '{}'", name));
    for (const auto& mode : o.modes) {
      for (double effect : o.effects) {
        const double t0 = now_s();
        if (mode == "processes" && effect != o.effects.front()) continue;  // no effect to inject
        out.push_back(mode == "interleaved" ? interleaved(r, *it, effect)
                      : mode == "builds"    ? builds(r, *it, effect)
                      : mode == "processes" ? processes(r, *it)
                                            : separate(r, *it, effect, order));
        auto& s = out.back();
        s.kernel_class = it->name;
        progress << fmt::format("  {} {} {:+.0f}%: {}/{} significant, {}/{} flagged, {:.0f} s\n", it->name, mode,
                                100 * effect, s.significant, s.comparisons, s.flagged, s.comparisons, now_s() - t0)
                 << std::flush;
      }
    }
  }
  return out;
}

void print_selfcheck(const std::vector<scenario_result>& results, const selfcheck_options& o, std::ostream& os) {
  os << fmt::format("isobench selfcheck: alpha {:g}, noise threshold {:g}%, spin ~{:g} ms{}{}\n", o.alpha,
                    100 * o.noise_threshold, o.kernel_ms,
                    fmt::format(", separate mode {} runs/side of {:g} s", o.runs_per_side, o.run_time_s),
                    o.pin_cpu.empty() ? ", unpinned" : fmt::format(", pinned to CPU {}", o.pin_cpu));
  os << fmt::format("  {:<13} {:<12} {:>6} {:>5} {:>18} {:>18} {:>18} {:>12} {:>8} {:>8}\n", "class", "mode", "effect",
                    "n", "test (p<alpha)", "verdict @1%", "verdict @2%", "median spdup", "mean s", "max s");
  auto cell = [](int hits, int n) { return fmt::format("{:>4}/{:<4} {:>6.1f}%", hits, n, 100.0 * hits / n); };
  for (const auto& s : results) {
    if (s.mode == "processes") {
      os << fmt::format(
          "  {:<13} {:<12} {:>6} {:>5} per-process p50: min {:.6g} ms, median {:.6g} ms, max {:.6g} ms, "
          "max/min {:.2f}%\n",
          s.kernel_class, s.mode, "-", s.comparisons, stats::min(s.p50_ms), stats::median(s.p50_ms),
          stats::max(s.p50_ms), 100.0 * (stats::max(s.p50_ms) / stats::min(s.p50_ms) - 1.0));
      continue;
    }
    const int hits = s.effect > 0.0 ? s.detected : s.significant;
    os << fmt::format("  {:<13} {:<12} {:>5.0f}% {:>5} {:>18} {:>18} {:>18} {:>12.4f} {:>8.2f} {:>8.2f}\n",
                      s.kernel_class, s.mode, 100 * s.effect, s.comparisons, cell(hits, s.comparisons),
                      cell(s.flagged_at(0.01, o.alpha), s.comparisons),
                      cell(s.flagged_at(0.02, o.alpha), s.comparisons), stats::median(s.speedups),
                      stats::mean(s.verdict_s), stats::max(s.verdict_s));
    if (!s.overhead_pct.empty()) {
      os << fmt::format("  {:<12} coordination overhead per round: median {:.3f}%, max {:.3f}%\n", "",
                        stats::median(s.overhead_pct), stats::max(s.overhead_pct));
    }
  }
  os << "  effect 0%: false positives, either direction (goal <= 1% at alpha 0.01). effect > 0: detections of the\n"
        "  slowdown (test: p < alpha and slower; verdict @t: also beyond a noise threshold t). s = seconds per "
        "verdict,\n"
        "  process starts included.\n";
}

namespace {
nlohmann::json verdicts_json(const scenario_result& s) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : s.verdicts) out.push_back(nlohmann::json::parse(v));
  return out;
}
}  // namespace

nlohmann::json selfcheck_to_json(const std::vector<scenario_result>& results, const selfcheck_options& o) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& s : results) {
    if (s.mode == "processes") {
      arr.push_back({{"class", s.kernel_class}, {"mode", s.mode}, {"processes", s.comparisons}, {"p50_ms", s.p50_ms}});
      continue;
    }
    arr.push_back({{"class", s.kernel_class},
                   {"mode", s.mode},
                   {"effect", s.effect},
                   {"comparisons", s.comparisons},
                   {"significant", s.significant},
                   {"detected", s.detected},
                   {"flagged", s.flagged},
                   {"flagged_at_1pct", s.flagged_at(0.01, o.alpha)},
                   {"flagged_at_2pct", s.flagged_at(0.02, o.alpha)},
                   {"mean_verdict_s", stats::mean(s.verdict_s)},
                   {"max_verdict_s", stats::max(s.verdict_s)},
                   {"median_speedup", stats::median(s.speedups)},
                   {"median_coordination_overhead_pct",
                    s.overhead_pct.empty() ? nlohmann::json(nullptr) : nlohmann::json(stats::median(s.overhead_pct))},
                   {"verdicts", verdicts_json(s)}});
  }
  return {{"alpha", o.alpha},
          {"noise_threshold", o.noise_threshold},
          {"kernel_ms", o.kernel_ms},
          {"runs_per_side", o.runs_per_side},
          {"run_time_s", o.run_time_s},
          {"pin_cpu", o.pin_cpu},
          {"scenarios", arr}};
}

}  // namespace isobench::detail
