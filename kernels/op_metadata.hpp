#pragma once
// Registry metadata shared by the CPU and CUDA implementations of one op (parameters, FLOP and
// byte formulas), so both devices describe an op identically.

#include "isobench/registry.hpp"

namespace isobench::kernels {

// gemm: m, n, k; 2mnk FLOPs; A, B, C in fp32 (4 bytes) each touched once at minimum.
void gemm_common(kernel_builder& b);
// softmax: rows, cols, scale; reads and writes rows x cols fp32.
void softmax_common(kernel_builder& b);

}  // namespace isobench::kernels
