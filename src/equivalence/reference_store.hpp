#pragma once
// References: the outputs of one implementation, recorded on the parent commit (--reference) and
// compared on the child (--eqcheck). One safetensors file per spec holds every workload's outputs
// as "<workload>/<output>", plus metadata that ties it to the spec, so a reference recorded for
// other shapes, seeds or dtypes is refused rather than compared.

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "isobench/tensor.hpp"
#include "spec/spec.hpp"

namespace isobench::detail {

// <dir>/<prefix>_<spec>_reference.safetensors (no leading "_" when prefix is empty).
std::filesystem::path reference_path(const std::filesystem::path& dir, std::string_view prefix,
                                     std::string_view spec_name);

// What identifies a workload's outputs: its name, parameters and seed (the runner's plan has them).
struct reference_workload {
  std::string name;
  params values;
  std::uint64_t seed = 0;
};

struct workload_outputs {
  std::string workload;
  std::vector<named_tensor> outputs;
};

struct reference_info {
  std::string implementation;
  std::string commit_hash;
};

// Throws reference_error when the file exists and !force.
void save_reference(const std::filesystem::path& file, const spec& s, std::span<const reference_workload> workloads,
                    const reference_info& info, const std::vector<workload_outputs>& outputs, bool force);

struct loaded_reference {
  std::map<std::string, std::string> metadata;
  std::map<std::string, std::vector<named_tensor>, std::less<>> outputs;  // by workload
};

// Reads, verifies checksums, and checks it was recorded for this spec's target, dtype and, for
// every workload given, the same parameters and seed. Throws reference_error otherwise.
loaded_reference load_reference(const std::filesystem::path& file, const spec& s,
                                std::span<const reference_workload> workloads);

}  // namespace isobench::detail
