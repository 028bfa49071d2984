#pragma once
// Rotary position embedding (RoPE, GPT-NeoX "rotate half" form) applied to x, which is
// [tokens x heads x head_dim], written to out (out of place, so repeated runs see the same input); token t sits at
// position pos[t]. For i < head_dim / 2, with angle = pos * base^(-2i / head_dim):
//   out[i] = x[i] cos - x[i + d/2] sin,   out[i + d/2] = x[i + d/2] cos + x[i] sin.

#include <cstdint>
#include <vector>

#include "isobench/placement.hpp"

namespace isobench::kernels {

struct rotary_shape {
  std::int64_t tokens = 0;
  std::int64_t heads = 1;
  std::int64_t head_dim = 0;  // even
  float base = 10000.0F;
};

// The float angle both implementations use, so their cos/sin are the same numbers.
float rotary_angle(std::int64_t pos, std::int64_t i, std::int64_t head_dim, float base) noexcept;

// Straightforward: per token, cos and sin of every frequency computed on the spot (then shared by
// the token's heads), scalar loop.
void rotary_naive(const rotary_shape& s, const std::int32_t* pos, const float* x, float* out);

// vLLM's form: a cos/sin cache [max_pos x head_dim/2] built once with the model, and a branch-free
// loop over contiguous halves that vectorises.
class rotary_cached {
public:
  rotary_cached(std::int64_t max_pos, std::int64_t head_dim, float base);
  void run(const rotary_shape& s, const std::int32_t* pos, const float* x, float* out) const;
  // The tables, [max_pos x head_dim / 2] (the CUDA kernel uploads them).
  [[nodiscard]] const scratch_vector<float>& cos_table() const noexcept { return m_cos; }
  [[nodiscard]] const scratch_vector<float>& sin_table() const noexcept { return m_sin; }

private:
  std::int64_t m_max_pos, m_half;
  scratch_vector<float> m_cos, m_sin;
};

// A decode batch's positions: each token at a seeded random position below max_pos.
std::vector<std::int32_t> random_positions(std::int64_t tokens, std::int64_t max_pos, std::uint64_t seed);

void rotary_reference(const rotary_shape& s, const std::int32_t* pos, const float* x, float* out);  // double precision

}  // namespace isobench::kernels
