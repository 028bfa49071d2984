#include "report/result_reader.hpp"

#include <fmt/format.h>

#include "io/atomic_file.hpp"
#include "isobench/error.hpp"
#include "report/result.hpp"
#include "spec/json_reader.hpp"

namespace isobench {

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
  const std::string file = path.string();
  std::string bytes;
  try {
    bytes = read_file(path);
  } catch (const io_error& e) {
    throw config_error(e.what());
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(bytes);
  } catch (const nlohmann::json::parse_error& e) {
    throw config_error(fmt::format("{}: not valid JSON: {}", file, e.what()));
  }
  if (!j.is_object()) throw_spec_error(file, "", "expected an isobench result object");
  const auto version = field(j, "schema_version", file, "", nlohmann::json::value_t::number_unsigned).get<int>();
  if (version != result_schema_version) {
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
    for (const auto& s : field(c, "samples_ms", file, at, nlohmann::json::value_t::array)) {
      if (!s.is_number() || !(s.get<double>() > 0.0))
        throw_spec_error(file, at + "/samples_ms", "expected positive numbers");
      lc.samples_ms.push_back(s.get<double>());
    }
    if (lc.samples_ms.empty()) throw_spec_error(file, at + "/samples_ms", "expected at least one sample");
    if (c.contains("eq") && c["eq"].is_object()) {
      lc.eq_passed = c["eq"].value("passed", false);
      if (c["eq"].contains("achieved")) lc.eq_level = c["eq"]["achieved"].get<std::string>();
    }
    if (c.contains("counters") && c["counters"].is_object()) {
      for (const auto& [name, value] : c["counters"].items()) {
        if (!value.is_number()) throw_spec_error(file, at + "/counters/" + name, "expected a number");
        lc.counters.push_back({name, value.get<double>()});
      }
    }
    r.cases.push_back(std::move(lc));
  }
  return r;
}

}  // namespace isobench
