// Claim extraction on a table of phrasings: each says how many claims it holds and what the first
// one must be (kind, value, unit, direction, qualifier, metric, expected speedup).
#include "generate/claims.hpp"

#include "io/json_document.hpp"

#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace isobench::detail {
namespace {

constexpr double none = std::numeric_limits<double>::quiet_NaN();
using k = claim_kind;
using q = claim_qualifier;
constexpr auto imp = claim_direction::improvement;
constexpr auto reg = claim_direction::regression;

struct phrase {
  const char* text;
  std::size_t count;
  claim_kind kind = k::speedup;
  double value = 0;
  const char* unit = "";
  claim_direction direction = imp;
  claim_qualifier qualifier = q::none;
  const char* metric = "";
  double expected = none;
};

const phrase k_phrases[] = {
    // factors
    {"avg 2.8x speedup on the decode path", 1, k::speedup, 2.8, "x", imp, q::average, "", 2.8},
    {"This makes the kernel 1.5X faster.", 1, k::speedup, 1.5, "x", imp, q::none, "kernel time", 1.5},
    {"Speedup is 2-3x for long sequences", 1, k::speedup, 2, "x", imp, q::range, "", 2},
    {"up to 4x faster sampling", 1, k::speedup, 4, "x", imp, q::up_to, "", 4},
    {"gives a 3.1\xc3\x97 speedup over the naive loop", 1, k::speedup, 3.1, "x", imp, q::none, "", 3.1},
    {"2x-3x faster prefill", 1, k::speedup, 2, "x", imp, q::range, "", 2},
    {"3 times faster than before", 1, k::speedup, 3, "x", imp, q::none, "", 3},
    {"The new path is 1.2x slower for tiny batches.", 1, k::speedup, 1.2, "x", reg, q::none, "", 1 / 1.2},
    {"2x higher throughput at batch 64", 1, k::throughput, 2, "x", imp, q::none, "throughput", 2},
    {"uses 2x less memory for the KV cache", 1, k::memory, 2, "x", imp, q::none, "memory", none},
    {"1.8x lower TTFT on Llama-3-8B", 1, k::latency, 1.8, "x", imp, q::none, "TTFT", 1.8},
    {"on average 1.35x faster across shapes", 1, k::speedup, 1.35, "x", imp, q::average, "", 1.35},
    {"a mean speedup of 1.25x", 1, k::speedup, 1.25, "x", imp, q::mean, "", 1.25},
    {"at least 2x faster on H100", 1, k::speedup, 2, "x", imp, q::at_least, "", 2},
    {"kernel speedup: 1.7x", 1, k::speedup, 1.7, "x", imp, q::none, "kernel time", 1.7},
    // percentages with direction
    {"30% faster decoding", 1, k::speedup, 30, "%", imp, q::none, "", 1.3},
    {"reduces TTFT (P50) by 31.4%", 1, k::latency, 31.4, "%", imp, q::p50, "TTFT", 1 / (1 - 0.314)},
    {"reduces latency by 40%", 1, k::latency, 40, "%", imp, q::none, "latency", 1 / 0.6},
    {"throughput +15%", 1, k::throughput, 15, "%", imp, q::none, "throughput", 1.15},
    {"20% less memory", 1, k::memory, 20, "%", imp, q::none, "memory", none},
    {"improves throughput by 12%", 1, k::throughput, 12, "%", imp, q::none, "throughput", 1.12},
    {"Improves ITL by 8%.", 1, k::latency, 8, "%", imp, q::none, "ITL", 1 / 0.92},
    {"a 25% reduction in end-to-end latency", 1, k::latency, 25, "%", imp, q::none, "end-to-end latency", 1 / 0.75},
    {"increases output token throughput by 18%", 1, k::throughput, 18, "%", imp, q::none, "tokens/s", 1.18},
    {"This is 10% slower on A100 but we accept it", 1, k::speedup, 10, "%", reg, q::none, "", 1 / 1.1},
    {"20-30% faster in the common case", 1, k::speedup, 20, "%", imp, q::range, "", 1.2},
    {"up to 35% lower P99 latency", 1, k::latency, 35, "%", imp, q::up_to, "latency", 1 / 0.65},
    {"TPOT drops 22%", 1, k::latency, 22, "%", imp, q::none, "TPOT", 1 / 0.78},
    {"peak memory reduced by 1.2 GB", 1, k::memory, 1.2, "GB", imp, q::none, "memory", none},
    {"a 7% performance improvement", 1, k::speedup, 7, "%", imp, q::none, "", 1.07},
    {"a 5% regression in throughput", 1, k::throughput, 5, "%", reg, q::none, "throughput", 0.95},
    {"mean TTFT improves by 9.5%", 1, k::latency, 9.5, "%", imp, q::mean, "TTFT", 1 / 0.905},
    {"Median ITL lower by 11%", 1, k::latency, 11, "%", imp, q::median, "ITL", 1 / 0.89},
    {"cuts kernel time by 45%", 1, k::latency, 45, "%", imp, q::none, "kernel time", 1 / 0.55},
    {"tokens/s: -4% (noise)", 1, k::throughput, 4, "%", reg, q::none, "tokens/s", 0.96},
    // before -> after
    {"latency 12.3 ms \xe2\x86\x92 8.1 ms", 1, k::latency, 12.3, "ms", imp, q::none, "latency", 12.3 / 8.1},
    {"latency 12.3ms -> 8.1ms", 1, k::latency, 12.3, "ms", imp, q::none, "latency", 12.3 / 8.1},
    {"throughput went from 1200 to 1500 tok/s", 1, k::throughput, 1200, "tokens/s", imp, q::none, "throughput", 1.25},
    {"reduces decode step time from 45 ms to 30 ms", 1, k::latency, 45, "ms", imp, q::none, "time", 1.5},
    {"E2E: 1.20 s => 0.95 s", 1, k::latency, 1.2, "s", imp, q::none, "end-to-end latency", 1.2 / 0.95},
    {"kernel time 850us -> 610us", 1, k::latency, 850, "us", imp, q::none, "kernel time", 850.0 / 610},
    {"Before: 3,210 tokens/s, After: 3,980 tokens/s", 1, k::throughput, 3210, "tokens/s", imp, q::none, "tokens/s",
     3980.0 / 3210},
    {"memory 14.2 GB -> 11.0 GB", 1, k::memory, 14.2, "GB", imp, q::none, "memory", none},
    {"ITL from 30 ms to 33 ms (slightly worse)", 1, k::latency, 30, "ms", reg, q::none, "ITL", 30.0 / 33},
    {"increase speed by 42.5%", 1, k::speedup, 42.5, "%", imp, q::none, "", 1.425},
    {"cuts the time from ~390 us to ~360 us per call", 1, k::latency, 390, "us", imp, q::none, "time", 390.0 / 360},
    // "promote" as non-native English writes "improve" (a page of a Chinese-language team).
    {"the decode throughput has 12% promote in this case", 1, k::throughput, 12, "%", imp, q::none, "throughput", 1.12},
    // not claims
    {"Run with --max-num-seqs 256 and batch size 32 on Llama-3-8B", 0},
    {"Tested on 8x H100 with TP=8", 0},
    {"Shapes 4096x4096 and 8192x1024 were benchmarked", 0},
    {"gsm8k accuracy 75.3% before and after", 0},
    {"GPU memory utilization 90%", 0},
    {"vLLM v0.5.3 with fp8 weights", 0},
    {"Previously #4321 gave a 2x speedup; this builds on it", 0},
    {"As in #1234, which achieved 30% lower latency, we fuse the kernels", 0},
    {"The previous PR improved throughput by 20%", 0},
    {"The paper reports a 3.5x speedup on this benchmark", 0},
    {"cache hit rate 85%", 0},
    {"the new loop issues 4x fewer instructions per tile", 0},
    {"the vocoder now runs ~12x faster than real time", 0},
    {"top-1 accuracy on our internal sets: 71.2% / 70.9% / 71.5% / 70.1% / 69.8% improved", 0},
    {"TTFT is 120 ms at QPS 4", 0},
    {"Fix the 2x scale factor bug", 0},
    {"top 5% of requests", 0},
    {"Llama-2-7b int4 with group size 128", 0},
    {"Refactor the scheduler; no functional change", 0},
    {"this changes 3 files", 0},
    // several claims in one sentence
    {"reduces TTFT by 20% and ITL by 10%", 2, k::latency, 20, "%", imp, q::none, "TTFT", 1.25},
    {"1.4x faster prefill and 2x faster decode", 2, k::speedup, 1.4, "x", imp, q::none, "", 1.4},
};

TEST(claims, phrasings) {
  ASSERT_GE(std::size(k_phrases), 60u);
  for (const auto& p : k_phrases) {
    SCOPED_TRACE(p.text);
    const auto claims = extract_claims(p.text, claim_source::message);
    EXPECT_EQ(claims.size(), p.count);
    if (p.count == 0 || claims.empty()) continue;
    const auto& c = claims.front();
    EXPECT_EQ(to_string(c.kind), to_string(p.kind));
    EXPECT_DOUBLE_EQ(c.value, p.value);
    EXPECT_EQ(c.unit, p.unit);
    EXPECT_EQ(to_string(c.direction), to_string(p.direction));
    EXPECT_EQ(to_string(c.qualifier), to_string(p.qualifier));
    EXPECT_EQ(c.metric, p.metric);
    if (std::isnan(p.expected)) {
      EXPECT_FALSE(c.expected_speedup.has_value());
    } else {
      ASSERT_TRUE(c.expected_speedup.has_value());
      EXPECT_NEAR(*c.expected_speedup, p.expected, 1e-9);
    }
  }
}

TEST(claims, pr_text_tables_before_after_blocks_and_bots) {
  const std::string page =
      "alice commented Jun 3, 2024\n"
      "Benchmark on H100 (Latency in ms):\n"
      "| batch | before | after |\n"
      "|---|---|---|\n"
      "| 1 | 10.2 | 7.1 |\n"
      "| 64 | 40.0 | 32.0 |\n"
      "\n"
      "Before:\n"
      "```\n"
      "Request throughput (req/s):              16.33\n"
      "Mean TTFT (ms):                          25.42\n"
      "```\n"
      "After:\n"
      "```\n"
      "Request throughput (req/s):              18.01\n"
      "Mean TTFT (ms):                          21.90\n"
      "```\n"
      "> quoted: 5x faster\n"
      "github-actions bot commented Jun 3, 2024\n"
      "This PR is 9x faster according to my summary\n"
      "bob commented Jun 4, 2024\n"
      "LGTM\n";
  const auto claims = extract_claims(page, claim_source::pr_text);
  ASSERT_EQ(claims.size(), 4u);
  EXPECT_EQ(claims[0].kind, claim_kind::latency);
  EXPECT_DOUBLE_EQ(claims[0].value, 10.2);
  EXPECT_DOUBLE_EQ(*claims[0].value_to, 7.1);
  EXPECT_EQ(claims[0].unit, "ms");
  EXPECT_NEAR(*claims[0].expected_speedup, 10.2 / 7.1, 1e-12);
  EXPECT_DOUBLE_EQ(claims[1].value, 40.0);
  EXPECT_EQ(claims[2].kind, claim_kind::throughput);
  EXPECT_EQ(claims[2].metric, "requests/s");
  EXPECT_NEAR(*claims[2].expected_speedup, 18.01 / 16.33, 1e-12);
  EXPECT_TRUE(claims[2].end_to_end);
  EXPECT_EQ(claims[3].metric, "TTFT");
  EXPECT_EQ(claims[3].qualifier, claim_qualifier::mean);
  EXPECT_NEAR(*claims[3].expected_speedup, 25.42 / 21.90, 1e-12);
}

TEST(claims, vertical_table_and_speedup_column) {
  const auto vertical =
      extract_claims("| | TTFT (ms) | tokens/s |\n|---|---|---|\n| main | 120 | 1000 |\n| this PR | 90 | 1250 |\n",
                     claim_source::pr_text);
  ASSERT_EQ(vertical.size(), 2u);
  EXPECT_EQ(vertical[0].metric, "TTFT");
  EXPECT_NEAR(*vertical[0].expected_speedup, 120.0 / 90, 1e-12);
  EXPECT_EQ(vertical[1].kind, claim_kind::throughput);
  EXPECT_NEAR(*vertical[1].expected_speedup, 1.25, 1e-12);
  const auto speedups = extract_claims("Kernel time:\n| shape | speedup |\n|--|--|\n| 4096 | 1.45x |\n| 8192 | 1.6 |\n",
                                       claim_source::pr_text);
  ASSERT_EQ(speedups.size(), 2u);
  EXPECT_DOUBLE_EQ(*speedups[1].expected_speedup, 1.6);
  EXPECT_EQ(speedups[0].metric, "kernel time");
}

TEST(claims, cumulative_and_choice) {
  auto claims = extract_claims("Combined with #5012 this gives 2.5x end-to-end. The kernel alone is 1.8x faster.",
                               claim_source::message);
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_TRUE(claims[0].cumulative);
  const auto choice = choose_claim(claims);
  ASSERT_TRUE(choice.index.has_value());
  EXPECT_EQ(*choice.index, 1u);  // the non-cumulative kernel figure
  EXPECT_DOUBLE_EQ(choice.tolerance, 0.8);

  auto up_to = extract_claims("up to 3x faster", claim_source::subject);
  EXPECT_DOUBLE_EQ(choose_claim(up_to).tolerance, 0.5);
  EXPECT_FALSE(choose_claim({}).index.has_value());
  EXPECT_EQ(choose_claim({}).reason, "no quantitative performance claim found");
}

TEST(claims, repeated_claims_are_dropped) {
  auto claims = extract_claims("2x faster rmsnorm", claim_source::subject);
  auto more = extract_claims("Makes rmsnorm 2x faster.", claim_source::pr_text);
  claims.insert(claims.end(), more.begin(), more.end());
  drop_repeated_claims(claims);
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims[0].source, claim_source::subject);
}

