#pragma once
// fp32 GEMM on the host, row-major and contiguous: C[m x n] = A[m x k] * B[k x n].

#include <cstdint>
#include <functional>
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

// Supplies rows of B to gemm_blocked while it packs a panel, e.g. dequantising stored weights on the
// fly, so a full fp32 copy of B never exists (the quantized linear layers use this).
class gemm_b_source {
public:
  gemm_b_source() = default;
  gemm_b_source(const gemm_b_source&) = delete;
  gemm_b_source& operator=(const gemm_b_source&) = delete;
  virtual ~gemm_b_source() = default;
  // out[0:count] = B[p, j:j+count] in fp32.
  virtual void read_row(std::int64_t p, std::int64_t j, std::int64_t count, float* out) const = 0;
};

// A finished piece of C: rows x cols elements at C[row, col], row stride ld (c points at the first).
struct gemm_tile {
  std::int64_t row, col, rows, cols, ld;
  float* c;
  [[nodiscard]] float* row_ptr(std::int64_t i) const noexcept { return c + i * ld; }
};

// What gemm_blocked can fuse around the product, so that fused operators do not make extra passes
// over memory: a LayerNorm of A's rows applied while A is packed, and an epilogue applied to each
// finished piece of C while it is still in cache.
struct gemm_fusion {
  const gemm_b_source* b_source = nullptr;  // when set, B comes from here and run()'s b is ignored
  // a'[i, p] = (a[i, p] - row_mean[i]) * row_rstd[i] * gamma[p] + beta[p]; gamma/beta may be null.
  const float* row_mean = nullptr;
  const float* row_rstd = nullptr;
  const float* gamma = nullptr;
  const float* beta = nullptr;
  const float* bias = nullptr;  // C[i, j] += bias[j], before the epilogue
  // Called once per finished register tile (up to 8 x 32), so its cost is one call per tile. With
  // several threads it is called concurrently, for disjoint tiles.
  std::function<void(const gemm_tile&)> epilogue;
  [[nodiscard]] bool normalises_a() const noexcept { return row_rstd != nullptr; }
  // dst[q * dst_stride] = a'[row, p0 + q] for q < count, from src = &a[row, p0] (the LayerNorm above).
  void normalise(std::int64_t row, std::int64_t p0, const float* src, std::int64_t count, float* dst,
                 std::int64_t dst_stride) const noexcept {
    const float mean = row_mean != nullptr ? row_mean[row] : 0.0F;
    const float rstd = row_rstd[row];
    for (std::int64_t q = 0; q < count; ++q) {
      float v = (src[q] - mean) * rstd;
      if (gamma != nullptr) v *= gamma[p0 + q];
      if (beta != nullptr) v += beta[p0 + q];
      dst[q * dst_stride] = v;
    }
  }
  // Bias, then the epilogue, on a finished piece of C.
  void finish(const gemm_tile& t) const {
    if (bias != nullptr) {
      for (std::int64_t i = 0; i < t.rows; ++i) {
        float* c = t.row_ptr(i);
        for (std::int64_t j = 0; j < t.cols; ++j) c[j] += bias[t.col + j];
      }
    }
    if (epilogue) epilogue(t);
  }
};

// Frees 64-byte-aligned float buffers (gemm_blocked's packed panels).
struct aligned_float_free {
  void operator()(float* p) const noexcept;
};

// Cache-blocked GEMM in the BLIS style: B panels packed for L3/L2, A blocks for L2, and an
// MR x NR register-tile micro-kernel written with portable vector types (6 x 16 with AVX2, 8 x 32
// with AVX-512). Buffers are allocated once per shape (not per call) so the timed run does not
// page-fault. With several threads, they pack each B panel together and then take row blocks
// dynamically, so a thread whose CPU is busy holds the others up by one block at most.
class gemm_blocked {
public:
  gemm_blocked(std::int64_t m, std::int64_t n, std::int64_t k, int threads);
  ~gemm_blocked();
  gemm_blocked(const gemm_blocked&) = delete;
  gemm_blocked& operator=(const gemm_blocked&) = delete;

  void run(const float* a, const float* b, float* c);
  void run(const float* a, const float* b, float* c, const gemm_fusion& fusion);
  // Only the first `rows` (<= m) rows of A and C, on the calling thread: for callers whose row count
  // grows call by call (decoding without a KV cache) and that should not re-plan each time.
  void run_prefix(std::int64_t rows, const float* a, const float* b, float* c);
  // Problems too small to repay packing take a plain loop; this says whether packing was used.
  [[nodiscard]] bool packed_path() const noexcept { return m_packed; }
  [[nodiscard]] int threads() const noexcept { return static_cast<int>(m_workers.size()); }

  struct workspace;
  struct team;

private:
  void run_rows(std::int64_t rows, const float* a, const float* b, float* c, const gemm_fusion& fusion, int threads);
  void run_unpacked(std::int64_t rows, const float* a, const float* b, float* c, const gemm_fusion& fusion,
                    workspace& ws) const;
  void run_packed(std::int64_t rows, const float* a, const float* b, float* c, const gemm_fusion& fusion, workspace& ws,
                  team& tm, int id, int size) const;

  std::int64_t m_m, m_n, m_k;
  bool m_packed;
  std::int64_t m_block_rows = 0;                            // rows of A per dynamically scheduled block
  std::unique_ptr<float[], aligned_float_free> m_packed_b;  // one B panel, shared by the threads
  std::vector<std::unique_ptr<workspace>> m_workers;
};

}  // namespace isobench::kernels
