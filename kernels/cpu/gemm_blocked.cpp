#include <algorithm>
#include <atomic>
#include <barrier>
#include <cstring>
#include <functional>
#include <new>
#include <thread>

#include "cpu/gemm.hpp"
#include "isobench/placement.hpp"

namespace isobench::kernels {

namespace {

// The register tile follows the instruction set the kernels are compiled for (ISOBENCH_KERNEL_ARCH,
// -march=native by default). GCC/Clang vector extensions keep the micro-kernel portable C++ that
// the compiler maps to those registers; the tile must leave the accumulators, the B vectors and
// the broadcast A value in registers, or the k-loop spills:
//   AVX-512: 32 zmm, 8 x 32 floats = 16 accumulators + 2 B + 1 A.
//   AVX/AVX2: 16 ymm, 6 x 16 floats = 12 accumulators + 2 B + 1 A (8 x 16 would need 19).
//   SSE2: 16 xmm, 6 x 8 floats, likewise.
#if defined(__AVX512F__)
constexpr int k_vec = 16;
constexpr int k_mr = 8;
#elif defined(__AVX__)
constexpr int k_vec = 8;
constexpr int k_mr = 6;
#else
constexpr int k_vec = 4;
constexpr int k_mr = 6;
#endif
typedef float vfloat __attribute__((vector_size(k_vec * sizeof(float))));

constexpr int k_nv = 2;              // vectors per tile row
constexpr int k_nr = k_nv * k_vec;   // columns of the register tile
constexpr std::int64_t k_kc = 256;   // depth of a packed panel: an MR x KC + KC x NR pair sits in L1/L2
constexpr std::int64_t k_mc = 144;   // rows of a packed A block (L2); a multiple of both MRs
constexpr std::int64_t k_nc = 3072;  // columns of a packed B panel (L3)
constexpr std::int64_t k_small_flops = 32 * 32 * 32;  // below this, packing costs more than it saves
static_assert(k_mc % k_mr == 0);

std::int64_t round_up(std::int64_t x, std::int64_t to) {
  return (x + to - 1) / to * to;
}

inline __attribute__((always_inline)) vfloat load(const float* p) {
  vfloat v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline __attribute__((always_inline)) void store(float* p, vfloat v) {
  std::memcpy(p, &v, sizeof v);
}

// acc += A_sliver (MR x kc, packed column-major by k) * B_sliver (kc x NR, packed row-major),
// then C tile = (accumulate ? C : 0) + acc for the valid mr x nr corner.
void micro_kernel(std::int64_t kc, const float* __restrict a, const float* __restrict b, float* c, std::int64_t ldc,
                  bool accumulate, int mr, int nr) {
  vfloat acc[k_mr][k_nv] = {};
  for (std::int64_t p = 0; p < kc; ++p) {
    vfloat bv[k_nv];
#pragma GCC unroll 4
    for (int v = 0; v < k_nv; ++v) bv[v] = load(b + p * k_nr + v * k_vec);
#pragma GCC unroll 16
    for (int i = 0; i < k_mr; ++i) {
      const float ai = a[p * k_mr + i];
#pragma GCC unroll 4
      for (int v = 0; v < k_nv; ++v) acc[i][v] += ai * bv[v];
    }
  }
  if (mr == k_mr && nr == k_nr) {
    for (int i = 0; i < k_mr; ++i) {
      for (int v = 0; v < k_nv; ++v) {
        float* dst = c + i * ldc + v * k_vec;
        store(dst, accumulate ? load(dst) + acc[i][v] : acc[i][v]);
      }
    }
    return;
  }
  alignas(64) float tile[k_mr][k_nr];
  for (int i = 0; i < k_mr; ++i) {
    for (int v = 0; v < k_nv; ++v) store(&tile[i][v * k_vec], acc[i][v]);
  }
  for (int i = 0; i < mr; ++i) {
    for (int j = 0; j < nr; ++j) c[i * ldc + j] = (accumulate ? c[i * ldc + j] : 0.0F) + tile[i][j];
  }
}

// B[pc:pc+kc, jc:jc+nc] -> slivers of NR columns, zero-padded.
void pack_b(const float* b, std::int64_t ldb, std::int64_t kc, std::int64_t nc, float* out) {
  for (std::int64_t j0 = 0; j0 < nc; j0 += k_nr) {
    const std::int64_t w = std::min<std::int64_t>(k_nr, nc - j0);
    for (std::int64_t p = 0; p < kc; ++p) {
      const float* src = b + p * ldb + j0;
      float* dst = out + j0 * kc + p * k_nr;
      std::int64_t j = 0;
      for (; j < w; ++j) dst[j] = src[j];
      for (; j < k_nr; ++j) dst[j] = 0.0F;
    }
  }
}

// The same layout, with rows supplied by a source (which may dequantise).
void pack_b(const gemm_b_source& b, std::int64_t pc, std::int64_t jc, std::int64_t kc, std::int64_t nc, float* out) {
  for (std::int64_t j0 = 0; j0 < nc; j0 += k_nr) {
    const std::int64_t w = std::min<std::int64_t>(k_nr, nc - j0);
    for (std::int64_t p = 0; p < kc; ++p) {
      float* dst = out + j0 * kc + p * k_nr;
      b.read_row(pc + p, jc + j0, w, dst);
      for (std::int64_t j = w; j < k_nr; ++j) dst[j] = 0.0F;
    }
  }
}

// A[ic:ic+mc, pc:pc+kc] -> slivers of MR rows stored k-major, zero-padded; rows normalised on the
// way when the fusion asks for it (row indices relative to `row0`, columns to `pc`).
void pack_a(const float* a, std::int64_t lda, std::int64_t mc, std::int64_t kc, float* out, const gemm_fusion& f,
            std::int64_t row0, std::int64_t pc) {
  for (std::int64_t i0 = 0; i0 < mc; i0 += k_mr) {
    const std::int64_t h = std::min<std::int64_t>(k_mr, mc - i0);
    float* dst = out + i0 * kc;
    if (!f.normalises_a()) {
      for (std::int64_t p = 0; p < kc; ++p) {
        std::int64_t i = 0;
        for (; i < h; ++i) dst[p * k_mr + i] = a[(i0 + i) * lda + p];
        for (; i < k_mr; ++i) dst[p * k_mr + i] = 0.0F;
      }
      continue;
    }
    for (std::int64_t i = 0; i < h; ++i) f.normalise(row0 + i0 + i, pc, a + (i0 + i) * lda, kc, dst + i, k_mr);
    for (std::int64_t i = h; i < k_mr; ++i) {
      for (std::int64_t p = 0; p < kc; ++p) dst[p * k_mr + i] = 0.0F;
    }
  }
}

using buffer = std::unique_ptr<float[], aligned_float_free>;
buffer allocate(std::int64_t count) {
  return buffer(static_cast<float*>(::operator new[](
      static_cast<std::size_t>(std::max<std::int64_t>(count, 1)) * sizeof(float), std::align_val_t{64})));
}

}  // namespace

void aligned_float_free::operator()(float* p) const noexcept {
  ::operator delete[](p, std::align_val_t{64});
}

// Per-thread scratch: a packed A block, and for the unpacked path one normalised row of A and one
// row from a B source.
struct gemm_blocked::workspace {
  buffer packed_a;
  scratch_vector<float> row_a, row_b;
};

// What the threads of one run() share: the packed B panel, the next row block to take, and the
// barrier that separates packing a panel from using it (and using it from re-packing it).
struct gemm_blocked::team {
  team(int threads, float* panel)
      : packed_b(panel), sync(threads, [this]() noexcept { next_block.store(0, std::memory_order_relaxed); }) {}
  float* packed_b;
  std::atomic<std::int64_t> next_block{0};
  std::barrier<std::function<void()>> sync;
};

gemm_blocked::gemm_blocked(std::int64_t m, std::int64_t n, std::int64_t k, int threads)
    : m_m(m), m_n(n), m_k(k), m_packed(m * n * k >= k_small_flops) {
  // Never more threads than register tiles of rows; small problems run on the calling thread.
  const std::int64_t tiles = std::max<std::int64_t>(1, (m + k_mr - 1) / k_mr);
  const auto t = m_packed ? static_cast<int>(std::clamp<std::int64_t>(threads, 1, tiles)) : 1;
  // Row blocks are handed out dynamically, so a thread whose CPU is busy takes fewer of them:
  // about four per thread, whole register tiles, at most k_mc rows (the L2 block).
  const std::int64_t per_block = (tiles + 4 * t - 1) / (4 * t);
  m_block_rows = t == 1 ? k_mc : std::clamp<std::int64_t>(per_block * k_mr, k_mr, k_mc);
  const std::int64_t kc = std::min(k_kc, std::max<std::int64_t>(k, 1));
  const std::int64_t nc = std::min(k_nc, round_up(std::max<std::int64_t>(n, 1), k_nr));
  if (m_packed) m_packed_b = allocate(kc * nc);
  for (int w = 0; w < t; ++w) {
    auto ws = std::make_unique<workspace>();
    if (m_packed) {
      ws->packed_a = allocate(k_mc * kc);
    } else {
      ws->row_a.resize(static_cast<std::size_t>(k));
      ws->row_b.resize(static_cast<std::size_t>(n));
    }
    m_workers.push_back(std::move(ws));
  }
}

gemm_blocked::~gemm_blocked() = default;

// i-k-j order with a unit-stride inner loop: for shapes too small to repay packing.
void gemm_blocked::run_unpacked(std::int64_t rows, const float* a, const float* b, float* c, const gemm_fusion& fusion,
                                workspace& ws) const {
  const std::int64_t n = m_n;
  const std::int64_t k = m_k;
  for (std::int64_t i = 0; i < rows; ++i) {
    const float* ai = a + i * k;
    if (fusion.normalises_a()) {
      fusion.normalise(i, 0, ai, k, ws.row_a.data(), 1);
      ai = ws.row_a.data();
    }
    float* ci = c + i * n;
    std::fill(ci, ci + n, 0.0F);
    for (std::int64_t p = 0; p < k; ++p) {
      const float aip = ai[p];
      const float* bp = b + p * n;
      if (fusion.b_source != nullptr) {
        fusion.b_source->read_row(p, 0, n, ws.row_b.data());
        bp = ws.row_b.data();
      }
      for (std::int64_t j = 0; j < n; ++j) ci[j] += aip * bp[j];
    }
  }
  fusion.finish(gemm_tile{0, 0, rows, n, n, c});
}

// One thread's share of the packed product of the first `rows` rows: for every B panel, pack its
// slivers id, id + size, ... then, once all are packed, take row blocks until none is left.
void gemm_blocked::run_packed(std::int64_t rows, const float* a, const float* b, float* c, const gemm_fusion& fusion,
                              workspace& ws, team& tm, int id, int size) const {
  const std::int64_t n = m_n;
  const std::int64_t k = m_k;
  const std::int64_t blocks = (rows + m_block_rows - 1) / m_block_rows;
  for (std::int64_t jc = 0; jc < n; jc += k_nc) {
    const std::int64_t nc = std::min(k_nc, n - jc);
    for (std::int64_t pc = 0; pc < k; pc += k_kc) {
      const std::int64_t kc = std::min(k_kc, k - pc);
      const bool last_panel = pc + kc == k;
      for (std::int64_t j0 = id * k_nr; j0 < nc; j0 += size * k_nr) {
        const std::int64_t w = std::min<std::int64_t>(k_nr, nc - j0);
        float* dst = tm.packed_b + j0 * kc;
        if (fusion.b_source != nullptr) {
          pack_b(*fusion.b_source, pc, jc + j0, kc, w, dst);
        } else {
          pack_b(b + pc * n + jc + j0, n, kc, w, dst);
        }
      }
      if (size > 1) tm.sync.arrive_and_wait();
      for (std::int64_t blk; (blk = tm.next_block.fetch_add(1, std::memory_order_relaxed)) < blocks;) {
        const std::int64_t ic = blk * m_block_rows;
        const std::int64_t mc = std::min(m_block_rows, rows - ic);
        pack_a(a + ic * k + pc, k, mc, kc, ws.packed_a.get(), fusion, ic, pc);
        for (std::int64_t jr = 0; jr < nc; jr += k_nr) {
          for (std::int64_t ir = 0; ir < mc; ir += k_mr) {
            const auto mr = std::min<std::int64_t>(k_mr, mc - ir);
            const auto nr = std::min<std::int64_t>(k_nr, nc - jr);
            micro_kernel(kc, ws.packed_a.get() + ir * kc, tm.packed_b + jr * kc, c + (ic + ir) * n + jc + jr, n, pc > 0,
                         static_cast<int>(mr), static_cast<int>(nr));
            if (last_panel) fusion.finish(gemm_tile{ic + ir, jc + jr, mr, nr, n, c + (ic + ir) * n + jc + jr});
          }
        }
      }
      if (size > 1) {
        tm.sync.arrive_and_wait();  // also resets next_block
      } else {
        tm.next_block.store(0, std::memory_order_relaxed);
      }
    }
  }
}

void gemm_blocked::run_rows(std::int64_t rows, const float* a, const float* b, float* c, const gemm_fusion& fusion,
                            int threads) {
  if (rows <= 0 || m_n <= 0) return;
  if (m_k == 0) {
    std::fill(c, c + rows * m_n, 0.0F);
    fusion.finish(gemm_tile{0, 0, rows, m_n, m_n, c});
    return;
  }
  if (!m_packed) {
    run_unpacked(rows, a, b, c, fusion, *m_workers.front());
    return;
  }
  team tm(threads, m_packed_b.get());
  if (threads == 1) {
    run_packed(rows, a, b, c, fusion, *m_workers.front(), tm, 0, 1);
    return;
  }
  // The kernel's own threads, started and joined inside run(): nothing of ours outlives a call.
  std::vector<std::jthread> pool;
  pool.reserve(static_cast<std::size_t>(threads - 1));
  for (int w = 1; w < threads; ++w) {
    pool.emplace_back([this, rows, a, b, c, &fusion, &tm, w, threads] {
      run_packed(rows, a, b, c, fusion, *m_workers[static_cast<std::size_t>(w)], tm, w, threads);
    });
  }
  run_packed(rows, a, b, c, fusion, *m_workers.front(), tm, 0, threads);
}

void gemm_blocked::run(const float* a, const float* b, float* c) {
  run(a, b, c, gemm_fusion{});
}

void gemm_blocked::run_prefix(std::int64_t rows, const float* a, const float* b, float* c) {
  run_rows(std::clamp<std::int64_t>(rows, 0, m_m), a, b, c, gemm_fusion{}, 1);
}

void gemm_blocked::run(const float* a, const float* b, float* c, const gemm_fusion& fusion) {
  run_rows(m_m, a, b, c, fusion, threads());
}

}  // namespace isobench::kernels
