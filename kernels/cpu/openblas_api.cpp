#include "cpu/openblas_api.hpp"

#include <dlfcn.h>

#include <cstdlib>

#include <fmt/format.h>

#include "isobench/error.hpp"

namespace isobench::kernels {

namespace {

template <class F>
void bind(void* lib, const char* name, F& fn) {
  fn = reinterpret_cast<F>(dlsym(lib, name));
  if (fn == nullptr) throw error(exit_code::unsupported, fmt::format("OpenBLAS has no symbol {}", name));
}

openblas_api load() {
  // Start OpenBLAS without worker threads unless the user asked for some: kernels set the count
  // they measure with, and OpenBLAS creates the workers then.
  ::setenv("OPENBLAS_NUM_THREADS", "1", 0);
  void* lib = nullptr;
  for (const char* name : {"libopenblas.so.0", "libopenblas.so"}) {
    lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (lib != nullptr) break;
  }
  if (lib == nullptr) {
    throw error(exit_code::unsupported,
                fmt::format("OpenBLAS is not installed or not on the library path ({}); on Debian: apt-get "
                            "install libopenblas0",
                            dlerror()));
  }
  openblas_api api;
  bind(lib, "cblas_sgemm", api.sgemm);
  bind(lib, "openblas_set_num_threads", api.set_num_threads);
  bind(lib, "openblas_get_corename", api.get_corename);
  return api;  // stays loaded for the life of the process
}

}  // namespace

const openblas_api& openblas() {
  static const openblas_api api = load();
  return api;
}

std::string openblas_isa() {
  const char* core = openblas().get_corename();
  return fmt::format("openblas:{}", core != nullptr ? core : "unknown");
}

}  // namespace isobench::kernels
