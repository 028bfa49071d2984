#include "cpu/transformer_block.hpp"

#include <cmath>
#include <numeric>

#include "cpu/attention.hpp"
#include "cpu/elementwise.hpp"
#include "cpu/rotary.hpp"
#include "isobench/placement.hpp"
#include "isobench/random.hpp"

namespace isobench::kernels {

namespace {

constexpr float k_eps = 1e-6F;
constexpr float k_rope_base = 10000.0F;

scratch_vector<float> normal(std::int64_t count, std::uint64_t seed, float stddev) {
  scratch_vector<float> v(static_cast<std::size_t>(count));
  gen::fill_normal(std::span<float>(v), seed, 0.0F, stddev);
  return v;
}

// [tokens x (cols)] row block at column offset `col` -> [heads x tokens x head_dim].
void split_heads(const block_shape& s, const float* src, std::int64_t ld, std::int64_t col, float* dst) {
  const std::int64_t hd = s.head_dim();
  for (std::int64_t t = 0; t < s.tokens; ++t) {
    for (std::int64_t h = 0; h < s.heads; ++h) {
      const float* from = src + t * ld + col + h * hd;
      std::copy(from, from + hd, dst + (h * s.tokens + t) * hd);
    }
  }
}

void merge_heads(const block_shape& s, const float* src, float* dst) {
  const std::int64_t hd = s.head_dim();
  for (std::int64_t h = 0; h < s.heads; ++h) {
    for (std::int64_t t = 0; t < s.tokens; ++t) {
      const float* from = src + (h * s.tokens + t) * hd;
      std::copy(from, from + hd, dst + t * s.hidden + h * hd);
    }
  }
}

// The residual connection as an epilogue: tile += the same piece of src (row stride ld).
void add_rows(const gemm_tile& t, const float* src, std::int64_t ld) {
  for (std::int64_t i = 0; i < t.rows; ++i) {
    float* c = t.row_ptr(i);
    const float* r = src + (t.row + i) * ld + t.col;
    for (std::int64_t j = 0; j < t.cols; ++j) c[j] += r[j];
  }
}

scratch_vector<float> buffer(std::int64_t count) {
  return scratch_vector<float>(static_cast<std::size_t>(count));
}

}  // namespace

block_weights block_weights::random(const block_shape& s, std::uint64_t seed) {
  const std::int64_t d = s.hidden;
  const std::int64_t f = s.ffn;
  const float in_d = d > 0 ? 1.0F / std::sqrt(static_cast<float>(d)) : 1.0F;  // keeps activations O(1)
  const float in_f = f > 0 ? 1.0F / std::sqrt(static_cast<float>(f)) : 1.0F;
  block_weights w;
  w.attn_norm = normal(d, gen::derive_seed(seed, "attn_norm"), 0.1F);
  w.mlp_norm = normal(d, gen::derive_seed(seed, "mlp_norm"), 0.1F);
  for (auto* norm : {&w.attn_norm, &w.mlp_norm}) {
    for (float& g : *norm) g += 1.0F;
  }
  w.wqkv = normal(d * 3 * d, gen::derive_seed(seed, "wqkv"), in_d);
  w.wo = normal(d * d, gen::derive_seed(seed, "wo"), in_d);
  w.w_gate_up = normal(d * 2 * f, gen::derive_seed(seed, "w_gate_up"), in_d);
  w.w_down = normal(f * d, gen::derive_seed(seed, "w_down"), in_f);
  return w;
}

struct transformer_block::impl {
  block_shape s;
  scratch_vector<float> attn_norm, mlp_norm;
  linear_weight wqkv, wo, w_gate_up, w_down;
  linear_op qkv_op, o_op, gate_up_op, down_op;
  attention_flash attention;
  rotary_cached rotary;
  scratch_vector<std::int32_t> positions;
  scratch_vector<float> h, qkv, q_raw, k_raw, q, k, v, attn_heads, attn, o, h2, gate_up, act;

  impl(const block_shape& shape, const block_weights& w, weight_format format, int threads)
      : s(shape),
        attn_norm(w.attn_norm),
        mlp_norm(w.mlp_norm),
        wqkv(format, shape.hidden, 3 * shape.hidden, w.wqkv.data()),
        wo(format, shape.hidden, shape.hidden, w.wo.data()),
        w_gate_up(format, shape.hidden, 2 * shape.ffn, w.w_gate_up.data()),
        w_down(format, shape.ffn, shape.hidden, w.w_down.data()),
        qkv_op(shape.tokens, wqkv, threads),
        o_op(shape.tokens, wo, threads),
        gate_up_op(shape.tokens, w_gate_up, threads),
        down_op(shape.tokens, w_down, threads),
        attention(attention_shape{shape.heads, shape.tokens, shape.head_dim(), true}),
        rotary(std::max<std::int64_t>(shape.tokens, 1), shape.head_dim(), k_rope_base),
        positions(static_cast<std::size_t>(shape.tokens)) {
    std::iota(positions.begin(), positions.end(), 0);
    const std::int64_t td = s.tokens * s.hidden;
    for (auto* b : {&h, &q_raw, &k_raw, &q, &k, &v, &attn_heads, &attn, &o, &h2}) *b = buffer(td);
    qkv = buffer(3 * td);
    gate_up = buffer(2 * s.tokens * s.ffn);
    act = buffer(s.tokens * s.ffn);
  }

