#pragma once
// Which device a run uses, and what the runner needs from a device backend. CPU is always there;
// CUDA only when compiled in (ISOBENCH_CUDA) and a device answers. No CUDA types appear here.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "isobench/kernel.hpp"
#include "spec/spec.hpp"
#include "timing/clock.hpp"

namespace isobench::detail {

struct gpu_info {
  std::string name;
  int cc_major = 0;
  int cc_minor = 0;
  int sm_count = 0;
  std::size_t memory_bytes = 0;
  int bus_width_bits = 0;
  int clock_khz = 0;
  int memory_clock_khz = 0;
  double peak_bandwidth_gbps = 0.0;  // 2 x memory clock x bus width (DDR)
  std::size_t l2_bytes = 0;
  bool ecc = false;
};

struct cuda_status {
  bool compiled = false;   // this binary has the CUDA backend
  bool available = false;  // a usable device is present
  std::string reason;      // why not, when unavailable
  int driver_version = 0;  // e.g. 13000; 0 when there is no driver
  int runtime_version = 0;
  std::optional<gpu_info> gpu;  // device 0
};

// Dense peak arithmetic rate from the architecture's per-SM throughput x SMs x core clock (how
// NVIDIA's data sheets derive theirs): fp32 on CUDA cores, fp16/bf16 on tensor cores with fp32
// accumulation. 0 when the architecture or dtype is not in the table (then no % of peak is shown).
double peak_tflops(const gpu_info& g, dtype t) noexcept;
// The MIG profile when the device is a MIG instance ("NVIDIA A100-SXM4-40GB MIG 3g.20gb" ->
// "3g.20gb"). The CUDA runtime only exposes MIG through the device name; NVML is not linked.
std::optional<std::string> mig_profile(const gpu_info& g);

cuda_status probe_cuda();
nlohmann::json to_json(const cuda_status& s);

// auto: CUDA when available, else CPU. cuda without a device throws exit_code::unsupported
// saying why.
device_kind resolve_device(device_request request, const cuda_status& cuda);

// One per run on a device: a dedicated stream, a timer of samples on it, a cache flush.
class device_context {
public:
  device_context() = default;
  device_context(const device_context&) = delete;
  device_context& operator=(const device_context&) = delete;
  virtual ~device_context() = default;

  [[nodiscard]] virtual void* stream() = 0;   // opaque: a cudaStream_t for CUDA kernels
  virtual timing::sample_timer& timer() = 0;  // events on stream(), host cross-check
  virtual void flush_cache() = 0;             // writes a buffer >= the L2 cache
  virtual void synchronize() = 0;
  virtual void reset_memory_watermark() = 0;                  // before a kernel's setup
  [[nodiscard]] virtual std::size_t peak_memory_bytes() = 0;  // used since the reset
  // Samples whose event time was far below the host's wall time around them (work that escaped
  // the timed stream), and the medians of both clocks, since the last reset.
  struct cross_check {
    std::size_t samples = 0;
    std::size_t escaped = 0;
    double event_median_s = 0.0;
    double host_median_s = 0.0;
  };
  [[nodiscard]] virtual cross_check take_cross_check() = 0;
};

// Throws error(exit_code::unsupported) without a CUDA backend or device.
std::unique_ptr<device_context> make_cuda_context();

}  // namespace isobench::detail
