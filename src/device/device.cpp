#include "device/device.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "isobench/error.hpp"

namespace isobench::detail {

#ifndef ISOBENCH_HAVE_CUDA
cuda_status probe_cuda() {
  cuda_status s;
  s.reason = "this isobench was built without the CUDA backend (ISOBENCH_CUDA=OFF or no CUDA toolkit found)";
  return s;
}

std::unique_ptr<device_context> make_cuda_context() {
  throw error(exit_code::unsupported, probe_cuda().reason);
}
#endif

double peak_tflops(const gpu_info& g, dtype t) noexcept {
  // Per SM per clock, dense: {fp32 FLOPs on CUDA cores, fp16/bf16 FLOPs on tensor cores}.
  struct rate {
    int major, minor;
    double fp32, tensor16;
  };
  static constexpr rate k_rates[] = {
      {7, 0, 128, 1024},   // V100 (no bf16 tensor cores; fp16 only)
      {7, 5, 128, 512},    // T4
      {8, 0, 128, 2048},   // A100
      {8, 6, 256, 512},    // A10, RTX 30xx (fp32 accumulation on data-centre parts)
      {8, 9, 256, 512},    // L4, L40, RTX 40xx
      {9, 0, 256, 4096},   // H100, H200
      {10, 0, 256, 8192},  // B200
  };
  for (const auto& r : k_rates) {
    if (r.major != g.cc_major || r.minor != g.cc_minor) continue;
    double per_clock = 0.0;
    if (t == dtype::f32) per_clock = r.fp32;
    if (t == dtype::f16 || (t == dtype::bf16 && g.cc_major >= 8)) per_clock = r.tensor16;
    return per_clock * g.sm_count * g.clock_khz * 1e3 / 1e12;
  }
  return 0.0;
}

std::optional<std::string> mig_profile(const gpu_info& g) {
  const auto at = g.name.find(" MIG ");
  if (at == std::string::npos) return std::nullopt;
  return g.name.substr(at + 5);
}

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
                {"peak_fp32_tflops", peak_tflops(g, dtype::f32)},
                {"peak_fp16_tensor_tflops", peak_tflops(g, dtype::f16)},
                {"mig", mig_profile(g) ? nlohmann::json(*mig_profile(g)) : nlohmann::json("off")}};
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
      if (!cuda.available)
        throw error(exit_code::unsupported, fmt::format("device cuda requested, but {}", cuda.reason));
      return device_kind::cuda;
  }
  return device_kind::cpu;
}

}  // namespace isobench::detail
