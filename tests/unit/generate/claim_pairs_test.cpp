// Before -> after pairs as real commit messages write them (issue 20): pairs without units that a
// percentage beside them restates, and units that scale the figures (TB/s, GFLOPS). The texts are
// written for this test, not copied from the corpus.
#include <gtest/gtest.h>

#include "claim_matchers.hpp"
#include "generate/claims.hpp"

namespace isobench::detail {

namespace {

constexpr auto improvement = claim_direction::improvement;
constexpr auto regression = claim_direction::regression;

TEST(claim_pairs, a_unitless_list_of_pairs_restated_by_percentages_takes_its_direction_from_the_first) {
  // A ratio that falls is "faster" on the first line; the next lines only restate their change.
  EXPECT_TRUE(are_claims(message_claims("Hoist the loads\n\nratio to the reference (median of 5):\n"
                                        "  N=8   : 2.400 -> 2.200   (~8% faster)\n"
                                        "  N=64  : 3.000 -> 2.850   (~5%)\n"
                                        "  N=512 : 1.900 -> 2.000   (~5%)\n"),
                         {{.value = 2.4, .to = 2.2, .unit = "", .direction = improvement},
                          {.value = 3.0, .to = 2.85, .direction = improvement},
                          {.value = 1.9, .to = 2.0, .direction = regression}}));  // it rose: slower
}

TEST(claim_pairs, a_unitless_pair_without_a_restating_percentage_or_a_word_is_no_claim) {
  EXPECT_TRUE(message_claims("Tune it\n\nstages: 2 -> 4 (x2)\n").empty());
  EXPECT_TRUE(message_claims("Tune it\n\nratio: 2.400 -> 2.200 (~8%)\n").empty());
}

TEST(claim_pairs, a_space_aligned_table_of_pairs_takes_each_columns_unit) {
  EXPECT_TRUE(are_claims(message_claims("Add tuned configs\n\nServing, before -> after:\n\n"
                                        "  batch    output tok/s            mean TPOT (ms)\n"
                                        "     8     300.00 ->  306.00  +2.0%   20.00 -> 19.60  -2.0%\n"
                                        "    16     600.00 ->  594.00  -1.0%   24.00 -> 24.24  +1.0%\n"),
                         {{.unit = "tokens/s", .direction = improvement},
                          {.unit = "ms", .direction = improvement},
                          {.unit = "tokens/s", .direction = regression},
                          {.value = 24.0, .unit = "ms", .direction = regression}}));
}

TEST(claim_pairs, terabytes_and_gigaflops_keep_their_own_unit) {
  EXPECT_TRUE(are_claims(message_claims("Faster gather\n\nBandwidth 0.21 -> 1.16 TB/s.\n"), {{.unit = "TB/s"}}));
  EXPECT_TRUE(are_claims(message_claims("Faster GEMM\n\nThroughput 35.1 -> 42.4 GFLOPS.\n"), {{.unit = "GFLOP/s"}}));
}

TEST(claim_pairs, performance_named_just_before_a_percentage_is_higher_is_better) {
  // "kernel" follows, but the clause says it is performance that rose.
  EXPECT_TRUE(are_claims(message_claims("Add a kernel\n\nNew tile config, performance increases by 3-8% "
                                        "compared with the asm kernel.\n"),
                         {{.to = 8.0, .direction = improvement}}));
  // Far from the figure, "performance" says nothing: a criterion report's change is in time.
  const auto bench = message_claims(
      "Bench\n\nparse time: [5.80 us 5.81 us 5.82 us] change: [-13.1% -12.9% "
      "-12.7%] (p = 0.00 < 0.05) Performance has improved.\n");
  for (const auto& c : bench) EXPECT_TRUE(is_claim(c, {.direction = improvement}));
}

TEST(claim_pairs, a_list_item_factor_takes_its_meaning_from_a_caption_that_compares_versions) {
  EXPECT_TRUE(are_claims(message_claims("Split K across waves\n\nMeasured on one GPU (legacy vs new, batch 1-512):\n"
                                        "  - Main (BF16):   1.30x avg, up to 1.45x at batch 1\n"
                                        "  - Index (FP8):   1.15x avg\n"),
                         {{.value = 1.30, .qualifier = claim_qualifier::average},
                          {.value = 1.45, .qualifier = claim_qualifier::up_to},
                          {.value = 1.15}}));
  // A caption that only lists a document's figures compares no versions.
  EXPECT_TRUE(message_claims("Docs\n\nSynced the figures in speedups.rst:\n  - FP8: 1.41x, MXFP8 1.44x\n").empty());
}

TEST(claim_pairs, a_list_of_pairs_states_its_unit_once) {
  // The unit after the first pair's after value; the percentages restate each pair.
  EXPECT_TRUE(are_claims(message_claims("Split KV\n\nMeasured (dense, H=64): S=8192 210→400 TFLOPS (+90%), "
                                        "S=4096 200→330 (+65%), S=2048 180→200 (+11%).\n"),
                         {{.value = 210.0, .to = 400.0, .unit = "TFLOP/s"},
                          {.value = 200.0, .to = 330.0, .unit = "TFLOP/s"},
                          {.value = 180.0, .to = 200.0, .unit = "TFLOP/s"}}));
}

TEST(claim_pairs, the_word_after_an_absolute_time_or_memory_says_which_way) {
  EXPECT_TRUE(are_claims(message_claims("Match the defaults (2.5ms speedup)\n"),
                         {{.value = 2.5, .unit = "ms", .direction = improvement}}));
  EXPECT_TRUE(are_claims(message_claims("Tune\n\nDecode wall time is ~1.2 ms faster vs the baseline.\n"),
                         {{.direction = improvement}}));
  EXPECT_TRUE(are_claims(message_claims("Tune\n\nThe new path needs 300 MB more on large batches.\n"),
                         {{.direction = regression}}));
  // A duration followed by no such word is a setting.
  EXPECT_TRUE(message_claims("Tune\n\nSet the timeout to 5 ms here.\n").empty());
}

TEST(claim_pairs, per_call_times_against_the_old_ones) {
  EXPECT_TRUE(are_claims(message_claims("Cache the handle\n\nNow ~190 ns/call against ~310 ns before.\n"),
                         {{.value = 310.0, .to = 190.0, .unit = "ns"}}));
}

}  // namespace
}  // namespace isobench::detail
