#include "report/verdict_reporter.hpp"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "isobench/error.hpp"

namespace isobench::detail {
namespace {

verdict_report sample_report() {
  verdict_report r;
  r.title = "compare <parent> & child";
  r.policy.claim = claim{2.0, 0.8};
  auto add = [&](const char* workload, verdict v, double speedup) {
    verdict_result x;
    x.spec_name = "gemm";
    x.workload = workload;
    x.baseline = "gemm.blocked@parent";
    x.candidate = "gemm.blocked@child";
    x.estimate.speedup = speedup;
    x.estimate.ci = {speedup * 0.99, speedup * 1.01};
    x.estimate.p_value = 0.001;
    x.estimate.method = "welch_t(log run medians)";
    x.estimate.unit = "runs";
    x.p_adjusted = 0.002;
    x.verdict = v;
    x.reason = std::string(to_string(v)) + " because <reasons>";
    x.base_p50_ms = 2.0;
    x.head_p50_ms = 2.0 / speedup;
    x.candidate_eq = eq_level::numeric;
    r.verdicts.push_back(x);
  };
  add("big", verdict::pass, 2.5);
  add("small", verdict::partial, 1.3);
  add("broken", verdict::error, 3.0);
  r.notes.push_back("a note");
  return r;
}

std::string render(const char* format) {
  std::ostringstream os;
  make_verdict_reporter(format)->report(sample_report(), os);
  return os.str();
}

TEST(junit, one_testcase_per_verdict_with_failures_and_errors) {
  const auto xml = render("junit");
  EXPECT_NE(xml.find("<testsuites name=\"isobench\" tests=\"3\" failures=\"1\" errors=\"1\">"), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("name=\"compare &lt;parent&gt; &amp; child\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure type=\"PARTIAL\" message=\"PARTIAL because &lt;reasons&gt;\">"), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<error type=\"ERROR\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("speedup=1.3000 ci95=[1.2870, 1.3130]"), std::string::npos) << xml;
  EXPECT_NE(xml.find("claim=2x*0.8 eq_level=numeric"), std::string::npos) << xml;
  std::size_t cases = 0;
  for (std::size_t at = 0; (at = xml.find("<testcase ", at)) != std::string::npos; ++at) ++cases;
  EXPECT_EQ(cases, 3u);
}

TEST(markdown, table_row_per_verdict) {
  const auto md = render("markdown");
  EXPECT_NE(md.find("### compare <parent> & child"), std::string::npos) << md;
  EXPECT_NE(md.find("**2 gate failure(s)**"), std::string::npos) << md;
  EXPECT_NE(md.find("| ✅ | gemm | big | gemm.blocked@child vs gemm.blocked@parent | **PASS** | 2.500x [2.475, 2.525]"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| ❌ | gemm | broken |"), std::string::npos) << md;
  EXPECT_NE(md.find("> a note"), std::string::npos) << md;
}

TEST(verdict_json, carries_policy_and_counts) {
  const auto j = nlohmann::json::parse(render("json"));
  EXPECT_EQ(j["gate_failures"], 2);
  EXPECT_EQ(j["verdicts"].size(), 3u);
  EXPECT_EQ(j["verdict_policy"]["correction"], "holm");
  EXPECT_EQ(j["verdicts"][1]["verdict"], "PARTIAL");
}

TEST(verdict_reporters, text_and_factory) {
  const auto text = render("text");
  EXPECT_NE(text.find("PASS big"), std::string::npos) << text;
  EXPECT_NE(text.find("3 compared, 2 gate failure(s)"), std::string::npos) << text;
  EXPECT_THROW((void)make_verdict_reporter("html"), config_error);
  EXPECT_EQ(xml_escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
}

}  // namespace
}  // namespace isobench::detail
