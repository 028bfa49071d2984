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
#include "runner/run.hpp"
#include "runner/settings.hpp"
#include "timing/interleave.hpp"

namespace isobench {

namespace {

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

nlohmann::json reply(nlohmann::json fields) {
  fields["isobench_worker"] = worker_protocol_version;
  fields["ok"] = true;
  return fields;
}

nlohmann::json setup(worker_state& w, const nlohmann::json& msg, const registry& reg) {
  if (w.side) throw config_error("worker: one 'setup' per worker");
  run_options o;
  o.spec_file = msg.at("spec").get<std::string>();
  // `selfcheck --mode builds` makes a "slower build" of this executable: a script that execs its
  // worker with this variable naming a spec whose workload does more work. No process stays
  // between the driver and the worker (a filter there would run on the measuring CPU).
  if (const char* over = std::getenv("ISOBENCH_WORKER_SPEC"); over != nullptr && *over != '\0') o.spec_file = over;
  o.workloads = {msg.at("workload").get<std::string>()};
  w.s = load_spec(o.spec_file);
  if (msg.contains("device")) {
    const auto d = from_string<device_request>(msg["device"].get<std::string>());
    if (!d) throw config_error("worker: unknown device");
    w.s->device = *d;
  }
  if (msg.contains("cache")) o.cache = from_string<cache_mode>(msg["cache"].get<std::string>());
  // This build runs one implementation of the spec: the one the driver names.
  const auto impl = msg.at("implementation").get<std::string>();
  w.s->implementations = {implementation_ref{role::single, impl}};
  w.pl = make_plan(*w.s, reg, probe_cuda(), o.workloads);
  if (w.pl->device == device_kind::cuda) w.dev = make_cuda_context();
  w.settings = decide_settings(*w.s, *w.pl, o, timing::estimate_timer_overhead_s(w.clock));
  if (!w.dev && w.settings->cache == cache_mode::cold) {
    w.flusher = std::make_unique<timing::cache_flusher>(flush_size_bytes(collect_host_info()));
  }
  w.ctx.emplace(executor_context{*w.s, *w.pl, *w.settings, w.clock, w.flusher.get(), w.dev.get()});
  // The driver's launch chooses the memory layout (runner/launches.hpp); 0 is the canonical one.
  const auto layout = msg.value("layout_seed", std::uint64_t{0});
  detail::set_layout_seed(layout);
  w.kernel = prepare_kernel(*w.ctx, 0, w.pl->workloads.at(0));
  detail::set_layout_seed(0);
  w.side = std::make_unique<timing::local_side>(w.kernel.body, w.kernel.policy, w.clock, w.kernel.before_sample, w.m);
  const auto& info = *w.pl->impls.at(0).info;
  const auto& bound = w.pl->workloads.at(0).per_impl.at(0);
  const double sample_s = w.side->prepare(w.clock.now_s() + w.settings->measure.base.max_time_s);
  return reply({{"sample_s", sample_s},
                {"batch", w.m.batch},
                {"warmup_calls", w.m.warmup_calls},
                {"calibration_calls", w.m.calibration_calls},
                {"implementation", info.full_name()},
                {"compiled_isa", info.isa},
                {"flops", info.flops ? nlohmann::json(info.flops(bound)) : nlohmann::json(nullptr)},
                {"bytes", info.bytes ? nlohmann::json(info.bytes(bound)) : nlohmann::json(nullptr)}});
}

nlohmann::json handle(worker_state& w, const nlohmann::json& msg, const registry& reg, bool& quit) {
  const auto op = msg.at("op").get<std::string>();
  if (op == "hello") {
    auto identity = to_json(collect_host_info());
    identity["executable"] = self_executable();
    return reply({{"identity", identity}});
  }
  if (op == "setup") return setup(w, msg, reg);
  if (op == "quit") {
    quit = true;
    return reply({});
  }
  if (!w.side) throw config_error(fmt::format("worker: '{}' before 'setup'", op));
  if (op == "round") {
    const auto samples = msg.at("samples").get<int>();
    if (samples < 1 || samples > 1'000'000) throw config_error("worker: samples out of range");
    if (msg.contains("batch")) {
      const auto batch = msg["batch"].get<std::int64_t>();
      if (batch < 1 || batch > (std::int64_t{1} << 40)) throw config_error("worker: batch out of range");
      w.side->use_batch(batch);
    }
    const double t0 = w.clock.now_s();
    auto got = w.side->round(samples);
    return reply({{"samples_s", std::move(got)}, {"round_s", w.clock.now_s() - t0}});
  }
  if (op == "outputs") {
    const auto& k = *w.kernel.k;
    write_safetensors(msg.at("file").get<std::string>(), k.outputs(), {}, overwrite::allow);
    nlohmann::json counters = nlohmann::json::object();
    for (const auto& c : k.counters()) counters[c.name] = c.value;
    return reply({{"opt_path_hit", k.opt_path_hit()}, {"isa", k.isa()}, {"counters", counters}});
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
      const auto version = msg.value("isobench_worker", -1);
      if (version != worker_protocol_version) {
        throw error(exit_code::invalid_config,
                    fmt::format("protocol mismatch: this worker (isobench {}) speaks version {}, the driver {}",
                                collect_host_info().isobench_version, worker_protocol_version, version));
      }
      answer = handle(w, msg, reg, quit);
    } catch (const error& e) {
      code = static_cast<int>(e.code());
      answer = {{"isobench_worker", worker_protocol_version}, {"ok", false}, {"code", code}, {"message", e.what()}};
    } catch (const std::exception& e) {
      code = static_cast<int>(exit_code::internal_error);
      answer = {{"isobench_worker", worker_protocol_version}, {"ok", false}, {"code", code}, {"message", e.what()}};
    }
    // Whatever an error message holds, the answer is one line of valid JSON.
    out << answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
    if (code != 0) return code;
  }
  return 0;
}

}  // namespace isobench
