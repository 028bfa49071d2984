// Helper kernels for the device tests: a sleep of known length, a bandwidth-bound copy.
#include "gpu_kernels.hpp"

#include "isobench/cuda.hpp"

namespace isobench::detail::testing {

namespace {

__device__ unsigned long long global_ns() {
  unsigned long long t;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
  return t;
}

// __nanosleep's duration is only approximate, so the device's global nanosecond timer decides.
__global__ void sleep_kernel(unsigned long long ns) {
  const unsigned long long start = global_ns();
  while (global_ns() - start < ns) __nanosleep(1000);
}

__global__ void copy_kernel(const float4* __restrict__ in, float4* __restrict__ out, std::size_t n) {
  for (std::size_t i = blockIdx.x * blockDim.x + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    out[i] = in[i];
  }
}

}  // namespace

void launch_sleep(void* stream, double seconds) {
  sleep_kernel<<<1, 1, 0, static_cast<cudaStream_t>(stream)>>>(static_cast<unsigned long long>(seconds * 1e9));
  ISOBENCH_CUDA_CHECK_LAUNCH();
}

void launch_copy(void* stream, const void* in, void* out, std::size_t bytes) {
  copy_kernel<<<1024, 256, 0, static_cast<cudaStream_t>(stream)>>>(static_cast<const float4*>(in),
                                                                   static_cast<float4*>(out), bytes / sizeof(float4));
  ISOBENCH_CUDA_CHECK_LAUNCH();
}

void* device_alloc(std::size_t bytes) {
  void* p = nullptr;
  ISOBENCH_CUDA_CHECK(cudaMalloc(&p, bytes));
  return p;
}

void device_free(void* p) {
  cudaFree(p);
}

void* new_stream() {
  cudaStream_t s{};
  ISOBENCH_CUDA_CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
  return s;
}

void delete_stream(void* s) {
  cudaStreamDestroy(static_cast<cudaStream_t>(s));
}

}  // namespace isobench::detail::testing
