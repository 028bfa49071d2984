#include "cpu/attention.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "cpu/gemm.hpp"
#include "cpu/linear.hpp"
#include "cpu/vector_math.hpp"

namespace isobench::kernels {

namespace {

constexpr float k_neg_inf = -std::numeric_limits<float>::infinity();

// Sixteen independent partial sums: the loop vectorises without reassociation flags.
float dot(const float* a, const float* b, std::int64_t n) {
  constexpr int lanes = 16;
  float part[lanes] = {};
  std::int64_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    for (int l = 0; l < lanes; ++l) part[l] += a[i + l] * b[i + l];
  }
  float sum = 0.0F;
  for (; i < n; ++i) sum += a[i] * b[i];
  for (float p : part) sum += p;
  return sum;
}

void axpy(float alpha, const float* x, float* y, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

void transpose(std::int64_t rows, std::int64_t cols, const float* in, float* out) {
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t c = 0; c < cols; ++c) out[c * rows + r] = in[r * cols + c];
  }
}

typedef float v16f __attribute__((vector_size(64)));

inline v16f vload(const float* p) {
  v16f v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void vstore(float* p, v16f v) {
  std::memcpy(p, &v, sizeof v);
}

// tile[r, j] = scale * q_r . k_(j0 + j) for R query rows and w keys, with kt = K^T (d x ld_kt).
// A register tile of R rows x 32 keys accumulates over d; leftover keys go 16 then 1 at a time.
template <int R>
void score_rows(const float* q, std::int64_t d, const float* kt, std::int64_t ld_kt, std::int64_t j0, std::int64_t w,
                float scale, float* tile, std::int64_t ld_tile) {
  std::int64_t j = 0;
  for (; j + 32 <= w; j += 32) {
    v16f acc[R][2] = {};
    for (std::int64_t p = 0; p < d; ++p) {
      const v16f k0 = vload(kt + p * ld_kt + j0 + j);
      const v16f k1 = vload(kt + p * ld_kt + j0 + j + 16);
      for (int r = 0; r < R; ++r) {
        const float qr = q[r * d + p];
        acc[r][0] += qr * k0;
        acc[r][1] += qr * k1;
      }
    }
    for (int r = 0; r < R; ++r) {
      vstore(tile + r * ld_tile + j, acc[r][0] * scale);
      vstore(tile + r * ld_tile + j + 16, acc[r][1] * scale);
    }
  }
  for (; j + 16 <= w; j += 16) {
    v16f acc[R] = {};
    for (std::int64_t p = 0; p < d; ++p) {
      const v16f k0 = vload(kt + p * ld_kt + j0 + j);
      for (int r = 0; r < R; ++r) acc[r] += q[r * d + p] * k0;
    }
    for (int r = 0; r < R; ++r) vstore(tile + r * ld_tile + j, acc[r] * scale);
  }
  for (; j < w; ++j) {
    for (int r = 0; r < R; ++r) {
      float acc = 0.0F;
      for (std::int64_t p = 0; p < d; ++p) acc += q[r * d + p] * kt[p * ld_kt + j0 + j];
      tile[r * ld_tile + j] = acc * scale;
    }
  }
}

// out[r, :] += sum_j p[r, j] v_j for R rows and w values (v rows d wide): a register tile of
// R rows x 32 output dimensions accumulates over the keys.
template <int R>
void weighted_sum_rows(const float* p, std::int64_t ld_p, const float* v, std::int64_t d, std::int64_t w, float* out,
                       std::int64_t ld_out) {
  std::int64_t c = 0;
  for (; c + 32 <= d; c += 32) {
    v16f acc[R][2] = {};
    for (std::int64_t j = 0; j < w; ++j) {
      const v16f v0 = vload(v + j * d + c);
      const v16f v1 = vload(v + j * d + c + 16);
      for (int r = 0; r < R; ++r) {
        const float pr = p[r * ld_p + j];
        acc[r][0] += pr * v0;
        acc[r][1] += pr * v1;
      }
    }
    for (int r = 0; r < R; ++r) {
      vstore(out + r * ld_out + c, vload(out + r * ld_out + c) + acc[r][0]);
      vstore(out + r * ld_out + c + 16, vload(out + r * ld_out + c + 16) + acc[r][1]);
    }
  }
  for (; c < d; ++c) {
    for (int r = 0; r < R; ++r) {
      float acc = 0.0F;
      for (std::int64_t j = 0; j < w; ++j) acc += p[r * ld_p + j] * v[j * d + c];
      out[r * ld_out + c] += acc;
    }
  }
}

// Both kernels above for any number of rows, four at a time.
void score_tile(const float* q, std::int64_t d, const float* kt, std::int64_t ld_kt, std::int64_t rows, std::int64_t j0,
                std::int64_t w, float scale, float* tile, std::int64_t ld_tile) {
  std::int64_t r = 0;
  for (; r + 4 <= rows; r += 4) score_rows<4>(q + r * d, d, kt, ld_kt, j0, w, scale, tile + r * ld_tile, ld_tile);
  for (; r < rows; ++r) score_rows<1>(q + r * d, d, kt, ld_kt, j0, w, scale, tile + r * ld_tile, ld_tile);
}

void weighted_sum(const float* p, std::int64_t ld_p, std::int64_t rows, const float* v, std::int64_t d, std::int64_t w,
                  float* out, std::int64_t ld_out) {
  std::int64_t r = 0;
  for (; r + 4 <= rows; r += 4) weighted_sum_rows<4>(p + r * ld_p, ld_p, v, d, w, out + r * ld_out, ld_out);
  for (; r < rows; ++r) weighted_sum_rows<1>(p + r * ld_p, ld_p, v, d, w, out + r * ld_out, ld_out);
}

// Sixteen partial maxima: vectorises without -ffast-math.
float row_max(const float* row, std::int64_t n) {
  constexpr int lanes = 16;
  float part[lanes];
  std::fill(part, part + lanes, k_neg_inf);
  std::int64_t j = 0;
  for (; j + lanes <= n; j += lanes) {
    for (int l = 0; l < lanes; ++l) part[l] = std::max(part[l], row[j + l]);
  }
  float mx = k_neg_inf;
  for (; j < n; ++j) mx = std::max(mx, row[j]);
  for (float x : part) mx = std::max(mx, x);
  return mx;
}

// row[0:n] = exp(row - max); returns the sum.
float exp_shifted(float* row, std::int64_t n, float max) {
  constexpr int lanes = 16;
  float part[lanes] = {};
  std::int64_t j = 0;
  for (; j + lanes <= n; j += lanes) {
    for (int l = 0; l < lanes; ++l) {
      row[j + l] = fast_exp(row[j + l] - max);
      part[l] += row[j + l];
    }
  }
  float sum = 0.0F;
  for (; j < n; ++j) {
    row[j] = fast_exp(row[j] - max);
    sum += row[j];
  }
  for (float x : part) sum += x;
  return sum;
}

}  // namespace

