#include "equivalence/reference_store.hpp"

#include <chrono>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/params_json.hpp"
#include "env/build_info.hpp"
#include "equivalence/safetensors.hpp"
#include "io/json_document.hpp"
#include "isobench/error.hpp"

namespace isobench::detail {

namespace {

nlohmann::json workload_identity(const reference_workload& w) {
  return {{"params", params_to_json(w.values)}, {"seed", w.seed}};
}

}  // namespace

std::filesystem::path reference_path(const std::filesystem::path& dir, std::string_view prefix,
                                     std::string_view spec_name) {
  return dir / (prefix.empty() ? fmt::format("{}_reference.safetensors", spec_name)
                               : fmt::format("{}_{}_reference.safetensors", prefix, spec_name));
}

void save_reference(const std::filesystem::path& file, const spec& s, std::span<const reference_workload> workloads,
                    const reference_info& info, const std::vector<workload_outputs>& outputs, bool force) {
  std::vector<named_tensor> tensors;
  nlohmann::json identities = nlohmann::json::object();
  for (const auto& w : workloads) identities[w.name] = workload_identity(w);
  for (const auto& wo : outputs) {
    for (const auto& t : wo.outputs) tensors.push_back({fmt::format("{}/{}", wo.workload, t.name), t.value});
  }
  const std::map<std::string, std::string> metadata = {
      {"format", "isobench-reference-1"},
      {"spec", s.name},
      {"target", s.target},
      {"dtype", std::string(to_string(s.type))},
      {"implementation", info.implementation},
      {"commit_hash", info.commit_hash},
      {"isobench_version", build::version},
      {"created", fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                              fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())))},
      {"workloads", identities.dump()},
  };
  write_safetensors(file, tensors, metadata, force ? overwrite::allow : overwrite::forbid);
}

loaded_reference load_reference(const std::filesystem::path& file, const spec& s,
                                std::span<const reference_workload> workloads) {
  auto content = read_safetensors(file);
  const auto where = file.string();
  auto meta = [&](const char* key) -> std::string {
    auto it = content.metadata.find(key);
    if (it == content.metadata.end()) {
      throw reference_error(fmt::format("{}: not an isobench reference (no '{}' in its metadata)", where, key));
    }
    return it->second;
  };
  auto expect_same = [&](const char* key, std::string_view now) {
    const auto stored = meta(key);
    if (stored != now) {
      throw reference_error(fmt::format("{}: recorded for {} '{}', but the spec has '{}'", where, key, stored, now));
    }
  };
  // isobench writes a checksum for every tensor: without them a flipped bit would pass as an output.
  if (!content.metadata.contains("checksums")) {
    throw reference_error(
        fmt::format("{}: corrupt reference: its checksums were removed (every reference isobench "
                    "writes has them; re-record with --reference --force)",
                    where));
  }
  expect_same("spec", s.name);
  expect_same("target", s.target);
  expect_same("dtype", to_string(s.type));

  const nlohmann::json recorded =
      parse_json_document(meta("workloads"), where + ": 'workloads' metadata", exit_code::reference_error);
  loaded_reference out;
  if (!recorded.is_object()) throw reference_error(fmt::format("{}: 'workloads' metadata is not an object", where));
  for (const auto& w : workloads) {
    if (!recorded.contains(w.name)) {
      throw reference_error(
          fmt::format("{}: has no outputs for workload '{}' (re-record with --reference --force)", where, w.name));
    }
    const auto now = workload_identity(w);
    if (recorded[w.name] != now) {
      throw reference_error(fmt::format("{}: workload '{}' was recorded with {}, the spec now gives {}", where, w.name,
                                        recorded[w.name].dump(), now.dump()));
    }
    out.outputs[w.name];  // a workload may legitimately have no outputs
  }
  for (auto& t : content.tensors) {
    const auto slash = t.name.find('/');
    if (slash == std::string::npos) throw reference_error(fmt::format("{}: unexpected tensor '{}'", where, t.name));
    auto it = out.outputs.find(std::string_view(t.name).substr(0, slash));
    if (it == out.outputs.end()) continue;  // a workload not selected in this run
    it->second.push_back({t.name.substr(slash + 1), std::move(t.value)});
  }
  out.metadata = std::move(content.metadata);
  return out;
}

}  // namespace isobench::detail
