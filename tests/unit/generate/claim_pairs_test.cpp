// Before -> after pairs as real commit messages write them (issue 20): pairs without units that a
// percentage beside them restates, and units that scale the figures (TB/s, GFLOPS). The texts are
// written for this test, not copied from the corpus.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "generate/claims.hpp"

namespace isobench::detail {

namespace {

TEST(claim_pairs, a_unitless_list_of_pairs_restated_by_percentages_takes_its_direction_from_the_first) {
  // A ratio that falls is "faster" on the first line; the next lines only restate their change.
  const auto claims = extract_claims(
      "Hoist the loads\n\nratio to the reference (median of 5):\n"
      "  N=8   : 2.400 -> 2.200   (~8% faster)\n"
      "  N=64  : 3.000 -> 2.850   (~5%)\n"
      "  N=512 : 1.900 -> 2.000   (~5%)\n",
      claim_source::message);
  ASSERT_EQ(claims.size(), 3u);
  EXPECT_EQ(claims[0].value, 2.4);
  EXPECT_EQ(claims[0].value_to, 2.2);
  EXPECT_EQ(claims[0].unit, "");
  EXPECT_EQ(claims[0].direction, claim_direction::improvement);
  EXPECT_EQ(claims[1].direction, claim_direction::improvement);
  EXPECT_EQ(claims[2].direction, claim_direction::regression);  // it rose: slower
}

TEST(claim_pairs, a_unitless_pair_without_a_restating_percentage_or_a_word_is_no_claim) {
  EXPECT_TRUE(extract_claims("Tune it\n\nstages: 2 -> 4 (x2)\n", claim_source::message).empty());
  EXPECT_TRUE(extract_claims("Tune it\n\nratio: 2.400 -> 2.200 (~8%)\n", claim_source::message).empty());
}

TEST(claim_pairs, a_space_aligned_table_of_pairs_takes_each_columns_unit) {
  const auto claims = extract_claims(
      "Add tuned configs\n\nServing, before -> after:\n\n"
      "  batch    output tok/s            mean TPOT (ms)\n"
      "     8     300.00 ->  306.00  +2.0%   20.00 -> 19.60  -2.0%\n"
      "    16     600.00 ->  594.00  -1.0%   24.00 -> 24.24  +1.0%\n",
      claim_source::message);
  ASSERT_EQ(claims.size(), 4u);
  EXPECT_EQ(claims[0].unit, "tokens/s");
  EXPECT_EQ(claims[0].direction, claim_direction::improvement);
  EXPECT_EQ(claims[1].unit, "ms");
  EXPECT_EQ(claims[1].direction, claim_direction::improvement);
  EXPECT_EQ(claims[2].direction, claim_direction::regression);
  EXPECT_EQ(claims[3].value, 24.0);
  EXPECT_EQ(claims[3].direction, claim_direction::regression);
}

TEST(claim_pairs, terabytes_and_gigaflops_keep_their_own_unit) {
  const auto bw = extract_claims("Faster gather\n\nBandwidth 0.21 -> 1.16 TB/s.\n", claim_source::message);
  ASSERT_EQ(bw.size(), 1u);
  EXPECT_EQ(bw[0].unit, "TB/s");
  const auto flops = extract_claims("Faster GEMM\n\nThroughput 35.1 -> 42.4 GFLOPS.\n", claim_source::message);
  ASSERT_EQ(flops.size(), 1u);
  EXPECT_EQ(flops[0].unit, "GFLOP/s");
}

TEST(claim_pairs, performance_named_just_before_a_percentage_is_higher_is_better) {
  // "kernel" follows, but the clause says it is performance that rose.
  const auto up = extract_claims(
      "Add a kernel\n\nNew tile config, performance increases by 3-8% compared with "
      "the asm kernel.\n",
      claim_source::message);
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0].direction, claim_direction::improvement);
  EXPECT_EQ(up[0].value_to, 8.0);
  // Far from the figure, "performance" says nothing: a criterion report's change is in time.
  const auto bench = extract_claims(
      "Bench\n\nparse time: [5.80 us 5.81 us 5.82 us] change: [-13.1% -12.9% "
      "-12.7%] (p = 0.00 < 0.05) Performance has improved.\n",
      claim_source::message);
  for (const auto& c : bench) EXPECT_EQ(c.direction, claim_direction::improvement) << c.text;
}

TEST(claim_pairs, a_list_item_factor_takes_its_meaning_from_a_caption_that_compares_versions) {
  const auto measured = extract_claims(
      "Split K across waves\n\nMeasured on one GPU (legacy vs new, batch 1-512):\n"
      "  - Main (BF16):   1.30x avg, up to 1.45x at batch 1\n"
      "  - Index (FP8):   1.15x avg\n",
      claim_source::message);
  ASSERT_EQ(measured.size(), 3u);
  EXPECT_EQ(measured[0].qualifier, claim_qualifier::average);
  EXPECT_EQ(measured[1].qualifier, claim_qualifier::up_to);
  EXPECT_EQ(measured[2].value, 1.15);
  // A caption that only lists a document's figures compares no versions.
  EXPECT_TRUE(extract_claims("Docs\n\nSynced the figures in speedups.rst:\n"
                             "  - FP8: 1.41x, MXFP8 1.44x\n",
                             claim_source::message)
                  .empty());
}

TEST(claim_pairs, a_list_of_pairs_states_its_unit_once) {
  // The unit after the first pair's after value; the percentages restate each pair.
  const auto claims = extract_claims(
      "Split KV\n\nMeasured (dense, H=64): S=8192 210→400 TFLOPS (+90%), S=4096 "
      "200→330 (+65%), S=2048 180→200 (+11%).\n",
      claim_source::message);
  ASSERT_EQ(claims.size(), 3u);
  for (const auto& c : claims) {
    EXPECT_EQ(c.unit, "TFLOP/s") << c.value;
    EXPECT_TRUE(c.before_after);
  }
  EXPECT_EQ(claims[1].value, 200.0);
}

TEST(claim_pairs, the_word_after_an_absolute_time_or_memory_says_which_way) {
  const auto speedup = extract_claims("Match the defaults (2.5ms speedup)\n", claim_source::message);
  ASSERT_EQ(speedup.size(), 1u);
  EXPECT_EQ(speedup[0].value, 2.5);
  EXPECT_EQ(speedup[0].unit, "ms");
  EXPECT_EQ(speedup[0].direction, claim_direction::improvement);
  const auto faster =
      extract_claims("Tune\n\nDecode wall time is ~1.2 ms faster vs the baseline.\n", claim_source::message);
  ASSERT_EQ(faster.size(), 1u);
  EXPECT_EQ(faster[0].direction, claim_direction::improvement);
  const auto more = extract_claims("Tune\n\nThe new path needs 300 MB more on large batches.\n", claim_source::message);
  ASSERT_EQ(more.size(), 1u);
  EXPECT_EQ(more[0].direction, claim_direction::regression);
  // A duration followed by no such word is a setting.
  EXPECT_TRUE(extract_claims("Tune\n\nSet the timeout to 5 ms here.\n", claim_source::message).empty());
}

TEST(claim_pairs, per_call_times_against_the_old_ones) {
  const auto claims =
      extract_claims("Cache the handle\n\nNow ~190 ns/call against ~310 ns before.\n", claim_source::message);
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims[0].value, 310.0);
  EXPECT_EQ(claims[0].value_to, 190.0);
  EXPECT_EQ(claims[0].unit, "ns");
}

}  // namespace
}  // namespace isobench::detail
