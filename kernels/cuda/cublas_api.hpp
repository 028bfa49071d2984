#pragma once
// cuBLAS, loaded on first use with dlopen: linking it would make every isobench start load
// libcublasLt (about 540 MB) and would stop the binary from starting where the CUDA toolkit is
// absent. Only gemm.cublas needs it.

#include <cublas_v2.h>

namespace isobench::kernels::cuda {

struct cublas_api {
  decltype(&cublasCreate_v2) create = nullptr;
  decltype(&cublasDestroy_v2) destroy = nullptr;
  decltype(&cublasSetStream_v2) set_stream = nullptr;
  // cublasGemmEx is overloaded in C++ (compute type vs legacy data type): name the one we use.
  cublasStatus_t (*gemm_ex)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int, const void*,
                            const void*, cudaDataType, int, const void*, cudaDataType, int, const void*, void*,
                            cudaDataType, int, cublasComputeType_t, cublasGemmAlgo_t) = nullptr;
  decltype(&cublasGetStatusString) status_string = nullptr;
};

// Loads libcublas once; throws error(exit_code::unsupported) when it cannot.
const cublas_api& cublas();

[[noreturn]] void throw_cublas_error(cublasStatus_t status, const char* call, const char* file, int line);

}  // namespace isobench::kernels::cuda

#define ISOBENCH_CUBLAS_CHECK(call)                                                                      \
  do {                                                                                                   \
    const cublasStatus_t isobench_cublas_status_ = (call);                                               \
    if (isobench_cublas_status_ != CUBLAS_STATUS_SUCCESS) {                                              \
      ::isobench::kernels::cuda::throw_cublas_error(isobench_cublas_status_, #call, __FILE__, __LINE__); \
    }                                                                                                    \
  } while (0)
