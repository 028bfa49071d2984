// A result file's bytes -> load_result's parse (what `compare` and `history import` read).
#include "fuzz_check.hpp"
#include "report/result_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  isobench::fuzz::expect_clean(
      "result.json", [&] { (void)isobench::detail::parse_result(isobench::fuzz::as_text(data, size), "result.json"); });
  return 0;
}
