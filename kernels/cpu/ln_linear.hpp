#pragma once
// LayerNorm -> Linear -> activation, the block that KernelBench-style fusion commits target:
// unfused (three passes over memory: normalised copy of x, product, activation in place) vs fused
// (row statistics only, the normalisation applied while gemm_blocked packs x, bias and activation
// applied to each piece of the output while it is still in cache).

#include <cstdint>
#include <string_view>
#include <vector>

#include "isobench/placement.hpp"

#include "cpu/linear.hpp"

namespace isobench::kernels {

enum class activation : std::uint8_t { sigmoid, relu, leakyrelu, relu6, gelu, silu, hardswish };
std::string_view to_string(activation a) noexcept;

// The definition, with libm (LeakyReLU slope 0.01, exact erf GELU): the test oracle.
float activate(activation a, float x) noexcept;
// What the kernels run: the same functions with polynomial exp/erf (error < 1e-6) that vectorise.
void activate_inplace(activation a, float* x, std::int64_t count) noexcept;

// mean and 1/sqrt(var + eps) of each row (population variance, as torch.nn.LayerNorm).
void layernorm_stats(std::int64_t rows, std::int64_t dim, const float* x, float eps, float* mean, float* rstd);
void layernorm(std::int64_t rows, std::int64_t dim, const float* x, const float* gamma, const float* beta, float eps,
               float* y);

class ln_linear {
public:
  // x is m x k; weight (k x n), gamma/beta (k) and bias (n) are copied.
  ln_linear(std::int64_t m, std::int64_t k, std::int64_t n, activation act, const float* weight, const float* bias,
            const float* gamma, const float* beta, float eps, int threads = 1);
  void run_unfused(const float* x, float* y);
  void run_fused(const float* x, float* y);
  [[nodiscard]] bool gemv_path() const noexcept { return m_linear.gemv_path(); }

private:
  std::int64_t m_m, m_k, m_n;
  activation m_act;
  float m_eps;
  linear_weight m_weight;
  scratch_vector<float> m_bias, m_gamma, m_beta;
  linear_op m_linear;
  scratch_vector<float> m_normed;        // unfused: LayerNorm(x), m x k
  scratch_vector<float> m_mean, m_rstd;  // fused: per-row statistics
  gemm_fusion m_fusion;                  // fused: what the GEMM applies around the product
};

// Test oracle in double precision.
void ln_linear_reference(std::int64_t m, std::int64_t k, std::int64_t n, activation act, const float* x,
                         const float* weight, const float* bias, const float* gamma, const float* beta, float eps,
                         float* y);

}  // namespace isobench::kernels
