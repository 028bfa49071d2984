// Claims as real commit messages and pull-request pages phrase them (issue 20): a percentage of
// "performance", bare figures after "before" and "after", time that speed took away, benchmark JSON
// keys that carry their unit, and figures that are no claim. Tool output pasted once per run is in
// claim_runs_test.cpp. The texts are written for this test, not copied from the corpus.
#include <gtest/gtest.h>

#include "claim_matchers.hpp"
#include "generate/claims.hpp"
#include "generate/text_scan.hpp"
#include "generate/unit_names.hpp"

namespace isobench::detail {

namespace {

constexpr auto improvement = claim_direction::improvement;
constexpr auto regression = claim_direction::regression;

TEST(claim_phrases, a_percentage_of_performance_is_a_gain) {
  EXPECT_TRUE(are_claims(message_claims("Use fastdiv in the broadcast kernels, giving 1-3% E2E performance"),
                         {{.value = 1.0, .to = 3.0, .unit = "%", .direction = improvement}}));
  EXPECT_TRUE(are_claims(message_claims("Reorder the loads.\n\nThis brings 4% more performance on gfx942."),
                         {{.value = 4.0, .direction = improvement}}));
  EXPECT_TRUE(are_claims(message_claims("Tile it\n\nResults in a 5% perf uplift."), {{.value = 5.0}}));
  // A share of another library's performance, and a bound, are no change.
  EXPECT_TRUE(message_claims("Port it\n\nIt reaches 90% performance of cuBLAS.").empty());
  EXPECT_TRUE(message_claims("Port it\n\nThe result stays within 2% performance.").empty());
}

TEST(claim_phrases, bare_figures_right_after_before_and_after_pair_when_a_measure_names_them) {
  EXPECT_TRUE(are_claims(message_claims("Fuse the sampler\n\nThe decode speed before: 4.1 after: 20.3"),
                         {{.value = 4.1, .to = 20.3, .unit = "", .direction = improvement}}));
  EXPECT_TRUE(are_claims(message_claims("Fuse the sampler\n\nlatency before 12, after 10"),
                         {{.value = 12.0, .to = 10.0, .direction = improvement}}));
  // Nothing says which way is better: layers are counted, not measured.
  EXPECT_TRUE(message_claims("Prune\n\nlayers before: 4 after: 3").empty());
}

TEST(claim_phrases, time_that_speed_took_away_is_a_gain) {
  EXPECT_TRUE(are_claims(message_claims("Vectorise\n\nThis accelerates each decode step by 40us."),
                         {{.value = 40.0, .unit = "us", .direction = improvement}}));
  EXPECT_TRUE(are_claims(message_claims("Vectorise\n\nIt speeds up prefill by 3 ms."),
                         {{.value = 3.0, .unit = "ms", .direction = improvement}}));
  EXPECT_TRUE(are_claims(message_claims("Checks\n\nIt slows down prefill by 3 ms."), {{.direction = regression}}));
}

TEST(claim_phrases, a_measure_named_between_an_absolute_figure_and_its_direction) {
  EXPECT_TRUE(are_claims(message_claims("Shard the head\n\nWe have 1 ms TPOT optimization."),
                         {{.value = 1.0, .unit = "ms", .direction = improvement}}));
  EXPECT_TRUE(
      are_claims(message_claims("Lazy load\n\nA 2 GB memory saving."), {{.unit = "GB", .direction = improvement}}));
  // A rate: the word after says it went up or down.
  EXPECT_TRUE(are_claims(message_claims("Tile\n\nA 15 tokens/s boost in prompt eval."),
                         {{.value = 15.0, .unit = "tokens/s", .direction = improvement}}));
  EXPECT_TRUE(are_claims(message_claims("Tile\n\nA 200 GB/s drop on H100."), {{.direction = regression}}));
}

TEST(claim_phrases, a_parenthesis_that_opens_with_the_link_gives_the_old_figure) {
  EXPECT_TRUE(are_claims(message_claims("Lazy load\n\nWe only need more than 28GB of memory in total "
                                        "(compared with over 50GB previously)."),
                         {{.value = 50.0, .to = 28.0, .unit = "GB", .direction = improvement}}));
  EXPECT_TRUE(are_claims(message_claims("Tune\n\nIt takes 4.9 us (down from 5.2 us)."), {{.value = 5.2, .to = 4.9}}));
  // A parenthesis that names another setup compares configurations, not versions.
  EXPECT_TRUE(message_claims("Tune\n\nResult: 3.00s e2e, the fastest config (vs bf16+FA4+cudagraphs 3.81s).").empty());
}

TEST(claim_phrases, a_snake_case_key_names_its_unit) {
  EXPECT_EQ(text::unit_of_key("\"mean_ttft_ms\": ")->unit, "ms");
  EXPECT_EQ(text::unit_of_key("avg_generation_time_s: ")->unit, "s");
  EXPECT_EQ(text::unit_of_key("\"decode_tokens_per_s\": ")->unit, "tokens/s");
  EXPECT_EQ(text::unit_of_key("peak_memory_gib = ")->unit, "GiB");
  EXPECT_FALSE(text::unit_of_key("\"num_tokens_s\": "));  // a plural, not seconds
  EXPECT_FALSE(text::unit_of_key("\"engine_decode_time_sum\": "));
  EXPECT_FALSE(text::unit_of_key("speedup_x: "));  // a factor is no measure
}

TEST(claim_phrases, equal_figures_in_two_list_items_are_two_claims) {
  // Each item measures another kernel; only the same item quoted twice is one claim.
  EXPECT_EQ(message_claims("Faster IQ2 kernels\n\n* bperm trick for iq2_ks gemm -> 7% gain\n"
                           "* bperm trick for iq2_k gemm -> ~3% gain\n* bperm trick for iq2_ks gemv -> ~7% gain\n")
                .size(),
            3u);
  EXPECT_EQ(message_claims("Faster\n\n* gemm -> 7% gain\n\nAgain:\n\n* gemm -> 7% gain\n").size(), 1u);
  // Prose that repeats a figure states it once.
  EXPECT_EQ(message_claims("Faster gemm (7% gain)\n\nThe gemm is 7% faster. In short, 7% faster.\n").size(), 1u);
}

TEST(claim_phrases, repetitions_are_no_factor) {
  EXPECT_TRUE(message_claims("Bench\n\nEvery config ran 3 times per side; 5 times each.").empty());
  EXPECT_TRUE(are_claims(message_claims("Bench\n\nIt is 3 times faster for each batch."), {{.value = 3.0}}));
}

TEST(claim_phrases, two_percentages_linked_from_one_to_the_other_are_levels_not_a_change) {
  EXPECT_TRUE(message_claims("Split warps\n\nL1/TEX throughput drops from 61% to 41%.").empty());
  EXPECT_TRUE(message_claims("Overlap\n\nMFU 37% -> 40% on 8 GPUs.").empty());
  EXPECT_TRUE(message_claims("Overlap\n\nSM utilization from 20% to 30%.").empty());
  // A range of one change is still a claim.
  EXPECT_TRUE(are_claims(message_claims("Overlap\n\nIt is 20% to 30% faster."), {{.value = 20.0, .to = 30.0}}));
}

TEST(claim_phrases, a_setting_changed_from_one_value_to_another_is_no_measurement) {
  EXPECT_TRUE(message_claims("whisper : reduce delta_min from 1000ms to 100ms").empty());
  EXPECT_TRUE(message_claims("Server\n\nRaise the timeout from 30 s to 60 s.").empty());
  EXPECT_TRUE(are_claims(message_claims("Fuse\n\nReduces decode latency from 30 ms to 20 ms."),
                         {{.value = 30.0, .to = 20.0, .direction = improvement}}));
}

TEST(claim_phrases, a_parenthesised_ratio_confirms_a_row_and_from_names_the_old_value) {
  // A compare tool's lines: the ratio is new / old both ways, so "from" decides the order.
  EXPECT_TRUE(are_claims(message_claims("Cache it\n\nBenchmark A changed from 235.7 seconds 173.0 (0.73x)\n\n"
                                        "Benchmark B changed from 9.87 seconds 10.74 (1.09x)\n"),
                         {{.value = 235.7, .to = 173.0, .unit = "s", .direction = improvement},
                          {.value = 9.87, .to = 10.74, .unit = "s", .direction = regression}}));
}

TEST(claim_phrases, per_iteration_times_and_flops_spelled_as_people_write_them) {
  EXPECT_TRUE(are_claims(message_claims("Tile\n\nIt drops from 62.8 ms/iter to ~3.2 ms/iter."),
                         {{.value = 62.8, .to = 3.2, .unit = "ms", .direction = improvement}}));
  EXPECT_TRUE(are_claims(message_claims("Tile\n\n697.7 ms / step -> 622.0 ms / step"), {{.unit = "ms"}}));
  EXPECT_TRUE(are_claims(message_claims("Tile\n\nThis boosts flops from 504 to 559, by 11%."),
                         {{.value = 504.0, .to = 559.0, .direction = improvement}}));
  EXPECT_TRUE(are_claims(message_claims("Tile\n\nWe get 370GFlops/s, much better than 270Gflops/s before."),
                         {{.value = 270.0, .to = 370.0, .unit = "GFLOP/s", .direction = improvement}}));
  EXPECT_TRUE(are_claims(message_claims("Tile\n\nGoing from 17 to 21 tok / sec."), {{.unit = "tokens/s"}}));
}

TEST(claim_phrases, a_profilers_percentage_column_is_no_measure_to_pair) {
  EXPECT_TRUE(
      message_claims("Tune\n\nBefore:\n  Memory Throughput   %   17.24\nAfter:\n  Memory Throughput   %   46.01\n")
          .empty());
}

TEST(claim_phrases, a_number_in_scientific_notation_is_one_figure) {
  const std::string_view line = "time 5.6801e-06 s, then 1.2E+3 ms";
  const auto qs = text::find_quantities(line, text::lower_ascii(line));
  ASSERT_EQ(qs.size(), 2u);
  EXPECT_DOUBLE_EQ(qs[0].value, 5.6801e-06);
  EXPECT_DOUBLE_EQ(qs[1].value, 1200.0);
}

TEST(claim_phrases, a_flattened_table_under_pre_change_and_post_change_pairs_rows_not_deltas) {
  const auto claims = message_claims(
      "Fuse the norm\n\nKernel pre-change post-change delta qnorm 77.5 \xc2\xb5s \xe2\x80\x94 \xe2\x80\x94 "
      "fused qnorm \xe2\x80\x94 62.1 \xc2\xb5s \xe2\x88\x92"
      "15.4 \xc2\xb5s Sum of kernels 169.9 \xc2\xb5s 83.7 "
      "\xc2\xb5s \xe2\x88\x92"
      "86.2 \xc2\xb5s End");
  EXPECT_TRUE(are_claims(claims, {{.value = 169.9, .to = 83.7, .unit = "us", .direction = improvement}}));
}

TEST(claim_phrases, a_time_of_day_is_no_figure) {
  const std::string_view line = "at 16:03:30,779 and again at 0:01:40, 12 ms";
  const auto qs = text::find_quantities(line, line);
  ASSERT_EQ(qs.size(), 1u);
  EXPECT_EQ(qs[0].value, 12.0);
  EXPECT_EQ(qs[0].unit, "ms");
}

// A measure named right after one figure is that figure's, not the next one's: "-23.4% mean
// latency" is a latency that fell, whatever "QPS" before it says.
TEST(claim_phrases, a_measure_right_after_a_figure_is_not_the_next_figures) {
  const auto claims = message_claims("Capture the predictor\n\nThis is +30.7% QPS and -23.4% mean latency.");
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_EQ(claims[0].metric, "requests/s");
  EXPECT_EQ(claims[0].direction, improvement);
  EXPECT_EQ(claims[1].metric, "latency");
  EXPECT_TRUE(is_claim(claims[1], {.value = 23.4, .unit = "%", .direction = improvement}));
  // A measure before its figure still governs it: "latency: -12%".
  EXPECT_TRUE(are_claims(message_claims("Tile\n\nDecode latency: -12%."), {{.value = 12.0, .direction = improvement}}));
}

// A range of one measure writes its unit once ("3-5 tok/s"); "to" still links a change.
TEST(claim_phrases, a_range_of_a_measure_and_the_nouns_and_verbs_of_an_absolute_change) {
  EXPECT_TRUE(are_claims(message_claims("Keep the cache\n\nWe see a tok/s reduction of 3-5 tok/s at long context."),
                         {{.value = 3.0, .to = 5.0, .unit = "tokens/s", .direction = regression}}));
  EXPECT_TRUE(are_claims(message_claims("Fuse\n\nThis saves 2-3 ms per step."),
                         {{.value = 2.0, .to = 3.0, .unit = "ms", .direction = improvement}}));
  EXPECT_TRUE(are_claims(message_claims("Fuse\n\nDecode throughput improves by 12 tok/s."),
                         {{.value = 12.0, .unit = "tokens/s", .direction = improvement}}));
  EXPECT_TRUE(are_claims(message_claims("Fuse\n\nTTFT improved by 40 ms."),
                         {{.value = 40.0, .unit = "ms", .direction = improvement}}));
  EXPECT_TRUE(are_claims(message_claims("Tile\n\nDecode goes from 4.88 to 15.24 t/s."),
                         {{.value = 4.88, .to = 15.24, .direction = improvement}}));
}

// "against a ~8 TB/s peak" names what the hardware could do, not the figure before the change.
TEST(claim_phrases, a_peak_is_no_before_figure) {
  EXPECT_TRUE(message_claims("Grid\n\nThe old kernel measured 0.21 TB/s against a ~8 TB/s peak.").empty());
  EXPECT_TRUE(are_claims(message_claims("Grid\n\nThe kernel now reaches 2.1 TB/s against 0.21 TB/s before."),
                         {{.value = 0.21, .to = 2.1, .direction = improvement}}));
}

}  // namespace

}  // namespace isobench::detail
