#include "report/reporter.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "isobench/error.hpp"
#include "report/console_reporter.hpp"
#include "report/format.hpp"

namespace isobench::detail {
namespace {

// A fixed report: two implementations of one workload, the candidate checked against the baseline.
run_report fixed_report() {
  run_report r;
  r.spec_name = "gemm_demo";
  r.spec_file = "configs/gemm_demo.json";
  r.target = "gemm";
  r.spec.name = "gemm_demo";
  r.spec.target = "gemm";
  r.spec.equivalence.level = eq_level::numeric;
  r.spec.claim = claim{3.0, 0.8};
  r.impl_tag = "child";
  r.commit_hash = "0123456789abcdef0123";
  r.timestamp = "2026-01-01T00:00:00Z";
  r.host.cpu_model = "Test CPU";
  r.host.isobench_version = "0.1.0";
  r.host.git_revision = "deadbeef";

  auto make = [](std::string impl, role ro, std::vector<double> samples_ms, std::int64_t batch) {
    case_result c;
    c.workload = "square_64";
    c.workload_params.set("m", std::int64_t{64});
    c.implementation = std::move(impl);
    c.role = ro;
    for (double x : samples_ms) c.measurement.samples_s.push_back(x * 1e-3);
    c.measurement.batch = batch;
    c.measurement.warmup_calls = 3;
    c.measurement.measured_calls = static_cast<std::int64_t>(samples_ms.size()) * batch;
    c.measurement.stop_reason = "min_time_reached";
    c.summary_ms = stats::summarize(samples_ms);
    c.flops = 2.0 * 64 * 64 * 64;
    c.gflops = *c.flops / (c.summary_ms.p50 * 1e-3) * 1e-9;
    return c;
  };
  r.cases.push_back(make("gemm.naive", role::baseline, {1.0, 1.1, 0.9, 1.0, 1.2}, 1));
  auto cand = make("gemm.blocked", role::candidate, {0.25, 0.26, 0.24, 0.25, 0.25}, 8);
  comparison cmp;
  cmp.required = eq_level::numeric;
  cmp.achieved = eq_level::numeric;
  cmp.used = {1e-5, 1e-7};
  cmp.tensors.push_back({"C", eq_level::numeric, 2e-6, 3e-6, std::nullopt, 0, 0, ""});
  cand.eq = eq_outcome{"baseline", cmp};
  r.cases.push_back(std::move(cand));

  verdict_result v;
  v.spec_name = "gemm_demo";
  v.workload = "square_64";
  v.baseline = "gemm.naive";
  v.candidate = "gemm.blocked";
  v.estimate.speedup = 4.0;
  v.estimate.ci = {3.9, 4.1};
  v.estimate.p_value = 0.002;
  v.estimate.method = "wilcoxon_signed_rank(paired rounds)";
  v.estimate.unit = "rounds";
  v.estimate.units = v.estimate.base_units = v.estimate.head_units = 12;
  v.p_adjusted = 0.002;
  v.verdict = verdict::pass;
  v.stop_reason = "ci_target_reached";
  v.mde = 0.0357;
  r.verdicts.push_back(v);
  r.policy.claim = claim{3.0, 0.8};
  return r;
}

void expect_golden(const std::string& name, const std::string& actual) {
  const auto path = std::filesystem::path(ISOBENCH_GOLDEN_DIR) / name;
  if (std::getenv("ISOBENCH_UPDATE_GOLDEN") != nullptr) std::ofstream(path) << actual;
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing golden file " << path << " (run with ISOBENCH_UPDATE_GOLDEN=1 to create it)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "golden " << name << " differs";
}

TEST(console_reporter, matches_golden_table) {
  std::ostringstream os;
  make_reporter("console")->report(fixed_report(), os);
  expect_golden("console_table.txt", os.str());
}

TEST(console_reporter, shows_equivalence_failures) {
  auto r = fixed_report();
  auto& eq = r.cases[1].eq->result;
  eq.achieved = eq_level::behavioral;
  eq.tensors[0].level = eq_level::behavioral;
  eq.tensors[0].first_mismatch = 17;
  std::ostringstream os;
  make_reporter("console")->report(r, os);
  EXPECT_NE(os.str().find("behavioral FAIL"), std::string::npos) << os.str();
  EXPECT_NE(os.str().find("EQUIVALENCE FAILED square_64 gemm.blocked vs baseline"), std::string::npos) << os.str();
  EXPECT_NE(os.str().find("first mismatch at index 17"), std::string::npos) << os.str();
}

TEST(json_reporter, carries_every_documented_field) {
  std::ostringstream os;
  make_reporter("json")->report(fixed_report(), os);
  const auto j = nlohmann::json::parse(os.str());
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["isobench"]["git_revision"], "deadbeef");
  EXPECT_EQ(j["environment"]["cpu_model"], "Test CPU");
  ASSERT_EQ(j["results"].size(), 2u);
  const auto& c = j["results"][1];
  for (const char* key : {"impl_tag",   "commit_hash",    "device", "dtype",    "iters",        "warmup", "avg_ms",
                          "p50_ms",     "p95_ms",         "p99_ms", "min_ms",   "max_ms",       "std_ms", "cv",
                          "samples_ms", "gflops",         "gbps",   "eq_level", "opt_path_hit", "batch",  "stop_reason",
                          "workload",   "implementation", "role",   "params"}) {
    EXPECT_TRUE(c.contains(key)) << key;
  }
  EXPECT_EQ(c["iters"], 40);
  EXPECT_NEAR(c["mad_ms"].get<double>(), 0.0, 1e-12);  // 0.25 0.26 0.24 0.25 0.25
  EXPECT_NEAR(c["iqr_ms"].get<double>(), 0.0, 1e-12);
  EXPECT_EQ(c["outliers"]["extreme"], 2);                            // 0.24 and 0.26 lie outside a zero-width IQR
  EXPECT_NEAR(j["results"][0]["iqr_ms"].get<double>(), 0.1, 1e-12);  // 1.0 1.1 0.9 1.0 1.2: Q3 1.1 - Q1 1.0
  EXPECT_EQ(c["samples_ms"].size(), 5u);
  EXPECT_DOUBLE_EQ(c["p50_ms"].get<double>(), 0.25);
  EXPECT_EQ(c["eq_level"], "numeric");
  EXPECT_EQ(c["eq"]["against"], "baseline");
  EXPECT_TRUE(c["gbps"].is_null());
  EXPECT_TRUE(j["results"][0]["eq_level"].is_null());  // nothing compared for the baseline
  EXPECT_EQ(j["spec"]["claim"]["speedup"], 3.0);
  ASSERT_EQ(j["verdicts"].size(), 1u);
  const auto& v = j["verdicts"][0];
  EXPECT_EQ(v["verdict"], "PASS");
  EXPECT_DOUBLE_EQ(v["speedup"].get<double>(), 4.0);
  EXPECT_DOUBLE_EQ(v["ci_low"].get<double>(), 3.9);
  EXPECT_DOUBLE_EQ(v["mde_pct"].get<double>(), 3.57);
  EXPECT_EQ(v["stop_reason"], "ci_target_reached");
  EXPECT_EQ(j["verdict_policy"]["claim"]["speedup"], 3.0);
}

TEST(json_reporter, device_cross_check_flags_escaped_work) {
  auto r = fixed_report();
  r.cases[0].cross_check = device_context::cross_check{20, 2, 1e-3, 1.1e-3};  // 10%: not flagged
  r.cases[1].cross_check = device_context::cross_check{20, 15, 1e-5, 2e-3};   // most samples escaped
  std::ostringstream os;
  make_reporter("json")->report(r, os);
  const auto j = nlohmann::json::parse(os.str());
  const auto& ok = j["results"][0]["timing_cross_check"];
  EXPECT_EQ(ok["samples"], 20);
  EXPECT_DOUBLE_EQ(ok["event_median_ms"].get<double>(), 1.0);
  EXPECT_FALSE(ok["work_escaped_stream"].get<bool>());
  EXPECT_TRUE(j["results"][1]["timing_cross_check"]["work_escaped_stream"].get<bool>());
  std::ostringstream table;
  make_reporter("console")->report(r, table);
  EXPECT_NE(table.str().find("work escaped the timed stream"), std::string::npos) << table.str();
  EXPECT_TRUE(fixed_report().cases[0].cross_check == std::nullopt);
}

TEST(summary_reporter, one_iso_bench_line_per_case) {
  std::ostringstream os;
  make_reporter("summary")->report(fixed_report(), os);
  std::istringstream lines(os.str());
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    const auto j = nlohmann::json::parse(line);
    for (const char* key : {"impl_tag", "commit_hash", "device", "dtype", "iters", "warmup", "avg_ms", "p50_ms",
                            "p95_ms", "eq_level", "opt_path_hit"}) {
      EXPECT_TRUE(j.contains(key)) << key;
    }
    ++count;
  }
  EXPECT_EQ(count, 2);
}

TEST(reporter_factory, unknown_format_is_a_usage_error) {
  EXPECT_THROW((void)make_reporter("xml"), config_error);
}

TEST(format_ms, four_significant_digits_without_exponents) {
  EXPECT_EQ(format_ms(1234.56), "1235");
  EXPECT_EQ(format_ms(123.456), "123.5");
  EXPECT_EQ(format_ms(12.3456), "12.35");
  EXPECT_EQ(format_ms(1.23456), "1.235");
  EXPECT_EQ(format_ms(0.123456), "0.1235");
  EXPECT_EQ(format_ms(0.0001234), "0.0001234");
  EXPECT_EQ(format_ms(7.83e-5), "0.00007830");
  EXPECT_EQ(format_ms(0.0), "0");
}

}  // namespace
}  // namespace isobench::detail
