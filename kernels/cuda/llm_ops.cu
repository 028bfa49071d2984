// CUDA versions of the row-wise transformer ops and the decode-sized linear layer, under the same
// op names, parameters and seeded inputs as the CPU kernels (so a spec runs on either device and
// the outputs compare with the CPU's):
//   rmsnorm.{naive,fused}         a thread per row (the CPU loop ported) vs a block per row with a
//                                 warp-shuffle reduction and one multiply by rsqrt
//   silu_and_mul.{naive,fused}    two kernels through a temporary vs one kernel
//   rotary.{naive,cached}         powf/sincosf per element vs the host-built cos/sin cache
//   linear.{dense,int8wo}         split-K GEMV over fp32 vs int8 weights (per-channel scales),
//                                 four output columns per thread; for decode sizes (m <= 16)
#include <cmath>

#include "cpu/linear.hpp"
#include "cpu/rotary.hpp"
#include "cuda/device_buffer.hpp"
#include "isobench/error.hpp"
#include "isobench/random.hpp"
#include "isobench/registry.hpp"
#include "op_metadata.hpp"

namespace isobench::kernels::cuda {

namespace {

constexpr int k_threads = 256;

int blocks_for(long long n, int threads = k_threads) {
  return static_cast<int>((n + threads - 1) / threads);
}

// ---------------------------------------------------------------- rmsnorm

__global__ void rmsnorm_naive_kernel(int rows, int dim, const float* __restrict__ x, const float* __restrict__ w,
                                     float eps, float* __restrict__ y) {
  const int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  const float* xr = x + static_cast<long long>(r) * dim;
  float ss = 0.0F;
  for (int i = 0; i < dim; ++i) ss += xr[i] * xr[i];
  const float rms = sqrtf(ss / dim + eps);
  for (int i = 0; i < dim; ++i) y[static_cast<long long>(r) * dim + i] = xr[i] / rms * w[i];
}

__global__ void rmsnorm_fused_kernel(int dim, const float* __restrict__ x, const float* __restrict__ w, float eps,
                                     float* __restrict__ y) {
  __shared__ float partial[32];
  const float* xr = x + static_cast<long long>(blockIdx.x) * dim;
  float* yr = y + static_cast<long long>(blockIdx.x) * dim;
  float ss = 0.0F;
  for (int i = threadIdx.x; i < dim; i += blockDim.x) ss += xr[i] * xr[i];
  for (int o = 16; o > 0; o /= 2) ss += __shfl_xor_sync(0xffffffffu, ss, o);
  if (threadIdx.x % 32 == 0) partial[threadIdx.x / 32] = ss;
  __syncthreads();
  if (threadIdx.x < 32) {
    ss = threadIdx.x < blockDim.x / 32 ? partial[threadIdx.x] : 0.0F;
    for (int o = 16; o > 0; o /= 2) ss += __shfl_xor_sync(0xffffffffu, ss, o);
    if (threadIdx.x == 0) partial[0] = rsqrtf(ss / dim + eps);
  }
  __syncthreads();
  const float inv = partial[0];
  for (int i = threadIdx.x; i < dim; i += blockDim.x) yr[i] = xr[i] * inv * w[i];
}

template <bool Fused>
class rmsnorm_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    m_rows = static_cast<int>(ctx.values.get_int("rows"));
    m_dim = static_cast<int>(ctx.values.get_int("dim"));
    m_eps = static_cast<float>(ctx.values.get_double("eps"));
    std::vector<float> x(static_cast<std::size_t>(m_rows) * m_dim), w(static_cast<std::size_t>(m_dim));
    gen::fill_normal(x, gen::derive_seed(ctx.seed, "x"));
    gen::fill_uniform(w, gen::derive_seed(ctx.seed, "w"), 0.5F, 1.5F);
    m_stream = static_cast<cudaStream_t>(ctx.stream);
    m_x = device_buffer<float>(x.size());
    m_w = device_buffer<float>(w.size());
    m_y = device_buffer<float>(x.size());
    m_x.upload(x, m_stream);
    m_w.upload(w, m_stream);
  }
  void run() override {
    if (m_rows == 0) return;
    if constexpr (Fused) {
      rmsnorm_fused_kernel<<<m_rows, k_threads, 0, m_stream>>>(m_dim, m_x.get(), m_w.get(), m_eps, m_y.get());
    } else {
      rmsnorm_naive_kernel<<<blocks_for(m_rows), k_threads, 0, m_stream>>>(m_rows, m_dim, m_x.get(), m_w.get(), m_eps,
                                                                           m_y.get());
    }
    ISOBENCH_CUDA_CHECK_LAUNCH();
  }
  [[nodiscard]] std::vector<named_tensor> outputs() const override {
    tensor y(dtype::f32, {m_rows, m_dim});
    m_y.download(y.as<float>().data(), m_stream);
    return {{"y", y}};
  }

private:
  int m_rows = 0, m_dim = 0;
  float m_eps = 0.0F;
  cudaStream_t m_stream{};
  device_buffer<float> m_x, m_w, m_y;
};

