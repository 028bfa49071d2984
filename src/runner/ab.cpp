#include "runner/ab.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "equivalence/reference_store.hpp"
#include "equivalence/safetensors.hpp"
#include "io/atomic_file.hpp"
#include "io/line_process.hpp"
#include "io/scratch.hpp"
#include "report/json_reporter.hpp"
#include "runner/executor.hpp"
#include "runner/executable_copy.hpp"
#include "runner/launches.hpp"
#include "runner/settings.hpp"
#include "runner/worker.hpp"
#include "runner/worker_answer.hpp"
#include "stats/summary.hpp"

namespace isobench {

namespace {

// One build, driven through its worker process; every failure becomes an isobench::error that
// names the build and says what happened (its exit status and the end of its stderr).
class worker_side final : public timing::round_side {
public:
  // `run` is what is started (a launch's copy of the build), `exe` the build named in messages.
  worker_side(std::string role, const std::filesystem::path& run, const std::filesystem::path& exe, double slack_s,
              const std::vector<std::string>& extra_env = {})
      : m_role(std::move(role)), m_exe(exe.string()), m_proc({run.string(), "worker"}, extra_env), m_slack_s(slack_s) {}
  worker_side(std::string role, const std::filesystem::path& exe, double slack_s)
      : worker_side(std::move(role), exe, exe, slack_s) {}
  ~worker_side() override {
    if (m_proc.status() == "running" && m_proc.send(R"({"isobench_worker": 1, "op": "quit"})")) {
      try {
        (void)m_proc.receive(5.0);
      } catch (const error&) {
      }
    }
  }

  nlohmann::json call(nlohmann::json msg, double timeout_s) {
    const auto op = msg.at("op").get<std::string>();
    msg["isobench_worker"] = worker_protocol_version;
    if (!m_proc.send(msg.dump())) fail(fmt::format("stopped reading before '{}'", op));
    std::optional<std::string> line;
    try {
      line = m_proc.receive(timeout_s);
    } catch (const io_error& e) {
      m_proc.kill();
      fail(fmt::format("{} (during '{}'); killed", e.what(), op));
    }
    if (!line) {
      m_proc.kill(2.0, "it closed its output but had not exited 2 s later");
      fail(fmt::format("ended during '{}': {}", op, m_proc.status()));
    }
    try {
      return read_worker_answer(*line, op, fmt::format("{} build ({})", m_role, m_exe));
    } catch (const worker_protocol_error& e) {
      fail(e.what());
    }
  }

  void setup(nlohmann::json msg, double max_time_s) {
    m_setup = std::move(msg);
    m_setup_timeout_s = max_time_s + m_slack_s;
  }

  double prepare(double /*deadline_s*/) override {
    const auto r = call(m_setup, m_setup_timeout_s);
    try {
      m_setup_reply = read_setup_answer(r);
    } catch (const worker_protocol_error& e) {
      fail(e.what());
    }
    m_m.batch = m_setup_reply.batch;
    m_m.warmup_calls = m_setup_reply.warmup_calls;
    m_m.calibration_calls = m_setup_reply.calibration_calls;
    m_sample_s = m_setup_reply.sample_s;
    return m_sample_s;
  }

  std::vector<double> round(int samples) override {
    // Generous: ten times the expected round (one re-warming batch + the samples), plus slack.
    const double expected_s = (samples + 1) * std::max(m_sample_s, 1e-6);
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = call({{"op", "round"}, {"samples", samples}, {"batch", m_m.batch}}, 10.0 * expected_s + m_slack_s);
    // What the round cost the driver beyond the worker's own round: messages and scheduling.
    const double seen_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    m_round_s += seen_s;
    worker_round_answer got;
    try {
      got = read_round_answer(r, samples);
    } catch (const worker_protocol_error& e) {
      fail(e.what());
    }
    m_overhead_s += std::max(0.0, seen_s - got.round_s.value_or(seen_s));
    for (double x : got.samples_s) {
      m_m.timed_s += x * static_cast<double>(m_m.batch);
      m_m.samples_s.push_back(x);
    }
    m_m.calibration_calls += m_m.batch;  // the worker's untimed re-warming batch
    return got.samples_s;
  }

  [[nodiscard]] std::int64_t batch() const override { return m_m.batch; }
  void use_batch(std::int64_t batch) override { m_m.batch = batch; }
  timing::measurement& measurement() { return m_m; }
  // Coordination overhead: the share of the driver's round time not spent in the worker's round.
  [[nodiscard]] double overhead_fraction() const { return m_round_s > 0.0 ? m_overhead_s / m_round_s : 0.0; }
  [[nodiscard]] const worker_setup_answer& setup_reply() const { return m_setup_reply; }

private:
  [[noreturn]] void fail(const std::string& what) {
    const auto tail = m_proc.stderr_tail();
    throw error(exit_code::internal_error,
                fmt::format("{} build ({}) {}{}", m_role, m_exe, what,
                            tail.empty() ? std::string() : fmt::format("; stderr: {}", tail)));
  }

