#include "spec/spec.hpp"

#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "isobench/error.hpp"
#include "support/temp_dir.hpp"

namespace isobench::detail {
namespace {

nlohmann::json good_spec() {
  return nlohmann::json::parse(R"({
    "version": 1,
    "name": "gemm_test",
    "target": "gemm",
    "implementations": {"baseline": "gemm.naive", "candidate": "blocked"},
    "device": "auto",
    "dtype": "fp32",
    "seed": 7,
    "workloads": [
      {"name": "a", "m": 4, "n": 5, "k": 6},
      {"name": "b", "m": 8, "n": 8, "k": 8, "seed": 99, "alpha": 0.5, "causal": true, "mode": "x"}
    ],
    "timing": {"warmup": 1, "min_iters": 2, "max_iters": 9, "min_time_s": 0.01, "max_time_s": 1, "cache": "cold"},
    "equivalence": {"level": "behavioral", "rtol": 0.5},
    "commit": {"hash": "abc", "parent": "def", "message": "speed up"},
    "claim": {"speedup": 2.8, "tolerance": 0.9},
    "verdict": {"alpha": 0.05, "noise_threshold": 0.03, "ci_half_width": 0.02, "min_rounds": 12, "max_rounds": 99, "min_launches": 4, "max_launches": 9, "launch_rounds": 6,
                "round_time_s": 0.005},
    "require_opt_path": true,
    "_comment": "free"
  })");
}

// The message of the config_error that parsing `j` throws.
std::string parse_error(const nlohmann::json& j) {
  try {
    (void)parse_spec(j, "s.json");
  } catch (const config_error& e) {
    EXPECT_EQ(e.code(), exit_code::invalid_config);
    return e.what();
  }
  ADD_FAILURE() << "no error for " << j.dump();
  return {};
}

TEST(spec, parses_every_field) {
  const spec s = parse_spec(good_spec(), "s.json");
  EXPECT_EQ(s.name, "gemm_test");
  EXPECT_EQ(s.target, "gemm");
  ASSERT_EQ(s.implementations.size(), 2u);
  EXPECT_EQ(s.implementations[0].role, role::baseline);
  EXPECT_EQ(s.implementations[0].name, "gemm.naive");
  EXPECT_EQ(s.implementations[1].role, role::candidate);
  EXPECT_EQ(s.implementations[1].name, "blocked");
  EXPECT_EQ(s.device, device_request::automatic);
  EXPECT_EQ(s.type, dtype::f32);
  EXPECT_EQ(s.seed, 7u);
  ASSERT_EQ(s.workloads.size(), 2u);
  EXPECT_EQ(s.workloads[0].values.get_int("m"), 4);
  EXPECT_FALSE(s.workloads[0].seed.has_value());
  EXPECT_EQ(s.workloads[1].seed, 99u);
  EXPECT_EQ(s.workloads[1].index, 1u);
  EXPECT_DOUBLE_EQ(s.workloads[1].values.get_double("alpha"), 0.5);
  EXPECT_TRUE(s.workloads[1].values.get_bool("causal"));
  EXPECT_EQ(s.workloads[1].values.get_string("mode"), "x");
  EXPECT_EQ(s.timing.warmup, 1);
  EXPECT_EQ(s.timing.min_iters, 2);
  EXPECT_EQ(s.timing.max_iters, 9);
  EXPECT_DOUBLE_EQ(s.timing.min_time_s, 0.01);
  EXPECT_DOUBLE_EQ(s.timing.max_time_s, 1.0);
  EXPECT_EQ(s.timing.cache, cache_mode::cold);
  EXPECT_EQ(s.equivalence.level, eq_level::behavioral);
  EXPECT_EQ(s.equivalence.rtol, 0.5);
  EXPECT_FALSE(s.equivalence.atol.has_value());
  EXPECT_EQ(s.commit.hash, "abc");
  EXPECT_EQ(s.commit.parent, "def");
  ASSERT_TRUE(s.claim.has_value());
  EXPECT_DOUBLE_EQ(s.claim->speedup, 2.8);
  EXPECT_DOUBLE_EQ(s.claim->tolerance, 0.9);
  EXPECT_TRUE(s.require_opt_path);
  EXPECT_DOUBLE_EQ(s.verdict.alpha, 0.05);
  EXPECT_DOUBLE_EQ(s.verdict.noise_threshold, 0.03);
  EXPECT_DOUBLE_EQ(s.verdict.ci_half_width, 0.02);
  EXPECT_EQ(s.verdict.min_rounds, 12);
  EXPECT_EQ(s.verdict.max_rounds, 99);
  EXPECT_DOUBLE_EQ(s.verdict.round_time_s, 0.005);
}

TEST(spec, defaults_follow_iso_bench_cpu_policy) {
  const auto j = nlohmann::json::parse(
      R"({"name": "x", "target": "gemm", "implementation": "gemm.naive", "workloads": [{"name": "w", "m": 1}]})");
  const spec s = parse_spec(j, "s.json");
  ASSERT_EQ(s.implementations.size(), 1u);
  EXPECT_EQ(s.implementations[0].role, role::single);
  EXPECT_EQ(s.device, device_request::cpu);
  EXPECT_EQ(s.type, dtype::f32);
  EXPECT_EQ(s.timing.warmup, 3);
  EXPECT_EQ(s.timing.min_iters, 10);
  EXPECT_DOUBLE_EQ(s.timing.min_time_s, 0.2);
  EXPECT_EQ(s.timing.cache, cache_mode::warm);
  EXPECT_EQ(s.equivalence.level, eq_level::numeric);
  EXPECT_FALSE(s.claim.has_value());
  EXPECT_FALSE(s.require_opt_path);
  auto with_claim = j;
  with_claim["claim"] = {{"speedup", 2.0}};
  EXPECT_DOUBLE_EQ(parse_spec(with_claim, "s.json").claim->tolerance, 0.8);  // EffiBench's default
}

struct bad_case {
  const char* what;
  const char* pointer;   // JSON pointer of the JSON path the message must name
  const char* expected;  // part of the message saying what was expected
  std::function<void(nlohmann::json&)> mutate;
};

// Keeps test names readable in ctest (gtest would print the struct's bytes).
void PrintTo(const bad_case& c, std::ostream* os) {
  *os << c.what;
}

class spec_errors : public ::testing::TestWithParam<bad_case> {};

TEST_P(spec_errors, name_file_path_and_expectation) {
  auto j = good_spec();
  GetParam().mutate(j);
  const auto msg = parse_error(j);
  EXPECT_NE(msg.find("s.json: "), std::string::npos) << msg;
  EXPECT_NE(msg.find(std::string(GetParam().pointer) + ":"), std::string::npos) << msg;
  EXPECT_NE(msg.find(GetParam().expected), std::string::npos) << msg;
}

INSTANTIATE_TEST_SUITE_P(
    every_kind, spec_errors,
    ::testing::Values(
        bad_case{"missing name", "/name", "required field is missing", [](auto& j) { j.erase("name"); }},
        bad_case{"name not a string", "/name", "expected a non-empty string, got integer 3",
                 [](auto& j) { j["name"] = 3; }},
        bad_case{"unsafe name", "/name", "letters, digits", [](auto& j) { j["name"] = "../etc"; }},
        bad_case{"missing target", "/target", "required field is missing", [](auto& j) { j.erase("target"); }},
        bad_case{"no implementation", "/implementation", "required field is missing",
                 [](auto& j) { j.erase("implementations"); }},
        bad_case{"both forms", "/implementations", "not both", [](auto& j) { j["implementation"] = "gemm.naive"; }},
        bad_case{"no candidate", "/implementations/candidate", "required field is missing",
                 [](auto& j) { j["implementations"].erase("candidate"); }},
        bad_case{"bad device", "/device", "expected \"cpu\", \"cuda\" or \"auto\"",
                 [](auto& j) { j["device"] = "tpu"; }},
        bad_case{"bad dtype", "/dtype", "expected one of fp32", [](auto& j) { j["dtype"] = "float"; }},
        bad_case{"negative seed", "/seed", "expected an integer >= 0", [](auto& j) { j["seed"] = -1; }},
        bad_case{"no workloads", "/workloads", "required field is missing", [](auto& j) { j.erase("workloads"); }},
        bad_case{"empty workloads", "/workloads", "non-empty array",
                 [](auto& j) { j["workloads"] = nlohmann::json::array(); }},
        bad_case{"workload not object", "/workloads/1", "expected an object", [](auto& j) { j["workloads"][1] = 5; }},
        bad_case{"workload without name", "/workloads/0/name", "required field is missing",
                 [](auto& j) { j["workloads"][0].erase("name"); }},
        bad_case{"duplicate workload", "/workloads/1/name", "duplicate workload name",
                 [](auto& j) { j["workloads"][1]["name"] = "a"; }},
        bad_case{"nested parameter", "/workloads/1/m", "expected a workload parameter",
                 [](auto& j) {
                   j["workloads"][1]["m"] = nlohmann::json::array({1, 2});
                 }},
        bad_case{"negative warmup", "/timing/warmup", "expected an integer in [0,",
                 [](auto& j) { j["timing"]["warmup"] = -1; }},
        bad_case{"zero min_iters", "/timing/min_iters", "expected an integer in [1,",
                 [](auto& j) { j["timing"]["min_iters"] = 0; }},
        bad_case{"max below min", "/timing/max_iters", ">= min_iters", [](auto& j) { j["timing"]["max_iters"] = 1; }},
        bad_case{"time as string", "/timing/min_time_s", "expected a number in [0, 86400], got string \"1s\"",
                 [](auto& j) { j["timing"]["min_time_s"] = "1s"; }},
        bad_case{"max time below min", "/timing/max_time_s", ">= min_time_s",
                 [](auto& j) { j["timing"]["max_time_s"] = 0.001; }},
        bad_case{"bad cache", "/timing/cache", "\"warm\" or \"cold\"", [](auto& j) { j["timing"]["cache"] = "hot"; }},
        bad_case{"typo in timing", "/timing/warmpu", "unknown field", [](auto& j) { j["timing"]["warmpu"] = 3; }},
        bad_case{"typo at top", "/workload", "unknown field", [](auto& j) { j["workload"] = 3; }},
        bad_case{"bad level", "/equivalence/level", "\"exact\", \"numeric\" or \"behavioral\"",
                 [](auto& j) { j["equivalence"]["level"] = "close"; }},
        bad_case{"negative rtol", "/equivalence/rtol", "expected a number >= 0",
                 [](auto& j) { j["equivalence"]["rtol"] = -1; }},
        bad_case{"claim without speedup", "/claim/speedup", "required field is missing",
                 [](auto& j) { j["claim"].erase("speedup"); }},
        bad_case{"zero speedup", "/claim/speedup", "expected a number > 0", [](auto& j) { j["claim"]["speedup"] = 0; }},
        bad_case{"tolerance above one", "/claim/tolerance", "(0, 1]", [](auto& j) { j["claim"]["tolerance"] = 1.5; }},
        bad_case{"alpha too big", "/verdict/alpha", "(0, 0.5)", [](auto& j) { j["verdict"]["alpha"] = 0.5; }},
        bad_case{"rounds inverted", "/verdict/max_rounds", ">= min_rounds",
                 [](auto& j) { j["verdict"]["max_rounds"] = 3; }},
        bad_case{"fewer launches allowed than required", "/verdict/max_launches", ">= min_launches",
                 [](auto& j) { j["verdict"]["max_launches"] = 2; }},
        bad_case{"typo in verdict", "/verdict/alfa", "unknown field", [](auto& j) { j["verdict"]["alfa"] = 0.1; }},
        bad_case{"future version", "/version", "unsupported spec version 2", [](auto& j) { j["version"] = 2; }},
        bad_case{"opt path not bool", "/require_opt_path", "expected true or false",
                 [](auto& j) { j["require_opt_path"] = "yes"; }},
        bad_case{"top not object", "/", "expected an object", [](auto& j) { j = nlohmann::json::array(); }}),
    [](const auto& param_info) {
      std::string name = param_info.param.what;
      for (auto& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      return name;
    });

TEST(spec, load_reports_file_problems) {
  const testing::unique_temp_dir tmp;
  const auto dir = tmp.path();
  try {
    (void)load_spec(dir / "missing.json");
    FAIL();
  } catch (const config_error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.json: spec file not found"), std::string::npos);
  }
  const auto broken = dir / "broken.json";
  std::ofstream(broken) << "{\n  \"name\": \"x\",\n  \"target\": }\n";
  try {
    (void)load_spec(broken);
    FAIL();
  } catch (const config_error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("broken.json: not valid JSON"), std::string::npos) << msg;
    EXPECT_NE(msg.find("line 3"), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace isobench::detail

namespace isobench::detail {
namespace {

TEST(spec_shapes, generators_expand_into_workloads) {
  const auto s = parse_spec(nlohmann::json::parse(R"({"name": "x", "target": "gemm", "implementation": "blocked",
      "shapes": {"generator": "llama", "params": {"threads": 2}}})"),
                            "s.json");
  ASSERT_EQ(s.workloads.size(), 4u);
  EXPECT_EQ(s.workloads[0].name, "attn.wqkv");
  EXPECT_EQ(s.workloads[0].values.get_int("m"), 16384);
  EXPECT_EQ(s.workloads[0].values.get_int("k"), 8192);
  EXPECT_EQ(s.workloads[0].values.get_int("n"), 1280);
  EXPECT_EQ(s.workloads[3].values.get_int("threads"), 2);
  // Literal workloads first, then the generated ones.
  const auto both = parse_spec(nlohmann::json::parse(R"({"name": "x", "target": "gemm", "implementation": "blocked",
      "workloads": [{"name": "tiny", "m": 8, "k": 8, "n": 8}],
      "shapes": {"generator": "pow2", "min_power": 6, "max_power": 7}})"),
                               "s.json");
  ASSERT_EQ(both.workloads.size(), 3u);
  EXPECT_EQ(both.workloads[1].name, "pow2_6");
  EXPECT_EQ(both.workloads[2].values.get_int("k"), 128);
  const auto custom = parse_spec(nlohmann::json::parse(R"({"name": "x", "target": "gemm", "implementation": "blocked",
      "shapes": {"generator": "custom", "custom": [[1, 4096, 4096], [16, 4096, 14336]]}})"),
                                 "s.json");
  ASSERT_EQ(custom.workloads.size(), 2u);
  EXPECT_EQ(custom.workloads[1].values.get_int("n"), 14336);
}

TEST(spec_shapes, bad_shapes_name_the_field) {
  auto error_of = [](const char* text) {
    try {
      (void)parse_spec(nlohmann::json::parse(text), "s.json");
    } catch (const config_error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const auto unknown =
      error_of(R"({"name": "x", "target": "t", "implementation": "i", "shapes": {"generator": "cube"}})");
  EXPECT_NE(unknown.find("/shapes/generator"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("small_sweep"), std::string::npos) << unknown;  // the known ones are listed
  EXPECT_NE(error_of(R"({"name": "x", "target": "t", "implementation": "i",
                         "shapes": {"generator": "custom", "custom": [[1, 2]]}})")
                .find("/shapes/custom/0"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"name": "x", "target": "t", "implementation": "i",
                         "shapes": {"generator": "llama", "params": {"m": 3}}})")
                .find("/shapes/params/m"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"name": "x", "target": "t", "implementation": "i",
                         "shapes": {"generator": "sweep", "min_power": 0, "max_power": 20}})")
                .find("at most 4096"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"name": "x", "target": "t", "implementation": "i"})").find("\"shapes\""), std::string::npos);
}

// The shipped JSON Schema and the parser must agree on the fields that exist.
TEST(spec_schema, lists_exactly_the_fields_the_parser_reads) {
  std::ifstream in(std::filesystem::path(ISOBENCH_CONFIGS_DIR) / "schema" / "spec.schema.json");
  ASSERT_TRUE(in);
  const auto schema = nlohmann::json::parse(in);
  auto keys = [](const nlohmann::json& obj) {
    std::set<std::string> out;
    for (const auto& [k, v] : obj.items()) {
      if (k.front() != '_' && k.front() != '$') out.insert(k);
    }
    return out;
  };
  auto with_pair = keys(good_spec());
  with_pair.insert("implementation");
  with_pair.insert("shapes");
  EXPECT_EQ(keys(schema["properties"]), with_pair);
  for (const char* section : {"timing", "commit", "claim", "verdict"}) {
    EXPECT_EQ(keys(schema["properties"][section]["properties"]), keys(good_spec()[section])) << section;
  }
  auto eq = keys(good_spec()["equivalence"]);
  eq.insert("atol");
  EXPECT_EQ(keys(schema["properties"]["equivalence"]["properties"]), eq);
  // Its defaults are the parser's defaults.
  const spec defaults = parse_spec(nlohmann::json::parse(R"({"name": "x", "target": "t", "implementation": "i",
                                                              "workloads": [{"name": "w"}]})"),
                                   "d.json");
  const auto& t = schema["properties"]["timing"]["properties"];
  EXPECT_EQ(t["warmup"]["default"], defaults.timing.warmup);
  EXPECT_EQ(t["min_iters"]["default"], defaults.timing.min_iters);
  EXPECT_EQ(t["max_iters"]["default"], defaults.timing.max_iters);
  EXPECT_EQ(t["min_time_s"]["default"], defaults.timing.min_time_s);
  EXPECT_EQ(t["max_time_s"]["default"], defaults.timing.max_time_s);
  EXPECT_EQ(schema["properties"]["claim"]["properties"]["tolerance"]["default"], 0.8);
}

}  // namespace
}  // namespace isobench::detail