// ---------------------------------------------------------------- silu_and_mul

__device__ float silu(float v) {
  return v / (1.0F + expf(-v));
}

__global__ void silu_kernel(long long tokens, int d, const float* __restrict__ x, float* __restrict__ tmp) {
  const long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= tokens * d) return;
  tmp[i] = silu(x[(i / d) * 2 * d + i % d]);
}

__global__ void mul_kernel(long long tokens, int d, const float* __restrict__ x, const float* __restrict__ tmp,
                           float* __restrict__ out) {
  const long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= tokens * d) return;
  out[i] = tmp[i] * x[(i / d) * 2 * d + d + i % d];
}

__global__ void silu_and_mul_fused_kernel(long long tokens, int d, const float* __restrict__ x,
                                          float* __restrict__ out) {
  const long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= tokens * d) return;
  const float* row = x + (i / d) * 2 * d;
  out[i] = silu(row[i % d]) * row[d + i % d];
}

template <bool Fused>
class silu_and_mul_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    m_tokens = ctx.values.get_int("tokens");
    m_d = static_cast<int>(ctx.values.get_int("d"));
    std::vector<float> x(static_cast<std::size_t>(m_tokens * 2 * m_d));
    gen::fill_normal(x, gen::derive_seed(ctx.seed, "x"));
    m_stream = static_cast<cudaStream_t>(ctx.stream);
    m_x = device_buffer<float>(x.size());
    m_out = device_buffer<float>(static_cast<std::size_t>(m_tokens * m_d));
    if constexpr (!Fused) m_tmp = device_buffer<float>(static_cast<std::size_t>(m_tokens * m_d));
    m_x.upload(x, m_stream);
  }
  void run() override {
    const long long n = m_tokens * m_d;
    if (n == 0) return;
    if constexpr (Fused) {
      silu_and_mul_fused_kernel<<<blocks_for(n), k_threads, 0, m_stream>>>(m_tokens, m_d, m_x.get(), m_out.get());
    } else {
      silu_kernel<<<blocks_for(n), k_threads, 0, m_stream>>>(m_tokens, m_d, m_x.get(), m_tmp.get());
      ISOBENCH_CUDA_CHECK_LAUNCH();
      mul_kernel<<<blocks_for(n), k_threads, 0, m_stream>>>(m_tokens, m_d, m_x.get(), m_tmp.get(), m_out.get());
    }
    ISOBENCH_CUDA_CHECK_LAUNCH();
  }
  [[nodiscard]] std::vector<named_tensor> outputs() const override {
    tensor out(dtype::f32, {m_tokens, static_cast<std::int64_t>(m_d)});
    m_out.download(out.as<float>().data(), m_stream);
    return {{"out", out}};
  }

private:
  std::int64_t m_tokens = 0;
  int m_d = 0;
  cudaStream_t m_stream{};
  device_buffer<float> m_x, m_tmp, m_out;
};

// ---------------------------------------------------------------- rotary

