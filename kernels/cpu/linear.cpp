#include "cpu/linear.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "isobench/tensor.hpp"

namespace isobench::kernels {

namespace {

// 16 lanes whatever the instruction set: one register with AVX-512, split by the compiler otherwise.
typedef float v16f __attribute__((vector_size(64)));
typedef std::int32_t v16i __attribute__((vector_size(64)));
typedef std::uint32_t v16u __attribute__((vector_size(64)));
typedef std::uint8_t v16u8 __attribute__((vector_size(16)));
typedef std::uint16_t v16u16 __attribute__((vector_size(32)));

template <class V>
inline __attribute__((always_inline)) V load_as(const void* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::uint16_t to_bf16(float x) {
  const auto bits = std::bit_cast<std::uint32_t>(x);
  if (std::isnan(x)) return static_cast<std::uint16_t>((bits >> 16) | 0x40U);
  const std::uint32_t rounding = 0x7FFFU + ((bits >> 16) & 1U);  // to nearest, ties to even
  return static_cast<std::uint16_t>((bits + rounding) >> 16);
}

float from_bf16(std::uint16_t h) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(h) << 16);
}

std::int64_t groups_of(std::int64_t k, std::int64_t group) {
  return (k + group - 1) / group;
}

}  // namespace

std::string_view to_string(weight_format f) noexcept {
  switch (f) {
    case weight_format::f32: return "f32";
    case weight_format::bf16: return "bf16";
    case weight_format::int8: return "int8";
    case weight_format::int4: return "int4";
  }
  return "?";
}

linear_weight::linear_weight(weight_format format, std::int64_t k, std::int64_t n, const float* w,
                             std::int64_t group_size)
    : m_format(format), m_k(k), m_n(n), m_group(group_size) {
  if (group_size <= 0 || group_size % 16 != 0) throw std::invalid_argument("int4 group size must be a multiple of 16");
  const auto count = checked_count({k, n}, sizeof(float), "linear weight");
  switch (format) {
    case weight_format::f32: m_f32.assign(w, w + count); break;
    case weight_format::bf16:
      m_bf16.resize(count);
      for (std::size_t i = 0; i < count; ++i) m_bf16[i] = to_bf16(w[i]);
      break;
    case weight_format::int8: {
      // Row by row (w is k x n, row-major): a column walk strides n floats per step and misses
      // the cache on every element of a large weight. Max and rounding are per element, so the
      // order changes nothing in the result.
      m_int8.resize(count);
      m_scale.assign(static_cast<std::size_t>(n), 0.0F);
      std::vector<float> amax(static_cast<std::size_t>(n), 0.0F);
      for (std::int64_t p = 0; p < k; ++p) {
        for (std::int64_t j = 0; j < n; ++j) {
          auto& a = amax[static_cast<std::size_t>(j)];
          a = std::max(a, std::fabs(w[p * n + j]));
        }
      }
      for (std::int64_t j = 0; j < n; ++j) {
        const float a = amax[static_cast<std::size_t>(j)];
        m_scale[static_cast<std::size_t>(j)] = a > 0.0F ? a / 127.0F : 1.0F;
      }
      for (std::int64_t p = 0; p < k; ++p) {
        for (std::int64_t j = 0; j < n; ++j) {
          const float q = std::clamp(std::nearbyint(w[p * n + j] / m_scale[static_cast<std::size_t>(j)]), -127.0F, 127.0F);
          m_int8[static_cast<std::size_t>(p * n + j)] = static_cast<std::int8_t>(q);
        }
      }
      break;
    }
    case weight_format::int4: {
      const std::int64_t groups = groups_of(k, group_size);
      m_int4_row_bytes = (n + 31) / 32 * 16;
      m_int4.assign(static_cast<std::size_t>(k * m_int4_row_bytes), 0);
      m_scale.assign(static_cast<std::size_t>(groups * n), 0.0F);
      m_zero.assign(static_cast<std::size_t>(groups * n), 0.0F);
      // Row by row within each group, as for int8.
      std::vector<float> lo(static_cast<std::size_t>(n)), hi(static_cast<std::size_t>(n));
      for (std::int64_t g = 0; g < groups; ++g) {
        const std::int64_t p0 = g * group_size;
        const std::int64_t p1 = std::min(k, p0 + group_size);
        std::fill(lo.begin(), lo.end(), 0.0F);  // the range always holds 0, so a zero weight stays zero
        std::fill(hi.begin(), hi.end(), 0.0F);
        for (std::int64_t p = p0; p < p1; ++p) {
          for (std::int64_t j = 0; j < n; ++j) {
            const auto u = static_cast<std::size_t>(j);
            lo[u] = std::min(lo[u], w[p * n + j]);
            hi[u] = std::max(hi[u], w[p * n + j]);
          }
        }
        for (std::int64_t j = 0; j < n; ++j) {
          const auto u = static_cast<std::size_t>(j);
          const float scale = hi[u] > lo[u] ? (hi[u] - lo[u]) / 15.0F : 1.0F;
          m_scale[static_cast<std::size_t>(g * n + j)] = scale;
          m_zero[static_cast<std::size_t>(g * n + j)] = std::clamp(std::nearbyint(-lo[u] / scale), 0.0F, 15.0F);
        }
        for (std::int64_t p = p0; p < p1; ++p) {
          for (std::int64_t j = 0; j < n; ++j) {
            const float scale = m_scale[static_cast<std::size_t>(g * n + j)];
            const float zero = m_zero[static_cast<std::size_t>(g * n + j)];
            const auto q =
                static_cast<std::uint8_t>(std::clamp(std::nearbyint(w[p * n + j] / scale) + zero, 0.0F, 15.0F));
            const std::int64_t byte = p * m_int4_row_bytes + j / 32 * 16 + j % 16;
            m_int4[static_cast<std::size_t>(byte)] |= static_cast<std::uint8_t>(j % 32 < 16 ? q : q << 4);
          }
        }
      }
      break;
    }
  }
}

