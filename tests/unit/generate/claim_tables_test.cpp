// Tables of results as real commit messages write them (issue 20): columns of factors with words
// and ranges between them, and space-aligned tables in code blocks. The texts are written for this
// test, not copied from the corpus.
#include <string>

#include <gtest/gtest.h>

#include "claim_matchers.hpp"
#include "generate/claims.hpp"

namespace isobench::detail {
namespace {

TEST(claim_tables, a_column_of_factor_ranges_with_words_between_them) {
  // Each cell of a GPU column is a range of factors, a factor with shapes after it, or words.
  const auto claims = message_claims(
      "| Step | GPU A | GPU B |\n"
      "|---|---|---|\n"
      "| Prefill | 1.20–1.45x (4096x4096, 8192x8192) | on par |\n"
      "| Decode | better for long prompts | 1.05-1.30x |\n"
      "| Both | no change | 1.7x |\n");
  EXPECT_TRUE(are_claims(claims, {{.value = 1.20, .to = 1.45, .qualifier = claim_qualifier::range},
                                  {.value = 1.05, .to = 1.30, .qualifier = claim_qualifier::range},
                                  {.value = 1.7, .direction = claim_direction::improvement}}));
  for (const auto& c : claims) EXPECT_EQ(c.kind, claim_kind::speedup);
  EXPECT_FALSE(claims[0].before_after);  // a range, not a pair
}

TEST(claim_tables, a_column_whose_first_figure_is_not_a_factor_is_not_a_speedup_column) {
  // "2x" sits in a column of batch sizes and times: no speedup claim.
  EXPECT_TRUE(message_claims("| Case | Setting |\n"
                             "|---|---|\n"
                             "| small | 2x |\n"
                             "| large | 16 ms |\n")
                  .empty());
}

TEST(claim_tables, a_space_aligned_table_in_a_code_block_with_a_column_per_side) {
  // A pandas frame (unnamed index column) whose header names the baseline and this PR.
  const auto claims = message_claims(
      "Faster decode GEMM\n\nMicro benchmark:\n\n```\n"
      "   tokens  baseline (us)  this PR (us)\n"
      "0       1         12.50          8.25\n"
      "1      16         30.00         31.00\n"
      "```\n");
  EXPECT_TRUE(are_claims(claims, {{.value = 12.50, .to = 8.25, .unit = "us", .direction = claim_direction::improvement},
                                  {.value = 30.0, .to = 31.0, .direction = claim_direction::regression}}));
  ASSERT_FALSE(claims.empty());
  EXPECT_NE(claims[0].text.find("12.50"), std::string::npos);  // the row as written
}

TEST(claim_tables, a_space_aligned_table_without_sides_is_left_to_the_lines) {
  EXPECT_TRUE(message_claims("Add a kernel\n\n```\n"
                             "tokens  gpu_a (us)  gpu_b (us)\n"
                             "1       12.50       8.25\n"
                             "```\n")
                  .empty());
}

}  // namespace
}  // namespace isobench::detail
