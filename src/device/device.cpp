#include "device/device.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "isobench/error.hpp"

namespace isobench {

#ifndef ISOBENCH_HAVE_CUDA
cuda_status probe_cuda() {
  cuda_status s;
  s.reason = "this isobench was built without the CUDA backend (ISOBENCH_CUDA=OFF or no CUDA toolkit found)";
  return s;
}

std::unique_ptr<device_context> make_cuda_context() { throw error(exit_code::unsupported, probe_cuda().reason); }
#endif

nlohmann::json to_json(const cuda_status& s) {
  nlohmann::json j = {{"compiled", s.compiled},
                      {"available", s.available},
                      {"reason", s.reason},
                      {"driver_version", s.driver_version},
                      {"runtime_version", s.runtime_version}};
  if (s.gpu) {
    const auto& g = *s.gpu;
    j["gpu"] = {{"name", g.name},
                {"compute_capability", fmt::format("{}.{}", g.cc_major, g.cc_minor)},
                {"sm_count", g.sm_count},
                {"memory_bytes", g.memory_bytes},
                {"bus_width_bits", g.bus_width_bits},
                {"clock_khz", g.clock_khz},
                {"memory_clock_khz", g.memory_clock_khz},
                {"peak_bandwidth_gbps", g.peak_bandwidth_gbps},
                {"l2_bytes", g.l2_bytes},
                {"ecc", g.ecc},
                {"mig", "not reported by the CUDA runtime"}};
  } else {
    j["gpu"] = nullptr;
  }
  return j;
}

device_kind resolve_device(device_request request, const cuda_status& cuda) {
  switch (request) {
    case device_request::cpu: return device_kind::cpu;
    case device_request::automatic: return cuda.available ? device_kind::cuda : device_kind::cpu;
    case device_request::cuda:
      if (!cuda.available) throw error(exit_code::unsupported, fmt::format("device cuda requested, but {}", cuda.reason));
      return device_kind::cuda;
  }
  return device_kind::cpu;
}

}  // namespace isobench
