// isobench generate on the shipped commit extractions (configs/commits/) against their hand labels:
// every claim found and nothing else (recall and precision), the target, the optimisation type,
// the dtype and the claim chosen; every generated spec must load as a spec.
#include <cmath>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "generate/claims.hpp"
#include "generate/commit_clues.hpp"
#include "generate/generate.hpp"
#include "isobench/error.hpp"
#include "spec/spec.hpp"

namespace isobench::detail {
namespace {

namespace fs = std::filesystem;

const fs::path k_dir = fs::path(ISOBENCH_CONFIGS_DIR) / "commits";

nlohmann::json labels() {
  std::ifstream in(k_dir / "labels.json");
  return nlohmann::json::parse(in)["commits"];
}

std::vector<perf_claim> claims_of(const commit_extraction& c) {
  std::vector<perf_claim> all;
  for (auto [text, source] :
       {std::pair{&c.subject, claim_source::subject}, std::pair{&c.message, claim_source::message},
        std::pair{&c.pr_text, claim_source::pr_text}}) {
    auto found = extract_claims(*text, source);
    all.insert(all.end(), found.begin(), found.end());
  }
  drop_repeated_claims(all);
  return all;
}

bool near(double a, double b) {
  return std::abs(a - b) <= 1e-6 * std::max(1.0, std::abs(b));
}

bool matches(const perf_claim& c, const nlohmann::json& l) {
  if (to_string(c.source) != l["source"].get<std::string>() || to_string(c.kind) != l["kind"].get<std::string>())
    return false;
  if (!near(c.value, l["value"].get<double>()) || c.unit != l["unit"].get<std::string>()) return false;
  if (l.contains("to") != c.value_to.has_value()) return false;
  if (c.value_to && !near(*c.value_to, l["to"].get<double>())) return false;
  if (c.metric != l["metric"].get<std::string>() || to_string(c.qualifier) != l["qualifier"].get<std::string>())
    return false;
  if (to_string(c.direction) != l["direction"].get<std::string>()) return false;
  if (l["expected_speedup"].is_null() != !c.expected_speedup.has_value()) return false;
  if (c.expected_speedup && !near(*c.expected_speedup, l["expected_speedup"].get<double>())) return false;
  std::vector<std::string> flags;
  if (c.cumulative) flags.emplace_back("cumulative");
  if (c.end_to_end) flags.emplace_back("end_to_end");
  return flags == l["flags"].get<std::vector<std::string>>();
}

TEST(commits, at_least_twenty_labelled_extractions) {
  const auto l = labels();
  EXPECT_GE(l.size(), 20u);
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(k_dir)) {
    if (e.path().extension() == ".json" && e.path().filename() != "labels.json") {
      ++files;
      EXPECT_TRUE(l.contains(e.path().stem().string())) << e.path() << " has no labels";
    }
  }
  EXPECT_EQ(files, l.size());
}

TEST(commits, claims_match_labels) {
  std::size_t expected = 0, found = 0, matched = 0;
  const auto all = labels();
  for (const auto& [name, l] : all.items()) {
    SCOPED_TRACE(name);
    const auto c = load_commit_extraction(k_dir / (name + ".json"));
    const auto claims = claims_of(c);
    expected += l["claims"].size();
    found += claims.size();
    std::vector<bool> used(claims.size(), false);
    for (const auto& want : l["claims"]) {
      bool hit = false;
      for (std::size_t i = 0; i < claims.size() && !hit; ++i) {
        if (!used[i] && matches(claims[i], want)) used[i] = hit = true;
      }
      if (hit) ++matched;
      EXPECT_TRUE(hit) << "missed: " << want.dump();
    }
    for (std::size_t i = 0; i < claims.size(); ++i) {
      EXPECT_TRUE(used[i]) << "not a labelled claim: " << claims[i].text << " (" << to_string(claims[i].kind) << " "
                           << claims[i].value << claims[i].unit << ")";
    }
    const auto choice = choose_claim(claims);
    if (l["chosen"].is_null()) {
      EXPECT_FALSE(choice.index.has_value());
    } else {
      ASSERT_TRUE(choice.index.has_value());
      ASSERT_LT(*choice.index, claims.size());
      EXPECT_TRUE(matches(claims[*choice.index], l["claims"][l["chosen"].get<std::size_t>()])) << choice.reason;
    }
  }
  const double recall = expected ? static_cast<double>(matched) / static_cast<double>(expected) : 1.0;
  const double precision = found ? static_cast<double>(matched) / static_cast<double>(found) : 1.0;
  std::printf("claims: %zu labelled, %zu extracted, %zu matched: recall %.3f, precision %.3f\n", expected, found,
              matched, recall, precision);
  EXPECT_GE(recall, 0.9);
  EXPECT_GE(precision, 0.9);
}

TEST(commits, a_fix_with_no_measured_change_is_of_type_other) {
  commit_extraction c;
  c.subject = "Fix out-of-bounds read in softmax for odd widths";
  changed_file f;
  f.path = "csrc/softmax_kernel.cu";
  c.files.push_back(f);
  EXPECT_EQ(classify_optimization(c, {}, false).type, optimization_type::other);
  // The same fix measured faster is judged by what it touches.
  EXPECT_EQ(classify_optimization(c, {}, true).type, optimization_type::kernel);
  // A revert is of type other even where its message measures what the reverted change cost.
  c.subject = "Revert \"Tile softmax rows by 64\" (#812)";
  EXPECT_EQ(classify_optimization(c, {}, true).type, optimization_type::other);
}

// Touching many device files is one fact about where a commit works, not many votes for "kernel".
TEST(commits, many_device_files_count_once) {
  commit_extraction c;
  c.subject = "Reuse the allocation of the KV staging buffer";
  c.message = "Keeps the memory of the staging buffer alive between steps.";
  for (const char* p : {"csrc/a.cu", "csrc/b.cu", "csrc/c.cu", "csrc/d.cuh"}) {
    changed_file f;
    f.path = p;
    c.files.push_back(f);
  }
  EXPECT_EQ(classify_optimization(c, {}, true).type, optimization_type::memory);
}

// A commit that adds a benchmark or a test, or speeds up the build, is of type other even when its
// message measures something: the figures time the harness or the toolchain.
TEST(commits, a_benchmark_test_or_build_subject_is_other_even_when_measured) {
  commit_extraction c;
  changed_file f;
  f.path = "kernels/fused_moe.cu";
  c.files.push_back(f);
  c.message = "Runs 1.4x faster than before.";
  for (const char* subject : {"Add a benchmark for the MoE kernel", "Speed up the reduce kernels test",
                              "Split the attention source to cut compile time", "Reduce OSS CI timeout"}) {
    c.subject = subject;
    EXPECT_EQ(classify_optimization(c, {}, true).type, optimization_type::other) << subject;
  }
  // Without such a word the subject is judged as before.
  c.subject = "Fuse the MoE gate into the GEMM epilogue";
  EXPECT_EQ(classify_optimization(c, {}, true).type, optimization_type::kernel);
}

TEST(commits, target_type_dtype_and_a_loadable_spec) {
  const auto all = labels();
  for (const auto& [name, l] : all.items()) {
    SCOPED_TRACE(name);
    const auto file = k_dir / (name + ".json");
    const auto c = load_commit_extraction(file);
    const auto ids = diff_identifiers(c);
    EXPECT_EQ(to_string(classify_optimization(c, ids).type), l["type"].get<std::string>());
    const auto dtype = detect_dtype(c, ids);
    if (l["dtype"].is_null()) {
      EXPECT_FALSE(dtype.has_value()) << dtype->evidence;
    } else {
      ASSERT_TRUE(dtype.has_value());
      EXPECT_EQ(dtype->dtype, l["dtype"].get<std::string>());
    }
    if (l["target"].is_null()) {
      // No target: the document still carries everything found, marked unresolved.
      const auto g = generate_spec(c, registry::global(), {});
      ASSERT_TRUE(g.unresolved.has_value());
      EXPECT_NE(g.unresolved->find("--target"), std::string::npos);
      EXPECT_TRUE(g.spec["target"].is_null());
      EXPECT_EQ(g.spec["_generated"]["claims"].size(), l["claims"].size());
      EXPECT_TRUE(g.spec["_generated"]["target"]["candidates"].is_array());
      continue;
    }
    const auto g = generate_spec(c, registry::global(), {});
    EXPECT_EQ(g.spec["implementation"], l["target"]);
    const auto s = parse_spec(g.spec, name);
    EXPECT_EQ(s.claim.has_value(), !l["chosen"].is_null());
    EXPECT_FALSE(s.workloads.empty());
    EXPECT_EQ(g.spec["_generated"]["optimization_type"]["type"], l["type"]);
  }
}

TEST(commits, hostile_inputs_get_a_spec_or_exit_6) {
  const auto tmp = fs::temp_directory_path() / fmt::format("isobench_commits_{}", ::getpid());
  fs::create_directories(tmp);
  auto gen_file = [&](const std::string& name, const std::string& body) {
    const auto p = tmp / name;
    std::ofstream(p, std::ios::binary) << body;
    return p;
  };
  auto code_of = [&](const fs::path& p) {
    try {
      const auto c = load_commit_extraction(p);
      (void)generate_spec(c, registry::global(),
                          {.target = std::string("rmsnorm.fused"), .workloads_from = std::nullopt});
      return 0;
    } catch (const error& e) {
      return static_cast<int>(e.code());
    }
  };
  EXPECT_EQ(code_of(gen_file("empty_message.json", R"({"commit_hash": "abc", "commit_message": ""})")), 0);
  EXPECT_EQ(code_of(gen_file("nothing.json", "{}")), 0);
  EXPECT_EQ(code_of(gen_file("array.json", "[1, 2]")), 6);
  EXPECT_EQ(code_of(gen_file("not_json.json", "commit abc")), 6);
  // Fields of another shape are read as well as they can be and noted, never fatal.
  EXPECT_EQ(code_of(gen_file("wrong_type.json", R"({"commit_message": 42.5})")), 0);
  EXPECT_EQ(code_of(gen_file("files_wrong.json", R"({"files_changed": "a.cu"})")), 0);
  EXPECT_EQ(code_of(gen_file("files_mixed.json", R"({"files_changed": ["a.cu", 3]})")), 0);
  {
    const auto c = load_commit_extraction(gen_file("shapes.json", R"({"files_changed": ["a.cu", 3],
        "functions_changed": {"rms_norm": "x"}, "commit_message": {"title": "Faster", "body": "2x faster"}})"));
    ASSERT_EQ(c.files.size(), 1u);
    EXPECT_EQ(c.files[0].path, "a.cu");
    EXPECT_EQ(c.functions, (std::vector<std::string>{"rms_norm", "x"}));
    // An object's members in the reader's (sorted) key order, one "key: value" line each.
    EXPECT_EQ(c.subject, "body: 2x faster");
    EXPECT_EQ(c.message, "title: Faster");
    EXPECT_EQ(c.notes.size(), 4u);  // three shapes and the missing commit_hash
  }
  EXPECT_EQ(code_of(gen_file("latin1.json", "{\"commit_message\": \"caf\xe9 2x faster\"}")), 0);
  EXPECT_EQ(code_of(gen_file("nulls.json", R"({"commit_message": null, "apis": null, "models": [null]})")), 0);
  EXPECT_EQ(code_of(gen_file("prompt_binary.json",
                             R"({"message": "x", "parent_hash": "p", "files_changed": [{"file_path": "a.png",
                                 "diff": "Binary files a/a.png and b/a.png differ"}]})")),
            0);
  EXPECT_EQ(code_of(tmp / "missing.json"), 6);
  EXPECT_EQ(code_of(tmp), 6);  // a directory
  {
    // A 50 MB pull-request page.
    std::string page(50u << 20, 'a');
    for (std::size_t i = 100; i < page.size(); i += 101) page[i] = '\n';
    nlohmann::json j{{"commit_subject", "rmsnorm: 2x faster"}, {"timeline_text", page}};
    EXPECT_EQ(code_of(gen_file("big.json", j.dump())), 0);
  }
  fs::remove_all(tmp);
}

}  // namespace
}  // namespace isobench::detail
