#pragma once
// Every CUDA runtime call goes through ISOBENCH_CUDA_CHECK (cuBLAS calls through
// ISOBENCH_CUBLAS_CHECK, kernels/cuda/cublas_api.hpp): a failure throws isobench::error naming the
// call, file:line and the error string. Out of memory exits 4; a missing or too old driver, or no
// kernel image for the device, exits 2; anything else is an internal error (10).

#include <cuda_runtime.h>

namespace isobench::cuda {

[[noreturn]] void throw_cuda_error(cudaError_t err, const char* call, const char* file, int line);

}  // namespace isobench::cuda

#define ISOBENCH_CUDA_CHECK(call)                                                        \
  do {                                                                                   \
    const cudaError_t isobench_cuda_err_ = (call);                                       \
    if (isobench_cuda_err_ != cudaSuccess) {                                             \
      ::isobench::cuda::throw_cuda_error(isobench_cuda_err_, #call, __FILE__, __LINE__); \
    }                                                                                    \
  } while (0)

// A kernel launch is checked for configuration errors right after it (asynchronous faults surface
// at the next synchronising call, which is checked too).
#define ISOBENCH_CUDA_CHECK_LAUNCH() ISOBENCH_CUDA_CHECK(cudaGetLastError())
