#include "runner/worker_protocol.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "io/json_document.hpp"

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

// An integer field within [min_value, max_value], or nullopt (absent, another type, out of range).
// nlohmann's get<int>() on a float or a too-large integer would convert out of range.
std::optional<std::int64_t> integer_field(const nlohmann::json& j, const char* key, std::int64_t min_value,
                                          std::int64_t max_value) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(max_value)) {
    return std::nullopt;
  }
  const auto x = it->get<std::int64_t>();
  if (x < min_value || x > max_value) return std::nullopt;
  return x;
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
  auto m = ok({{"samples_s", a.samples_s}});
  if (a.round_s) m["round_s"] = *a.round_s;
  return m;
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
  const auto ok = answer.find("ok");
  if (ok != answer.end() && ok->is_boolean() && ok->get<bool>()) return std::nullopt;
  // Only the codes a worker exits with; anything else is the driver's internal error.
  const auto code = integer_field(answer, "code", static_cast<int>(exit_code::target_not_resolved),
                                  static_cast<int>(exit_code::internal_error));
  const auto message = string_field(answer, "message");
  return failure{code ? static_cast<exit_code>(*code) : exit_code::internal_error,
                 message.empty() ? std::string("failed") : message};
}

nlohmann::json read_answer(std::string_view line, std::string_view op, std::string_view who) {
  nlohmann::json r;
  try {
    r = parse_json_document(line, "worker answer", exit_code::internal_error);
  } catch (const error&) {
    throw violation(fmt::format(
        "answered '{}' with something other than the protocol (an isobench build too old for `isobench ab`?)", op));
  }
  const auto v = r.is_object() ? integer_field(r, "isobench_worker", 0, std::numeric_limits<int>::max()) : std::nullopt;
  if (v != version) {
    throw violation(
        fmt::format("speaks worker protocol {}, this driver {}", v ? std::to_string(*v) : "(none)", version));
  }
  const auto ok = r.find("ok");
  if (ok == r.end() || !ok->is_boolean()) throw violation(fmt::format("answered '{}' without \"ok\"", op));
  if (const auto f = failure_of(r)) throw error(f->code, fmt::format("{}: {}", who, f->message));
  return r;
}

nlohmann::json read_hello(const nlohmann::json& answer) {
  return answer.at("identity");
}

setup_answer read_setup_answer(const nlohmann::json& answer) {
  setup_answer a;
  const auto batch = integer_field(answer, "batch", 1, std::int64_t{1} << 40);
  const auto warmup = integer_field(answer, "warmup_calls", 0, std::numeric_limits<int>::max());
  const auto calibration = integer_field(answer, "calibration_calls", 0, std::numeric_limits<std::int64_t>::max());
  const auto sample_s = number_field(answer, "sample_s");
  if (!batch || !warmup || !calibration || !sample_s) {
    throw violation("answered 'setup' without the fields the protocol requires");
  }
  if (!(*sample_s > 0.0) || !std::isfinite(*sample_s)) {
    throw violation("answered 'setup' with an impossible batch or sample time");
  }
  a.batch = *batch;
  a.warmup_calls = static_cast<int>(*warmup);
  a.calibration_calls = *calibration;
  a.sample_s = *sample_s;
  a.implementation = string_field(answer, "implementation");
  a.compiled_isa = string_field(answer, "compiled_isa");
  a.flops = number_field(answer, "flops");
  a.bytes = number_field(answer, "bytes");
  return a;
}

round_answer read_round_answer(const nlohmann::json& answer, int samples) {
  round_answer a;
  if (!answer.is_object() || !answer.contains("samples_s") || !answer.at("samples_s").is_array()) {
    throw violation("answered 'round' without its samples");
  }
  const auto& list = answer.at("samples_s");
  if (list.size() != static_cast<std::size_t>(samples)) {
    throw violation("answered a round with the wrong number of samples");
  }
  for (std::size_t i = 0; i < list.size(); ++i) {  // indices: GCC 12 sees a null iterator in a range-for here
    const double x = list[i].is_number() ? list[i].get<double>() : NAN;
    if (!(x > 0.0) || !std::isfinite(x)) throw violation("answered a round with a sample that is not a positive time");
    a.samples_s.push_back(x);
  }
  a.round_s = number_field(answer, "round_s");  // not said: the driver's own time stands in
  return a;
}

outputs_answer read_outputs_answer(const nlohmann::json& answer) {
  outputs_answer a;
  if (const auto it = answer.find("opt_path_hit"); it != answer.end() && it->is_boolean()) a.opt_path_hit = *it;
  a.isa = string_field(answer, "isa");
  if (const auto it = answer.find("counters"); it != answer.end() && it->is_object()) {
    for (const auto& [name, v] : it->items()) {
      if (v.is_number()) a.counters.push_back({name, v.get<double>()});
    }
  }
  return a;
}

}  // namespace isobench::detail::worker_protocol
