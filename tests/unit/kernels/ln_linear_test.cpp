#include "cpu/ln_linear.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "isobench/random.hpp"

namespace isobench::kernels {
namespace {

constexpr activation k_all[] = {activation::sigmoid, activation::relu, activation::leakyrelu, activation::relu6,
                                activation::gelu,    activation::silu, activation::hardswish};

TEST(activation, hand_computed_values) {
  EXPECT_FLOAT_EQ(activate(activation::sigmoid, 0.0F), 0.5F);
  EXPECT_FLOAT_EQ(activate(activation::relu, -1.0F), 0.0F);
  EXPECT_FLOAT_EQ(activate(activation::relu, 2.0F), 2.0F);
  EXPECT_FLOAT_EQ(activate(activation::leakyrelu, -2.0F), -0.02F);
  EXPECT_FLOAT_EQ(activate(activation::relu6, 7.0F), 6.0F);
  EXPECT_FLOAT_EQ(activate(activation::gelu, 0.0F), 0.0F);
  EXPECT_NEAR(activate(activation::gelu, 1.0F), 0.8413447F, 1e-6);  // x * Phi(x)
  EXPECT_NEAR(activate(activation::silu, 1.0F), 0.7310586F, 1e-6);
  EXPECT_FLOAT_EQ(activate(activation::hardswish, 1.0F), 4.0F / 6.0F);
  EXPECT_FLOAT_EQ(activate(activation::hardswish, -4.0F), 0.0F);
}

TEST(layernorm, hand_computed_row) {
  const float x[4] = {1, 2, 3, 4};  // mean 2.5, variance 1.25
  const float g[4] = {1, 1, 1, 2};
  const float b[4] = {0, 0, 1, 0};
  float y[4];
  layernorm(1, 4, x, g, b, 0.0F, y);
  const float r = 1.0F / std::sqrt(1.25F);
  EXPECT_FLOAT_EQ(y[0], -1.5F * r);
  EXPECT_FLOAT_EQ(y[2], 0.5F * r + 1.0F);
  EXPECT_FLOAT_EQ(y[3], 3.0F * r);
}

TEST(ln_linear, unfused_and_fused_match_the_reference_for_every_activation) {
  for (auto act : k_all) {
    for (auto [m, k, n] :
         {std::tuple<std::int64_t, std::int64_t, std::int64_t>{1, 1, 1}, {2, 33, 17}, {9, 70, 45}, {40, 300, 70}}) {
      std::vector<float> x(static_cast<std::size_t>(m * k)), w(static_cast<std::size_t>(k * n)),
          bias(static_cast<std::size_t>(n)), gamma(static_cast<std::size_t>(k)), beta(gamma.size());
      gen::fill_normal(x, 1, 1.0F, 2.0F);
      gen::fill_normal(w, 2, 0.0F, 1.0F / std::sqrt(static_cast<float>(k)));
      gen::fill_uniform(bias, 3);
      gen::fill_uniform(gamma, 4, 0.5F, 1.5F);
      gen::fill_uniform(beta, 5);
      std::vector<float> ref(static_cast<std::size_t>(m * n)), a(ref.size()), b(ref.size());
      ln_linear_reference(m, k, n, act, x.data(), w.data(), bias.data(), gamma.data(), beta.data(), 1e-5F, ref.data());
      ln_linear op(m, k, n, act, w.data(), bias.data(), gamma.data(), beta.data(), 1e-5F);
      op.run_unfused(x.data(), a.data());
      op.run_fused(x.data(), b.data());
      for (std::size_t i = 0; i < ref.size(); ++i) {
        ASSERT_NEAR(a[i], ref[i], 2e-4 * (1.0 + std::fabs(ref[i]))) << to_string(act) << " m" << m << " k" << k;
        ASSERT_NEAR(b[i], ref[i], 2e-4 * (1.0 + std::fabs(ref[i]))) << to_string(act) << " m" << m << " k" << k;
      }
    }
  }
}

}  // namespace
}  // namespace isobench::kernels
