// A reference file's bytes -> read_safetensors' decoding (header, dtypes, shapes, offsets, CRCs).
#include "equivalence/safetensors.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  isobench::fuzz::expect_clean("ref.safetensors", [&] {
    (void)isobench::detail::decode_safetensors(isobench::fuzz::as_text(data, size), "ref.safetensors");
  });
  return 0;
}
