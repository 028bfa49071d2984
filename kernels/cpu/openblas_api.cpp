#include "cpu/openblas_api.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include "shared_library.hpp"

namespace isobench::kernels {

namespace {

openblas_api load() {
  // Start OpenBLAS without worker threads unless the user asked for some: kernels set the count
  // they measure with, and OpenBLAS creates the workers then.
  ::setenv("OPENBLAS_NUM_THREADS", "1", 0);
  void* lib = open_shared_library({"libopenblas.so.0", "libopenblas.so"}, "OpenBLAS",
                                  "; on Debian: apt-get install libopenblas0");
  openblas_api api;
  bind_symbol(lib, "cblas_sgemm", api.sgemm, "OpenBLAS");
  bind_symbol(lib, "openblas_set_num_threads", api.set_num_threads, "OpenBLAS");
  bind_symbol(lib, "openblas_get_corename", api.get_corename, "OpenBLAS");
  return api;
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
