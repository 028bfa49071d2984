#include "report/result_reader.hpp"

#include <cstdint>

#include <fmt/format.h>

#include "io/atomic_file.hpp"
#include "io/json_document.hpp"
#include "isobench/error.hpp"
#include "report/result.hpp"
#include "spec/json_reader.hpp"

namespace isobench::detail {

namespace {

const nlohmann::json& field(const nlohmann::json& obj, const char* key, const std::string& file, const std::string& at,
                            nlohmann::json::value_t type) {
  const auto where = fmt::format("{}/{}", at, key);
  if (!obj.is_object() || !obj.contains(key)) throw_spec_error(file, where, "required field is missing");
  const auto& v = obj.at(key);
  const bool ok = type == nlohmann::json::value_t::number_float ? v.is_number() : v.type() == type;
  if (!ok) throw_spec_error(file, where, fmt::format("unexpected {}", describe_json(v)));
  return v;
}

std::string text(const nlohmann::json& obj, const char* key, const std::string& file, const std::string& at) {
  return field(obj, key, file, at, nlohmann::json::value_t::string).get<std::string>();
}

}  // namespace

loaded_result load_result(const std::filesystem::path& path) {
  return parse_result(read_file(path, result_max_bytes, exit_code::invalid_config, "result"), path.string());
}

loaded_result parse_result(std::string_view bytes, const std::string& file) {
  const nlohmann::json j = parse_json_document(bytes, file, exit_code::invalid_config);
  if (!j.is_object()) throw_spec_error(file, "", "expected an isobench result object");
  const auto version =
      field(j, "schema_version", file, "", nlohmann::json::value_t::number_unsigned).get<std::uint64_t>();
  if (version != static_cast<std::uint64_t>(result_schema_version)) {
    throw_spec_error(
        file, "/schema_version",
        fmt::format("unsupported result schema {}; this isobench reads {}", version, result_schema_version));
  }
  loaded_result r;
  r.file = file;
  r.spec_name = text(field(j, "spec", file, "", nlohmann::json::value_t::object), "name", file, "/spec");
  r.impl_tag = text(j, "impl_tag", file, "");
  r.commit_hash = text(j, "commit_hash", file, "");
  r.isobench_version =
      text(field(j, "isobench", file, "", nlohmann::json::value_t::object), "version", file, "/isobench");
  r.environment = field(j, "environment", file, "", nlohmann::json::value_t::object);
  const auto& results = field(j, "results", file, "", nlohmann::json::value_t::array);
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto at = fmt::format("/results/{}", i);
    const auto& c = results[i];
    loaded_case lc;
    lc.workload = text(c, "workload", file, at);
    lc.implementation = text(c, "implementation", file, at);
    lc.role = text(c, "role", file, at);
    lc.device = text(c, "device", file, at);
    lc.p50_ms = field(c, "p50_ms", file, at, nlohmann::json::value_t::number_float).get<double>();
    const auto& samples = field(c, "samples_ms", file, at, nlohmann::json::value_t::array);
    for (std::size_t k = 0; k < samples.size(); ++k) {
      const auto& s = samples[k];
      if (!s.is_number() || !(s.get<double>() > 0.0)) {
        throw_spec_error(file, fmt::format("{}/samples_ms/{}", at, k),
                         fmt::format("expected a positive number of milliseconds, got {}", describe_json(s)));
      }
      lc.samples_ms.push_back(s.get<double>());
    }
    if (lc.samples_ms.empty()) throw_spec_error(file, at + "/samples_ms", "expected at least one sample");
    if (const auto it = c.find("eq"); it != c.end() && !it->is_null()) {
      if (!it->is_object())
        throw_spec_error(file, at + "/eq", fmt::format("expected an object or null, got {}", describe_json(*it)));
      lc.eq_passed = field(*it, "passed", file, at + "/eq", nlohmann::json::value_t::boolean).get<bool>();
      const auto achieved = text(*it, "achieved", file, at + "/eq");
      if (!from_string<eq_level>(achieved)) {
        throw_spec_error(file, at + "/eq/achieved",
                         fmt::format("expected an equivalence level, got {}", describe_json(nlohmann::json(achieved))));
      }
      lc.eq_level = achieved;
    }
    if (const auto it = c.find("counters"); it != c.end() && !it->is_null()) {
      if (!it->is_object())
        throw_spec_error(file, at + "/counters", fmt::format("expected an object, got {}", describe_json(*it)));
      for (const auto& [name, value] : it->items()) {
        if (!value.is_number()) {
          throw_spec_error(file, at + "/counters/" + json_pointer_token(name),
                           fmt::format("expected a number, got {}", describe_json(value)));
        }
        lc.counters.push_back({name, value.get<double>()});
      }
    }
    r.cases.push_back(std::move(lc));
  }
  return r;
}

}  // namespace isobench::detail
