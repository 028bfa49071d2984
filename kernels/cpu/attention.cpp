#include "cpu/attention.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "cpu/gemm.hpp"
#include "cpu/linear.hpp"

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

// tile[i - i0, j - j0] = scale * q_i . k_j for i in [i0, i1), j in [j0, j1), with kt = K^T
// (head_dim x seq): an axpy over a row of kt per element of q, so the inner loop runs along keys.
void score_tile(const float* q, const float* kt, std::int64_t seq, std::int64_t d, float scale, std::int64_t i0,
                std::int64_t i1, std::int64_t j0, std::int64_t j1, float* tile, std::int64_t ld) {
  const std::int64_t w = j1 - j0;
  for (std::int64_t i = i0; i < i1; ++i) {
    float* row = tile + (i - i0) * ld;
    std::fill(row, row + w, 0.0F);
    for (std::int64_t p = 0; p < d; ++p) axpy(q[i * d + p] * scale, kt + p * seq + j0, row, w);
  }
}

// row[0:n] = exp(row - max); returns the sum.
float exp_shifted(float* row, std::int64_t n, float max) {
  float sum = 0.0F;
  for (std::int64_t j = 0; j < n; ++j) {
    row[j] = std::exp(row[j] - max);
    sum += row[j];
  }
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
      for (std::int64_t j = 0; j < end; ++j) sum += p[static_cast<std::size_t>(j)] = std::exp(p[static_cast<std::size_t>(j)] - mx);
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
    score_tile(q + base, m_kt.data(), t, d, scale, 0, t, 0, t, s, t);  // every score, masked or not
    for (std::int64_t i = 0; i < t; ++i) {
      float* row = s + i * t;
      if (m_s.causal) std::fill(row + i + 1, row + t, k_neg_inf);
      const float mx = *std::max_element(row, row + t);
      const float inv = 1.0F / exp_shifted(row, t, mx);
      for (std::int64_t j = 0; j < t; ++j) row[j] *= inv;
    }
    for (std::int64_t i = 0; i < t; ++i) {
      float* oi = o + base + i * d;
      std::fill(oi, oi + d, 0.0F);
      for (std::int64_t j = 0; j < t; ++j) axpy(s[i * t + j], v + base + j * d, oi, d);
    }
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
      const std::int64_t i1 = std::min(t, i0 + block_q);
      std::fill(m_acc.begin(), m_acc.end(), 0.0F);
      std::fill(m_row_max.begin(), m_row_max.end(), k_neg_inf);
      std::fill(m_row_sum.begin(), m_row_sum.end(), 0.0F);
      const std::int64_t key_end = m_s.causal ? i1 : t;  // blocks above the diagonal are skipped
      for (std::int64_t j0 = 0; j0 < key_end; j0 += block_k) {
        const std::int64_t j1 = std::min(key_end, j0 + block_k);
        const std::int64_t w = j1 - j0;
        score_tile(q + base, m_kt.data(), t, d, scale, i0, i1, j0, j1, tile, block_k);
        for (std::int64_t i = i0; i < i1; ++i) {
          const auto r = static_cast<std::size_t>(i - i0);
          float* row = tile + (i - i0) * block_k;
          const std::int64_t valid = m_s.causal ? std::clamp<std::int64_t>(i + 1 - j0, 0, w) : w;
          if (valid == 0) continue;
          const float mx = std::max(m_row_max[r], *std::max_element(row, row + valid));
          const float alpha = std::exp(m_row_max[r] - mx);  // rescale what was accumulated so far
          m_row_max[r] = mx;
          m_row_sum[r] = m_row_sum[r] * alpha + exp_shifted(row, valid, mx);
          float* acc = m_acc.data() + r * static_cast<std::size_t>(d);
          if (alpha != 1.0F) {
            for (std::int64_t c = 0; c < d; ++c) acc[c] *= alpha;
          }
          for (std::int64_t j = 0; j < valid; ++j) axpy(row[j], v + base + (j0 + j) * d, acc, d);
        }
      }
      for (std::int64_t i = i0; i < i1; ++i) {
        const auto r = static_cast<std::size_t>(i - i0);
        const float inv = 1.0F / m_row_sum[r];
        const float* acc = m_acc.data() + r * static_cast<std::size_t>(d);
        for (std::int64_t c = 0; c < d; ++c) o[base + i * d + c] = acc[c] * inv;
      }
    }
  }
}

struct kv_decode::impl {
  decode_shape s;
  std::vector<float> wk, wv;  // dense, for the recompute GEMMs
  linear_weight wq_w, wk_w, wv_w;
  linear_op q_op, k_op, v_op;  // one row: the GEMV path
  gemm_blocked prefix_gemm;    // tokens x hidden x hidden, run on a growing prefix
  std::vector<float> q, keys, values, scores;

  impl(const decode_shape& shape, const float* wq_, const float* wk_, const float* wv_)
      : s(shape),
        wk(wk_, wk_ + shape.hidden * shape.hidden),
        wv(wv_, wv_ + shape.hidden * shape.hidden),
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
    m.prefix_gemm.run_prefix(t + 1, x, m.wk.data(), m.keys.data());
    m.prefix_gemm.run_prefix(t + 1, x, m.wv.data(), m.values.data());
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
      for (std::int64_t j = 0; j <= t; ++j) sum += p[static_cast<std::size_t>(j)] = std::exp(p[static_cast<std::size_t>(j)] - mx);
      for (std::int64_t c = 0; c < hd; ++c) {
        double acc = 0.0;
        for (std::int64_t j = 0; j <= t; ++j) acc += p[static_cast<std::size_t>(j)] * v[static_cast<std::size_t>(j * n + h * hd + c)];
        out[t * n + h * hd + c] = static_cast<float>(acc / sum);
      }
    }
  }
}

}  // namespace isobench::kernels
