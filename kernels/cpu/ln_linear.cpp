#include "cpu/ln_linear.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "cpu/vector_math.hpp"

namespace isobench::kernels {

std::string_view to_string(activation a) noexcept {
  switch (a) {
    case activation::sigmoid: return "sigmoid";
    case activation::relu: return "relu";
    case activation::leakyrelu: return "leakyrelu";
    case activation::relu6: return "relu6";
    case activation::gelu: return "gelu";
    case activation::silu: return "silu";
    case activation::hardswish: return "hardswish";
  }
  return "?";
}

namespace {

// The definitions (libm), used by activate() and the test oracle.
template <activation A>
inline float act_exact(float x) noexcept {
  if constexpr (A == activation::sigmoid) return 1.0F / (1.0F + std::exp(-x));
  if constexpr (A == activation::relu) return std::max(x, 0.0F);
  if constexpr (A == activation::leakyrelu) return x > 0.0F ? x : 0.01F * x;
  if constexpr (A == activation::relu6) return std::clamp(x, 0.0F, 6.0F);
  if constexpr (A == activation::gelu) return 0.5F * x * (1.0F + std::erf(x * 0.70710678F));
  if constexpr (A == activation::silu) return x / (1.0F + std::exp(-x));
  if constexpr (A == activation::hardswish) return x * std::clamp(x + 3.0F, 0.0F, 6.0F) / 6.0F;
  return x;
}

// What both ln_linear variants run: the same functions with vectorisable exp/erf.
template <activation A>
inline float act_fast(float x) noexcept {
  if constexpr (A == activation::sigmoid) return 1.0F / (1.0F + fast_exp(-x));
  if constexpr (A == activation::gelu) return 0.5F * x * (1.0F + fast_erf(x * 0.70710678F));
  if constexpr (A == activation::silu) return x / (1.0F + fast_exp(-x));
  return act_exact<A>(x);
}

template <activation A>
void act_loop(float* x, std::int64_t count) noexcept {
  for (std::int64_t i = 0; i < count; ++i) x[i] = act_fast<A>(x[i]);
}

}  // namespace

float activate(activation a, float x) noexcept {
  switch (a) {
    case activation::sigmoid: return act_exact<activation::sigmoid>(x);
    case activation::relu: return act_exact<activation::relu>(x);
    case activation::leakyrelu: return act_exact<activation::leakyrelu>(x);
    case activation::relu6: return act_exact<activation::relu6>(x);
    case activation::gelu: return act_exact<activation::gelu>(x);
    case activation::silu: return act_exact<activation::silu>(x);
    case activation::hardswish: return act_exact<activation::hardswish>(x);
  }
  return x;
}

void activate_inplace(activation a, float* x, std::int64_t count) noexcept {
  switch (a) {
    case activation::sigmoid: act_loop<activation::sigmoid>(x, count); break;
    case activation::relu: act_loop<activation::relu>(x, count); break;
    case activation::leakyrelu: act_loop<activation::leakyrelu>(x, count); break;
    case activation::relu6: act_loop<activation::relu6>(x, count); break;
    case activation::gelu: act_loop<activation::gelu>(x, count); break;
    case activation::silu: act_loop<activation::silu>(x, count); break;
    case activation::hardswish: act_loop<activation::hardswish>(x, count); break;
  }
}

void layernorm_stats(std::int64_t rows, std::int64_t dim, const float* x, float eps, float* mean, float* rstd) {
  constexpr int lanes = 16;  // independent partial sums, so the loops vectorise without -ffast-math
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * dim;
    float part[lanes] = {};
    std::int64_t i = 0;
    for (; i + lanes <= dim; i += lanes) {
      for (int l = 0; l < lanes; ++l) part[l] += xr[i + l];
    }
    float sum = 0.0F;
    for (; i < dim; ++i) sum += xr[i];
    for (float p : part) sum += p;
    const float mu = dim > 0 ? sum / static_cast<float>(dim) : 0.0F;
    float sq[lanes] = {};
    for (i = 0; i + lanes <= dim; i += lanes) {
      for (int l = 0; l < lanes; ++l) {
        const float d = xr[i + l] - mu;
        sq[l] += d * d;
      }
    }
    float var = 0.0F;
    for (; i < dim; ++i) var += (xr[i] - mu) * (xr[i] - mu);
    for (float p : sq) var += p;
    var = dim > 0 ? var / static_cast<float>(dim) : 0.0F;
    mean[r] = mu;
    rstd[r] = 1.0F / std::sqrt(var + eps);
  }
}

