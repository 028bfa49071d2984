// The logic of the commit commands apart from git and builds: the bisection search (probes needed
// over 32 commits wherever the regression is, commits that do not build skipped for a neighbour,
// the answers when nothing regressed), backfill's every Nth commit, continuous's arguments.
#include "commits/bisect_search.hpp"

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "commits/backfill.hpp"
#include "commits/continuous.hpp"
#include "isobench/error.hpp"

namespace isobench::detail {
namespace {

// Commits 0..count-1, the first bad at `first_bad`, those in `broken` not building.
bisect_steps search(std::size_t count, std::size_t first_bad, const std::set<std::size_t>& broken = {}) {
  return bisect_search(count, [&](std::size_t i) {
    if (broken.count(i)) return probe_answer::skip;
    return i >= first_bad ? probe_answer::bad : probe_answer::good;
  });
}

TEST(bisect_search, finds_the_first_bad_of_32_commits_in_at_most_6_probes) {
  for (std::size_t bad = 1; bad <= 32; ++bad) {
    const auto s = search(33, bad);
    ASSERT_TRUE(s.found) << bad;
    EXPECT_EQ(s.first_bad, bad);
    EXPECT_EQ(s.last_good, bad - 1);
    EXPECT_LE(s.probes, bad == 32 ? 6 : 5) << bad;
    EXPECT_TRUE(s.untestable.empty());
  }
}

TEST(bisect_search, skips_commits_that_do_not_build) {
  // The middle commit does not build: its neighbour is probed instead, and the answer holds.
  for (std::size_t bad = 1; bad <= 32; ++bad) {
    if (bad == 16) continue;
    const auto s = search(33, bad, {16});
    ASSERT_TRUE(s.found) << bad;
    EXPECT_EQ(s.first_bad, bad);
    EXPECT_LE(s.probes, 6) << bad;
    EXPECT_EQ(s.probed.front(), 16u);
  }
  // The first bad one's predecessor does not build: it stays a suspect.
  auto s = search(33, 17, {16});
  EXPECT_EQ(s.first_bad, 17u);
  EXPECT_EQ(s.last_good, 15u);
  EXPECT_EQ(s.untestable, std::vector<std::size_t>{16});
  // Nothing between good and bad builds: undecided, every one of them a suspect.
  s = search(5, 2, {1, 2, 3, 4});
  EXPECT_FALSE(s.found);
  EXPECT_EQ(s.untestable, (std::vector<std::size_t>{1, 2, 3, 4}));
}

TEST(bisect_search, says_so_when_the_bad_commit_is_not_slower) {
  const auto s = search(33, 1000);
  EXPECT_FALSE(s.found);
  EXPECT_TRUE(s.no_regression);
  EXPECT_EQ(s.probes, 6);
  EXPECT_EQ(s.probed.back(), 32u);
}

TEST(backfill, every_nth_commit_keeps_the_newest) {
  const std::vector<std::string> c = {"a", "b", "c", "d", "e", "f", "g"};
  EXPECT_EQ(every_nth(c, 1), c);
  EXPECT_EQ(every_nth(c, 3), (std::vector<std::string>{"a", "d", "g"}));
  EXPECT_EQ(every_nth(c, 4), (std::vector<std::string>{"a", "e", "g"}));
  EXPECT_EQ(every_nth(c, 100), (std::vector<std::string>{"a", "g"}));
  EXPECT_TRUE(every_nth({}, 2).empty());
}

TEST(continuous, leading_arguments_that_are_not_files_are_revisions) {
  const auto spec = std::string(ISOBENCH_CONFIGS_DIR) + "/gemm_blocked.json";
  auto a = split_revisions({"v1", "v2", spec, spec});
  EXPECT_EQ(a.revisions, (std::vector<std::string>{"v1", "v2"}));
  EXPECT_EQ(a.specs.size(), 2u);
  a = split_revisions({spec});
  EXPECT_TRUE(a.revisions.empty());
  EXPECT_THROW((void)split_revisions({"v1", "v2", "v3", spec}), config_error);
  EXPECT_THROW((void)split_revisions({"v1"}), config_error);
  try {
    (void)split_revisions({"v1", spec, "missing.json"});
    FAIL();
  } catch (const config_error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.json: no such spec file"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace isobench::detail
