#pragma once
// Row-wise ops of transformer inference on the host: RMSNorm, SiLU-and-mul, top-k selection.
// Each has a straightforward version and an optimised one; the _reference functions are the test
// oracles (double precision, no tricks).

#include <cstdint>

namespace isobench::kernels {

// y[r, :] = x[r, :] / sqrt(mean(x[r, :]^2) + eps) * w
void rmsnorm_reference(std::int64_t rows, std::int64_t dim, const float* x, const float* w, float eps, float* y);
// Two passes, a division per element.
void rmsnorm_naive(std::int64_t rows, std::int64_t dim, const float* x, const float* w, float eps, float* y);
// One reduction with independent partial sums (vectorisable), then one multiply pass by 1/rms.
void rmsnorm_fused(std::int64_t rows, std::int64_t dim, const float* x, const float* w, float eps, float* y);

// out[t, :] = silu(x[t, :d]) * x[t, d:], x is tokens x 2d (vLLM's silu_and_mul).
void silu_and_mul_reference(std::int64_t tokens, std::int64_t d, const float* x, float* out);
// SiLU into a temporary, then the multiply: two passes over memory.
void silu_and_mul_naive(std::int64_t tokens, std::int64_t d, const float* x, float* tmp, float* out);
// One pass.
void silu_and_mul_fused(std::int64_t tokens, std::int64_t d, const float* x, float* out);

// The k largest logits of each row, by value descending (ties: lower index first).
void topk_sort(std::int64_t rows, std::int64_t vocab, std::int64_t k, const float* logits, std::int64_t* index,
               float* value);  // sorts every index of the row
void topk_partial(std::int64_t rows, std::int64_t vocab, std::int64_t k, const float* logits, std::int64_t* index,
                  float* value);  // partial selection, then sorts only k

}  // namespace isobench::kernels