void layernorm(std::int64_t rows, std::int64_t dim, const float* x, const float* gamma, const float* beta, float eps,
               float* y) {
  for (std::int64_t r = 0; r < rows; ++r) {
    float mean = 0.0F;
    float rstd = 0.0F;
    layernorm_stats(1, dim, x + r * dim, eps, &mean, &rstd);
    const float* xr = x + r * dim;
    float* yr = y + r * dim;
    for (std::int64_t i = 0; i < dim; ++i) yr[i] = (xr[i] - mean) * rstd * gamma[i] + beta[i];
  }
}

namespace {

template <activation A>
std::function<void(const gemm_tile&)> bias_activation_epilogue(const float* bias) {
  return [bias](const gemm_tile& t) {
    for (std::int64_t i = 0; i < t.rows; ++i) {
      float* c = t.row_ptr(i);
      const float* b = bias + t.col;
      for (std::int64_t j = 0; j < t.cols; ++j) c[j] = act_fast<A>(c[j] + b[j]);
    }
  };
}

std::function<void(const gemm_tile&)> bias_activation_epilogue(activation a, const float* bias) {
  switch (a) {
    case activation::sigmoid: return bias_activation_epilogue<activation::sigmoid>(bias);
    case activation::relu: return bias_activation_epilogue<activation::relu>(bias);
    case activation::leakyrelu: return bias_activation_epilogue<activation::leakyrelu>(bias);
    case activation::relu6: return bias_activation_epilogue<activation::relu6>(bias);
    case activation::gelu: return bias_activation_epilogue<activation::gelu>(bias);
    case activation::silu: return bias_activation_epilogue<activation::silu>(bias);
    case activation::hardswish: return bias_activation_epilogue<activation::hardswish>(bias);
  }
  return {};
}

}  // namespace

ln_linear::ln_linear(std::int64_t m, std::int64_t k, std::int64_t n, activation act, const float* weight,
                     const float* bias, const float* gamma, const float* beta, float eps, int threads)
    : m_m(m),
      m_k(k),
      m_n(n),
      m_act(act),
      m_eps(eps),
      m_weight(weight_format::f32, k, n, weight),
      m_bias(bias, bias + n),
      m_gamma(gamma, gamma + k),
      m_beta(beta, beta + k),
      m_linear(m, m_weight, threads),
      m_normed(static_cast<std::size_t>(m * k)),
      m_mean(static_cast<std::size_t>(m)),
      m_rstd(static_cast<std::size_t>(m)) {
  // The fused path's plan, made once: normalise x while packing it; bias and activation in one pass
  // over each output tile while it is in cache, the activation chosen here so the loop inlines.
  m_fusion.row_mean = m_mean.data();
  m_fusion.row_rstd = m_rstd.data();
  m_fusion.gamma = m_gamma.data();
  m_fusion.beta = m_beta.data();
  m_fusion.epilogue = bias_activation_epilogue(act, m_bias.data());
}

void ln_linear::run_unfused(const float* x, float* y) {
  layernorm(m_m, m_k, x, m_gamma.data(), m_beta.data(), m_eps, m_normed.data());
  m_linear.run(m_normed.data(), m_bias.data(), y);
  activate_inplace(m_act, y, m_m * m_n);
}

void ln_linear::run_fused(const float* x, float* y) {
  layernorm_stats(m_m, m_k, x, m_eps, m_mean.data(), m_rstd.data());
  m_linear.run(x, nullptr, y, m_fusion);
}

void ln_linear_reference(std::int64_t m, std::int64_t k, std::int64_t n, activation act, const float* x,
                         const float* weight, const float* bias, const float* gamma, const float* beta, float eps,
                         float* y) {
  std::vector<double> h(static_cast<std::size_t>(k));
  for (std::int64_t i = 0; i < m; ++i) {
    const float* xi = x + i * k;
    double mean = 0.0;
    for (std::int64_t p = 0; p < k; ++p) mean += xi[p];
    mean = k > 0 ? mean / static_cast<double>(k) : 0.0;
    double var = 0.0;
    for (std::int64_t p = 0; p < k; ++p) var += (xi[p] - mean) * (xi[p] - mean);
    var = k > 0 ? var / static_cast<double>(k) : 0.0;
    const double rstd = 1.0 / std::sqrt(var + eps);
    for (std::int64_t p = 0; p < k; ++p) h[static_cast<std::size_t>(p)] = (xi[p] - mean) * rstd * gamma[p] + beta[p];
    for (std::int64_t j = 0; j < n; ++j) {
      double acc = bias[j];
      for (std::int64_t p = 0; p < k; ++p) acc += h[static_cast<std::size_t>(p)] * weight[p * n + j];
      y[i * n + j] = activate(act, static_cast<float>(acc));
    }
  }
}

}  // namespace isobench::kernels
