// The claims corpus (tests/data/claims_corpus/README.md): real commit messages and pull-request pages
// with hand-labelled performance claims, split into dev (tune on it) and heldout (report only). Runs
// the extraction `isobench generate` performs on every entry and reports claim recall and precision
// and optimisation-type agreement per split. The floors are today's figures less a margin: a ratchet
// to raise as the extractor improves. Misses and false positives are listed for dev only.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "claims_corpus_score.hpp"
#include "generate/generate.hpp"
#include "isobench/error.hpp"

namespace isobench::detail {
namespace {

namespace fs = std::filesystem;

const fs::path k_labels = fs::path(ISOBENCH_TEST_DATA_DIR) / "claims_corpus";
// The texts are kept outside the repository (they are third-party text); CMake option
// ISOBENCH_CLAIMS_CORPUS_DIR, by default ../shared/claims_corpus beside the checkout.
const fs::path k_texts = fs::path(ISOBENCH_CLAIMS_CORPUS_DIR);

struct floors {
  double recall, precision, category;
};
// Measured on the corpus of 779 texts (2026-12-08; dev: recall 0.854, precision 0.855, type 0.515;
// heldout: 0.664, 0.750, 0.541) less about 0.02: raise them as the extractor improves. Heldout
// precision fell from 0.684 when the corpus was first added: the row, pair and tool-output rules
// find more there, and more of what they find is not labelled.
constexpr floors k_dev_floors{0.83, 0.83, 0.49};
constexpr floors k_heldout_floors{0.64, 0.73, 0.52};

nlohmann::json labels_of(const std::string& split) {
  std::ifstream in(k_labels / split / "labels.json");
  return nlohmann::json::parse(in).at("commits");
}

struct split_score {
  std::size_t entries = 0, labelled = 0, predicted = 0, matched = 0, category_agreed = 0;
  std::vector<std::string> details;  // misses and false positives
  double recall() const { return labelled ? static_cast<double>(matched) / static_cast<double>(labelled) : 1.0; }
  double precision() const { return predicted ? static_cast<double>(matched) / static_cast<double>(predicted) : 1.0; }
  double category() const {
    return entries ? static_cast<double>(category_agreed) / static_cast<double>(entries) : 1.0;
  }
};

// One entry through generate (a fixed target so every entry yields a spec; the claims and the
// optimisation type do not depend on the target).
void score_entry(const std::string& id, const nlohmann::json& label, const fs::path& file, split_score& s) {
  const auto c = load_commit_extraction(file);
  const auto g = generate_spec(c, registry::global(), {.target = std::string("rmsnorm.fused"), .workloads_from = {}});
  const auto& notes = g.spec.at("_generated");
  std::vector<corpus::scored_claim> predicted;
  for (const auto& cl : notes.at("claims")) predicted.push_back(corpus::from_generated(cl));
  std::vector<corpus::labelled_claim> labelled;
  for (const auto& cl : label.at("claims")) labelled.push_back(corpus::from_label(cl));
  const auto m = corpus::match_claims(predicted, labelled);
  ++s.entries;
  s.labelled += labelled.size();
  s.predicted += predicted.size();
  s.matched += m.matched;
  const auto type = notes.at("optimization_type").at("type").get<std::string>();
  if (type == label.at("category").get<std::string>()) ++s.category_agreed;
  for (std::size_t i = 0; i < labelled.size(); ++i) {
    if (!m.label_to_prediction[i]) {
      s.details.push_back(fmt::format("  miss  {}: {} '{}'", id, corpus::describe(labelled[i].primary),
                                      labelled[i].primary.text.substr(0, 90)));
    }
  }
  for (std::size_t i = 0; i < predicted.size(); ++i) {
    if (!m.prediction_matched[i]) {
      s.details.push_back(
          fmt::format("  extra {}: {} '{}'", id, corpus::describe(predicted[i]), predicted[i].text.substr(0, 90)));
    }
  }
  if (type != label.at("category").get<std::string>()) {
    s.details.push_back(fmt::format("  type  {}: {} (labelled {})", id, type, label.at("category").get<std::string>()));
  }
}

split_score score_split(const std::string& split) {
  split_score s;
  const auto labels = labels_of(split);  // named: items() must not outlive its document
  for (const auto& [id, label] : labels.items()) {
    const auto file = k_texts / split / (id + ".json");
    try {
      score_entry(id, label, file, s);
    } catch (const error& e) {
      ADD_FAILURE() << file << ": exit " << static_cast<int>(e.code()) << ": " << e.what();
    }
  }
  return s;
}

void report(const std::string& split, const split_score& s, const floors& f, bool details) {
  std::printf(
      "claims corpus %s: %zu entries, %zu labelled, %zu extracted, %zu matched: recall %.3f, precision %.3f; "
      "optimisation type agrees on %zu (%.3f)\n",
      split.c_str(), s.entries, s.labelled, s.predicted, s.matched, s.recall(), s.precision(), s.category_agreed,
      s.category());
  if (details) {
    for (const auto& d : s.details) std::printf("%s\n", d.c_str());
  }
  EXPECT_GE(s.recall(), f.recall);
  EXPECT_GE(s.precision(), f.precision);
  EXPECT_GE(s.category(), f.category);
}

bool texts_present() {
  return fs::is_directory(k_texts / "dev") && fs::is_directory(k_texts / "heldout");
}

constexpr const char* k_missing =
    "claims corpus texts not found at " ISOBENCH_CLAIMS_CORPUS_DIR
    " (configure with -DISOBENCH_CLAIMS_CORPUS_DIR=...; tests/data/claims_corpus/README.md)";

TEST(claims_corpus, labels_are_complete_and_well_formed) {
  const std::set<std::string> categories{"kernel", "algorithm", "memory", "parallelization", "scheduling", "other"};
  std::set<std::string> ids;
  std::size_t claims = 0;
  for (const std::string split : {"dev", "heldout"}) {
    const auto labels = labels_of(split);
    for (const auto& [id, label] : labels.items()) {
      SCOPED_TRACE(split + "/" + id);
      EXPECT_TRUE(ids.insert(id).second) << "in both splits";
      EXPECT_TRUE(categories.count(label.at("category").get<std::string>()));
      EXPECT_FALSE(label.at("category_evidence").get<std::string>().empty());
      for (const auto& cl : label.at("claims")) {
        const auto l = corpus::from_label(cl);
        EXPECT_TRUE(l.primary.text.empty()) << "a quoted span belongs beside the texts, not in the repository";
        EXPECT_TRUE(cl.at("value").is_number());
        EXPECT_TRUE(cl.at("scope") == "kernel" || cl.at("scope") == "end_to_end");
        ++claims;
      }
      if (texts_present()) {
        EXPECT_TRUE(fs::is_regular_file(k_texts / split / (id + ".json"))) << "text missing";
      }
    }
  }
  EXPECT_GE(ids.size(), 300u);
  EXPECT_GE(claims, 600u);
}

TEST(claims_corpus, dev_split) {
  if (!texts_present()) GTEST_SKIP() << k_missing;
  report("dev", score_split("dev"), k_dev_floors, true);
}

TEST(claims_corpus, heldout_split) {
  if (!texts_present()) GTEST_SKIP() << k_missing;
  report("heldout", score_split("heldout"), k_heldout_floors, false);
}

}  // namespace
}  // namespace isobench::detail