float linear_weight::at(std::int64_t p, std::int64_t j) const {
  const auto i = static_cast<std::size_t>(p * m_n + j);
  switch (m_format) {
    case weight_format::f32: return m_f32[i];
    case weight_format::bf16: return from_bf16(m_bf16[i]);
    case weight_format::int8: return static_cast<float>(m_int8[i]) * m_scale[static_cast<std::size_t>(j)];
    case weight_format::int4: {
      const std::uint8_t byte = m_int4[static_cast<std::size_t>(p * m_int4_row_bytes + j / 32 * 16 + j % 16)];
      const auto q = static_cast<float>(j % 32 < 16 ? byte & 15U : byte >> 4U);
      const auto gi = static_cast<std::size_t>(p / m_group * m_n + j);
      return (q - m_zero[gi]) * m_scale[gi];
    }
  }
  return 0.0F;
}

linear_weight::storage_view linear_weight::storage() const noexcept {
  return {m_f32.data(),  m_bf16.data(), m_int8.data(),    m_int4.data(), m_scale.data(),
          m_zero.data(), m_n,           m_int4_row_bytes, m_group};
}

namespace {

// W[p, j:j+16] dequantised; j a multiple of 16. For int4, `g` is p's group and `high` says whether
// j is the second 16 of its 32-column chunk (kept separate so unrolled loops resolve it statically).
template <weight_format F>
inline __attribute__((always_inline)) v16f load16v(const linear_weight::storage_view& s, std::int64_t p, std::int64_t j,
                                                   std::int64_t g, bool high) {
  if constexpr (F == weight_format::f32) {
    return load_as<v16f>(s.f32 + p * s.n + j);
  } else if constexpr (F == weight_format::bf16) {
    const v16u bits = __builtin_convertvector(load_as<v16u16>(s.bf16 + p * s.n + j), v16u) << 16;
    v16f v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  } else if constexpr (F == weight_format::int8) {
    // Sign extension of int8 vectors is scalarised by GCC 12; flipping the sign bit and widening
    // unsigned (one vpmovzxbd) then subtracting 128 gives the same values.
    const v16i q = __builtin_convertvector(load_as<v16u8>(s.int8 + p * s.n + j) ^ 0x80, v16i) - 128;
    return __builtin_convertvector(q, v16f) * load_as<v16f>(s.scale + j);
  } else {
    const v16u8 bytes = load_as<v16u8>(s.int4 + p * s.int4_row_bytes + j / 32 * 16);
    const v16u8 q = high ? bytes >> 4 : bytes & 15;
    const std::int64_t gi = g * s.n + j;
    const v16f qf = __builtin_convertvector(__builtin_convertvector(q, v16i), v16f);
    return (qf - load_as<v16f>(s.zero + gi)) * load_as<v16f>(s.scale + gi);
  }
}

}  // namespace

