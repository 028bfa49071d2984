#include <algorithm>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "cpu/paged_kv.hpp"
#include "cpu/rotary.hpp"
#include "isobench/random.hpp"

namespace isobench::kernels {
namespace {

TEST(paged_kv, block_table_is_a_seeded_choice_of_distinct_blocks) {
  const paged_layout l{3, 50, 16, 4};
  const auto t = random_block_table(l, 10, 1);
  ASSERT_EQ(t.size(), 12u);  // 3 sequences x ceil(50 / 16) blocks
  auto sorted = t;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());
  EXPECT_LT(sorted.back(), 22);
  EXPECT_EQ(t, random_block_table(l, 10, 1));
  EXPECT_NE(t, random_block_table(l, 10, 2));
}

TEST(paged_kv, both_gathers_copy_every_token_from_its_block) {
  for (auto [seqs, len, bs, width] : {std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t>{1, 1, 16, 1},
                                      {3, 50, 16, 5},
                                      {2, 32, 8, 3},
                                      {0, 10, 4, 2},
                                      {2, 0, 4, 2}}) {
    const paged_layout l{seqs, len, bs, width};
    const auto table = random_block_table(l, 3, 7);
    const std::int64_t blocks = seqs * l.blocks_per_seq() + 3;
    std::vector<float> pool(static_cast<std::size_t>(blocks * bs * width));
    gen::fill_normal(pool, 8);
    std::vector<float> a(static_cast<std::size_t>(seqs * len * width), -1.0F), b(a.size(), -2.0F);
    paged_gather_per_token(l, pool.data(), table.data(), a.data());
    paged_gather_per_block(l, pool.data(), table.data(), b.data());
    for (std::int64_t s = 0; s < seqs; ++s) {
      for (std::int64_t t = 0; t < len; ++t) {
        const std::int64_t slot = table[static_cast<std::size_t>(s * l.blocks_per_seq() + t / bs)] * bs + t % bs;
        for (std::int64_t c = 0; c < width; ++c) {
          const auto at = static_cast<std::size_t>((s * len + t) * width + c);
          ASSERT_EQ(a[at], pool[static_cast<std::size_t>(slot * width + c)]);
          ASSERT_EQ(b[at], pool[static_cast<std::size_t>(slot * width + c)]);
        }
      }
    }
  }
}

TEST(rotary, naive_and_cached_match_the_reference) {
  for (auto [tokens, heads, d] :
       {std::tuple<std::int64_t, std::int64_t, std::int64_t>{1, 1, 2}, {5, 3, 6}, {17, 4, 128}, {0, 2, 64}}) {
    const rotary_shape s{tokens, heads, d, 10000.0F};
    std::vector<float> x(static_cast<std::size_t>(tokens * heads * d));
    gen::fill_normal(x, 1);
    std::vector<std::int32_t> pos(static_cast<std::size_t>(tokens));
    for (std::size_t i = 0; i < pos.size(); ++i) pos[i] = static_cast<std::int32_t>((i * 977) % 4096);
    std::vector<float> ref(x.size()), a(x.size()), b(x.size());
    rotary_reference(s, pos.data(), x.data(), ref.data());
    rotary_naive(s, pos.data(), x.data(), a.data());
    rotary_cached(4096, d, 10000.0F).run(s, pos.data(), x.data(), b.data());
    for (std::size_t i = 0; i < ref.size(); ++i) {
      // fp32 angles at positions in the thousands carry ~1e-4 absolute error, as in every fp32 RoPE.
      ASSERT_NEAR(a[i], ref[i], 2e-3) << "naive";
      ASSERT_NEAR(b[i], a[i], 1e-5) << "cached and naive use the same angles";
    }
  }
}

TEST(rotary, position_zero_is_the_identity_and_cache_bounds_are_checked) {
  const rotary_shape s{1, 1, 4, 10000.0F};
  const std::vector<float> x{1, 2, 3, 4};
  const std::int32_t pos0 = 0;
  std::vector<float> out(4);
  rotary_cached cache(8, 4, 10000.0F);
  cache.run(s, &pos0, x.data(), out.data());
  EXPECT_EQ(out, x);
  const std::int32_t far = 8;
  EXPECT_THROW(cache.run(s, &far, x.data(), out.data()), std::out_of_range);
}

}  // namespace
}  // namespace isobench::kernels
