#include "cpu/gemm.hpp"

#include <cblas.h>

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
  openblas_set_num_threads(threads);
}

void gemm_openblas(std::int64_t m, std::int64_t n, std::int64_t k, const float* a, const float* b, float* c) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<blasint>(m), static_cast<blasint>(n),
              static_cast<blasint>(k), 1.0F, a, static_cast<blasint>(k), b, static_cast<blasint>(n), 0.0F, c,
              static_cast<blasint>(n));
}

}  // namespace isobench::kernels
