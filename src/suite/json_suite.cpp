// JSON suites: a list of spec files, or benchmarks with parameters.
#include <set>

#include <fmt/format.h>

#include "io/json_document.hpp"
#include "isobench/error.hpp"
#include "spec/json_reader.hpp"
#include "spec/spec.hpp"
#include "suite/suite.hpp"

namespace isobench::detail {

namespace {

void unique_ids(suite& s) {
  std::set<std::string> seen;
  for (auto& c : s.cases) {
    std::string id = c.id;
    for (int i = 2; !seen.insert(id).second; ++i) id = fmt::format("{}-{}", c.id, i);
    c.id = id;
  }
}

// "specs": spec files (relative to the suite's directory), each loaded and checked now.
void read_spec_files(json_reader& r, suite& s, const std::filesystem::path& base, const suite_environment& env) {
  const auto* specs = r.get("specs");
  if (!specs->is_array() || specs->empty()) {
    r.fail("specs", fmt::format("expected a non-empty array of spec file paths, got {}", describe_json(*specs)));
  }
  for (std::size_t i = 0; i < specs->size(); ++i) {
    const auto& item = (*specs)[i];
    const auto where = fmt::format("/specs/{}", i);
    if (!item.is_string())
      throw_spec_error(s.source, where, fmt::format("expected a path, got {}", describe_json(item)));
    const std::filesystem::path p = base / item.get<std::string>();
    const auto loaded = load_spec(p);  // every spec checked now, before anything runs
    suite_case c;
    c.id = case_id(loaded.name);
    c.name = loaded.name;
    c.spec_file = p;
    c.device = std::string(to_string(loaded.device));
    c.model_type = loaded.target;
    if (loaded.implementations.size() == 2) c.quantization = loaded.implementations[1].name;
    if (loaded.device == device_request::cuda && !env.cuda_available) {
      c.skip_reason = fmt::format("needs a CUDA device: {}", env.cuda_reason);
    }
    s.cases.push_back(std::move(c));
  }
}

// One entry of "benchmarks": an implementation and its parameters, as the spec its case runs.
suite_case read_benchmark(const nlohmann::json& entry, std::size_t i, const std::string& source,
                          const nlohmann::json& timing, const registry& reg, const suite_environment& env) {
  json_reader b(entry, source, fmt::format("/benchmarks/{}", i));
  if (!entry.is_object()) b.fail("", "expected an object {\"name\": \"op.impl\", \"params\": {...}}");
  const auto name = b.required_string("name");
  const auto dot = name.find('.');
  if (dot == std::string::npos) b.fail("name", fmt::format("expected op.impl (e.g. rmsnorm.fused), got '{}'", name));
  const auto op = name.substr(0, dot);
  const auto device = b.optional_string("device").value_or("cpu");
  if (device != "cpu" && device != "cuda")
    b.fail("device", fmt::format("expected \"cpu\" or \"cuda\", got '{}'", device));
  if (reg.find(name) == nullptr) {
    const auto close = reg.suggest(name);
    throw error(exit_code::target_not_resolved,
                fmt::format("{}: /benchmarks/{}/name: no registered implementation '{}'{}", source, i, name,
                            close.empty() ? "" : fmt::format(" (closest: {})", close.front())));
  }
  nlohmann::json workload{{"name", case_id(b.optional_string("workload").value_or("params"))}};
  if (const auto* p = b.get("params")) {
    if (!p->is_object()) b.fail("params", fmt::format("expected an object, got {}", describe_json(*p)));
    for (const auto& [key, value] : p->items()) workload[key] = value;
  }
  nlohmann::json spec{{"version", 1},     {"name", case_id(name)},   {"target", op},
                      {"device", device}, {"workloads", {workload}}, {"timing", timing},
                      {"seed", 1 + i}};
  if (auto baseline = b.optional_string("baseline")) {
    spec["implementations"] = {{"baseline", *baseline}, {"candidate", name}};
  } else {
    spec["implementation"] = name;
  }
  if (const auto* eq = b.get("equivalence")) spec["equivalence"] = *eq;
  if (const auto* t = b.get("timing")) spec["timing"] = *t;  // this benchmark's own
  b.finish();
  (void)parse_spec(spec, fmt::format("{} /benchmarks/{}", source, i));
  suite_case c;
  c.id = case_id(name);
  c.name = name;
  c.device = device;
  c.model_type = op;
  c.spec = spec;
  for (const auto& [key, field] : {std::pair{"m", &c.m}, std::pair{"k", &c.k}, std::pair{"n", &c.n}}) {
    if (workload.contains(key) && workload[key].is_number_integer()) *field = workload[key].get<std::int64_t>();
  }
  if (device == "cuda" && !env.cuda_available) c.skip_reason = fmt::format("needs a CUDA device: {}", env.cuda_reason);
  return c;
}

// "benchmarks": implementations with parameters, timing shared unless a benchmark has its own.
void read_benchmarks(json_reader& r, suite& s, const registry& reg, const suite_environment& env) {
  const auto* list = r.get("benchmarks");
  if (!list->is_array() || list->empty()) {
    r.fail("benchmarks", fmt::format("expected a non-empty array of benchmarks, got {}", describe_json(*list)));
  }
  nlohmann::json timing = nlohmann::json{{"warmup", 2}, {"min_iters", 10}, {"min_time_s", 0.2}, {"max_time_s", 10}};
  if (const auto* t = r.get("timing")) timing = *t;  // checked with each case's spec
  for (std::size_t i = 0; i < list->size(); ++i)
    s.cases.push_back(read_benchmark((*list)[i], i, s.source, timing, reg, env));
}

}  // namespace

suite load_json_suite(const std::string& text, const std::filesystem::path& file, const registry& reg,
                      const suite_environment& env) {
  const auto source = file.string();
  const auto doc = parse_json_document(text, source, exit_code::invalid_config);
  if (!doc.is_object())
    throw_spec_error(source, "", fmt::format("expected a suite object, got {}", describe_json(doc)));
  json_reader r(doc, source, "");
  suite s;
  s.source = source;
  s.name = r.required_string("name");
  if (s.name.empty() || case_id(s.name) != s.name) {
    r.fail("name", "expected a name of letters, digits, '_', '-' or '.' (at most 120)");
  }
  if (auto out = r.optional_string("output_dir")) s.output_dir = *out;
  const bool has_specs = r.has("specs"), has_benchmarks = r.has("benchmarks");
  if (has_specs == has_benchmarks) r.fail("specs", "give exactly one of \"specs\" (spec files) or \"benchmarks\"");
  if (has_specs) {
    s.kind = "specs";
    read_spec_files(r, s, file.parent_path(), env);
  } else {
    s.kind = "benchmarks";
    read_benchmarks(r, s, reg, env);
  }
  r.finish();
  if (s.cases.size() > suite_max_cases)
    r.fail("", fmt::format("{} cases; at most {}", s.cases.size(), suite_max_cases));
  unique_ids(s);
  if (s.output_dir.empty()) s.output_dir = std::filesystem::path("suite_results") / s.name;
  return s;
}

}  // namespace isobench::detail
