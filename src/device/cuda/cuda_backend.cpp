// The CUDA backend: device probe and fingerprint, the per-run context (stream, event timer with a
// host cross-check, L2 flush, memory watermark). Host code only: kernels live in kernels/cuda/.
#include <algorithm>
#include <chrono>
#include <vector>

#include <fmt/format.h>

#include <cuda_runtime.h>

#include "device/device.hpp"
#include "isobench/cuda.hpp"
#include "isobench/error.hpp"

namespace isobench::detail {

cuda_status probe_cuda() {
  cuda_status s;
  s.compiled = true;
  cudaRuntimeGetVersion(&s.runtime_version);
  if (cudaDriverGetVersion(&s.driver_version) != cudaSuccess || s.driver_version == 0) {
    s.reason = "no NVIDIA driver is installed (libcuda not found)";
    return s;
  }
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err == cudaErrorInsufficientDriver || s.driver_version < s.runtime_version) {
    s.reason = fmt::format("the NVIDIA driver ({}.{}) is older than the CUDA runtime ({}.{})", s.driver_version / 1000,
                           s.driver_version % 1000 / 10, s.runtime_version / 1000, s.runtime_version % 1000 / 10);
    return s;
  }
  if (err != cudaSuccess || count == 0) {
    s.reason = err == cudaSuccess || err == cudaErrorNoDevice
                   ? std::string("no CUDA device is visible")
                   : fmt::format("CUDA is unusable: {}", cudaGetErrorString(err));
    return s;
  }
  cudaDeviceProp p{};
  ISOBENCH_CUDA_CHECK(cudaGetDeviceProperties(&p, 0));
  gpu_info g;
  g.name = p.name;
  g.cc_major = p.major;
  g.cc_minor = p.minor;
  g.sm_count = p.multiProcessorCount;
  g.memory_bytes = p.totalGlobalMem;
  g.bus_width_bits = p.memoryBusWidth;
  g.l2_bytes = static_cast<std::size_t>(p.l2CacheSize);
  g.ecc = p.ECCEnabled != 0;
  cudaDeviceGetAttribute(&g.clock_khz, cudaDevAttrClockRate, 0);
  cudaDeviceGetAttribute(&g.memory_clock_khz, cudaDevAttrMemoryClockRate, 0);
  g.peak_bandwidth_gbps = 2.0 * g.memory_clock_khz * 1e3 * (g.bus_width_bits / 8.0) / 1e9;
  s.gpu = g;
  s.available = true;
  return s;
}

namespace {

double host_now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

// CUDA events around each sample on the dedicated stream. The host also times the sample up to a
// device-wide synchronize: an event time far below that means work ran outside the timed stream.
class event_timer final : public timing::sample_timer {
public:
  explicit event_timer(cudaStream_t stream) : m_stream(stream) {
    ISOBENCH_CUDA_CHECK(cudaEventCreate(&m_start));
    ISOBENCH_CUDA_CHECK(cudaEventCreate(&m_stop));
  }
  ~event_timer() override {
    cudaEventDestroy(m_start);
    cudaEventDestroy(m_stop);
  }
  double time_s(const std::function<void()>& work) override {
    ISOBENCH_CUDA_CHECK(cudaDeviceSynchronize());
    const double h0 = host_now_s();
    ISOBENCH_CUDA_CHECK(cudaEventRecord(m_start, m_stream));
    work();
    ISOBENCH_CUDA_CHECK(cudaEventRecord(m_stop, m_stream));
    ISOBENCH_CUDA_CHECK(cudaDeviceSynchronize());
    const double host_s = host_now_s() - h0;
    float ms = 0.0F;
    ISOBENCH_CUDA_CHECK(cudaEventElapsedTime(&ms, m_start, m_stop));
    const double event_s = ms * 1e-3;
    m_event.push_back(event_s);
    m_host.push_back(host_s);
    // Launch and synchronisation cost the host some microseconds; more than that on top of twice
    // the event time is work the events did not see.
    if (host_s > 2.0 * event_s + 50e-6) ++m_escaped;
    return event_s;
  }
  device_context::cross_check take() {
    device_context::cross_check c{m_event.size(), m_escaped, median(m_event), median(m_host)};
    m_event.clear();
    m_host.clear();
    m_escaped = 0;
    return c;
  }

private:
  cudaStream_t m_stream;
  cudaEvent_t m_start{};
  cudaEvent_t m_stop{};
  std::vector<double> m_event, m_host;
  std::size_t m_escaped = 0;
};

class cuda_context final : public device_context {
public:
  cuda_context() {
    const auto status = probe_cuda();
    if (!status.available) throw error(exit_code::unsupported, fmt::format("device cuda: {}", status.reason));
    ISOBENCH_CUDA_CHECK(cudaSetDevice(0));
    ISOBENCH_CUDA_CHECK(cudaStreamCreateWithFlags(&m_stream, cudaStreamNonBlocking));
    m_timer = std::make_unique<event_timer>(m_stream);
    // Twice the L2, allocated once: writing it between samples evicts the kernel's data.
    m_flush_bytes = std::max<std::size_t>(2 * status.gpu->l2_bytes, std::size_t{8} << 20);
    ISOBENCH_CUDA_CHECK(cudaMalloc(&m_flush, m_flush_bytes));
    reset_memory_watermark();
  }
  ~cuda_context() override {
    m_timer.reset();
    cudaFree(m_flush);
    cudaStreamDestroy(m_stream);
  }
  void* stream() override { return m_stream; }
  timing::sample_timer& timer() override { return *m_timer; }
  void flush_cache() override {
    ISOBENCH_CUDA_CHECK(cudaMemsetAsync(m_flush, ++m_flush_value & 0xff, m_flush_bytes, m_stream));
    ISOBENCH_CUDA_CHECK(cudaStreamSynchronize(m_stream));
    observe_memory();
  }
  void synchronize() override { ISOBENCH_CUDA_CHECK(cudaStreamSynchronize(m_stream)); }
  void reset_memory_watermark() override {
    std::size_t total = 0;
    ISOBENCH_CUDA_CHECK(cudaMemGetInfo(&m_free_at_reset, &total));
    m_min_free = m_free_at_reset;
  }
  std::size_t peak_memory_bytes() override {
    observe_memory();
    return m_free_at_reset - m_min_free;
  }
  cross_check take_cross_check() override { return m_timer->take(); }

private:
  // cudaMemGetInfo sees every allocation on the device: sampled at setup's end and between samples.
  void observe_memory() {
    std::size_t free = 0, total = 0;
    ISOBENCH_CUDA_CHECK(cudaMemGetInfo(&free, &total));
    m_min_free = std::min(m_min_free, free);
  }

  cudaStream_t m_stream{};
  std::unique_ptr<event_timer> m_timer;
  void* m_flush = nullptr;
  std::size_t m_flush_bytes = 0;
  int m_flush_value = 0;
  std::size_t m_free_at_reset = 0;
  std::size_t m_min_free = 0;
};

}  // namespace

std::unique_ptr<device_context> make_cuda_context() {
  return std::make_unique<cuda_context>();
}

}  // namespace isobench::detail
