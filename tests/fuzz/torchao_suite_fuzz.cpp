// A torchao microbenchmark config's bytes (YAML) -> load_suite's parse, with the bundled kernels
// and no CUDA device.
#include "fuzz_check.hpp"
#include "suite/suite.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  isobench::fuzz::expect_clean("config.yaml", [&] {
    (void)isobench::detail::load_torchao_suite(std::string(isobench::fuzz::as_text(data, size)), "config.yaml",
                                               isobench::registry::global(), {false, "no device (fuzzing)"});
  });
  return 0;
}
