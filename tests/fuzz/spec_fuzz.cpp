// A spec file's bytes -> load_spec's parse, then the plan `run` makes of it against the bundled
// kernels (every parameter checked), with no CUDA device.
#include "fuzz_check.hpp"
#include "runner/plan.hpp"
#include "spec/spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  isobench::fuzz::expect_clean("input.json", [&] {
    const auto s = isobench::detail::parse_spec_text(isobench::fuzz::as_text(data, size), "input.json");
    (void)isobench::detail::make_plan(s, isobench::registry::global(), isobench::detail::cuda_status{});
  });
  return 0;
}