  std::string m_role, m_exe;
  line_process m_proc;
  double m_slack_s;
  nlohmann::json m_setup;
  worker_setup_answer m_setup_reply;
  double m_setup_timeout_s = 60.0;
  double m_sample_s = 0.0;
  double m_round_s = 0.0, m_overhead_s = 0.0;
  timing::measurement m_m;
};

std::string field(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

build_identity identify(const std::string& role, const std::filesystem::path& exe, double slack_s) {
  nlohmann::json id;
  try {
    worker_side w(role, exe, slack_s);
    id = w.call({{"op", "hello"}}, slack_s).at("identity");
  } catch (const std::exception& e) {
    // Before anything is measured, a build that cannot serve is a usage problem, not a verdict.
    throw config_error(fmt::format("cannot use {} as the {} build: {}", exe.string(), role, e.what()));
  }
  return {role,
          exe.string(),
          field(id, "isobench_version"),
          field(id, "git_revision"),
          field(id, "user_project"),
          field(id, "user_revision"),
          field(id, "cpu_model"),
          field(id, "build_type"),
          field(id, "kernel_cxx_flags")};
}

// The implementation both builds run: the one asked for, the spec's only one, or its candidate.
std::string chosen_implementation(const spec& s, const std::string& asked) {
  if (!asked.empty()) return asked;
  for (const auto& ref : s.implementations) {
    if (ref.role != role::baseline) return ref.name;
  }
  return s.implementations.front().name;
}

// The driver knows the spec, not the builds' kernels: its plan has the workloads (names,
// parameters, seeds) and a device; each worker binds the parameters to its own registration.
plan driver_plan(const spec& s, const std::vector<std::string>& only) {
  plan pl;
  pl.device = s.device == device_request::cuda ? device_kind::cuda : device_kind::cpu;
  for (const auto& name : only) {
    if (std::none_of(s.workloads.begin(), s.workloads.end(), [&](const auto& w) { return w.name == name; })) {
      throw config_error(fmt::format("{}: no workload named '{}'", s.source, name));
    }
  }
  for (const auto& w : s.workloads) {
    if (!only.empty() && std::find(only.begin(), only.end(), w.name) == only.end()) continue;
    pl.workloads.push_back({w.name, w.index, workload_seed(s, w), w.values, {}});
  }
  return pl;
}

case_result make_side_case(const spec& s, const planned_workload& w, const std::string& impl, role r,
                           timing::measurement m, const worker_setup_answer& setup, const worker_outputs_answer& outputs,
                           const std::vector<double>& round_medians) {
  case_result c;
  c.workload = w.name;
  c.workload_params = w.values;
  c.seed = w.seed;
  c.implementation = impl;
  c.role = r;
  c.device = s.device == device_request::cuda ? device_kind::cuda : device_kind::cpu;
  c.type = s.type;
  c.measurement = std::move(m);
  c.measurement.measured_calls = static_cast<std::int64_t>(c.measurement.samples_s.size()) * c.measurement.batch;
  c.opt_path_hit = outputs.opt_path_hit;
  c.isa = outputs.isa.empty() ? setup.compiled_isa : outputs.isa;
  c.counters = outputs.counters;
  c.round_medians_s = round_medians;
  std::vector<double> ms;
  for (double x : c.measurement.samples_s) ms.push_back(x * 1e3);
  c.summary_ms = stats::summarize(ms);
  const double p50_s = c.summary_ms.p50 * 1e-3;
  c.flops = setup.flops;
  c.bytes = setup.bytes;
  if (c.flops && p50_s > 0.0) c.gflops = *c.flops / p50_s * 1e-9;
  if (c.bytes && p50_s > 0.0) c.gbps = *c.bytes / p50_s * 1e-9;
  return c;
}

// Both builds of one workload over several launches: each launch starts a fresh worker pair with
// its own layout seed and environment padding (so the stack, too, lands elsewhere); outputs come
// from the first launch.
struct build_pair {
  launch_series series;
  timing::measurement base_m, head_m;
  std::vector<double> base_rounds, head_rounds;
  worker_setup_answer base_setup, head_setup;
  worker_outputs_answer base_out, head_out;
  std::vector<named_tensor> base_tensors, head_tensors;
  double overhead = 0.0;
};

build_pair judge_builds(const two_build_options& o, const nlohmann::json& setup, const run_settings& settings,
                        timing::clock& clock, std::uint64_t seed, const std::filesystem::path& scratch,
                        double slack_s) {
  build_pair r;
  const timing::stop_check never = [](const auto&, const auto&) -> std::optional<std::string> { return std::nullopt; };
  const bool copy_base = !finds_files_by_its_own_path(o.base_executable);
  const bool copy_head = !finds_files_by_its_own_path(o.head_executable);
  const launch_fn launch = [&](int k, std::uint64_t layout_seed, const timing::ab_policy& p) {
    nlohmann::json msg = setup;
    msg["layout_seed"] = layout_seed;
    const std::vector<std::string> env = {"ISOBENCH_LAYOUT_PADDING=" + std::string(layout_seed % 4096, 'x')};
    const auto dir = scratch.parent_path();
    const auto stem = scratch.filename().string();
    const executable_copy base_exe(o.base_executable, dir, fmt::format("{}_base-{}", stem, k), copy_base);
    const executable_copy head_exe(o.head_executable, dir, fmt::format("{}_head-{}", stem, k), copy_head);
    worker_side base("base", base_exe.path(), o.base_executable, slack_s, env);
    worker_side head("head", head_exe.path(), o.head_executable, slack_s, env);
    base.setup(msg, p.base.max_time_s);
    head.setup(msg, p.base.max_time_s);
    auto rounds = timing::run_rounds(base, head, p, clock, never);
    if (k == 0) {
      const auto base_file = scratch.string() + "_base.safetensors";
      const auto head_file = scratch.string() + "_head.safetensors";
      r.base_out = read_outputs_answer(base.call({{"op", "outputs"}, {"file", base_file}}, slack_s));
      r.head_out = read_outputs_answer(head.call({{"op", "outputs"}, {"file", head_file}}, slack_s));
      for (const auto& [role, file] : {std::pair{"base", base_file}, std::pair{"head", head_file}}) {
        if (!std::filesystem::is_regular_file(file)) {
          throw error(exit_code::internal_error,
                      fmt::format("{} build answered 'outputs' but wrote no outputs file ({})", role, file));
        }
      }
      r.base_tensors = read_safetensors(base_file).tensors;
      r.head_tensors = read_safetensors(head_file).tensors;
      r.base_setup = base.setup_reply();
      r.head_setup = head.setup_reply();
    }
    base.measurement().wall_s = head.measurement().wall_s = rounds.wall_s;
    absorb_launch(r.base_m, base.measurement());
    absorb_launch(r.head_m, head.measurement());
    r.base_rounds.insert(r.base_rounds.end(), rounds.a_round_medians_s.begin(), rounds.a_round_medians_s.end());
    r.head_rounds.insert(r.head_rounds.end(), rounds.b_round_medians_s.begin(), rounds.b_round_medians_s.end());
    r.overhead = std::max({r.overhead, base.overhead_fraction(), head.overhead_fraction()});
    return rounds;
  };
  r.series = run_launches(launch, settings, clock, seed);
  r.base_m.stop_reason = r.head_m.stop_reason = r.series.stop_reason;
  return r;
}

}  // namespace

run_outcome run_two_builds(const two_build_options& o, const std::vector<report_target>& reporters, std::ostream& err) {
  const auto& ro = o.run;
  check_run_options(ro);
  if (ro.mode == run_mode::reference) {
    throw config_error("isobench ab judges two builds; record the reference with `run --reference` on the base build");
  }
  const double slack_s = o.worker_timeout_s > 0.0 ? o.worker_timeout_s : 60.0;
  namespace fs = std::filesystem;
  for (const auto* exe : {&o.base_executable, &o.head_executable}) {
    const char* option = exe == &o.base_executable ? "--base" : "--head";
    if (exe->empty()) throw config_error(fmt::format("{}: empty; expected the path of a build's isobench", option));
    std::error_code ec;
    const auto st = fs::status(*exe, ec);
    if (!fs::exists(st)) throw config_error(fmt::format("{} {}: no such file", option, exe->string()));
    if (!fs::is_regular_file(st) || ::access(exe->c_str(), X_OK) != 0) {
      throw config_error(fmt::format("{} {}: not an executable file{}", option, exe->string(),
                                     fs::is_directory(st) ? " (a directory)" : ""));
    }
  }
  spec s = load_spec(ro.spec_file);
  if (ro.device) s.device = *ro.device;
  const auto impl = chosen_implementation(s, o.implementation);
  const plan pl = driver_plan(s, ro.workloads);
  const auto spec_path = fs::absolute(ro.spec_file).string();

  run_outcome outcome;
  outcome.result_file = result_path(ro.out_dir, ro.prefix, s.name, ro.impl_tag);
  const auto ref_file = reference_path(ro.reference_dir.value_or(ro.out_dir), ro.prefix, s.name);
  std::optional<loaded_reference> reference;
  if (ro.mode == run_mode::eqcheck) reference = load_reference(ref_file, s, reference_workloads(pl));
  check_output(outcome.result_file, "result");
  for (const auto& f : ro.extra_outputs) check_output(f, "report");

  // Both builds, identified before anything is measured: other machines or build types are refused.
  run_report& rep = outcome.report;
  rep.builds = {identify("base", o.base_executable, slack_s), identify("head", o.head_executable, slack_s)};
  const auto& b = rep.builds[0];
  const auto& h = rep.builds[1];
  std::vector<std::string> diffs;
  if (b.cpu_model != h.cpu_model) diffs.push_back(fmt::format("cpu_model: {} vs {}", b.cpu_model, h.cpu_model));
  if (b.build_type != h.build_type) diffs.push_back(fmt::format("build_type: {} vs {}", b.build_type, h.build_type));
  if (!diffs.empty() && !o.allow_env_mismatch) {
    throw config_error(
        fmt::format("refusing to judge builds from different environments ({}); pass "
                    "--allow-env-mismatch to judge them anyway",
                    fmt::join(diffs, "; ")));
  }

  timing::steady_clock clock;
  const double timer_overhead_s = timing::estimate_timer_overhead_s(clock);
  const run_settings settings = decide_settings(s, pl, ro, timer_overhead_s);
  s.timing.cache = settings.cache;  // the spec as run
  fill_report_header(rep, s, ro, settings, probe_cuda());
  if (reference) rep.reference_file = ref_file.string();

  const fs::path scratch = make_scratch_dir("isobench-ab");  // under $TMPDIR; a killed run's is removed next time
  std::vector<bool> equivalent;
  for (const auto& w : pl.workloads) {
    if (!ro.quiet) {
      err << fmt::format("  running {} / {}: base vs head build (interleaved workers) ...\n", w.name, impl)
          << std::flush;
    }
    verdict_result v;
    v.spec_name = s.name;
    v.workload = w.name;
    v.baseline = impl + "@base";
    v.candidate = impl + "@head";
    bool ok = false;
    try {
      const nlohmann::json setup = {{"op", "setup"},
                                    {"spec", spec_path},
                                    {"workload", w.name},
                                    {"implementation", impl},
                                    {"cache", std::string(to_string(settings.cache))},
                                    {"device", std::string(to_string(s.device))}};
      auto pair = judge_builds(o, setup, settings, clock, w.seed, scratch / std::to_string(w.index), slack_s);
      auto bc = make_side_case(s, w, impl + "@base", role::baseline, std::move(pair.base_m), pair.base_setup,
                               pair.base_out, pair.base_rounds);
      auto hc = make_side_case(s, w, impl + "@head", role::candidate, std::move(pair.head_m), pair.head_setup,
                               pair.head_out, pair.head_rounds);
      const auto& req = settings.equivalence;
      if (reference) {
        bc.eq = eq_outcome{"reference", compare_outputs(reference->outputs.at(w.name), pair.base_tensors, req)};
        hc.eq = eq_outcome{"reference", compare_outputs(reference->outputs.at(w.name), pair.head_tensors, req)};
      } else {
        hc.eq = eq_outcome{"baseline", compare_outputs(pair.base_tensors, pair.head_tensors, req)};
      }
      v.estimate = std::move(pair.series.estimate);
      v.stop_reason = pair.series.stop_reason;
      v.base_p50_ms = bc.summary_ms.p50;
      v.head_p50_ms = hc.summary_ms.p50;
      v.samples_per_side = bc.summary_ms.count;
      if (hc.eq) v.candidate_eq = hc.eq->result.achieved;
      v.candidate_counters = hc.counters;
      v.coordination_overhead = pair.overhead;
      ok = !bc.eq_failed() && !hc.eq_failed();
      rep.cases.push_back(std::move(bc));
      rep.cases.push_back(std::move(hc));
    } catch (const std::exception& e) {
      // Either build failing is this workload's ERROR, with the reason; the others still run.
      v.estimate.speedup = NAN;
      v.estimate.method = e.what();
      if (!ro.quiet) err << fmt::format("  ERROR {}: {}\n", w.name, e.what());
    }
    equivalent.push_back(ok);
    rep.verdicts.push_back(std::move(v));
  }
  std::error_code ec;
  fs::remove_all(scratch, ec);
  judge(rep.verdicts, rep.policy, equivalent);

  finish_run(outcome, ro, reporters, err);
  return outcome;
}

}  // namespace isobench