// One thread per (token, head, pair i < head_dim / 2).
template <bool Cached>
__global__ void rotary_kernel(long long pairs, int heads, int head_dim, float base, const int* __restrict__ pos,
                              const float* __restrict__ cos_cache, const float* __restrict__ sin_cache,
                              const float* __restrict__ x, float* __restrict__ out) {
  const long long idx = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (idx >= pairs) return;
  const int half = head_dim / 2;
  const int i = static_cast<int>(idx % half);
  const long long token_head = idx / half;
  const long long t = token_head / heads;
  float c = 0.0F;
  float s = 0.0F;
  if constexpr (Cached) {
    c = cos_cache[static_cast<long long>(pos[t]) * half + i];
    s = sin_cache[static_cast<long long>(pos[t]) * half + i];
  } else {
    const float inv_freq = 1.0F / powf(base, static_cast<float>(2 * i) / static_cast<float>(head_dim));
    sincosf(static_cast<float>(pos[t]) * inv_freq, &s, &c);
  }
  const float* v = x + token_head * head_dim;
  float* o = out + token_head * head_dim;
  const float a = v[i];
  const float b = v[i + half];
  o[i] = a * c - b * s;
  o[i + half] = b * c + a * s;
}

template <bool Cached>
class rotary_kernel_impl final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    m_tokens = ctx.values.get_int("tokens");
    m_heads = static_cast<int>(ctx.values.get_int("heads"));
    m_head_dim = static_cast<int>(ctx.values.get_int("head_dim"));
    m_base = static_cast<float>(ctx.values.get_double("base"));
    if (m_head_dim % 2 != 0) throw config_error("head_dim must be even (rotary rotates pairs of halves)");
    const std::int64_t max_pos = ctx.values.get_int("max_pos");
    std::vector<float> x(static_cast<std::size_t>(m_tokens * m_heads * m_head_dim));
    gen::fill_normal(x, gen::derive_seed(ctx.seed, "x"));
    const auto pos = random_positions(m_tokens, max_pos, gen::derive_seed(ctx.seed, "pos"));
    m_stream = static_cast<cudaStream_t>(ctx.stream);
    m_x = device_buffer<float>(x.size());
    m_out = device_buffer<float>(x.size());
    m_pos = device_buffer<int>(pos.size());
    m_x.upload(x, m_stream);
    m_pos.upload(std::vector<int>(pos.begin(), pos.end()), m_stream);
    if constexpr (Cached) {  // built once with the model: the CPU kernel's tables, uploaded
      const rotary_cached cache(max_pos, m_head_dim, m_base);
      m_cos = device_buffer<float>(cache.cos_table().size());
      m_sin = device_buffer<float>(cache.sin_table().size());
      m_cos.upload(cache.cos_table(), m_stream);
      m_sin.upload(cache.sin_table(), m_stream);
    }
  }
  void run() override {
    const long long pairs = m_tokens * m_heads * (m_head_dim / 2);
    if (pairs == 0) return;
    rotary_kernel<Cached><<<blocks_for(pairs), k_threads, 0, m_stream>>>(
        pairs, m_heads, m_head_dim, m_base, m_pos.get(), m_cos.get(), m_sin.get(), m_x.get(), m_out.get());
    ISOBENCH_CUDA_CHECK_LAUNCH();
  }
  [[nodiscard]] std::vector<named_tensor> outputs() const override {
    tensor out(dtype::f32, {m_tokens, static_cast<std::int64_t>(m_heads), static_cast<std::int64_t>(m_head_dim)});
    m_out.download(out.as<float>().data(), m_stream);
    return {{"out", out}};
  }

private:
  std::int64_t m_tokens = 0;
  int m_heads = 0, m_head_dim = 0;
  float m_base = 0.0F;
  cudaStream_t m_stream{};
  device_buffer<float> m_x, m_out, m_cos, m_sin;
  device_buffer<int> m_pos;
};

// ---------------------------------------------------------------- linear (GEMV)

constexpr int k_max_rows = 16;  // decode sizes; larger m is a GEMM, use gemm.cublas
constexpr int k_split_k = 64;   // rows of W per block in k: enough blocks to fill the GPU at m = 1

