#include "runner/worker_answer.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "io/json_document.hpp"
#include "isobench/error.hpp"
#include "runner/worker.hpp"

namespace isobench {

namespace {

// An integer field within [min_value, max_value], or nullopt (absent, another type, out of range).
// nlohmann's get<int>() on a float or a too-large integer would convert out of range.
std::optional<std::int64_t> integer(const nlohmann::json& j, const char* key, std::int64_t min_value,
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

std::optional<double> number(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::string text(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

nlohmann::json read_worker_answer(std::string_view line, std::string_view op, std::string_view who) {
  nlohmann::json r;
  try {
    r = parse_json_document(line, "worker answer", exit_code::internal_error);
  } catch (const error&) {
    throw worker_protocol_error(fmt::format(
        "answered '{}' with something other than the protocol (an isobench build too old for `isobench ab`?)", op));
  }
  const auto version = r.is_object() ? integer(r, "isobench_worker", 0, std::numeric_limits<int>::max()) : std::nullopt;
  if (version != worker_protocol_version) {
    throw worker_protocol_error(fmt::format("speaks worker protocol {}, this driver {}",
                                            version ? std::to_string(*version) : "(none)", worker_protocol_version));
  }
  const auto ok = r.find("ok");
  if (ok == r.end() || !ok->is_boolean()) throw worker_protocol_error(fmt::format("answered '{}' without \"ok\"", op));
  if (!ok->get<bool>()) {
    // Only the codes a worker exits with; anything else is the driver's internal error.
    const auto code = integer(r, "code", static_cast<int>(exit_code::target_not_resolved),
                              static_cast<int>(exit_code::internal_error));
    const auto message = text(r, "message");
    throw error(code ? static_cast<exit_code>(*code) : exit_code::internal_error,
                fmt::format("{}: {}", who, message.empty() ? std::string("failed") : message));
  }
  return r;
}

worker_setup_answer read_setup_answer(const nlohmann::json& answer) {
  worker_setup_answer a;
  const auto batch = integer(answer, "batch", 1, std::int64_t{1} << 40);
  const auto warmup = integer(answer, "warmup_calls", 0, std::numeric_limits<int>::max());
  const auto calibration = integer(answer, "calibration_calls", 0, std::numeric_limits<std::int64_t>::max());
  const auto sample_s = number(answer, "sample_s");
  if (!batch || !warmup || !calibration || !sample_s) {
    throw worker_protocol_error("answered 'setup' without the fields the protocol requires");
  }
  if (!(*sample_s > 0.0) || !std::isfinite(*sample_s)) {
    throw worker_protocol_error("answered 'setup' with an impossible batch or sample time");
  }
  a.batch = *batch;
  a.warmup_calls = static_cast<int>(*warmup);
  a.calibration_calls = *calibration;
  a.sample_s = *sample_s;
  a.compiled_isa = text(answer, "compiled_isa");
  a.flops = number(answer, "flops");
  a.bytes = number(answer, "bytes");
  return a;
}

worker_round_answer read_round_answer(const nlohmann::json& answer, int samples) {
  worker_round_answer a;
  if (!answer.is_object() || !answer.contains("samples_s") || !answer.at("samples_s").is_array()) {
    throw worker_protocol_error("answered 'round' without its samples");
  }
  const auto& list = answer.at("samples_s");
  if (list.size() != static_cast<std::size_t>(samples)) {
    throw worker_protocol_error("answered a round with the wrong number of samples");
  }
  for (std::size_t i = 0; i < list.size(); ++i) {  // indices: GCC 12 sees a null iterator in a range-for here
    const double x = list[i].is_number() ? list[i].get<double>() : NAN;
    if (!(x > 0.0) || !std::isfinite(x)) {
      throw worker_protocol_error("answered a round with a sample that is not a positive time");
    }
    a.samples_s.push_back(x);
  }
  a.round_s = number(answer, "round_s");
  return a;
}

worker_outputs_answer read_outputs_answer(const nlohmann::json& answer) {
  worker_outputs_answer a;
  if (const auto it = answer.find("opt_path_hit"); it != answer.end() && it->is_boolean()) a.opt_path_hit = *it;
  a.isa = text(answer, "isa");
  if (const auto it = answer.find("counters"); it != answer.end() && it->is_object()) {
    for (const auto& [name, v] : it->items()) {
      if (v.is_number()) a.counters.push_back({name, v.get<double>()});
    }
  }
  return a;
}

}  // namespace isobench
