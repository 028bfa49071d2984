#include "cpu/elementwise.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace isobench::kernels {

void rmsnorm_reference(std::int64_t rows, std::int64_t dim, const float* x, const float* w, float eps, float* y) {
  for (std::int64_t r = 0; r < rows; ++r) {
    double ss = 0.0;
    for (std::int64_t j = 0; j < dim; ++j) ss += static_cast<double>(x[r * dim + j]) * x[r * dim + j];
    const double rms = std::sqrt(ss / static_cast<double>(dim) + eps);
    for (std::int64_t j = 0; j < dim; ++j) y[r * dim + j] = static_cast<float>(x[r * dim + j] / rms * w[j]);
  }
}

void rmsnorm_naive(std::int64_t rows, std::int64_t dim, const float* x, const float* w, float eps, float* y) {
  for (std::int64_t r = 0; r < rows; ++r) {
    float ss = 0.0F;  // one dependent accumulator: the compiler may not reorder it
    for (std::int64_t j = 0; j < dim; ++j) ss += x[r * dim + j] * x[r * dim + j];
    const float rms = std::sqrt(ss / static_cast<float>(dim) + eps);
    for (std::int64_t j = 0; j < dim; ++j) y[r * dim + j] = x[r * dim + j] / rms * w[j];
  }
}

void rmsnorm_fused(std::int64_t rows, std::int64_t dim, const float* x, const float* w, float eps, float* y) {
  constexpr int lanes = 16;  // independent partial sums: the reduction vectorises
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * dim;
    float part[lanes] = {};
    std::int64_t j = 0;
    for (; j + lanes <= dim; j += lanes) {
      for (int l = 0; l < lanes; ++l) part[l] += xr[j + l] * xr[j + l];
    }
    float ss = 0.0F;
    for (; j < dim; ++j) ss += xr[j] * xr[j];
    for (float p : part) ss += p;
    const float inv = 1.0F / std::sqrt(ss / static_cast<float>(dim) + eps);
    float* yr = y + r * dim;
    for (std::int64_t i = 0; i < dim; ++i) yr[i] = xr[i] * inv * w[i];
  }
}

namespace {
inline float silu(float v) {
  return v / (1.0F + std::exp(-v));
}
}  // namespace

void silu_and_mul_reference(std::int64_t tokens, std::int64_t d, const float* x, float* out) {
  for (std::int64_t t = 0; t < tokens; ++t) {
    for (std::int64_t j = 0; j < d; ++j) {
      const double g = x[t * 2 * d + j];
      out[t * d + j] = static_cast<float>(g / (1.0 + std::exp(-g)) * x[t * 2 * d + d + j]);
    }
  }
}

void silu_and_mul_naive(std::int64_t tokens, std::int64_t d, const float* x, float* tmp, float* out) {
  for (std::int64_t t = 0; t < tokens; ++t) {
    for (std::int64_t j = 0; j < d; ++j) tmp[t * d + j] = silu(x[t * 2 * d + j]);
  }
  for (std::int64_t t = 0; t < tokens; ++t) {
    for (std::int64_t j = 0; j < d; ++j) out[t * d + j] = tmp[t * d + j] * x[t * 2 * d + d + j];
  }
}

void silu_and_mul_fused(std::int64_t tokens, std::int64_t d, const float* x, float* out) {
  for (std::int64_t t = 0; t < tokens; ++t) {
    const float* gate = x + t * 2 * d;
    const float* up = gate + d;
    float* o = out + t * d;
    for (std::int64_t j = 0; j < d; ++j) o[j] = silu(gate[j]) * up[j];
  }
}

namespace {

// Larger value first; equal values by lower index, so every variant returns the same answer.
struct by_value_desc {
  const float* v;
  bool operator()(std::int64_t a, std::int64_t b) const { return v[a] > v[b] || (v[a] == v[b] && a < b); }
};

template <class Select>
void topk(std::int64_t rows, std::int64_t vocab, std::int64_t k, const float* logits, std::int64_t* index, float* value,
          Select select) {
  k = std::min(k, vocab);
  std::vector<std::int64_t> idx(static_cast<std::size_t>(vocab));
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* row = logits + r * vocab;
    std::iota(idx.begin(), idx.end(), std::int64_t{0});
    select(idx, k, by_value_desc{row});
    for (std::int64_t i = 0; i < k; ++i) {
      index[r * k + i] = idx[static_cast<std::size_t>(i)];
      value[r * k + i] = row[idx[static_cast<std::size_t>(i)]];
    }
  }
}

}  // namespace

void topk_sort(std::int64_t rows, std::int64_t vocab, std::int64_t k, const float* logits, std::int64_t* index,
               float* value) {
  topk(rows, vocab, k, logits, index, value,
       [](std::vector<std::int64_t>& idx, std::int64_t, by_value_desc cmp) { std::sort(idx.begin(), idx.end(), cmp); });
}

void topk_partial(std::int64_t rows, std::int64_t vocab, std::int64_t k, const float* logits, std::int64_t* index,
                  float* value) {
  topk(rows, vocab, k, logits, index, value, [](std::vector<std::int64_t>& idx, std::int64_t kk, by_value_desc cmp) {
    const auto mid = idx.begin() + kk;
    std::nth_element(idx.begin(), mid, idx.end(), cmp);  // O(vocab): the k largest, unordered
    std::sort(idx.begin(), mid, cmp);                    // O(k log k)
  });
}

}  // namespace isobench::kernels
