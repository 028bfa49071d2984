#pragma once
// fp32 GEMM on the host, row-major and contiguous: C[m x n] = A[m x k] * B[k x n].

#include <cstdint>
#include <memory>
#include <vector>

namespace isobench::kernels {

// Test oracle: double accumulation, no tricks.
void gemm_reference(std::int64_t m, std::int64_t n, std::int64_t k, const float* a, const float* b, float* c);

// The textbook triple loop (i, j, k): walks B by column, so it is memory-bound on large k.
void gemm_naive(std::int64_t m, std::int64_t n, std::int64_t k, const float* a, const float* b, float* c);

// OpenBLAS cblas_sgemm, using as many threads as set_openblas_threads() last asked for.
void gemm_openblas(std::int64_t m, std::int64_t n, std::int64_t k, const float* a, const float* b, float* c);
void set_openblas_threads(int threads);

// Cache-blocked GEMM in the BLIS style: B panels packed for L3/L2, A blocks for L2, and an
// MR x NR register-tile micro-kernel written with portable vector types. Buffers are allocated
// once per shape (not per call) so the timed run does not page-fault.
class gemm_blocked {
public:
  gemm_blocked(std::int64_t m, std::int64_t n, std::int64_t k, int threads);
  ~gemm_blocked();
  gemm_blocked(const gemm_blocked&) = delete;
  gemm_blocked& operator=(const gemm_blocked&) = delete;

  void run(const float* a, const float* b, float* c);
  // Problems too small to repay packing take a plain loop; this says whether packing was used.
  [[nodiscard]] bool packed_path() const noexcept { return m_packed; }
  [[nodiscard]] int threads() const noexcept { return static_cast<int>(m_workers.size()); }

  struct workspace;

private:
  void run_rows(std::int64_t row_begin, std::int64_t row_end, const float* a, const float* b, float* c,
                workspace& ws) const;

  std::int64_t m_m, m_n, m_k;
  bool m_packed;
  std::vector<std::unique_ptr<workspace>> m_workers;
};

}  // namespace isobench::kernels