  void run(const float* x, float* y) {
    const std::int64_t d = s.hidden;
    const std::int64_t hd = s.head_dim();
    rmsnorm_fused(s.tokens, d, x, attn_norm.data(), k_eps, h.data());
    qkv_op.run(h.data(), nullptr, qkv.data());
    split_heads(s, qkv.data(), 3 * d, 0, q_raw.data());
    split_heads(s, qkv.data(), 3 * d, d, k_raw.data());
    split_heads(s, qkv.data(), 3 * d, 2 * d, v.data());
    for (std::int64_t head = 0; head < s.heads; ++head) {  // [heads x tokens x hd]: one head at a time
      const rotary_shape rs{s.tokens, 1, hd, k_rope_base};
      rotary.run(rs, positions.data(), q_raw.data() + head * s.tokens * hd, q.data() + head * s.tokens * hd);
      rotary.run(rs, positions.data(), k_raw.data() + head * s.tokens * hd, k.data() + head * s.tokens * hd);
    }
    attention.run(q.data(), k.data(), v.data(), attn_heads.data());
    merge_heads(s, attn_heads.data(), attn.data());
    gemm_fusion residual;  // o = attn Wo + x, added while each piece of o is in cache
    residual.epilogue = [x, d](const gemm_tile& t) { add_rows(t, x, d); };
    o_op.run(attn.data(), nullptr, o.data(), residual);
    rmsnorm_fused(s.tokens, d, o.data(), mlp_norm.data(), k_eps, h2.data());
    gate_up_op.run(h2.data(), nullptr, gate_up.data());
    silu_and_mul_fused(s.tokens, s.ffn, gate_up.data(), act.data());
    const float* res = o.data();
    residual.epilogue = [res, d](const gemm_tile& t) { add_rows(t, res, d); };
    down_op.run(act.data(), nullptr, y, residual);
  }
};

transformer_block::transformer_block(const block_shape& s, const block_weights& w, weight_format format, int threads)
    : m_impl(std::make_unique<impl>(s, w, format, threads)) {}
transformer_block::~transformer_block() = default;

void transformer_block::run(const float* x, float* y) {
  m_impl->run(x, y);
}

std::int64_t transformer_block::weight_bytes() const noexcept {
  const auto& m = *m_impl;
  return m.wqkv.storage_bytes() + m.wo.storage_bytes() + m.w_gate_up.storage_bytes() + m.w_down.storage_bytes();
}

void transformer_block_reference(const block_shape& s, const block_weights& w, const float* x, float* y) {
  const std::int64_t d = s.hidden;
  const std::int64_t td = s.tokens * d;
  const std::int64_t hd = s.head_dim();
  auto h = buffer(td), qkv = buffer(3 * td), q_raw = buffer(td), k_raw = buffer(td), q = buffer(td), k = buffer(td),
       v = buffer(td), attn_heads = buffer(td), attn = buffer(td), o = buffer(td), h2 = buffer(td),
       gate_up = buffer(2 * s.tokens * s.ffn), act = buffer(s.tokens * s.ffn);
  const linear_weight wqkv(weight_format::f32, d, 3 * d, w.wqkv.data());
  const linear_weight wo(weight_format::f32, d, d, w.wo.data());
  const linear_weight wgu(weight_format::f32, d, 2 * s.ffn, w.w_gate_up.data());
  const linear_weight wd(weight_format::f32, s.ffn, d, w.w_down.data());
  std::vector<std::int32_t> pos(static_cast<std::size_t>(s.tokens));
  std::iota(pos.begin(), pos.end(), 0);
  rmsnorm_reference(s.tokens, d, x, w.attn_norm.data(), k_eps, h.data());
  linear_reference(s.tokens, wqkv, h.data(), nullptr, qkv.data());
  split_heads(s, qkv.data(), 3 * d, 0, q_raw.data());
  split_heads(s, qkv.data(), 3 * d, d, k_raw.data());
  split_heads(s, qkv.data(), 3 * d, 2 * d, v.data());
  for (std::int64_t head = 0; head < s.heads; ++head) {
    const rotary_shape rs{s.tokens, 1, hd, k_rope_base};
    rotary_reference(rs, pos.data(), q_raw.data() + head * s.tokens * hd, q.data() + head * s.tokens * hd);
    rotary_reference(rs, pos.data(), k_raw.data() + head * s.tokens * hd, k.data() + head * s.tokens * hd);
  }
  attention_reference(attention_shape{s.heads, s.tokens, hd, true}, q.data(), k.data(), v.data(), attn_heads.data());
  merge_heads(s, attn_heads.data(), attn.data());
  linear_reference(s.tokens, wo, attn.data(), nullptr, o.data());
  for (std::int64_t i = 0; i < td; ++i) o[static_cast<std::size_t>(i)] += x[i];
  rmsnorm_reference(s.tokens, d, o.data(), w.mlp_norm.data(), k_eps, h2.data());
  linear_reference(s.tokens, wgu, h2.data(), nullptr, gate_up.data());
  silu_and_mul_reference(s.tokens, s.ffn, gate_up.data(), act.data());
  linear_reference(s.tokens, wd, act.data(), nullptr, y);
  for (std::int64_t i = 0; i < td; ++i) y[i] += o[static_cast<std::size_t>(i)];
}

}  // namespace isobench::kernels
