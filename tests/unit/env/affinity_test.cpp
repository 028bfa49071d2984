#include "env/affinity.hpp"

#include <gtest/gtest.h>

#include "isobench/error.hpp"

namespace isobench::detail {
namespace {

TEST(affinity, parses_cpu_lists) {
  EXPECT_EQ(parse_cpu_list("3"), (std::vector<int>{3}));
  EXPECT_EQ(parse_cpu_list("0,2-4"), (std::vector<int>{0, 2, 3, 4}));
  EXPECT_THROW((void)parse_cpu_list(""), config_error);
  EXPECT_THROW((void)parse_cpu_list("a"), config_error);
  EXPECT_THROW((void)parse_cpu_list("3-1"), config_error);
  EXPECT_THROW((void)parse_cpu_list("1,,2"), config_error);
  EXPECT_THROW((void)parse_cpu_list("-1"), config_error);
}

TEST(affinity, pinning_to_the_current_set_is_harmless) {
  const auto now = current_affinity();
  ASSERT_NE(now, "?");
  pin_to_cpus(parse_cpu_list(now));
  EXPECT_EQ(current_affinity(), now);
  EXPECT_THROW(pin_to_cpus({1000}), error);  // no such CPU
}

}  // namespace
}  // namespace isobench::detail
