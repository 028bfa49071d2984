#pragma once
// A llama-style decoder block composed from the library's optimised ops:
//   h = RMSNorm(x); q, k, v = h Wqkv; rotary(q, k); a = causal flash attention(q, k, v)
//   o = a Wo + x; h2 = RMSNorm(o); y = (silu(h2 Wgate) * h2 Wup) Wdown + o
// with the four projection weights stored in one weight_format (dense or weight-only quantized).

#include <cstdint>
#include <memory>
#include <vector>

#include "isobench/placement.hpp"

#include "cpu/linear.hpp"

namespace isobench::kernels {

struct block_shape {
  std::int64_t tokens = 0;
  std::int64_t hidden = 0;
  std::int64_t heads = 1;
  std::int64_t ffn = 0;
  [[nodiscard]] std::int64_t head_dim() const noexcept { return heads > 0 ? hidden / heads : 0; }
};

// fp32 master weights, k x n layout; seeded so dense and quantized blocks share them.
struct block_weights {
  scratch_vector<float> attn_norm, wqkv, wo, mlp_norm, w_gate_up, w_down;
  static block_weights random(const block_shape& s, std::uint64_t seed);
};

class transformer_block {
public:
  transformer_block(const block_shape& s, const block_weights& w, weight_format format, int threads = 1);
  ~transformer_block();
  transformer_block(const transformer_block&) = delete;
  transformer_block& operator=(const transformer_block&) = delete;

  void run(const float* x, float* y);
  [[nodiscard]] std::int64_t weight_bytes() const noexcept;  // the four projections as stored

private:
  struct impl;
  std::unique_ptr<impl> m_impl;
};

// Test oracle: the same composition from the ops' reference implementations.
void transformer_block_reference(const block_shape& s, const block_weights& w, const float* x, float* y);

}  // namespace isobench::kernels