TEST(claims, huge_and_hostile_text_is_scanned_quickly) {
  std::string big;
  big.reserve(8u << 20);
  while (big.size() < (8u << 20)) big += "lorem ipsum 42 dolor 3.14 sit amet 7x8 | 9 % \xff\xfe\n";
  big += "This is 2x faster.\n";
  std::string one_line(4u << 20, '9');  // one enormous number, no newline
  const auto claims = extract_claims(big, claim_source::pr_text);
  EXPECT_GE(claims.size(), 1u);
  EXPECT_NO_THROW(extract_claims(one_line, claim_source::message));
  EXPECT_NO_THROW(extract_claims(std::string(1u << 20, '|'), claim_source::pr_text));
}

// A long run of multi-byte characters with no sentence end is cut into pieces; no claim text may
// start or end inside a character (the spec is JSON: a half character made generate exit 10).
TEST(claims, long_runs_of_multibyte_text_give_valid_utf8_claim_texts) {
  for (int shift = 0; shift < 4; ++shift) {
    std::string line(static_cast<std::size_t>(shift), 'a');
    for (int i = 0; i < 220; ++i) line += i % 4 == 0 ? "\xF0\x9F\x9A\x80" : "\xE2\x9D\x8C";  // rocket, cross mark
    line += " rmsnorm is 1.3x faster";  // in the piece after the cut
    const auto claims = extract_claims(line, claim_source::pr_text);
    EXPECT_GE(claims.size(), 1u) << "shift " << shift;
    for (const auto& c : claims) EXPECT_TRUE(is_valid_utf8(c.text)) << "shift " << shift << ": " << c.text;
  }
}