void attention_reference(const attention_shape& s, const float* q, const float* k, const float* v, float* o) {
  const std::int64_t t = s.seq_len;
  const std::int64_t d = s.head_dim;
  const double scale = d > 0 ? 1.0 / std::sqrt(static_cast<double>(d)) : 1.0;
  std::vector<double> p(static_cast<std::size_t>(t));
  for (std::int64_t h = 0; h < s.heads; ++h) {
    const std::int64_t base = h * t * d;
    for (std::int64_t i = 0; i < t; ++i) {
      const std::int64_t end = s.causal ? i + 1 : t;
      double mx = -std::numeric_limits<double>::infinity();
      for (std::int64_t j = 0; j < end; ++j) {
        double acc = 0.0;
        for (std::int64_t c = 0; c < d; ++c) acc += static_cast<double>(q[base + i * d + c]) * k[base + j * d + c];
        p[static_cast<std::size_t>(j)] = acc * scale;
        mx = std::max(mx, acc * scale);
      }
      double sum = 0.0;
      for (std::int64_t j = 0; j < end; ++j)
        sum += p[static_cast<std::size_t>(j)] = std::exp(p[static_cast<std::size_t>(j)] - mx);
      for (std::int64_t c = 0; c < d; ++c) {
        double acc = 0.0;
        for (std::int64_t j = 0; j < end; ++j) acc += p[static_cast<std::size_t>(j)] * v[base + j * d + c];
        o[base + i * d + c] = static_cast<float>(acc / sum);
      }
    }
  }
}

attention_naive::attention_naive(const attention_shape& s)
    : m_s(s),
      m_kt(static_cast<std::size_t>(s.seq_len * s.head_dim)),
      m_scores(static_cast<std::size_t>(s.seq_len * s.seq_len)) {}

void attention_naive::run(const float* q, const float* k, const float* v, float* o) {
  const std::int64_t t = m_s.seq_len;
  const std::int64_t d = m_s.head_dim;
  const float scale = d > 0 ? 1.0F / std::sqrt(static_cast<float>(d)) : 1.0F;
  for (std::int64_t h = 0; h < m_s.heads; ++h) {
    const std::int64_t base = h * t * d;
    transpose(t, d, k + base, m_kt.data());
    float* s = m_scores.data();
    score_tile(q + base, d, m_kt.data(), t, t, 0, t, scale, s, t);  // every score, masked or not
    for (std::int64_t i = 0; i < t; ++i) {
      float* row = s + i * t;
      if (m_s.causal) std::fill(row + i + 1, row + t, k_neg_inf);
      const float inv = 1.0F / exp_shifted(row, t, row_max(row, t));
      for (std::int64_t j = 0; j < t; ++j) row[j] *= inv;
    }
    std::fill(o + base, o + base + t * d, 0.0F);
    weighted_sum(s, t, t, v + base, d, t, o + base, d);
  }
}