namespace {

template <weight_format F>
void read_row_as(const linear_weight& w, std::int64_t p, std::int64_t j, std::int64_t count, float* out) {
  const auto s = w.storage();
  const std::int64_t g = p / s.group;
  const std::int64_t end = j + count;
  while (j < end) {
    if (j % 16 == 0 && j + 16 <= end) {
      const v16f v = load16v<F>(s, p, j, g, j % 32 != 0);
      std::memcpy(out, &v, sizeof v);
      j += 16;
      out += 16;
    } else {
      *out++ = w.at(p, j++);
    }
  }
}

}  // namespace

void linear_weight::read_row(std::int64_t p, std::int64_t j, std::int64_t count, float* out) const {
  switch (m_format) {
    case weight_format::f32:
      std::memcpy(out, m_f32.data() + p * m_n + j, static_cast<std::size_t>(count) * sizeof(float));
      break;
    case weight_format::bf16: read_row_as<weight_format::bf16>(*this, p, j, count, out); break;
    case weight_format::int8: read_row_as<weight_format::int8>(*this, p, j, count, out); break;
    case weight_format::int4: read_row_as<weight_format::int4>(*this, p, j, count, out); break;
  }
}

std::int64_t linear_weight::storage_bytes() const noexcept {
  const auto vec_bytes = [](const auto& v) { return static_cast<std::int64_t>(v.size() * sizeof(v[0])); };
  return vec_bytes(m_f32) + vec_bytes(m_bf16) + vec_bytes(m_int8) + vec_bytes(m_int4) + vec_bytes(m_scale) +
         vec_bytes(m_zero);
}

linear_op::linear_op(std::int64_t m, const linear_weight& w, int threads)
    : m_m(m), m_w(w), m_gemm(m, w.n(), w.k(), threads) {}

namespace {

// The stored values widened to float, before scales and zero points: the GEMV applies those once
// per column (int8) or once per panel (int4) instead of once per weight.
template <weight_format F>
inline __attribute__((always_inline)) v16f load16_raw(const linear_weight::storage_view& s, std::int64_t p,
                                                      std::int64_t j, bool high) {
  if constexpr (F == weight_format::int8) {
    return __builtin_convertvector(__builtin_convertvector(load_as<v16u8>(s.int8 + p * s.n + j) ^ 0x80, v16i) - 128,
                                   v16f);
  } else if constexpr (F == weight_format::int4) {
    const v16u8 bytes = load_as<v16u8>(s.int4 + p * s.int4_row_bytes + j / 32 * 16);
    return __builtin_convertvector(__builtin_convertvector(high ? bytes >> 4 : bytes & 15, v16i), v16f);
  } else {
    return load16v<F>(s, p, j, 0, high);
  }
}

// y[0:M, :] = x W for M <= 4: for each panel of 16 rows of W, sweep the columns 64 at a time with
// the partial sums of every x row in registers. W is read exactly once, in row-contiguous runs the
// hardware prefetcher follows; y (M x n) stays in L1/L2 between panels.
//   int8: y = scale_j * sum_p x_p q_pj, so the scale is applied once per column at the end;
//   int4: per panel (one group g), y += scale_gj * (sum_p x_p q_pj - zero_gj * sum_p x_p).
template <weight_format F, int M>
void gemv_rows(const linear_weight& w, const float* x, float* y) {
  constexpr std::int64_t panel = 16;  // divides every int4 group, so a panel has one group
  constexpr int vecs = 4;
  constexpr bool per_panel = F == weight_format::int4;
  const auto s = w.storage();
  const std::int64_t k = w.k();
  const std::int64_t n = w.n();
  const std::int64_t n_vec = n / (16 * vecs) * (16 * vecs);
  std::fill(y, y + M * n, 0.0F);
  for (std::int64_t p0 = 0; p0 < k; p0 += panel) {
    const std::int64_t p1 = std::min(k, p0 + panel);
    const std::int64_t g = p0 / s.group;
    float xsum[M] = {};
    if constexpr (per_panel) {
      for (int r = 0; r < M; ++r) {
        for (std::int64_t p = p0; p < p1; ++p) xsum[r] += x[r * k + p];
      }
    }
    for (std::int64_t j = 0; j < n_vec; j += 16 * vecs) {
      v16f acc[M][vecs];
      for (int r = 0; r < M; ++r) {
        for (int v = 0; v < vecs; ++v) acc[r][v] = per_panel ? v16f{} : load_as<v16f>(y + r * n + j + v * 16);
      }
      for (std::int64_t p = p0; p < p1; ++p) {
        v16f wv[vecs];
#pragma GCC unroll 4
        for (int v = 0; v < vecs; ++v) wv[v] = load16_raw<F>(s, p, j + v * 16, (v & 1) != 0);
#pragma GCC unroll 4
        for (int r = 0; r < M; ++r) {
          const float xr = x[r * k + p];
#pragma GCC unroll 4
          for (int v = 0; v < vecs; ++v) acc[r][v] += xr * wv[v];
        }
      }
      for (int r = 0; r < M; ++r) {
        for (int v = 0; v < vecs; ++v) {
          float* out = y + r * n + j + v * 16;
          if constexpr (per_panel) {
            const std::int64_t gi = g * n + j + v * 16;
            acc[r][v] =
                load_as<v16f>(out) + load_as<v16f>(s.scale + gi) * (acc[r][v] - load_as<v16f>(s.zero + gi) * xsum[r]);
          }
          std::memcpy(out, &acc[r][v], sizeof(v16f));
        }
      }
    }
    for (std::int64_t j = n_vec; j < n; ++j) {  // leftover columns, dequantised one by one
      for (std::int64_t p = p0; p < p1; ++p) {
        // int8 accumulates unscaled values like the vector columns; the scale comes at the end.
        const float wj = F == weight_format::int8 ? static_cast<float>(s.int8[p * s.n + j]) : w.at(p, j);
        for (int r = 0; r < M; ++r) y[r * n + j] += x[r * k + p] * wj;
      }
    }
  }
  if constexpr (F == weight_format::int8) {
    for (int r = 0; r < M; ++r) {
      for (std::int64_t j = 0; j < n; ++j) y[r * n + j] *= s.scale[j];
    }
  }
}

template <weight_format F>
void gemv(std::int64_t m, const linear_weight& w, const float* x, float* y) {
  switch (m) {
    case 0: break;
    case 1: gemv_rows<F, 1>(w, x, y); break;
    case 2: gemv_rows<F, 2>(w, x, y); break;
    case 3: gemv_rows<F, 3>(w, x, y); break;
    default: gemv_rows<F, 4>(w, x, y); break;
  }
}

}  // namespace

