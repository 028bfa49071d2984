// CUDA row softmax, one block per row: softmax.three_pass (max, sum of exp, write; three reads of
// the row) and softmax.online (max and normaliser merged in one read, then the write pass). Same
// seeded inputs as the CPU kernels.
#include <cfloat>

#include "cuda/device_buffer.hpp"
#include "isobench/random.hpp"
#include "isobench/registry.hpp"
#include "op_metadata.hpp"

namespace isobench::kernels::cuda {

namespace {

constexpr int k_threads = 256;

__device__ float block_max(float v, float* shared) {
  for (int o = 16; o > 0; o /= 2) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  if (threadIdx.x % 32 == 0) shared[threadIdx.x / 32] = v;
  __syncthreads();
  v = threadIdx.x < blockDim.x / 32 ? shared[threadIdx.x] : -FLT_MAX;
  for (int o = 16; o > 0; o /= 2) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  __syncthreads();
  return v;  // every lane of warp 0 holds it; broadcast below
}

__device__ float block_sum(float v, float* shared) {
  for (int o = 16; o > 0; o /= 2) v += __shfl_xor_sync(0xffffffffu, v, o);
  if (threadIdx.x % 32 == 0) shared[threadIdx.x / 32] = v;
  __syncthreads();
  v = threadIdx.x < blockDim.x / 32 ? shared[threadIdx.x] : 0.0F;
  for (int o = 16; o > 0; o /= 2) v += __shfl_xor_sync(0xffffffffu, v, o);
  __syncthreads();
  return v;
}

__device__ float broadcast(float v, float* shared) {
  if (threadIdx.x == 0) shared[0] = v;
  __syncthreads();
  v = shared[0];
  __syncthreads();
  return v;
}

__global__ void softmax_three_pass_kernel(int cols, const float* __restrict__ in, float* __restrict__ out) {
  __shared__ float shared[32];
  const float* x = in + static_cast<long long>(blockIdx.x) * cols;
  float* y = out + static_cast<long long>(blockIdx.x) * cols;
  float mx = -FLT_MAX;
  for (int j = threadIdx.x; j < cols; j += blockDim.x) mx = fmaxf(mx, x[j]);
  mx = broadcast(block_max(mx, shared), shared);
  float sum = 0.0F;
  for (int j = threadIdx.x; j < cols; j += blockDim.x) sum += expf(x[j] - mx);
  const float inv = 1.0F / broadcast(block_sum(sum, shared), shared);
  for (int j = threadIdx.x; j < cols; j += blockDim.x) y[j] = expf(x[j] - mx) * inv;
}

// (max, sum) pairs merge as m = max(m1, m2), s = s1 e^(m1-m) + s2 e^(m2-m).
__device__ void merge(float& m, float& s, float m2, float s2) {
  const float mm = fmaxf(m, m2);
  s = (m == -FLT_MAX ? 0.0F : s * expf(m - mm)) + (m2 == -FLT_MAX ? 0.0F : s2 * expf(m2 - mm));
  m = mm;
}

__global__ void softmax_online_kernel(int cols, const float* __restrict__ in, float* __restrict__ out) {
  __shared__ float shared_m[32];
  __shared__ float shared_s[32];
  const float* x = in + static_cast<long long>(blockIdx.x) * cols;
  float* y = out + static_cast<long long>(blockIdx.x) * cols;
  float m = -FLT_MAX;
  float s = 0.0F;
  for (int j = threadIdx.x; j < cols; j += blockDim.x) merge(m, s, x[j], 1.0F);
  for (int o = 16; o > 0; o /= 2) merge(m, s, __shfl_xor_sync(0xffffffffu, m, o), __shfl_xor_sync(0xffffffffu, s, o));
  if (threadIdx.x % 32 == 0) {
    shared_m[threadIdx.x / 32] = m;
    shared_s[threadIdx.x / 32] = s;
  }
  __syncthreads();
  if (threadIdx.x < 32) {
    m = threadIdx.x < blockDim.x / 32 ? shared_m[threadIdx.x] : -FLT_MAX;
    s = threadIdx.x < blockDim.x / 32 ? shared_s[threadIdx.x] : 0.0F;
    for (int o = 16; o > 0; o /= 2) merge(m, s, __shfl_xor_sync(0xffffffffu, m, o), __shfl_xor_sync(0xffffffffu, s, o));
    if (threadIdx.x == 0) {
      shared_m[0] = m;
      shared_s[0] = s;
    }
  }
  __syncthreads();
  m = shared_m[0];
  const float inv = 1.0F / shared_s[0];
  for (int j = threadIdx.x; j < cols; j += blockDim.x) y[j] = expf(x[j] - m) * inv;
}

template <bool Online>
class softmax_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    m_rows = static_cast<int>(ctx.values.get_int("rows"));
    m_cols = static_cast<int>(ctx.values.get_int("cols"));
    std::vector<float> x(static_cast<std::size_t>(m_rows) * m_cols);
    gen::fill_normal(x, gen::derive_seed(ctx.seed, "x"), 0.0F, static_cast<float>(ctx.values.get_double("scale")));
    m_stream = static_cast<cudaStream_t>(ctx.stream);
    m_in = device_buffer<float>(x.size());
    m_out = device_buffer<float>(x.size());
    m_in.upload(x, m_stream);
    m_y = tensor(dtype::f32, {m_rows, m_cols});
  }
  void run() override {
    if (m_rows == 0) return;
    if constexpr (Online) {
      softmax_online_kernel<<<m_rows, k_threads, 0, m_stream>>>(m_cols, m_in.get(), m_out.get());
    } else {
      softmax_three_pass_kernel<<<m_rows, k_threads, 0, m_stream>>>(m_cols, m_in.get(), m_out.get());
    }
    ISOBENCH_CUDA_CHECK_LAUNCH();
  }
  [[nodiscard]] std::vector<named_tensor> outputs() const override {
    tensor y = m_y;
    m_out.download(y.as<float>().data(), m_stream);
    return {{"y", y}};
  }

private:
  int m_rows = 0, m_cols = 0;
  cudaStream_t m_stream{};
  device_buffer<float> m_in, m_out;
  tensor m_y;
};

void cuda_softmax(kernel_builder& b) {
  b.with(softmax_common).devices({device_kind::cuda}).dtypes({dtype::f32});
}

}  // namespace

ISOBENCH_REGISTER_KERNEL("softmax", "three_pass", softmax_kernel<false>)
    .sources({"kernels/cuda/softmax.cu"})
    .description("CUDA: one block per row; max, sum of exp, write")
    .with(cuda_softmax);

ISOBENCH_REGISTER_KERNEL("softmax", "online", softmax_kernel<true>)
    .sources({"kernels/cuda/softmax.cu"})
    .description("CUDA: one block per row; online max+normaliser in one read, then write")
    .with(cuda_softmax);

}  // namespace isobench::kernels::cuda
