#pragma once
// Field-by-field checks of extracted claims for the extraction tests: one line per expected claim
// instead of a run of EXPECT_EQs per field.

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "generate/claims.hpp"

namespace isobench::detail {

// What a claim must be; a field left unset is not checked.
struct expected_claim {
  std::optional<double> value = std::nullopt;
  std::optional<double> to = std::nullopt;  // value_to: the after value of a pair, or a range's top
  std::optional<std::string_view> unit = std::nullopt;
  std::optional<claim_direction> direction = std::nullopt;
  std::optional<claim_qualifier> qualifier = std::nullopt;
};

inline ::testing::AssertionResult is_claim(const perf_claim& c, const expected_claim& e) {
  auto fail = [&] { return ::testing::AssertionFailure() << "claim '" << c.text << "': "; };
  if (e.value && c.value != *e.value) return fail() << "value " << c.value << ", expected " << *e.value;
  if (e.to && c.value_to != e.to) return fail() << "to " << c.value_to.value_or(-1) << ", expected " << *e.to;
  if (e.unit && c.unit != *e.unit) return fail() << "unit '" << c.unit << "', expected '" << *e.unit << "'";
  if (e.direction && c.direction != *e.direction) {
    return fail() << "direction " << to_string(c.direction) << ", expected " << to_string(*e.direction);
  }
  if (e.qualifier && c.qualifier != *e.qualifier) {
    return fail() << "qualifier " << to_string(c.qualifier) << ", expected " << to_string(*e.qualifier);
  }
  return ::testing::AssertionSuccess();
}

// Whether `claims` are exactly these, in order.
inline ::testing::AssertionResult are_claims(const std::vector<perf_claim>& claims,
                                             std::span<const expected_claim> expected) {
  if (claims.size() != expected.size()) {
    return ::testing::AssertionFailure() << claims.size() << " claims, " << expected.size() << " expected";
  }
  std::size_t i = 0;
  for (const auto& e : expected) {
    if (auto r = is_claim(claims[i++], e); !r) return r << " (claim " << i << ")";
  }
  return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult are_claims(const std::vector<perf_claim>& claims,
                                             std::initializer_list<expected_claim> expected) {
  return are_claims(claims, std::span<const expected_claim>(expected.begin(), expected.size()));
}

// The claims of a commit message.
inline std::vector<perf_claim> message_claims(std::string_view text) {
  return extract_claims(text, claim_source::message);
}

}  // namespace isobench::detail
