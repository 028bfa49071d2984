// Tables of results as real commit messages write them (issue 20): columns of factors with words
// and ranges between them. The texts are written for this test, not copied from the corpus.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "generate/claims.hpp"

namespace isobench::detail {
namespace {

// Whether `c` is a speedup from `low` to `high` ("1.1-1.4x").
::testing::AssertionResult is_range(const perf_claim& c, double low, double high) {
  if (c.kind == claim_kind::speedup && c.value == low && c.value_to == high && !c.before_after &&
      c.qualifier == claim_qualifier::range) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "got " << c.value << " .. " << c.value_to.value_or(-1) << " ('" << c.text
                                       << "')";
}

TEST(claim_tables, a_column_of_factor_ranges_with_words_between_them) {
  // Each cell of a GPU column is a range of factors, a factor with shapes after it, or words.
  const auto claims = extract_claims(
      "| Step | GPU A | GPU B |\n"
      "|---|---|---|\n"
      "| Prefill | 1.20–1.45x (4096x4096, 8192x8192) | on par |\n"
      "| Decode | better for long prompts | 1.05-1.30x |\n"
      "| Both | no change | 1.7x |\n",
      claim_source::message);
  ASSERT_EQ(claims.size(), 3u);
  EXPECT_TRUE(is_range(claims[0], 1.20, 1.45));
  EXPECT_TRUE(is_range(claims[1], 1.05, 1.30));
  EXPECT_DOUBLE_EQ(claims[2].value, 1.7);
  EXPECT_EQ(claims[2].direction, claim_direction::improvement);
}

TEST(claim_tables, a_column_whose_first_figure_is_not_a_factor_is_not_a_speedup_column) {
  // "2x" sits in a column of batch sizes and times: no speedup claim.
  const auto claims = extract_claims(
      "| Case | Setting |\n"
      "|---|---|\n"
      "| small | 2x |\n"
      "| large | 16 ms |\n",
      claim_source::message);
  EXPECT_TRUE(claims.empty());
}

TEST(claim_tables, a_space_aligned_table_in_a_code_block_with_a_column_per_side) {
  // A pandas frame (unnamed index column) whose header names the baseline and this PR.
  const auto claims = extract_claims(
      "Faster decode GEMM\n\nMicro benchmark:\n\n```\n"
      "   tokens  baseline (us)  this PR (us)\n"
      "0       1         12.50          8.25\n"
      "1      16         30.00         31.00\n"
      "```\n",
      claim_source::message);
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_EQ(claims[0].value, 12.50);
  EXPECT_EQ(claims[0].value_to, 8.25);
  EXPECT_EQ(claims[0].unit, "us");
  EXPECT_EQ(claims[0].direction, claim_direction::improvement);
  EXPECT_EQ(claims[1].direction, claim_direction::regression);
  EXPECT_NE(claims[0].text.find("12.50"), std::string::npos);  // the row as written
}

TEST(claim_tables, a_space_aligned_table_without_sides_is_left_to_the_lines) {
  const auto claims = extract_claims(
      "Add a kernel\n\n```\n"
      "tokens  gpu_a (us)  gpu_b (us)\n"
      "1       12.50       8.25\n"
      "```\n",
      claim_source::message);
  EXPECT_TRUE(claims.empty());
}

}  // namespace
}  // namespace isobench::detail