// y[m, n] += sum over this block's slice of k of x[m, p] W[p, n], four columns per thread
// (one 16-byte fp32 or 4-byte int8 load per row of W), partial sums added atomically.
template <bool Int8>
__global__ void gemv_kernel(int m, int k, int n, const float* __restrict__ x, const void* __restrict__ w,
                            const float* __restrict__ scale, float* __restrict__ y) {
  const int col = 4 * (blockIdx.x * blockDim.x + threadIdx.x);
  if (col >= n) return;
  const int p0 = blockIdx.y * k_split_k;
  const int p1 = min(k, p0 + k_split_k);
  float acc[k_max_rows][4] = {};
  for (int p = p0; p < p1; ++p) {
    float wv[4];
    if constexpr (Int8) {
      const char4 q =
          reinterpret_cast<const char4*>(static_cast<const signed char*>(w) + static_cast<long long>(p) * n)[col / 4];
      wv[0] = q.x;
      wv[1] = q.y;
      wv[2] = q.z;
      wv[3] = q.w;
    } else {
      const float4 f =
          reinterpret_cast<const float4*>(static_cast<const float*>(w) + static_cast<long long>(p) * n)[col / 4];
      wv[0] = f.x;
      wv[1] = f.y;
      wv[2] = f.z;
      wv[3] = f.w;
    }
#pragma unroll
    for (int r = 0; r < k_max_rows; ++r) {
      if (r >= m) break;
      const float xr = x[static_cast<long long>(r) * k + p];
#pragma unroll
      for (int c = 0; c < 4; ++c) acc[r][c] += xr * wv[c];
    }
  }
  for (int r = 0; r < m; ++r) {
    for (int c = 0; c < 4; ++c) {
      const float s = Int8 ? scale[col + c] : 1.0F;  // per-channel scale, applied once per partial sum
      atomicAdd(&y[static_cast<long long>(r) * n + col + c], acc[r][c] * s);
    }
  }
}

template <bool Int8>
class linear_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    m_m = ctx.values.get_int("m");
    m_k = ctx.values.get_int("k");
    m_n = ctx.values.get_int("n");
    if (m_m > k_max_rows) throw config_error("the CUDA linear is a GEMV for decode sizes: m must be <= 16");
    if (m_n % 4 != 0) throw config_error("the CUDA linear needs n to be a multiple of 4 (16-byte rows of W)");
    std::vector<float> w(static_cast<std::size_t>(m_k * m_n)), x(static_cast<std::size_t>(m_m * m_k));
    gen::fill_normal(w, gen::derive_seed(ctx.seed, "w"), 0.0F, 1.0F / std::sqrt(static_cast<float>(m_k)));
    gen::fill_normal(x, gen::derive_seed(ctx.seed, "x"));
    m_stream = static_cast<cudaStream_t>(ctx.stream);
    m_x = device_buffer<float>(x.size());
    m_y = device_buffer<float>(static_cast<std::size_t>(m_m * m_n));
    m_x.upload(x, m_stream);
    const linear_weight lw(Int8 ? weight_format::int8 : weight_format::f32, m_k, m_n, w.data());
    m_weight_bytes = lw.storage_bytes();
    const auto s = lw.storage();
    if constexpr (Int8) {
      m_w8 = device_buffer<std::int8_t>(w.size());
      m_w8.upload(std::vector<std::int8_t>(s.int8, s.int8 + w.size()), m_stream);
      m_scale = device_buffer<float>(static_cast<std::size_t>(m_n));
      m_scale.upload(std::vector<float>(s.scale, s.scale + m_n), m_stream);
      // The fp32 layer's output, for the quantization error next to the time.
      const linear_weight dense(weight_format::f32, m_k, m_n, w.data());
      linear_op op(m_m, dense);
      m_dense_y.resize(static_cast<std::size_t>(m_m * m_n));
      op.run(x.data(), nullptr, m_dense_y.data());
    } else {
      m_w32 = device_buffer<float>(w.size());
      m_w32.upload(w, m_stream);
    }
  }
  void run() override {
    if (m_m == 0) return;
    ISOBENCH_CUDA_CHECK(cudaMemsetAsync(m_y.get(), 0, m_y.size() * sizeof(float), m_stream));
    const dim3 grid(blocks_for(m_n / 4, 128), static_cast<unsigned>((m_k + k_split_k - 1) / k_split_k));
    const void* w = Int8 ? static_cast<const void*>(m_w8.get()) : static_cast<const void*>(m_w32.get());
    gemv_kernel<Int8><<<grid, 128, 0, m_stream>>>(static_cast<int>(m_m), static_cast<int>(m_k), static_cast<int>(m_n),
                                                  m_x.get(), w, m_scale.get(), m_y.get());
    ISOBENCH_CUDA_CHECK_LAUNCH();
  }
  [[nodiscard]] std::vector<named_tensor> outputs() const override {
    tensor y(dtype::f32, {m_m, m_n});
    m_y.download(y.as<float>().data(), m_stream);
    return {{"y", y}};
  }
  [[nodiscard]] std::vector<counter> counters() const override {
    std::vector<counter> out{{"weight_bytes", static_cast<double>(m_weight_bytes)}};
    if (!m_dense_y.empty()) {
      std::vector<float> y(m_dense_y.size());
      m_y.download(y.data(), m_stream);
      out.push_back({"quant_rel_err", quantization_error(y, m_dense_y).rel_l2});
    }
    return out;
  }

