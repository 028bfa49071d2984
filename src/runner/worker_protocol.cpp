#include "runner/worker_protocol.hpp"

#include <cmath>

#include <fmt/format.h>

namespace isobench::detail::worker_protocol {

namespace {

nlohmann::json request(const char* op, nlohmann::json fields = nlohmann::json::object()) {
  fields["isobench_worker"] = version;
  fields["op"] = op;
  return fields;
}

nlohmann::json ok(nlohmann::json fields = nlohmann::json::object()) {
  fields["isobench_worker"] = version;
  fields["ok"] = true;
  return fields;
}

std::string string_field(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<double> number_field(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? std::optional<double>(it->get<double>()) : std::nullopt;
}

nlohmann::json or_null(const std::optional<double>& x) {
  return x ? nlohmann::json(*x) : nlohmann::json(nullptr);
}

}  // namespace

int version_of(const nlohmann::json& message) {
  return message.value("isobench_worker", -1);
}

nlohmann::json hello_message() {
  return request("hello");
}

nlohmann::json setup_message(const setup_request& r) {
  nlohmann::json m = {
      {"spec", r.spec}, {"workload", r.workload}, {"implementation", r.implementation}, {"layout_seed", r.layout_seed}};
  if (r.device) m["device"] = std::string(to_string(*r.device));
  if (r.cache) m["cache"] = std::string(to_string(*r.cache));
  return request("setup", std::move(m));
}

nlohmann::json round_message(const round_request& r) {
  nlohmann::json m = {{"samples", r.samples}};
  if (r.batch) m["batch"] = *r.batch;
  return request("round", std::move(m));
}

nlohmann::json outputs_message(const std::string& file) {
  return request("outputs", {{"file", file}});
}

nlohmann::json quit_message() {
  return request("quit");
}

std::string op_of(const nlohmann::json& message) {
  return message.at("op").get<std::string>();
}

setup_request read_setup(const nlohmann::json& message) {
  setup_request r;
  r.spec = message.at("spec").get<std::string>();
  r.workload = message.at("workload").get<std::string>();
  if (message.contains("device")) {
    r.device = from_string<device_request>(message["device"].get<std::string>());
    if (!r.device) throw config_error("worker: unknown device");
  }
  if (message.contains("cache")) r.cache = from_string<cache_mode>(message["cache"].get<std::string>());
  r.implementation = message.at("implementation").get<std::string>();
  r.layout_seed = message.value("layout_seed", std::uint64_t{0});
  return r;
}

round_request read_round(const nlohmann::json& message) {
  round_request r;
  r.samples = message.at("samples").get<int>();
  if (r.samples < 1 || r.samples > 1'000'000) throw config_error("worker: samples out of range");
  if (message.contains("batch")) {
    r.batch = message["batch"].get<std::int64_t>();
    if (*r.batch < 1 || *r.batch > (std::int64_t{1} << 40)) throw config_error("worker: batch out of range");
  }
  return r;
}

std::string read_outputs(const nlohmann::json& message) {
  return message.at("file").get<std::string>();
}

nlohmann::json hello_answer(const nlohmann::json& identity) {
  return ok({{"identity", identity}});
}

nlohmann::json setup_answer_message(const setup_answer& a) {
  return ok({{"sample_s", a.sample_s},
             {"batch", a.batch},
             {"warmup_calls", a.warmup_calls},
             {"calibration_calls", a.calibration_calls},
             {"implementation", a.implementation},
             {"compiled_isa", a.compiled_isa},
             {"flops", or_null(a.flops)},
             {"bytes", or_null(a.bytes)}});
}

nlohmann::json round_answer_message(const round_answer& a) {
  return ok({{"samples_s", a.samples_s}, {"round_s", a.round_s}});
}

nlohmann::json outputs_answer_message(const outputs_answer& a) {
  nlohmann::json counters = nlohmann::json::object();
  for (const auto& c : a.counters) counters[c.name] = c.value;
  return ok({{"opt_path_hit", a.opt_path_hit}, {"isa", a.isa}, {"counters", counters}});
}

nlohmann::json quit_answer() {
  return ok();
}

nlohmann::json failure_answer(int code, const std::string& message) {
  return {{"isobench_worker", version}, {"ok", false}, {"code", code}, {"message", message}};
}

std::optional<failure> failure_of(const nlohmann::json& answer) {
  if (answer.value("ok", false)) return std::nullopt;
  return failure{static_cast<exit_code>(answer.value("code", static_cast<int>(exit_code::internal_error))),
                 answer.value("message", std::string("failed"))};
}

nlohmann::json read_hello(const nlohmann::json& answer) {
  return answer.at("identity");
}

setup_answer read_setup_answer(const nlohmann::json& answer) {
  setup_answer a;
  try {
    a.batch = answer.at("batch").get<std::int64_t>();
    a.warmup_calls = answer.at("warmup_calls").get<int>();
    a.calibration_calls = answer.at("calibration_calls").get<std::int64_t>();
    a.sample_s = answer.at("sample_s").get<double>();
  } catch (const nlohmann::json::exception&) {
    throw violation("answered 'setup' without the fields the protocol requires");
  }
  if (a.batch < 1 || !(a.sample_s > 0.0)) throw violation("answered 'setup' with an impossible batch or sample time");
  a.implementation = string_field(answer, "implementation");
  a.compiled_isa = string_field(answer, "compiled_isa");
  a.flops = number_field(answer, "flops");
  a.bytes = number_field(answer, "bytes");
  return a;
}

round_answer read_round_answer(const nlohmann::json& answer, int samples) {
  round_answer a;
  a.round_s = answer.value("round_s", NAN);  // NaN: not said (the driver's own time stands in)
  try {
    a.samples_s = answer.at("samples_s").get<std::vector<double>>();
  } catch (const nlohmann::json::exception&) {
    throw violation("answered 'round' without its samples");
  }
  if (a.samples_s.size() != static_cast<std::size_t>(samples)) {
    throw violation("answered a round with the wrong number of samples");
  }
  for (double x : a.samples_s) {
    if (!(x > 0.0) || !std::isfinite(x)) throw violation("answered a round with a sample that is not a positive time");
  }
  return a;
}

outputs_answer read_outputs_answer(const nlohmann::json& answer) {
  outputs_answer a;
  a.opt_path_hit = answer.value("opt_path_hit", true);
  a.isa = string_field(answer, "isa");
  const auto counters = answer.value("counters", nlohmann::json::object());  // a copy: items() refers to it
  for (const auto& [name, v] : counters.items()) {
    if (v.is_number()) a.counters.push_back({name, v.get<double>()});
  }
  return a;
}

}  // namespace isobench::detail::worker_protocol
