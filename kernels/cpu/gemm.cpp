#include "cpu/gemm.hpp"

#include <algorithm>

#include "cpu/openblas_api.hpp"

namespace isobench::kernels {

void gemm_reference(std::int64_t m, std::int64_t n, std::int64_t k, const float* a, const float* b, float* c) {
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      double acc = 0.0;
      for (std::int64_t p = 0; p < k; ++p) acc += static_cast<double>(a[i * k + p]) * b[p * n + j];
      c[i * n + j] = static_cast<float>(acc);
    }
  }
}

void gemm_naive(std::int64_t m, std::int64_t n, std::int64_t k, const float* a, const float* b, float* c) {
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      float acc = 0.0F;
      for (std::int64_t p = 0; p < k; ++p) acc += a[i * k + p] * b[p * n + j];
      c[i * n + j] = acc;
    }
  }
}

void set_openblas_threads(int threads) {
  openblas().set_num_threads(threads);
}

void gemm_openblas(std::int64_t m, std::int64_t n, std::int64_t k, const float* a, const float* b, float* c) {
  constexpr int row_major = 101;  // CblasRowMajor
  constexpr int no_trans = 111;   // CblasNoTrans
  const auto mi = static_cast<int>(m);
  const auto ni = static_cast<int>(n);
  const auto ki = static_cast<int>(k);
  openblas().sgemm(row_major, no_trans, no_trans, mi, ni, ki, 1.0F, a, std::max(ki, 1), b, std::max(ni, 1), 0.0F, c,
                   std::max(ni, 1));
}

}  // namespace isobench::kernels
