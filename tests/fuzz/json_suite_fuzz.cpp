// A JSON suite's bytes -> load_suite's parse, with the bundled kernels and no CUDA device. The
// suite sits in configs/suites, so the spec files it lists resolve as they do for the suites there.
#include "fuzz_check.hpp"
#include "suite/suite.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::filesystem::path file = ISOBENCH_FUZZ_SUITE_DIR "/input.json";
  // Errors name the suite or, for a listed spec file, that file.
  isobench::fuzz::expect_clean("", [&] {
    (void)isobench::detail::load_json_suite(std::string(isobench::fuzz::as_text(data, size)), file,
                                            isobench::registry::global(), {false, "no device (fuzzing)"});
  });
  return 0;
}
