#pragma once
// Scaled dot-product attention on the host, per head: O = softmax(Q K^T / sqrt(d) [+ causal mask]) V.
// Q, K, V and O are [heads x seq_len x head_dim], contiguous.
//
// naive: the PyTorch "math" path: materialise the full seq_len x seq_len score matrix (computing and
//   then masking the upper triangle when causal), softmax it in place, multiply by V.
// flash: tiled online softmax (FlashAttention's recurrence): blocks of queries against blocks of
//   keys, a running max and sum per row, scores never leave a cache-sized tile; causal skips the
//   blocks above the diagonal.
// Both use the same inner loops (score tile, exp, P V accumulation), so the difference measured is
// the algorithm's memory traffic and skipped work, not code quality.

#include <cstdint>
#include <memory>
#include <vector>

#include "isobench/placement.hpp"

namespace isobench::kernels {

struct attention_shape {
  std::int64_t heads = 1;
  std::int64_t seq_len = 0;
  std::int64_t head_dim = 0;
  bool causal = false;
  [[nodiscard]] std::int64_t elements() const noexcept { return heads * seq_len * head_dim; }
};

void attention_reference(const attention_shape& s, const float* q, const float* k, const float* v, float* o);

class attention_naive {
public:
  explicit attention_naive(const attention_shape& s);
  void run(const float* q, const float* k, const float* v, float* o);

private:
  attention_shape m_s;
  scratch_vector<float> m_kt;      // one head's K transposed, head_dim x seq_len
  scratch_vector<float> m_scores;  // seq_len x seq_len
};

class attention_flash {
public:
  static constexpr std::int64_t block_q = 32;
  static constexpr std::int64_t block_k = 64;

  explicit attention_flash(const attention_shape& s);
  void run(const float* q, const float* k, const float* v, float* o);

private:
  attention_shape m_s;
  scratch_vector<float> m_kt;  // one head's K transposed
  scratch_vector<float> m_tile, m_acc, m_row_max, m_row_sum;
};

// Autoregressive decoding of `tokens` steps of one attention layer: at step t the new token's
// hidden state x_t (hidden wide) is projected to q_t, k_t, v_t and attends (causally, per head) over
// the keys and values of tokens 0..t. Outputs the attention output of every step, tokens x hidden.
struct decode_shape {
  std::int64_t tokens = 0;
  std::int64_t hidden = 0;
  std::int64_t heads = 1;
  [[nodiscard]] std::int64_t head_dim() const noexcept { return heads > 0 ? hidden / heads : 0; }
};

// recompute: no cache, so every step projects K and V for the whole prefix again (one GEMM of
//   (t+1) x hidden x hidden per step): O(T^2) projection work.
// cached: each step projects only the new token and appends it to a KV cache: O(T).
class kv_decode {
public:
  kv_decode(const decode_shape& s, const float* wq, const float* wk, const float* wv);
  ~kv_decode();
  kv_decode(const kv_decode&) = delete;
  kv_decode& operator=(const kv_decode&) = delete;

  void run_recompute(const float* x, float* out);
  void run_cached(const float* x, float* out);

private:
  struct impl;
  std::unique_ptr<impl> m_impl;
};

void kv_decode_reference(const decode_shape& s, const float* x, const float* wq, const float* wk, const float* wv,
                         float* out);

}  // namespace isobench::kernels
