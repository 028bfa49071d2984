#include "runner/worker.hpp"

#include <cstdlib>
#include <istream>
#include <memory>
#include <ostream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/placement.hpp"
#include "device/device.hpp"
#include "env/host_info.hpp"
#include "equivalence/safetensors.hpp"
#include "io/json_document.hpp"
#include "io/subprocess.hpp"
#include "runner/executor.hpp"
#include "runner/session.hpp"
#include "runner/settings.hpp"
#include "runner/worker_protocol.hpp"
#include "timing/interleave.hpp"

namespace isobench::detail {

namespace {

namespace wp = worker_protocol;

// Everything one worker holds between messages.
struct worker_state {
  std::optional<spec> s;
  std::optional<plan> pl;
  std::optional<run_settings> settings;
  std::unique_ptr<device_context> dev;
  std::unique_ptr<timing::cache_flusher> flusher;
  timing::steady_clock clock;
  std::optional<executor_context> ctx;
  prepared_kernel kernel;
  timing::measurement m;
  std::unique_ptr<timing::local_side> side;
};

nlohmann::json setup(worker_state& w, const nlohmann::json& msg, const registry& reg) {
  if (w.side) throw config_error("worker: one 'setup' per worker");
  const auto request = wp::read_setup(msg);
  run_options o;
  o.spec_file = request.spec;
  // `selfcheck --mode builds` makes a "slower build" of this executable: a script that execs its
  // worker with this variable naming a spec whose workload does more work. No process stays
  // between the driver and the worker (a filter there would run on the measuring CPU).
  if (const char* over = std::getenv("ISOBENCH_WORKER_SPEC"); over != nullptr && *over != '\0') o.spec_file = over;
  o.workloads = {request.workload};
  w.s = load_spec(o.spec_file);
  if (request.device) w.s->device = *request.device;
  o.cache = request.cache;
  // This build runs one implementation of the spec: the one the driver names.
  w.s->implementations = {implementation_ref{role::single, request.implementation}};
  w.pl = make_plan(*w.s, reg, probe_cuda(), o.workloads);
  if (w.pl->device == device_kind::cuda) w.dev = make_cuda_context();
  w.settings = decide_settings(*w.s, *w.pl, o, timing::estimate_timer_overhead_s(w.clock));
  if (!w.dev && w.settings->cache == cache_mode::cold) {
    w.flusher = std::make_unique<timing::cache_flusher>(flush_size_bytes(collect_host_info()));
  }
  w.ctx.emplace(executor_context{*w.s, *w.pl, *w.settings, w.clock, w.flusher.get(), w.dev.get()});
  // The driver's launch chooses the memory layout (runner/launches.hpp); 0 is the canonical one.
  detail::set_layout_seed(request.layout_seed);
  w.kernel = prepare_kernel(*w.ctx, 0, w.pl->workloads.at(0));
  detail::set_layout_seed(0);
  w.side = std::make_unique<timing::local_side>(w.kernel.body, w.kernel.policy, w.clock, w.kernel.before_sample, w.m);
  const auto& info = *w.pl->impls.at(0).info;
  const auto& bound = w.pl->workloads.at(0).per_impl.at(0);
  wp::setup_answer a;
  a.sample_s = w.side->prepare(w.clock.now_s() + w.settings->measure.base.max_time_s);
  a.batch = w.m.batch;
  a.warmup_calls = w.m.warmup_calls;
  a.calibration_calls = w.m.calibration_calls;
  a.implementation = info.full_name();
  a.compiled_isa = info.isa;
  if (info.flops) a.flops = info.flops(bound);
  if (info.bytes) a.bytes = info.bytes(bound);
  return wp::setup_answer_message(a);
}

nlohmann::json handle(worker_state& w, const nlohmann::json& msg, const registry& reg, bool& quit) {
  const auto op = wp::op_of(msg);
  if (op == "hello") {
    auto identity = to_json(collect_host_info());
    identity["executable"] = self_executable();
    return wp::hello_answer(identity);
  }
  if (op == "setup") return setup(w, msg, reg);
  if (op == "quit") {
    quit = true;
    return wp::quit_answer();
  }
  if (!w.side) throw config_error(fmt::format("worker: '{}' before 'setup'", op));
  if (op == "round") {
    const auto request = wp::read_round(msg);
    if (request.batch) w.side->use_batch(*request.batch);
    const double t0 = w.clock.now_s();
    auto got = w.side->round(request.samples);
    return wp::round_answer_message({std::move(got), w.clock.now_s() - t0});
  }
  if (op == "outputs") {
    const auto& k = *w.kernel.k;
    write_safetensors(wp::read_outputs(msg), k.outputs(), {}, overwrite::allow);
    return wp::outputs_answer_message({k.opt_path_hit(), k.isa(), k.counters()});
  }
  throw config_error(fmt::format("worker: unknown op '{}'", op));
}

}  // namespace

int run_worker(std::istream& in, std::ostream& out, const registry& reg) {
  worker_state w;
  std::string line;
  bool quit = false;
  while (!quit && std::getline(in, line)) {
    nlohmann::json answer;
    int code = 0;
    try {
      const auto msg = parse_json_document(line, "driver message", exit_code::internal_error);
      const auto version = wp::version_of(msg);
      if (version != wp::version) {
        throw error(exit_code::invalid_config,
                    fmt::format("protocol mismatch: this worker (isobench {}) speaks version {}, the driver {}",
                                collect_host_info().isobench_version, wp::version, version));
      }
      answer = handle(w, msg, reg, quit);
    } catch (const error& e) {
      code = static_cast<int>(e.code());
      answer = wp::failure_answer(code, e.what());
    } catch (const std::exception& e) {
      code = static_cast<int>(exit_code::internal_error);
      answer = wp::failure_answer(code, e.what());
    }
    // Whatever an error message holds, the answer is one line of valid JSON.
    out << answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
    if (code != 0) return code;
  }
  return 0;
}

}  // namespace isobench::detail
