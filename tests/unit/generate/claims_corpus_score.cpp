#include "claims_corpus_score.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace isobench::detail::corpus {

namespace {

struct unit_scale {
  std::string_view family;  // units of one family compare after scaling
  double scale = 1.0;
};

struct unit_spelling {
  std::string_view spelling;  // lower case
  unit_scale scale;
};

// Every spelling a label or the extractor uses; units outside it compare by name.
constexpr unit_spelling k_units[] = {
    {"x", {"factor", 1}},
    {"\xc3\x97", {"factor", 1}},
    {"times", {"factor", 1}},
    {"%", {"percent", 1}},
    {"percent", {"percent", 1}},
    {"ns", {"time", 1e-9}},
    {"us", {"time", 1e-6}},
    {"\xc2\xb5s", {"time", 1e-6}},
    {"\xce\xbcs", {"time", 1e-6}},
    {"ms", {"time", 1e-3}},
    {"s", {"time", 1}},
    {"sec", {"time", 1}},
    {"min", {"time", 60}},
    {"h", {"time", 3600}},
    {"tokens/s", {"tokens/s", 1}},
    {"tok/s", {"tokens/s", 1}},
    {"token/s", {"tokens/s", 1}},
    {"t/s", {"tokens/s", 1}},
    {"requests/s", {"requests/s", 1}},
    {"req/s", {"requests/s", 1}},
    {"qps", {"requests/s", 1}},
    {"tflop/s", {"flop/s", 1e12}},
    {"tflops", {"flop/s", 1e12}},
    {"gflop/s", {"flop/s", 1e9}},
    {"gb/s", {"bytes/s", 1e9}},
    {"tb/s", {"bytes/s", 1e12}},
    {"bytes", {"bytes", 1}},
    {"kb", {"bytes", 1e3}},
    {"mb", {"bytes", 1e6}},
    {"gb", {"bytes", 1e9}},
    {"tb", {"bytes", 1e12}},
    {"kib", {"bytes", 1024.0}},
    {"mib", {"bytes", 1048576.0}},
    {"gib", {"bytes", 1073741824.0}},
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// The family of a unit; "" stays "" (a label's unit the text did not state).
unit_scale scale_of(const std::string& unit, std::string& storage) {
  storage = lower(unit);
  for (const auto& u : k_units) {
    if (u.spelling == storage) return u.scale;
  }
  return {storage, 1.0};
}

bool within(double predicted, double labelled) {
  return std::abs(predicted - labelled) <= 0.01 * std::abs(labelled) + 1e-12;
}

// Value (and "to") in the label's unit family, scaled to that family's base unit.
bool same_quantity(const scored_claim& p, const scored_claim& l) {
  if (l.to.has_value() != p.to.has_value()) return false;
  std::string ps, ls;
  const auto pu = scale_of(p.unit, ps);
  const auto lu = scale_of(l.unit, ls);
  if (l.unit.empty()) {  // the text gave no unit: any unit the extractor inferred will do
    return within(p.value, l.value) && (!l.to || within(*p.to, *l.to));
  }
  if (pu.family != lu.family) return false;
  if (!within(p.value * pu.scale, l.value * lu.scale)) return false;
  return !l.to || within(*p.to * pu.scale, *l.to * lu.scale);
}

}  // namespace

scored_claim from_generated(const nlohmann::json& claim) {
  scored_claim c;
  c.text = claim.value("text", "");
  c.unit = claim.value("unit", "");
  c.improvement = claim.value("direction", "improvement") == "improvement";
  if (claim.contains("before")) {
    c.value = claim["before"].get<double>();
    c.to = claim["after"].get<double>();
  } else {
    c.value = claim["value"].get<double>();
    if (claim.contains("value_to")) c.to = claim["value_to"].get<double>();
  }
  return c;
}

labelled_claim from_label(const nlohmann::json& claim) {
  labelled_claim l;
  l.primary.text = claim.value("text", "");  // spans live beside the texts, outside the repository
  l.primary.value = claim.at("value").get<double>();
  if (!claim.at("to").is_null()) l.primary.to = claim["to"].get<double>();
  l.primary.unit = claim.at("unit").get<std::string>();
  l.primary.improvement = claim.at("direction").get<std::string>() == "improvement";
  for (const auto& alt : claim.value("alternatives", nlohmann::json::array())) {
    scored_claim a;
    a.value = alt.at("value").get<double>();
    a.unit = alt.at("unit").get<std::string>();
    a.improvement = l.primary.improvement;
    l.alternatives.push_back(std::move(a));
  }
  return l;
}

bool matches(const scored_claim& predicted, const labelled_claim& label) {
  if (predicted.improvement != label.primary.improvement) return false;
  if (same_quantity(predicted, label.primary)) return true;
  return std::any_of(label.alternatives.begin(), label.alternatives.end(),
                     [&](const scored_claim& alt) { return same_quantity(predicted, alt); });
}

match_result match_claims(const std::vector<scored_claim>& predicted, const std::vector<labelled_claim>& labels) {
  // Maximum bipartite matching (augmenting paths): a greedy pairing could hand a "3.1x" prediction to
  // the pair that lists it as an alternative and leave the label that states 3.1x alone unmatched.
  match_result r;
  r.label_to_prediction.assign(labels.size(), std::nullopt);
  r.prediction_matched.assign(predicted.size(), false);
  std::vector<std::optional<std::size_t>> prediction_to_label(predicted.size());
  std::vector<bool> seen;
  std::function<bool(std::size_t)> augment = [&](std::size_t l) {
    for (std::size_t p = 0; p < predicted.size(); ++p) {
      if (seen[p] || !matches(predicted[p], labels[l])) continue;
      seen[p] = true;
      if (!prediction_to_label[p] || augment(*prediction_to_label[p])) {
        prediction_to_label[p] = l;
        r.label_to_prediction[l] = p;
        return true;
      }
    }
    return false;
  };
  for (std::size_t l = 0; l < labels.size(); ++l) {
    seen.assign(predicted.size(), false);
    if (augment(l)) ++r.matched;
  }
  for (std::size_t p = 0; p < predicted.size(); ++p) r.prediction_matched[p] = prediction_to_label[p].has_value();
  return r;
}

std::string describe(const scored_claim& c) {
  return fmt::format("{}{}{} {}", c.value, c.to ? fmt::format("->{}", *c.to) : "", c.unit.empty() ? "" : " " + c.unit,
                     c.improvement ? "improvement" : "regression");
}

}  // namespace isobench::detail::corpus
