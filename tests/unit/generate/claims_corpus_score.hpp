#pragma once
// Scoring claim extraction against the hand labels of the claims corpus (tests/data/claims_corpus/):
// a predicted claim matches a labelled one when the directions agree, the units agree after
// normalisation (x, %, ns..h, tokens/s, ...) and the value (and the labelled "to") is within 1%;
// a label may also list alternative spellings of the same statement ("(3.1x)" after a pair). Each
// label matches at most one prediction and the pairing maximises the number of matches.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace isobench::detail::corpus {

struct scored_claim {
  std::string text;
  double value = 0.0;
  std::optional<double> to;  // after value of a pair, or top of a range
  std::string unit;
  bool improvement = true;
};

struct labelled_claim {
  scored_claim primary;
  std::vector<scored_claim> alternatives;  // value + unit only
};

// A claim as `isobench generate` records it under _generated.claims.
scored_claim from_generated(const nlohmann::json& claim);
// A claim as labels.json records it.
labelled_claim from_label(const nlohmann::json& claim);

bool matches(const scored_claim& predicted, const labelled_claim& label);

struct match_result {
  std::vector<std::optional<std::size_t>> label_to_prediction;  // per label
  std::vector<bool> prediction_matched;                         // per prediction
  std::size_t matched = 0;
};
match_result match_claims(const std::vector<scored_claim>& predicted, const std::vector<labelled_claim>& labels);

std::string describe(const scored_claim& c);

}  // namespace isobench::detail::corpus
