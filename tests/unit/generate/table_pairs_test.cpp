// Tables as real commit messages show a change (issue 20): one table before and the same table
// after, a code block's data frame twice, measures side by side in columns named by side, rows
// with two groups of figures, and headers a 72-column message wrapped. The texts are written for
// this test, not copied from the corpus.
#include "generate/table_pairs.hpp"

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "generate/claims.hpp"
#include "generate/column_sides.hpp"

namespace isobench::detail {
namespace {

const perf_claim* find_pair(const std::vector<perf_claim>& claims, double before, double after) {
  for (const auto& c : claims) {
    if (c.before_after && c.value == before && c.value_to == after) return &c;
  }
  return nullptr;
}

// Whether `claims` hold the pair before -> after in `direction` (and, when given, in `unit`).
::testing::AssertionResult has_pair(const std::vector<perf_claim>& claims, double before, double after,
                                    claim_direction direction, std::string_view unit = {}) {
  const auto* c = find_pair(claims, before, after);
  if (c == nullptr) return ::testing::AssertionFailure() << "no pair " << before << " -> " << after;
  if (c->direction != direction) {
    return ::testing::AssertionFailure() << before << " -> " << after << ": direction " << to_string(c->direction);
  }
  if (!unit.empty() && c->unit != unit) {
    return ::testing::AssertionFailure() << before << " -> " << after << ": unit '" << c->unit << "'";
  }
  return ::testing::AssertionSuccess();
}

TEST(table_pairs, a_table_shown_before_and_after_pairs_its_changed_cells) {
  const auto claims = extract_claims(
      "Serving numbers.\n\nbefore the patch:\n\n| setting | tpot (ms) | output throughput |\n|---|---|---|\n"
      "| 2k/512 (batch 8) | 40.0 | 300 |\n| 8k/1k (batch 4) | 61.5 | 120 |\n\nafter the patch:\n"
      "| setting | tpot (ms) | output throughput |\n|---|---|---|\n| 2k/512 (batch 8) | 36.0 | 330 |\n"
      "| 8k/1k(batch 4) | 61.5 | 118 |\n",
      claim_source::message);
  EXPECT_TRUE(has_pair(claims, 40.0, 36.0, claim_direction::improvement, "ms"));
  EXPECT_TRUE(has_pair(claims, 300.0, 330.0, claim_direction::improvement));  // throughput: higher is better
  EXPECT_TRUE(has_pair(claims, 120.0, 118.0, claim_direction::regression));
  EXPECT_EQ(find_pair(claims, 61.5, 61.5), nullptr);  // unchanged: not a claim
  // A rate column under a misspelt name, in a table where most cells went down: still a rate.
  const auto rates = extract_claims(
      "before opt:\n\n| case | ttft(avg) | gen_tok_throught |\n|---|---|---|\n| a | 900 | 50.5 |\n"
      "| b | 1200 | 80.5 |\n| c | 1500 | 100.5 |\n\nafter opt:\n| case | ttft(avg) | gen_tok_throught |\n"
      "|---|---|---|\n| a | 800 | 48.5 |\n| b | 1100 | 82.5 |\n| c | 1400 | 99.5 |\n",
      claim_source::message);
  EXPECT_TRUE(has_pair(rates, 900.0, 800.0, claim_direction::improvement));
  EXPECT_TRUE(has_pair(rates, 50.5, 48.5, claim_direction::regression));
  EXPECT_TRUE(has_pair(rates, 80.5, 82.5, claim_direction::improvement));
}

TEST(table_pairs, a_data_frame_printed_for_each_side_pairs_by_row) {
  const auto claims = extract_claims(
      "baseline\n\n```\n   seq_len  kernel_ms\n0     128.0   0.010500\n1     256.0   0.019000\n2     512.0   "
      "0.036000\n```\n\npr\n\n```\n   seq_len  kernel_ms\n0     128.0   0.009000\n1     256.0   0.015500\n"
      "2     512.0   0.030000\n```\n",
      claim_source::message);
  EXPECT_TRUE(has_pair(claims, 0.0105, 0.009, claim_direction::improvement));
  EXPECT_TRUE(has_pair(claims, 0.036, 0.03, claim_direction::improvement));
  EXPECT_EQ(find_pair(claims, 128.0, 128.0), nullptr);  // the settings agree: no claim from them
  // Two frames of different shapes are not a before/after pair.
  const auto other = extract_claims(
      "baseline\n\n```\n   n  t\n0  1.0  0.5\n1  2.0  0.9\n```\n\npr\n\n```\n   n  t\n0  1.0  0.4\n```\n",
      claim_source::message);
  EXPECT_EQ(find_pair(other, 0.5, 0.4), nullptr);
}

TEST(table_pairs, columns_named_by_side_pair_per_measure_even_when_the_header_wrapped) {
  const auto pairs = named_column_pairs({"batch", "tok/s (ours)", "tok/s (ref)", "ITL (ours)", "ITL (ref)"});
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0], (std::pair<std::size_t, std::size_t>{2, 1}));  // (before, after): ref is the before side
  EXPECT_EQ(pairs[1], (std::pair<std::size_t, std::size_t>{4, 3}));
  EXPECT_TRUE(named_column_pairs({"batch", "tok/s (ours)", "ITL (ref)"}).empty());  // different measures
  const auto claims = extract_claims(
      "Serving (ITL is the median, in ms):\n\n| batch | throughput (fused) | throughput (ref) | ITL (fused) | ITL\n"
      "(ref) |\n|---|---|---|---|---|\n| 1 | 210.0 | 200.0 | 4.50 | 4.80 |\n| 8 | 900 | 910 | 8.10 | 8.00 |\n",
      claim_source::message);
  EXPECT_TRUE(has_pair(claims, 200.0, 210.0, claim_direction::improvement));
  EXPECT_FALSE(has_pair(claims, 200.0, 210.0, claim_direction::improvement, "ms"));  // ms is the ITL columns'
  EXPECT_TRUE(has_pair(claims, 4.8, 4.5, claim_direction::improvement, "ms"));
  EXPECT_TRUE(has_pair(claims, 910.0, 900.0, claim_direction::regression));
}

