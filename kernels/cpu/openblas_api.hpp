#pragma once
// OpenBLAS, loaded with dlopen the first time a kernel needs it. Linked normally, its thread pool
// would start with every isobench process and spin on the other CPUs for ~80 ms, disturbing cases
// that never call it; loaded on demand, it exists only in processes that measure it.

#include <string>

namespace isobench::kernels {

struct openblas_api {
  // cblas_sgemm with the row-major / no-transpose constants spelled out (OpenBLAS's 32-bit blasint).
  void (*sgemm)(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float* a, int lda,
                const float* b, int ldb, float beta, float* c, int ldc) = nullptr;
  void (*set_num_threads)(int threads) = nullptr;
  char* (*get_corename)() = nullptr;
};

// Throws isobench::error (exit 2, unsupported) when the library is not installed.
const openblas_api& openblas();

// "openblas:<kernel family>" (e.g. openblas:Haswell): the path OpenBLAS's dispatch chose here.
std::string openblas_isa();

}  // namespace isobench::kernels
