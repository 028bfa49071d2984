#include "cpu/attention.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "isobench/random.hpp"

namespace isobench::kernels {
namespace {

std::vector<float> normal(std::int64_t n, std::uint64_t seed) {
  std::vector<float> v(static_cast<std::size_t>(n));
  gen::fill_normal(v, seed);
  return v;
}

// Sequence lengths straddle the flash tiles (32 queries x 64 keys); head dims are odd and real.
TEST(attention, naive_and_flash_match_the_reference) {
  for (bool causal : {false, true}) {
    for (std::int64_t t : {0, 1, 5, 33, 70, 130}) {
      for (std::int64_t d : {1, 7, 64}) {
        const attention_shape s{2, t, d, causal};
        const auto q = normal(s.elements(), 1), k = normal(s.elements(), 2), v = normal(s.elements(), 3);
        std::vector<float> ref(static_cast<std::size_t>(s.elements())), a(ref.size(), 9.0F), b(ref.size(), 9.0F);
        attention_reference(s, q.data(), k.data(), v.data(), ref.data());
        attention_naive(s).run(q.data(), k.data(), v.data(), a.data());
        attention_flash(s).run(q.data(), k.data(), v.data(), b.data());
        for (std::size_t i = 0; i < ref.size(); ++i) {
          ASSERT_NEAR(a[i], ref[i], 1e-4) << "naive causal=" << causal << " t" << t << " d" << d;
          ASSERT_NEAR(b[i], ref[i], 1e-4) << "flash causal=" << causal << " t" << t << " d" << d;
        }
      }
    }
  }
}

TEST(attention, causal_first_row_is_its_own_value) {
  const attention_shape s{1, 3, 2, true};
  const std::vector<float> q{1, 0, 0, 1, 1, 1}, k{5, 5, -3, 2, 0, 0}, v{0.25F, -4, 1, 1, 2, 2};
  std::vector<float> o(6);
  attention_flash(s).run(q.data(), k.data(), v.data(), o.data());
  EXPECT_FLOAT_EQ(o[0], 0.25F);  // the first query sees only the first key
  EXPECT_FLOAT_EQ(o[1], -4.0F);
}

TEST(kv_decode, recompute_and_cached_match_the_reference) {
  for (auto [tokens, hidden, heads] :
       {std::tuple<std::int64_t, std::int64_t, std::int64_t>{1, 8, 1}, {5, 24, 3}, {9, 32, 2}, {0, 8, 2}}) {
    const decode_shape s{tokens, hidden, heads};
    const auto x = normal(tokens * hidden, 4);
    auto wq = normal(hidden * hidden, 5), wk = normal(hidden * hidden, 6), wv = normal(hidden * hidden, 7);
    for (auto* w : {&wq, &wk, &wv}) {
      for (float& e : *w) e /= std::sqrt(static_cast<float>(hidden));
    }
    std::vector<float> ref(static_cast<std::size_t>(tokens * hidden)), a(ref.size()), b(ref.size());
    kv_decode_reference(s, x.data(), wq.data(), wk.data(), wv.data(), ref.data());
    kv_decode op(s, wq.data(), wk.data(), wv.data());
    op.run_recompute(x.data(), a.data());
    op.run_cached(x.data(), b.data());
    for (std::size_t i = 0; i < ref.size(); ++i) {
      ASSERT_NEAR(a[i], ref[i], 1e-4) << "recompute t" << tokens;
      ASSERT_NEAR(b[i], ref[i], 1e-4) << "cached t" << tokens;
    }
  }
}

}  // namespace
}  // namespace isobench::kernels
