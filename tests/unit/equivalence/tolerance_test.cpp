#include "equivalence/tolerance.hpp"

#include <gtest/gtest.h>

namespace isobench::detail {
namespace {

TEST(tolerance, iso_bench_table) {
  EXPECT_EQ(default_tolerance(eq_level::exact, dtype::f32), (tolerance{0, 0}));
  EXPECT_EQ(default_tolerance(eq_level::exact, dtype::bf16), (tolerance{0, 0}));
  EXPECT_EQ(default_tolerance(eq_level::numeric, dtype::f32), (tolerance{1e-5, 1e-7}));
  EXPECT_EQ(default_tolerance(eq_level::numeric, dtype::f16), (tolerance{1e-3, 1e-4}));
  EXPECT_EQ(default_tolerance(eq_level::numeric, dtype::bf16), (tolerance{1e-2, 1e-3}));
  EXPECT_EQ(default_tolerance(eq_level::behavioral, dtype::f32), (tolerance{1e-2, 1e-3}));
  EXPECT_EQ(default_tolerance(eq_level::behavioral, dtype::f16), (tolerance{5e-2, 1e-2}));
  // Anything else falls back to (1e-3, 1e-4).
  EXPECT_EQ(default_tolerance(eq_level::behavioral, dtype::bf16), (tolerance{1e-3, 1e-4}));
  EXPECT_EQ(default_tolerance(eq_level::numeric, dtype::f64), (tolerance{1e-3, 1e-4}));
  EXPECT_EQ(default_tolerance(eq_level::numeric, dtype::i32), (tolerance{1e-3, 1e-4}));
}

TEST(tolerance, levels_parse_and_order) {
  EXPECT_EQ(from_string<eq_level>("exact"), eq_level::exact);
  EXPECT_EQ(from_string<eq_level>("numeric"), eq_level::numeric);
  EXPECT_EQ(from_string<eq_level>("behavioral"), eq_level::behavioral);
  EXPECT_EQ(from_string<eq_level>("none"), eq_level::none);
  EXPECT_EQ(from_string<eq_level>("close"), std::nullopt);
  EXPECT_LT(eq_level::none, eq_level::behavioral);
  EXPECT_LT(eq_level::behavioral, eq_level::numeric);
  EXPECT_LT(eq_level::numeric, eq_level::exact);
  EXPECT_EQ(to_string(eq_level::none), "none");
}

}  // namespace
}  // namespace isobench::detail
