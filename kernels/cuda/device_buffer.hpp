#pragma once
// A typed device allocation that frees itself, and the host-side conversions CUDA kernels need to
// start from the same seeded fp32 inputs as the CPU kernels.

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cstddef>
#include <vector>

#include "isobench/cuda.hpp"
#include "isobench/tensor.hpp"

namespace isobench::kernels::cuda {

template <class T>
class device_buffer {
public:
  device_buffer() = default;
  explicit device_buffer(std::size_t count) : m_count(count) {
    if (count > 0) ISOBENCH_CUDA_CHECK(cudaMalloc(&m_data, count * sizeof(T)));
  }
  device_buffer(const device_buffer&) = delete;
  device_buffer& operator=(const device_buffer&) = delete;
  device_buffer(device_buffer&& o) noexcept : m_data(o.m_data), m_count(o.m_count) { o.m_data = nullptr; }
  device_buffer& operator=(device_buffer&& o) noexcept {
    std::swap(m_data, o.m_data);
    std::swap(m_count, o.m_count);
    return *this;
  }
  ~device_buffer() { cudaFree(m_data); }

  [[nodiscard]] T* get() const noexcept { return m_data; }
  [[nodiscard]] std::size_t size() const noexcept { return m_count; }

  template <class Alloc>
  void upload(const std::vector<T, Alloc>& host, cudaStream_t stream) {
    ISOBENCH_CUDA_CHECK(cudaMemcpyAsync(m_data, host.data(), m_count * sizeof(T), cudaMemcpyHostToDevice, stream));
    ISOBENCH_CUDA_CHECK(cudaStreamSynchronize(stream));
  }
  void download(void* host, cudaStream_t stream) const {
    ISOBENCH_CUDA_CHECK(cudaMemcpyAsync(host, m_data, m_count * sizeof(T), cudaMemcpyDeviceToHost, stream));
    ISOBENCH_CUDA_CHECK(cudaStreamSynchronize(stream));
  }

private:
  T* m_data = nullptr;
  std::size_t m_count = 0;
};

// fp32 -> T, rounding to nearest even exactly as isobench's host conversions do.
template <class T>
std::vector<T> convert(const std::vector<float>& x);

template <>
inline std::vector<float> convert<float>(const std::vector<float>& x) {
  return x;
}
template <>
inline std::vector<__half> convert<__half>(const std::vector<float>& x) {
  std::vector<__half> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = __half_raw{float_to_half(x[i])};
  return out;
}
template <>
inline std::vector<__nv_bfloat16> convert<__nv_bfloat16>(const std::vector<float>& x) {
  std::vector<__nv_bfloat16> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = __nv_bfloat16_raw{float_to_bf16(x[i])};
  return out;
}

}  // namespace isobench::kernels::cuda
