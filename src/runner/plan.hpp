#pragma once
// From a spec to what will run: implementations resolved in the registry, the device chosen,
// each workload's parameters checked against every implementation's declared parameters (with
// defaults filled in) and its seed fixed. Everything that can be wrong with a spec fails here,
// before anything is measured.

#include <cstdint>
#include <string>
#include <vector>

#include "device/device.hpp"
#include "equivalence/reference_store.hpp"
#include "isobench/registry.hpp"
#include "spec/spec.hpp"

namespace isobench::detail {

struct planned_impl {
  const kernel_info* info = nullptr;
  isobench::detail::role role = role::single;
};

struct planned_workload {
  std::string name;
  std::size_t index = 0;  // in the spec
  std::uint64_t seed = 0;
  params values;                 // as written (for reports and the reference)
  std::vector<params> per_impl;  // filtered + defaults, parallel to plan::impls
};

// The workloads' identities as the reference store records and checks them.
struct plan;
std::vector<reference_workload> reference_workloads(const plan& p);

struct plan {
  device_kind device = device_kind::cpu;
  std::vector<planned_impl> impls;  // baseline first when there is one
  std::vector<planned_workload> workloads;
  [[nodiscard]] const planned_impl& reference_impl() const { return impls.front(); }
};

// `only` restricts to the named workloads (an unknown name is a config error).
plan make_plan(const spec& s, const registry& reg, const cuda_status& cuda, const std::vector<std::string>& only = {});

// The spec's workloads named in `only` (all of them when it is empty), in the spec's order; an
// unknown name is a config error.
std::vector<const workload*> select_workloads(const spec& s, const std::vector<std::string>& only);

// The seed of a workload: its own "seed" if given, else derived from the spec seed and its name.
std::uint64_t workload_seed(const spec& s, const workload& w);

}  // namespace isobench::detail