TEST(table_pairs, a_row_with_two_groups_of_alike_ratios_gives_both_pairs) {
  const auto claims = extract_claims(
      "Kernel time (ms):\n\n| tokens | base tuned | new tuned | diff | base default | new default | diff |\n"
      "|---|---|---|---|---|---|---|\n| 64 | 0.050000 | 0.048000 | +4.17% | 0.050100 | 0.048060 | +4.24% |\n",
      claim_source::message);
  EXPECT_TRUE(has_pair(claims, 0.05, 0.048, claim_direction::improvement));
  EXPECT_TRUE(has_pair(claims, 0.0501, 0.04806, claim_direction::improvement));
  // A row label of 1 before two equal figures is not a pair that its "ratio" confirms.
  const auto same =
      extract_claims("| batch | base (us) | new (us) | note |\n|---|---|---|---|\n| 1 | 3.74 | 3.74 | same |\n",
                     claim_source::message);
  EXPECT_TRUE(same.empty());
  const auto near = extract_claims(
      "| batch | heads | pages | base (us) | new (us) | gain |\n|---|---|---|---|---|---|\n"
      "| 1 | 64 | 1 | 2.3712 | 2.3514 | 0.84% |\n",
      claim_source::message);
  ASSERT_EQ(near.size(), 1u);
  EXPECT_DOUBLE_EQ(near[0].value, 2.3712);
}

TEST(table_pairs, a_signed_change_after_a_figure_is_a_column_not_a_range) {
  // "5.6 -10.1%": a space before the dash and none after; "5 - 10%" and "5-10%" stay ranges.
  const auto claims = extract_claims("model baseline TPOT (ms) new TPOT (ms) change A 0 6.25 5.62 -10.1% +/- 0.7 10",
                                     claim_source::message);
  EXPECT_TRUE(has_pair(claims, 6.25, 5.62, claim_direction::improvement, "ms"));
  for (const char* range : {"decode is 5 - 10% faster", "decode is 5-10% faster"}) {
    const auto r = extract_claims(range, claim_source::message);
    ASSERT_EQ(r.size(), 1u) << range;
    EXPECT_EQ(r[0].value_to, 10.0) << range;
  }
}

TEST(table_pairs, every_speedup_column_counts_even_when_a_blank_line_split_the_header) {
  const auto claims = extract_claims(
      "Serving on one node:\n\n| Concurrency | Throughput Speedup | Inter-token Latency Speedup |\n\n"
      "|---|---|---|\n| 1 | 1.30x | 1.30x |\n| 2 | 1.20x | 1.21x |\n",
      claim_source::message);
  int throughput = 0, latency = 0;
  for (const auto& c : claims) {
    ASSERT_EQ(c.kind, claim_kind::speedup);
    throughput += c.metric == "throughput";
    latency += c.metric == "ITL";
  }
  EXPECT_EQ(claims.size(), 4u);
  EXPECT_EQ(throughput, 2);
  EXPECT_EQ(latency, 2);
}

TEST(table_pairs, a_flattened_tables_later_rows_keep_the_units_of_its_header) {
  std::string text = "Batch Size   Baseline (us)   Fused (us)   Speedup -----------------------------------";
  for (int b = 1; b <= 40; ++b) {
    text += ' ';
    text += std::to_string(b * 8);
    text += "   40.0   20.0   2.00 x";
  }
  const auto claims = extract_claims(text, claim_source::pr_text);
  ASSERT_FALSE(claims.empty());
  for (const auto& c : claims) EXPECT_EQ(c.unit, "us") << c.text;
}

TEST(table_pairs, a_header_wrapped_between_cells_and_a_column_of_factors) {
  // The header runs over two lines, split between cells; a column of factors is a speedup.
  const auto claims = extract_claims(
      "Ratios are old / new; above 1 favours this PR.\n\n| GPU | SMs | old / new geomean | Wins |\nMax abs "
      "error | Max rel error |\n| --- | --- | ---: | ---: | ---: | ---: |\n| A10 | 72 | 1.042x | 9/12 | 1e-05 | "
      "2e-04 |\n| L4 | 58 | 0.985x | 4/12 | 1e-05 | 2e-04 |\n",
      claim_source::message);
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_DOUBLE_EQ(claims[0].value, 1.042);
  EXPECT_EQ(claims[0].direction, claim_direction::improvement);
  EXPECT_DOUBLE_EQ(claims[1].value, 0.985);
  EXPECT_EQ(claims[1].direction, claim_direction::regression);
}

TEST(table_pairs, a_captions_with_and_without_do_not_reverse_the_columns) {
  // "with and without" in the caption name settings; the columns say which side is which.
  const auto claims = extract_claims(
      "Timings with and without graphs:\n\n| n | Main graph ms | Current graph ms | gain | Main plain ms | "
      "Current plain ms | gain |\n|---|---|---|---|---|---|---|\n| 64 | 0.080 | 0.076 | +5.26% | 0.090 | 0.084 | "
      "+7.14% |\n",
      claim_source::message);
  EXPECT_TRUE(has_pair(claims, 0.080, 0.076, claim_direction::improvement, "ms"));
  EXPECT_TRUE(has_pair(claims, 0.090, 0.084, claim_direction::improvement, "ms"));
}

}  // namespace
}  // namespace isobench::detail
