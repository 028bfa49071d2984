#pragma once
// Row softmax over a rows x cols fp32 matrix: out[r, :] = exp(x - max) / sum(exp(x - max)).

#include <cstdint>

namespace isobench::kernels {

// Test oracle: double precision.
void softmax_reference(std::int64_t rows, std::int64_t cols, const float* in, float* out);

// Three passes per row: max, then exp and sum (exp stored in out), then scale.
void softmax_three_pass(std::int64_t rows, std::int64_t cols, const float* in, float* out);

// Online softmax (Milakov & Gimelshein, 2018): the max and the normaliser in one pass over the
// input (rescaling the running sum whenever the max grows), then one pass writing the output.
void softmax_online(std::int64_t rows, std::int64_t cols, const float* in, float* out);

}  // namespace isobench::kernels
