// Any text -> the claim scanner, as `generate` runs it on a commit's subject, message and PR page,
// then the choice among the claims. Pure text: no input may make it throw.
#include "fuzz_check.hpp"
#include "generate/claims.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  namespace gen = isobench::detail;
  isobench::fuzz::expect_clean("", [&] {
    std::vector<gen::perf_claim> claims;
    for (auto source : {gen::claim_source::subject, gen::claim_source::message, gen::claim_source::pr_text}) {
      auto found = gen::extract_claims(isobench::fuzz::as_text(data, size), source);
      claims.insert(claims.end(), found.begin(), found.end());
    }
    gen::drop_repeated_claims(claims);
    (void)gen::choose_claim(claims);
  });
  return 0;
}
