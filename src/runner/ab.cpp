#include "runner/ab.hpp"

#include <unistd.h>

#include <cmath>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "equivalence/safetensors.hpp"
#include "io/scratch.hpp"
#include "runner/executor.hpp"
#include "runner/executable_copy.hpp"
#include "runner/launches.hpp"
#include "runner/worker_client.hpp"

namespace isobench::detail {

namespace {

namespace wp = worker_protocol;
namespace fs = std::filesystem;

std::string field(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

build_identity identify(const std::string& role, const fs::path& exe, double slack_s) {
  nlohmann::json id;
  try {
    worker_client w(role, exe, slack_s);
    id = w.hello();
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

// --base and --head must be executable files.
void check_executables(const two_build_options& o) {
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
}

// Both builds, identified before anything is measured: other machines or build types are refused.
std::vector<build_identity> identify_builds(const two_build_options& o, double slack_s) {
  std::vector<build_identity> builds = {identify("base", o.base_executable, slack_s),
                                        identify("head", o.head_executable, slack_s)};
  const auto& b = builds[0];
  const auto& h = builds[1];
  std::vector<std::string> diffs;
  if (b.cpu_model != h.cpu_model) diffs.push_back(fmt::format("cpu_model: {} vs {}", b.cpu_model, h.cpu_model));
  if (b.build_type != h.build_type) diffs.push_back(fmt::format("build_type: {} vs {}", b.build_type, h.build_type));
  if (!diffs.empty() && !o.allow_env_mismatch) {
    throw config_error(
        fmt::format("refusing to judge builds from different environments ({}); pass "
                    "--allow-env-mismatch to judge them anyway",
                    fmt::join(diffs, "; ")));
  }
  return builds;
}

// What every workload of one `ab` run shares.
struct ab_context {
  const two_build_options& o;
  std::string impl;       // the implementation both builds run
  std::string spec_path;  // absolute: the workers may run elsewhere
  timing::clock& clock;
  fs::path scratch;  // the outputs files
  double slack_s;    // seconds a worker may take beyond its expected time
};

// Both builds of one workload over several launches: each launch starts a fresh worker pair with
// its own layout seed and environment padding (so the stack, too, lands elsewhere); outputs come
// from the first launch.
struct build_pair {
  launch_series series;
  timing::measurement base_m, head_m;
  std::vector<double> base_rounds, head_rounds;
  wp::setup_answer base_setup, head_setup;
  wp::outputs_answer base_out, head_out;
  std::vector<named_tensor> base_tensors, head_tensors;
  double overhead = 0.0;
};

// Launch 0's outputs of both builds, written by them under `scratch` and read back.
void collect_outputs(build_pair& r, worker_client& base, worker_client& head, const fs::path& scratch) {
  const auto base_file = scratch.string() + "_base.safetensors";
  const auto head_file = scratch.string() + "_head.safetensors";
  r.base_out = base.outputs(base_file);
  r.head_out = head.outputs(head_file);
  for (const auto& [role, file] : {std::pair{"base", base_file}, std::pair{"head", head_file}}) {
    if (!fs::is_regular_file(file)) {
      throw error(exit_code::internal_error,
                  fmt::format("{} build answered 'outputs' but wrote no outputs file ({})", role, file));
    }
  }
  r.base_tensors = read_safetensors(base_file).tensors;
  r.head_tensors = read_safetensors(head_file).tensors;
  r.base_setup = base.setup_answer();
  r.head_setup = head.setup_answer();
}

build_pair judge_builds(const ab_context& ab, const wp::setup_request& setup, const run_settings& settings,
                        std::uint64_t seed, const fs::path& scratch) {
  build_pair r;
  const timing::stop_check never = [](const auto&, const auto&) -> std::optional<std::string> { return std::nullopt; };
  const bool copy_base = !finds_files_by_its_own_path(ab.o.base_executable);
  const bool copy_head = !finds_files_by_its_own_path(ab.o.head_executable);
  const launch_fn launch = [&](int k, std::uint64_t layout_seed, const timing::ab_policy& p) {
    wp::setup_request msg = setup;
    msg.layout_seed = layout_seed;
    const std::vector<std::string> env = {"ISOBENCH_LAYOUT_PADDING=" + std::string(layout_seed % 4096, 'x')};
    const auto dir = scratch.parent_path();
    const auto stem = scratch.filename().string();
    const executable_copy base_exe(ab.o.base_executable, dir, fmt::format("{}_base-{}", stem, k), copy_base);
    const executable_copy head_exe(ab.o.head_executable, dir, fmt::format("{}_head-{}", stem, k), copy_head);
    // Every other launch starts, sets up and times the head first: whichever worker comes first
    // may start in another state (a small kernel here ran 13% slower in the second-started worker
    // more often than in the first), and alternating turns that order into launch-to-launch
    // spread, which the test sees, instead of a bias between the builds.
    const bool head_first = k % 2 == 1;
    std::optional<worker_client> first, second;
    first.emplace(head_first ? "head" : "base", (head_first ? head_exe : base_exe).path(),
                  head_first ? ab.o.head_executable : ab.o.base_executable, ab.slack_s, env);
    second.emplace(head_first ? "base" : "head", (head_first ? base_exe : head_exe).path(),
                   head_first ? ab.o.base_executable : ab.o.head_executable, ab.slack_s, env);
    first->setup(msg, p.base.max_time_s);
    second->setup(msg, p.base.max_time_s);
    worker_client& base = head_first ? *second : *first;
    worker_client& head = head_first ? *first : *second;
    auto rounds = timing::run_rounds(*first, *second, p, ab.clock, never);
    if (head_first) {
      std::swap(rounds.a_round_medians_s, rounds.b_round_medians_s);
      std::swap(rounds.a_samples_s, rounds.b_samples_s);
    }
    if (k == 0) collect_outputs(r, base, head, scratch);
    base.measurement().wall_s = head.measurement().wall_s = rounds.wall_s;
    absorb_launch(r.base_m, base.measurement());
    absorb_launch(r.head_m, head.measurement());
    r.base_rounds.insert(r.base_rounds.end(), rounds.a_round_medians_s.begin(), rounds.a_round_medians_s.end());
    r.head_rounds.insert(r.head_rounds.end(), rounds.b_round_medians_s.begin(), rounds.b_round_medians_s.end());
    r.overhead = std::max({r.overhead, base.overhead_fraction(), head.overhead_fraction()});
    return rounds;
  };
  r.series = run_launches(launch, settings, ab.clock, seed);
  r.base_m.stop_reason = r.head_m.stop_reason = r.series.stop_reason;
  return r;
}

// One build's case: what the workers said (setup and outputs answers) and what the driver measured.
case_result side_case(const spec& s, const planned_workload& w, const std::string& impl, role r, timing::measurement m,
                      const wp::setup_answer& setup, const wp::outputs_answer& out, std::vector<double> round_medians) {
  m.measured_calls = static_cast<std::int64_t>(m.samples_s.size()) * m.batch;
  kernel_facts facts{out.opt_path_hit, out.isa.empty() ? setup.compiled_isa : out.isa, out.counters};
  auto c = make_case(w, impl, r, s.device == device_request::cuda ? device_kind::cuda : device_kind::cpu, s.type,
                     std::move(m), facts, setup.flops, setup.bytes);
  c.round_medians_s = std::move(round_medians);
  return c;
}

// One workload on both builds, into the session: two cases and their verdict, or an ERROR verdict
// with the reason when either build fails.
void judge_workload(run_session& ss, const ab_context& ab, const planned_workload& w, std::ostream& err) {
  const auto& s = ss.the_spec();
  const auto& impl = ab.impl;
  const auto& settings = ss.settings();
  verdict_result v;
  v.spec_name = s.name;
  v.workload = w.name;
  v.baseline = impl + "@base";
  v.candidate = impl + "@head";
  try {
    const wp::setup_request setup{ab.spec_path, w.name, impl, s.device, settings.cache, 0};
    auto pair = judge_builds(ab, setup, settings, w.seed, ab.scratch / std::to_string(w.index));
    std::vector<case_result> cases;
    cases.push_back(side_case(s, w, impl + "@base", role::baseline, std::move(pair.base_m), pair.base_setup,
                              pair.base_out, std::move(pair.base_rounds)));
    cases.push_back(side_case(s, w, impl + "@head", role::candidate, std::move(pair.head_m), pair.head_setup,
                              pair.head_out, std::move(pair.head_rounds)));
    ss.check_equivalence(w.name, cases, {std::move(pair.base_tensors), std::move(pair.head_tensors)});
    v.estimate = std::move(pair.series.estimate);
    v.stop_reason = pair.series.stop_reason;
    v.base_p50_ms = cases[0].summary_ms.p50;
    v.head_p50_ms = cases[1].summary_ms.p50;
    v.samples_per_side = cases[0].summary_ms.count;
    v.coordination_overhead = pair.overhead;
    ss.add_verdict(std::move(v), std::move(cases[0]), std::move(cases[1]));
  } catch (const std::exception& e) {
    // Either build failing is this workload's ERROR, with the reason; the others still run.
    v.estimate.speedup = NAN;
    v.estimate.method = e.what();
    if (!ab.o.run.quiet) err << fmt::format("  ERROR {}: {}\n", w.name, e.what());
    ss.add_error(std::move(v));
  }
}

}  // namespace

std::string chosen_implementation(const spec& s, const std::string& asked) {
  if (!asked.empty()) return asked;
  for (const auto& ref : s.implementations) {
    if (ref.role != role::baseline) return ref.name;
  }
  return s.implementations.front().name;
}

plan driver_plan(const spec& s, const std::vector<std::string>& only) {
  plan pl;
  pl.device = s.device == device_request::cuda ? device_kind::cuda : device_kind::cpu;
  for (const auto* w : select_workloads(s, only)) {
    pl.workloads.push_back({w->name, w->index, workload_seed(s, *w), w->values, {}});
  }
  return pl;
}

run_outcome run_two_builds(const two_build_options& o, const std::vector<report_target>& reporters, std::ostream& err) {
  const auto& ro = o.run;
  run_session ss(ro);
  if (ro.mode == run_mode::reference) {
    throw config_error("isobench ab judges two builds; record the reference with `run --reference` on the base build");
  }
  const double slack_s = o.worker_timeout_s > 0.0 ? o.worker_timeout_s : 60.0;
  check_executables(o);
  std::string impl;
  ss.open([&](const spec& s) {
    impl = chosen_implementation(s, o.implementation);
    return driver_plan(s, ro.workloads);
  });
  const auto spec_path = fs::absolute(ro.spec_file).string();
  ss.report().builds = identify_builds(o, slack_s);
  timing::steady_clock clock;
  ss.settle(clock, probe_cuda());

  // Under $TMPDIR; a killed run's is removed next time.
  const ab_context ab{o, impl, spec_path, clock, make_scratch_dir("isobench-ab"), slack_s};
  for (const auto& w : ss.the_plan().workloads) {
    if (!ro.quiet) {
      err << fmt::format("  running {} / {}: base vs head build (interleaved workers) ...\n", w.name, impl)
          << std::flush;
    }
    judge_workload(ss, ab, w, err);
  }
  std::error_code ec;
  fs::remove_all(ab.scratch, ec);
  return ss.close(reporters, err);
}

}  // namespace isobench::detail