TEST(claims, enum_strings_round_trip) {
  for (auto v :
       {claim_kind::speedup, claim_kind::latency, claim_kind::throughput, claim_kind::memory, claim_kind::other}) {
    EXPECT_EQ(from_string<claim_kind>(to_string(v)), v);
  }
  for (auto v : {claim_qualifier::none, claim_qualifier::up_to, claim_qualifier::range, claim_qualifier::p99}) {
    EXPECT_EQ(from_string<claim_qualifier>(to_string(v)), v);
  }
  EXPECT_EQ(from_string<claim_source>("pr_text"), claim_source::pr_text);
  EXPECT_FALSE(from_string<claim_direction>("sideways").has_value());
}

}  // namespace
}  // namespace isobench::detail

namespace isobench::detail {
namespace {

// A text that repeats its claims keeps each distinct claim once, and Before:/After: blocks and
// tables of any length are processed in bounded memory (the extraction is linear in its size).
TEST(claims_bounded, repeated_claims_are_kept_once) {
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += "This makes decode 2.5x faster and cuts latency by 30%.\n";
    text += "Before: 120 tokens/s\nAfter: 150 tokens/s\n\n";
    text += "| model | before | after |\n|---|---|---|\n| llama | 10 ms | 8 ms |\n\n";
  }
  const auto claims = extract_claims(text, claim_source::pr_text);
  EXPECT_GE(claims.size(), 3u);
  EXPECT_LE(claims.size(), 6u);
  // One long line of distinct figures: the number of claims kept is bounded.
  std::string line;
  for (int i = 0; i < 20000; ++i) line += "up to " + std::to_string(1 + i % 5000) + ".5x faster; ";
  EXPECT_LE(extract_claims(line, claim_source::message).size(), 2000u);
  // A Before: block of many entries and a long table: bounded, no crash.
  std::string block = "Before:\n";
  for (int i = 0; i < 5000; ++i) block += "metric " + std::to_string(i) + " latency: 10 ms\n";
  block += "After:\n";
  for (int i = 0; i < 5000; ++i) block += "metric " + std::to_string(i) + " latency: 8 ms\n";
  EXPECT_FALSE(extract_claims(block, claim_source::pr_text).empty());
}

}  // namespace
}  // namespace isobench::detail
