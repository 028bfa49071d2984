#pragma once
// For CUDA kernels: every CUDA runtime call goes through ISOBENCH_CUDA_CHECK, which throws
// isobench::error naming the call, file:line and CUDA's error name and text. Out of memory exits 4;
// a missing or too old driver, no device, or no kernel image for it exits 2; anything else is 10.
// The stream a kernel launches on is setup_context::stream (a cudaStream_t; stream_of() casts it).
//
// No CUDA types here, so the header compiles without the toolkit; the macros expand only in files
// that include the CUDA runtime (.cu files).

namespace isobench::cuda {

// `code` is the cudaError_t; `name` and `text` are cudaGetErrorName/String of it.
[[noreturn]] void throw_cuda_error(int code, const char* name, const char* text, const char* call, const char* file,
                                   int line);

// The kernel's stream, as the CUDA type the caller names: stream_of<cudaStream_t>(ctx.stream).
template <class Stream>
Stream stream_of(void* stream) noexcept {
  return static_cast<Stream>(stream);
}

}  // namespace isobench::cuda

#define ISOBENCH_CUDA_CHECK(call)                                                                                    \
  do {                                                                                                               \
    const auto isobench_cuda_err_ = (call);                                                                          \
    if (static_cast<int>(isobench_cuda_err_) != 0) {                                                                 \
      ::isobench::cuda::throw_cuda_error(static_cast<int>(isobench_cuda_err_), cudaGetErrorName(isobench_cuda_err_), \
                                         cudaGetErrorString(isobench_cuda_err_), #call, __FILE__, __LINE__);         \
    }                                                                                                                \
  } while (0)

// A kernel launch is checked for configuration errors right after it (asynchronous faults surface
// at the next synchronising call, which is checked too).
#define ISOBENCH_CUDA_CHECK_LAUNCH() ISOBENCH_CUDA_CHECK(cudaGetLastError())