private:
  std::int64_t m_m = 0, m_k = 0, m_n = 0, m_weight_bytes = 0;
  cudaStream_t m_stream{};
  device_buffer<float> m_x, m_y, m_w32, m_scale;
  device_buffer<std::int8_t> m_w8;
  std::vector<float> m_dense_y;
};

void on_cuda(kernel_builder& b) {
  b.devices({device_kind::cuda}).dtypes({dtype::f32});
}

}  // namespace

ISOBENCH_REGISTER_KERNEL("rmsnorm", "naive", rmsnorm_kernel<false>)
    .sources({"kernels/cuda/llm_ops.cu"})
    .description("CUDA: a thread per row, the CPU loop ported")
    .with(rmsnorm_common)
    .with(on_cuda);
ISOBENCH_REGISTER_KERNEL("rmsnorm", "fused", rmsnorm_kernel<true>)
    .sources({"kernels/cuda/llm_ops.cu"})
    .description("CUDA: a block per row, warp-shuffle reduction, multiply by rsqrt")
    .with(rmsnorm_common)
    .with(on_cuda);
ISOBENCH_REGISTER_KERNEL("silu_and_mul", "naive", silu_and_mul_kernel<false>)
    .sources({"kernels/cuda/llm_ops.cu"})
    .description("CUDA: SiLU into a temporary, then a second kernel multiplies")
    .with(silu_common)
    .with(on_cuda);
ISOBENCH_REGISTER_KERNEL("silu_and_mul", "fused", silu_and_mul_kernel<true>)
    .sources({"kernels/cuda/llm_ops.cu"})
    .description("CUDA: one kernel")
    .with(silu_common)
    .with(on_cuda);
ISOBENCH_REGISTER_KERNEL("rotary", "naive", rotary_kernel_impl<false>)
    .sources({"kernels/cuda/llm_ops.cu"})
    .description("CUDA: powf and sincosf per element")
    .with(rotary_common)
    .with(on_cuda);
ISOBENCH_REGISTER_KERNEL("rotary", "cached", rotary_kernel_impl<true>)
    .sources({"kernels/cuda/llm_ops.cu"})
    .description("CUDA: cos/sin cache built with the model")
    .with(rotary_common)
    .with(on_cuda);
ISOBENCH_REGISTER_KERNEL("linear", "dense", linear_kernel<false>)
    .sources({"kernels/cuda/llm_ops.cu"})
    .description("CUDA: split-K GEMV over fp32 weights (m <= 16)")
    .with([](kernel_builder& b) { linear_common(b, weight_format::f32); })
    .with(on_cuda);
ISOBENCH_REGISTER_KERNEL("linear", "int8wo", linear_kernel<true>)
    .sources({"kernels/cuda/llm_ops.cu"})
    .description("CUDA: split-K GEMV over int8 weights with per-channel scales (m <= 16)")
    .with([](kernel_builder& b) { linear_common(b, weight_format::int8); })
    .with(on_cuda);

}  // namespace isobench::kernels::cuda
