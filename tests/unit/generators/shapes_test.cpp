#include "shapes.hpp"

#include <string>

#include <gtest/gtest.h>

#include "isobench/error.hpp"

namespace isobench::detail {
namespace {

TEST(shapes, llama_and_custom_are_literal) {
  const auto llama = generate_shapes("llama");
  ASSERT_EQ(llama.size(), 4u);
  EXPECT_EQ(llama[0], (matrix_shape{"attn.wqkv", 16384, 8192, 1280}));
  EXPECT_EQ(llama[3], (matrix_shape{"ffn.w2", 16384, 3584, 8192}));
  shape_options o;
  o.custom = {{1, 4096, 4096}, {7, 9, 11}};
  const auto custom = generate_shapes("custom", o);
  ASSERT_EQ(custom.size(), 2u);
  EXPECT_EQ(custom[1], (matrix_shape{"custom_1", 7, 9, 11}));
  EXPECT_THROW((void)generate_shapes("custom"), config_error);
}

TEST(shapes, powers_of_two_follow_torchao) {
  const auto p = generate_shapes("pow2");  // 2^10 .. 2^14
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p.front(), (matrix_shape{"pow2_10", 1024, 1024, 1024}));
  EXPECT_EQ(p.back().m, 16384);
  const auto e = generate_shapes("pow2_extended");
  ASSERT_EQ(e.size(), 10u);
  EXPECT_EQ(e[1].m, 1024 + 512);
  EXPECT_EQ(generate_shapes("sweep").size(), 8u * 8u * 8u);  // 2^8 .. 2^15 for each of M, K, N
  const auto small = generate_shapes("small_sweep");
  EXPECT_EQ(small.size(), 35u);  // M <= K <= N over 5 powers: C(5 + 2, 3)
  for (const auto& s : small) EXPECT_TRUE(s.m <= s.k && s.k <= s.n) << s.name;
  shape_options o;
  o.min_power = 3;
  o.max_power = 4;
  EXPECT_EQ(generate_shapes("pow2", o).size(), 2u);
}

TEST(shapes, unknown_names_and_bad_powers_are_clear_errors) {
  try {
    (void)generate_shapes("pow3");
    FAIL();
  } catch (const config_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "unknown shape generator 'pow3' (known: custom, llama, pow2, pow2_extended, sweep, small_sweep)");
  }
  shape_options o;
  o.min_power = 12;
  o.max_power = 11;
  EXPECT_THROW((void)generate_shapes("pow2", o), config_error);
  o.min_power = 0;
  o.max_power = 63;
  EXPECT_THROW((void)generate_shapes("sweep", o), config_error);
}

}  // namespace
}  // namespace isobench::detail
