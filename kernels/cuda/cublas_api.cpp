#include "cuda/cublas_api.hpp"

#include <dlfcn.h>

#include <fmt/format.h>

#include "isobench/error.hpp"

namespace isobench::kernels::cuda {

namespace {

template <class F>
void bind(void* lib, const char* name, F& fn) {
  fn = reinterpret_cast<F>(dlsym(lib, name));
  if (fn == nullptr) throw error(exit_code::unsupported, fmt::format("libcublas has no symbol {}", name));
}

cublas_api load() {
  void* lib = nullptr;
  for (const char* name : {"libcublas.so.13", "libcublas.so.12", "libcublas.so"}) {
    lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (lib != nullptr) break;
  }
  if (lib == nullptr) {
    throw error(exit_code::unsupported,
                fmt::format("cuBLAS is not installed or not on the library path ({})", dlerror()));
  }
  cublas_api api;
  bind(lib, "cublasCreate_v2", api.create);
  bind(lib, "cublasDestroy_v2", api.destroy);
  bind(lib, "cublasSetStream_v2", api.set_stream);
  bind(lib, "cublasGemmEx", api.gemm_ex);
  bind(lib, "cublasGetStatusString", api.status_string);
  return api;  // the library stays loaded for the life of the process
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
