#pragma once
// The claims an extraction has found so far, each distinct one once and at most a bounded number:
// memory stays bounded however often a text repeats them.

#include <cstddef>
#include <string>
#include <unordered_set>
#include <vector>

#include "generate/claims.hpp"

namespace isobench::detail {

// The claims found so far, each distinct one once (drop_repeated_claims' notion of "the same"; two
// table rows are two claims), at most k_max_claims.
class claim_sink {
public:
  explicit claim_sink(std::vector<perf_claim>& out) : m_out(out) {}
  // Keeps the claims appended since the last call that are new.
  void settle();

  static constexpr std::size_t k_max_claims = 2000;

private:
  std::vector<perf_claim>& m_out;
  std::unordered_set<std::string> m_seen;
  std::size_t m_settled = 0;
};

}  // namespace isobench::detail
