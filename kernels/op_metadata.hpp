#pragma once
// Registry metadata shared by the CPU and CUDA implementations of one op (parameters, FLOP and
// byte formulas), so both devices describe an op identically.

#include "cpu/linear.hpp"
#include "isobench/registry.hpp"

namespace isobench::kernels {

// gemm: m, n, k; 2mnk FLOPs; A, B, C in fp32 (4 bytes) each touched once at minimum.
void gemm_common(kernel_builder& b);
// softmax: rows, cols, scale; reads and writes rows x cols fp32.
void softmax_common(kernel_builder& b);
// rmsnorm: rows, dim, eps. silu_and_mul: tokens, d. rotary: tokens, heads, head_dim, max_pos, base.
void rmsnorm_common(kernel_builder& b);
void silu_common(kernel_builder& b);
void rotary_common(kernel_builder& b);
// linear: m, k, n, threads; bytes count the weight as stored in `format`.
void linear_common(kernel_builder& b, weight_format format);

}  // namespace isobench::kernels
