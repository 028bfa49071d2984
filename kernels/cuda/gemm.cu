// CUDA GEMM, C (fp32, m x n) = A (m x k) * B (k x n), row-major, inputs in fp32, fp16 or bf16 and
// accumulation in fp32: gemm.naive, gemm.tiled (shared memory), gemm.cublas (cublasGemmEx, tensor
// cores for fp16/bf16). Inputs come from the same seeded generators as the CPU kernels, so a
// reference recorded on the CPU can be checked on the GPU with the dtype's tolerance.
#include <memory>

#include "cuda/cublas_api.hpp"
#include "cuda/device_buffer.hpp"
#include "isobench/error.hpp"
#include "isobench/random.hpp"
#include "isobench/registry.hpp"
#include "op_metadata.hpp"

namespace isobench::kernels::cuda {

namespace {

template <class T>
__device__ float to_float(T v) {
  return static_cast<float>(v);
}

template <class T>
__global__ void gemm_naive_kernel(int m, int n, int k, const T* __restrict__ a, const T* __restrict__ b,
                                  float* __restrict__ c) {
  const int row = blockIdx.y * blockDim.y + threadIdx.y;
  const int col = blockIdx.x * blockDim.x + threadIdx.x;
  if (row >= m || col >= n) return;
  float acc = 0.0F;
  for (int p = 0; p < k; ++p) acc += to_float(a[row * k + p]) * to_float(b[p * n + col]);
  c[row * n + col] = acc;
}

// 32 x 32 tiles of A and B staged in shared memory; each of the 32 x 8 threads computes 4 rows of
// the output tile, so every value loaded from global memory is reused 32 times.
constexpr int k_tile = 32;
constexpr int k_rows_per_thread = 4;

template <class T>
__global__ void gemm_tiled_kernel(int m, int n, int k, const T* __restrict__ a, const T* __restrict__ b,
                                  float* __restrict__ c) {
  __shared__ float as[k_tile][k_tile + 1];  // +1: no bank conflicts on the transposed reads
  __shared__ float bs[k_tile][k_tile + 1];
  const int tx = threadIdx.x;
  const int ty = threadIdx.y;
  const int col = blockIdx.x * k_tile + tx;
  const int row0 = blockIdx.y * k_tile + ty * k_rows_per_thread;
  float acc[k_rows_per_thread] = {};
  for (int t = 0; t < k; t += k_tile) {
    for (int r = 0; r < k_rows_per_thread; ++r) {
      const int ar = blockIdx.y * k_tile + ty * k_rows_per_thread + r;
      const int ac = t + tx;
      as[ty * k_rows_per_thread + r][tx] = ar < m && ac < k ? to_float(a[ar * k + ac]) : 0.0F;
      const int br = t + ty * k_rows_per_thread + r;
      bs[ty * k_rows_per_thread + r][tx] = br < k && col < n ? to_float(b[br * n + col]) : 0.0F;
    }
    __syncthreads();
#pragma unroll 8
    for (int p = 0; p < k_tile; ++p) {
      const float bv = bs[p][tx];
      for (int r = 0; r < k_rows_per_thread; ++r) acc[r] += as[ty * k_rows_per_thread + r][p] * bv;
    }
    __syncthreads();
  }
  for (int r = 0; r < k_rows_per_thread; ++r) {
    if (row0 + r < m && col < n) c[(row0 + r) * n + col] = acc[r];
  }
}

enum class variant { naive, tiled, cublas };

template <class T>
cudaDataType_t cuda_type();
template <>
cudaDataType_t cuda_type<float>() {
  return CUDA_R_32F;
}
template <>
cudaDataType_t cuda_type<__half>() {
  return CUDA_R_16F;
}
template <>
cudaDataType_t cuda_type<__nv_bfloat16>() {
  return CUDA_R_16BF;
}

class cublas_handle {
public:
  explicit cublas_handle(cudaStream_t stream) {
    ISOBENCH_CUBLAS_CHECK(cublas().create(&m_handle));
    ISOBENCH_CUBLAS_CHECK(cublas().set_stream(m_handle, stream));
  }
  ~cublas_handle() { cublas().destroy(m_handle); }
  cublas_handle(const cublas_handle&) = delete;
  cublas_handle& operator=(const cublas_handle&) = delete;
  [[nodiscard]] cublasHandle_t get() const { return m_handle; }

private:
  cublasHandle_t m_handle{};
};

// The typed part of one GEMM: device buffers and the launch.
class gemm_impl {
public:
  virtual ~gemm_impl() = default;
  virtual void run() = 0;
  virtual void copy_out(float* host) = 0;
};

template <class T>
class typed_gemm final : public gemm_impl {
public:
  typed_gemm(variant v, int m, int n, int k, const std::vector<float>& a, const std::vector<float>& b,
             cudaStream_t stream)
      : m_variant(v),
        m_m(m),
        m_n(n),
        m_k(k),
        m_stream(stream),
        m_a(a.size()),
        m_b(b.size()),
        m_c(static_cast<std::size_t>(m) * n) {
    m_a.upload(convert<T>(a), stream);
    m_b.upload(convert<T>(b), stream);
    if (v == variant::cublas) m_cublas = std::make_unique<cublas_handle>(stream);
  }
  void run() override {
    if (m_m == 0 || m_n == 0) return;
    switch (m_variant) {
      case variant::naive: {
        const dim3 block(16, 16);
        const dim3 grid((m_n + 15) / 16, (m_m + 15) / 16);
        gemm_naive_kernel<T><<<grid, block, 0, m_stream>>>(m_m, m_n, m_k, m_a.get(), m_b.get(), m_c.get());
        ISOBENCH_CUDA_CHECK_LAUNCH();
        break;
      }
      case variant::tiled: {
        const dim3 block(k_tile, k_tile / k_rows_per_thread);
        const dim3 grid((m_n + k_tile - 1) / k_tile, (m_m + k_tile - 1) / k_tile);
        gemm_tiled_kernel<T><<<grid, block, 0, m_stream>>>(m_m, m_n, m_k, m_a.get(), m_b.get(), m_c.get());
        ISOBENCH_CUDA_CHECK_LAUNCH();
        break;
      }
      case variant::cublas: {
        // Row-major C = A B is column-major C^T = B^T A^T: swap the operands, keep the layouts.
        const float alpha = 1.0F;
        const float beta = 0.0F;
        ISOBENCH_CUBLAS_CHECK(cublas().gemm_ex(m_cublas->get(), CUBLAS_OP_N, CUBLAS_OP_N, m_n, m_m, m_k, &alpha,
                                               m_b.get(), cuda_type<T>(), m_n, m_a.get(), cuda_type<T>(), m_k, &beta,
                                               m_c.get(), CUDA_R_32F, m_n, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
        break;
      }
    }
  }
  void copy_out(float* host) override { m_c.download(host, m_stream); }

private:
  variant m_variant;
  int m_m, m_n, m_k;
  cudaStream_t m_stream;
  device_buffer<T> m_a, m_b;
  device_buffer<float> m_c;
  std::unique_ptr<cublas_handle> m_cublas;
};

template <variant V>
class gemm_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    const auto m = static_cast<int>(ctx.values.get_int("m"));
    const auto n = static_cast<int>(ctx.values.get_int("n"));
    const auto k = static_cast<int>(ctx.values.get_int("k"));
    std::vector<float> a(static_cast<std::size_t>(m) * k), b(static_cast<std::size_t>(k) * n);
    gen::fill_uniform(a, gen::derive_seed(ctx.seed, "A"));  // the same inputs as the CPU kernels
    gen::fill_uniform(b, gen::derive_seed(ctx.seed, "B"));
    auto stream = static_cast<cudaStream_t>(ctx.stream);
    switch (ctx.type) {
      case dtype::f32: m_impl = std::make_unique<typed_gemm<float>>(V, m, n, k, a, b, stream); break;
      case dtype::f16: m_impl = std::make_unique<typed_gemm<__half>>(V, m, n, k, a, b, stream); break;
      case dtype::bf16: m_impl = std::make_unique<typed_gemm<__nv_bfloat16>>(V, m, n, k, a, b, stream); break;
      default: throw error(exit_code::unsupported, "gemm on cuda takes fp32, fp16 or bf16");
    }
    m_c = tensor(dtype::f32, {m, n});
  }
  void run() override { m_impl->run(); }
  [[nodiscard]] std::vector<named_tensor> outputs() const override {
    tensor c = m_c;
    m_impl->copy_out(c.as<float>().data());
    return {{"C", c}};
  }

private:
  std::unique_ptr<gemm_impl> m_impl;
  tensor m_c;
};

void cuda_gemm(kernel_builder& b) {
  b.with(gemm_common).devices({device_kind::cuda}).dtypes({dtype::f32, dtype::f16, dtype::bf16});
}

}  // namespace

ISOBENCH_REGISTER_KERNEL("gemm", "naive", gemm_kernel<variant::naive>)
    .sources({"kernels/cuda/gemm.cu"})
    .description("CUDA: one thread per output element, fp32 accumulation")
    .with(cuda_gemm);

ISOBENCH_REGISTER_KERNEL("gemm", "tiled", gemm_kernel<variant::tiled>)
    .sources({"kernels/cuda/gemm.cu"})
    .description("CUDA: 32x32 shared-memory tiles, 4 outputs per thread")
    .with(cuda_gemm);

ISOBENCH_REGISTER_KERNEL("gemm", "cublas", gemm_kernel<variant::cublas>)
    .sources({"kernels/cuda/gemm.cu"})
    .description("CUDA: cublasGemmEx, fp32 compute (tensor cores for fp16/bf16 inputs)")
    .with(cuda_gemm);

}  // namespace isobench::kernels::cuda
