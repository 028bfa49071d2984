// The git tests' fixture (ctest: git.setup, FIXTURES_SETUP git_repo): the synthetic repository.
#include <gtest/gtest.h>

#include "synthetic_repo.hpp"

namespace isobench::testing {
namespace {

TEST(git_setup, make_repository) {
  const auto s = synthetic_repo::make();
  EXPECT_EQ(s.commits.size(), synthetic_repo::hang + 1);
}

}  // namespace
}  // namespace isobench::testing