attention_flash::attention_flash(const attention_shape& s)
    : m_s(s),
      m_kt(static_cast<std::size_t>(s.seq_len * s.head_dim)),
      m_tile(static_cast<std::size_t>(block_q * block_k)),
      m_acc(static_cast<std::size_t>(block_q * s.head_dim)),
      m_row_max(block_q),
      m_row_sum(block_q) {}

void attention_flash::run(const float* q, const float* k, const float* v, float* o) {
  const std::int64_t t = m_s.seq_len;
  const std::int64_t d = m_s.head_dim;
  const float scale = d > 0 ? 1.0F / std::sqrt(static_cast<float>(d)) : 1.0F;
  float* tile = m_tile.data();
  for (std::int64_t h = 0; h < m_s.heads; ++h) {
    const std::int64_t base = h * t * d;
    transpose(t, d, k + base, m_kt.data());
    for (std::int64_t i0 = 0; i0 < t; i0 += block_q) {
      const std::int64_t rows = std::min(block_q, t - i0);
      std::fill(m_acc.begin(), m_acc.end(), 0.0F);
      std::fill(m_row_max.begin(), m_row_max.end(), k_neg_inf);
      std::fill(m_row_sum.begin(), m_row_sum.end(), 0.0F);
      const std::int64_t key_end = m_s.causal ? i0 + rows : t;  // blocks above the diagonal are skipped
      for (std::int64_t j0 = 0; j0 < key_end; j0 += block_k) {
        const std::int64_t w = std::min(block_k, key_end - j0);
        score_tile(q + base + i0 * d, d, m_kt.data(), t, rows, j0, w, scale, tile, block_k);
        for (std::int64_t r = 0; r < rows; ++r) {
          float* row = tile + r * block_k;
          const std::int64_t valid = m_s.causal ? std::clamp<std::int64_t>(i0 + r + 1 - j0, 0, w) : w;
          if (valid == 0) {
            std::fill(row, row + w, 0.0F);
            continue;
          }
          const auto ri = static_cast<std::size_t>(r);
          const float mx = std::max(m_row_max[ri], row_max(row, valid));
          const float alpha = fast_exp(m_row_max[ri] - mx);  // rescales what was accumulated so far
          m_row_max[ri] = mx;
          m_row_sum[ri] = m_row_sum[ri] * alpha + exp_shifted(row, valid, mx);
          std::fill(row + valid, row + w, 0.0F);  // masked keys weigh nothing in the sum below
          if (alpha != 1.0F) {
            float* acc = m_acc.data() + r * d;
            for (std::int64_t c = 0; c < d; ++c) acc[c] *= alpha;
          }
        }
        weighted_sum(tile, block_k, rows, v + base + j0 * d, d, w, m_acc.data(), d);
      }
      for (std::int64_t r = 0; r < rows; ++r) {
        const float inv = 1.0F / m_row_sum[static_cast<std::size_t>(r)];
        const float* acc = m_acc.data() + r * d;
        for (std::int64_t c = 0; c < d; ++c) o[base + (i0 + r) * d + c] = acc[c] * inv;
      }
    }
  }
}

struct kv_decode::impl {
  decode_shape s;
  linear_weight wq_w, wk_w, wv_w;  // fp32: the recompute GEMMs read wk_w/wv_w's storage directly
  linear_op q_op, k_op, v_op;      // one row: the GEMV path
  gemm_blocked prefix_gemm;        // tokens x hidden x hidden, run on a growing prefix
  scratch_vector<float> q, keys, values, scores;

  impl(const decode_shape& shape, const float* wq_, const float* wk_, const float* wv_)
      : s(shape),
        wq_w(weight_format::f32, shape.hidden, shape.hidden, wq_),
        wk_w(weight_format::f32, shape.hidden, shape.hidden, wk_),
        wv_w(weight_format::f32, shape.hidden, shape.hidden, wv_),
        q_op(1, wq_w),
        k_op(1, wk_w),
        v_op(1, wv_w),
        prefix_gemm(shape.tokens, shape.hidden, shape.hidden, 1),
        q(static_cast<std::size_t>(shape.hidden)),
        keys(static_cast<std::size_t>(shape.tokens * shape.hidden)),
        values(static_cast<std::size_t>(shape.tokens * shape.hidden)),
        scores(static_cast<std::size_t>(shape.tokens)) {}

