#include "cuda/cublas_api.hpp"

#include <fmt/format.h>

#include "isobench/error.hpp"
#include "shared_library.hpp"

namespace isobench::kernels::cuda {

namespace {

cublas_api load() {
  void* lib = open_shared_library({"libcublas.so.13", "libcublas.so.12", "libcublas.so"}, "cuBLAS", "");
  cublas_api api;
  bind_symbol(lib, "cublasCreate_v2", api.create, "libcublas");
  bind_symbol(lib, "cublasDestroy_v2", api.destroy, "libcublas");
  bind_symbol(lib, "cublasSetStream_v2", api.set_stream, "libcublas");
  bind_symbol(lib, "cublasGemmEx", api.gemm_ex, "libcublas");
  bind_symbol(lib, "cublasGetStatusString", api.status_string, "libcublas");
  return api;
}

}  // namespace

const cublas_api& cublas() {
  static const cublas_api api = load();
  return api;
}

void throw_cublas_error(cublasStatus_t status, const char* call, const char* file, int line) {
  const auto message = fmt::format("{} failed at {}:{}: {} (status {})", call, file, line,
                                   cublas().status_string(status), static_cast<int>(status));
  if (status == CUBLAS_STATUS_ALLOC_FAILED) throw error(exit_code::out_of_memory, message);
  if (status == CUBLAS_STATUS_ARCH_MISMATCH || status == CUBLAS_STATUS_NOT_SUPPORTED) {
    throw error(exit_code::unsupported, message);
  }
  throw error(exit_code::internal_error, message);
}

}  // namespace isobench::kernels::cuda
