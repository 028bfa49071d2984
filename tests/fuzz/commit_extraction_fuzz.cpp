// A commit extraction's bytes -> load_commit_extraction's parse, then `generate` on it with the
// bundled kernels: claims, clues, target matching, workloads and the spec it writes.
#include "fuzz_check.hpp"
#include "generate/generate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  std::optional<isobench::detail::commit_extraction> c;
  isobench::fuzz::expect_clean("commit.json", [&] {
    c = isobench::detail::parse_commit_extraction_text(std::string(isobench::fuzz::as_text(data, size)), "commit.json");
  });
  // Not resolving a target is an answer of its own (exit 1, the nearest candidates), not about the file.
  if (c)
    isobench::fuzz::expect_clean("",
                                 [&] { (void)isobench::detail::generate_spec(*c, isobench::registry::global(), {}); });
  return 0;
}