  // out_t = per-head softmax(q k_j / sqrt(d)) v_j over j <= t, from rows 0..t of keys/values.
  void attend(std::int64_t t, float* out_t) {
    const std::int64_t hd = s.head_dim();
    const float scale = hd > 0 ? 1.0F / std::sqrt(static_cast<float>(hd)) : 1.0F;
    for (std::int64_t h = 0; h < s.heads; ++h) {
      const float* qh = q.data() + h * hd;
      float mx = k_neg_inf;
      for (std::int64_t j = 0; j <= t; ++j) {
        const float sj = scale * dot(qh, keys.data() + j * s.hidden + h * hd, hd);
        scores[static_cast<std::size_t>(j)] = sj;
        mx = std::max(mx, sj);
      }
      const float inv = 1.0F / exp_shifted(scores.data(), t + 1, mx);
      float* oh = out_t + h * hd;
      std::fill(oh, oh + hd, 0.0F);
      for (std::int64_t j = 0; j <= t; ++j) {
        axpy(scores[static_cast<std::size_t>(j)] * inv, values.data() + j * s.hidden + h * hd, oh, hd);
      }
    }
  }
};

kv_decode::kv_decode(const decode_shape& s, const float* wq, const float* wk, const float* wv)
    : m_impl(std::make_unique<impl>(s, wq, wk, wv)) {}
kv_decode::~kv_decode() = default;

void kv_decode::run_recompute(const float* x, float* out) {
  auto& m = *m_impl;
  const std::int64_t hidden = m.s.hidden;
  for (std::int64_t t = 0; t < m.s.tokens; ++t) {
    // No cache: the whole prefix's keys and values are projected again at every step.
    m.prefix_gemm.run_prefix(t + 1, x, m.wk_w.storage().f32, m.keys.data());
    m.prefix_gemm.run_prefix(t + 1, x, m.wv_w.storage().f32, m.values.data());
    m.q_op.run(x + t * hidden, nullptr, m.q.data());
    m.attend(t, out + t * hidden);
  }
}

void kv_decode::run_cached(const float* x, float* out) {
  auto& m = *m_impl;
  const std::int64_t hidden = m.s.hidden;
  for (std::int64_t t = 0; t < m.s.tokens; ++t) {
    // Only the new token is projected; its key and value are appended to the cache.
    m.k_op.run(x + t * hidden, nullptr, m.keys.data() + t * hidden);
    m.v_op.run(x + t * hidden, nullptr, m.values.data() + t * hidden);
    m.q_op.run(x + t * hidden, nullptr, m.q.data());
    m.attend(t, out + t * hidden);
  }
}

void kv_decode_reference(const decode_shape& s, const float* x, const float* wq, const float* wk, const float* wv,
                         float* out) {
  const std::int64_t n = s.hidden;
  const std::int64_t hd = s.head_dim();
  std::vector<double> q(static_cast<std::size_t>(s.tokens * n)), k(q.size()), v(q.size());
  for (std::int64_t t = 0; t < s.tokens; ++t) {
    for (std::int64_t j = 0; j < n; ++j) {
      double aq = 0.0, ak = 0.0, av = 0.0;
      for (std::int64_t p = 0; p < n; ++p) {
        const double xp = x[t * n + p];
        aq += xp * wq[p * n + j];
        ak += xp * wk[p * n + j];
        av += xp * wv[p * n + j];
      }
      const auto i = static_cast<std::size_t>(t * n + j);
      q[i] = aq;
      k[i] = ak;
      v[i] = av;
    }
  }
  const double scale = hd > 0 ? 1.0 / std::sqrt(static_cast<double>(hd)) : 1.0;
  std::vector<double> p(static_cast<std::size_t>(s.tokens));
  for (std::int64_t t = 0; t < s.tokens; ++t) {
    for (std::int64_t h = 0; h < s.heads; ++h) {
      double mx = -std::numeric_limits<double>::infinity();
      for (std::int64_t j = 0; j <= t; ++j) {
        double acc = 0.0;
        for (std::int64_t c = 0; c < hd; ++c) {
          acc += q[static_cast<std::size_t>(t * n + h * hd + c)] * k[static_cast<std::size_t>(j * n + h * hd + c)];
        }
        p[static_cast<std::size_t>(j)] = acc * scale;
        mx = std::max(mx, acc * scale);
      }
      double sum = 0.0;
      for (std::int64_t j = 0; j <= t; ++j)
        sum += p[static_cast<std::size_t>(j)] = std::exp(p[static_cast<std::size_t>(j)] - mx);
      for (std::int64_t c = 0; c < hd; ++c) {
        double acc = 0.0;
        for (std::int64_t j = 0; j <= t; ++j)
          acc += p[static_cast<std::size_t>(j)] * v[static_cast<std::size_t>(j * n + h * hd + c)];
        out[t * n + h * hd + c] = static_cast<float>(acc / sum);
      }
    }
  }
}

}  // namespace isobench::kernels