void linear_op::run(const float* x, const float* bias, float* y, const gemm_fusion& fusion) {
  gemm_fusion f = fusion;  // plus the weight as B's source and the bias
  f.b_source = &m_w;
  f.bias = bias;
  if (!gemv_path()) {
    m_gemm.run(x, nullptr, y, f);
    return;
  }
  const std::int64_t k = m_w.k();
  const std::int64_t n = m_w.n();
  if (f.normalises_a()) {  // normalise the few rows once, in cache
    m_x_norm.resize(static_cast<std::size_t>(m_m * k));
    for (std::int64_t i = 0; i < m_m; ++i) f.normalise(i, 0, x + i * k, k, m_x_norm.data() + i * k, 1);
    x = m_x_norm.data();
  }
  switch (m_w.format()) {
    case weight_format::f32: gemv<weight_format::f32>(m_m, m_w, x, y); break;
    case weight_format::bf16: gemv<weight_format::bf16>(m_m, m_w, x, y); break;
    case weight_format::int8: gemv<weight_format::int8>(m_m, m_w, x, y); break;
    case weight_format::int4: gemv<weight_format::int4>(m_m, m_w, x, y); break;
  }
  for (std::int64_t i = 0; i < m_m; ++i) f.finish(gemm_tile{i, 0, 1, n, n, y + i * n});
}

quant_error quantization_error(std::span<const float> y, std::span<const float> reference) {
  double err = 0.0;
  double ref = 0.0;
  quant_error out;
  for (std::size_t i = 0; i < std::min(y.size(), reference.size()); ++i) {
    const double diff = static_cast<double>(y[i]) - reference[i];
    err += diff * diff;
    ref += static_cast<double>(reference[i]) * reference[i];
    out.max_abs = std::max(out.max_abs, std::fabs(diff));
  }
  out.rel_l2 = ref > 0.0 ? std::sqrt(err / ref) : std::sqrt(err);
  return out;
}

void linear_reference(std::int64_t m, const linear_weight& w, const float* x, const float* bias, float* y) {
  const std::int64_t k = w.k();
  const std::int64_t n = w.n();
  std::vector<double> acc(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j) acc[static_cast<std::size_t>(j)] = bias != nullptr ? bias[j] : 0.0;
    for (std::int64_t p = 0; p < k; ++p) {
      const double xp = x[i * k + p];
      for (std::int64_t j = 0; j < n; ++j) acc[static_cast<std::size_t>(j)] += xp * static_cast<double>(w.at(p, j));
    }
    for (std::int64_t j = 0; j < n; ++j) y[i * n + j] = static_cast<float>(acc[static_cast<std::size_t>(j)]);
  }
}

}  // namespace isobench::kernels
