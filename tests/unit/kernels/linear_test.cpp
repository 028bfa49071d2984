#include "cpu/linear.hpp"

#include <atomic>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "cpu/gemm.hpp"
#include "isobench/random.hpp"

namespace isobench::kernels {
namespace {

std::vector<float> normal(std::int64_t n, std::uint64_t seed, float sd = 1.0F) {
  std::vector<float> v(static_cast<std::size_t>(n));
  gen::fill_normal(v, seed, 0.0F, sd);
  return v;
}

constexpr weight_format k_formats[] = {weight_format::f32, weight_format::bf16, weight_format::int8,
                                       weight_format::int4};

// The product must match the oracle over the *dequantised* weight for every format and path: small
// m takes the GEMV path, larger m the packed GEMM; sizes straddle 16/32/64-column and 16-row edges.
TEST(linear, every_format_matches_the_reference_on_both_paths) {
  for (auto format : k_formats) {
    for (std::int64_t m : {0, 1, 3, 4, 5, 37}) {
      for (auto [k, n] : {std::pair<std::int64_t, std::int64_t>{1, 1}, {17, 15}, {130, 33}, {256, 100}, {64, 64}}) {
        const auto w = normal(k * n, 1);
        const auto x = normal(m * k, 2);
        const auto bias = normal(n, 3);
        const linear_weight lw(format, k, n, w.data(), 32);
        std::vector<float> ref(static_cast<std::size_t>(m * n)), y(ref.size(), -7.0F);
        linear_reference(m, lw, x.data(), bias.data(), ref.data());
        linear_op op(m, lw);
        EXPECT_EQ(op.gemv_path(), m <= linear_op::gemv_max_rows);
        op.run(x.data(), bias.data(), y.data());
        for (std::size_t i = 0; i < ref.size(); ++i) {
          ASSERT_NEAR(y[i], ref[i], 1e-4 * (1.0 + std::fabs(ref[i])))
              << to_string(format) << " m" << m << " k" << k << " n" << n << " at " << i;
        }
      }
    }
  }
}

TEST(linear, quantization_error_is_within_half_a_step) {
  const std::int64_t k = 256, n = 40;
  const auto w = normal(k * n, 4);
  const linear_weight q8(weight_format::int8, k, n, w.data());
  const linear_weight q4(weight_format::int4, k, n, w.data(), 128);
  for (std::int64_t j = 0; j < n; ++j) {
    float amax = 0.0F;
    for (std::int64_t p = 0; p < k; ++p) amax = std::max(amax, std::fabs(w[static_cast<std::size_t>(p * n + j)]));
    for (std::int64_t p = 0; p < k; ++p) {
      const float exact = w[static_cast<std::size_t>(p * n + j)];
      ASSERT_LE(std::fabs(q8.at(p, j) - exact), amax / 127.0F * 0.5F + 1e-6F);
    }
    for (std::int64_t g = 0; g < 2; ++g) {
      float lo = 0.0F, hi = 0.0F;
      for (std::int64_t p = g * 128; p < (g + 1) * 128; ++p) {
        lo = std::min(lo, w[static_cast<std::size_t>(p * n + j)]);
        hi = std::max(hi, w[static_cast<std::size_t>(p * n + j)]);
      }
      const float step = (hi - lo) / 15.0F;
      for (std::int64_t p = g * 128; p < (g + 1) * 128; ++p) {
        // Rounding the zero point can push the range's far end by up to half a step more.
        ASSERT_LE(std::fabs(q4.at(p, j) - w[static_cast<std::size_t>(p * n + j)]), step + 1e-5F);
      }
    }
  }
}

TEST(linear, zero_weights_stay_zero_and_bf16_rounds_to_nearest_even) {
  const std::vector<float> w{0.0F, 1.0F, -2.5F, 0.0F, 1.00390625F /* 1 + 2^-8: a tie */, 3.0F};
  const linear_weight q4(weight_format::int4, 3, 2, w.data(), 16);
  EXPECT_EQ(q4.at(0, 0), 0.0F);
  EXPECT_EQ(q4.at(1, 1), 0.0F);
  const linear_weight b(weight_format::bf16, 3, 2, w.data());
  EXPECT_EQ(b.at(2, 0), 1.0F);  // tie rounds to the even mantissa
  EXPECT_EQ(b.at(1, 0), -2.5F);
  EXPECT_EQ(b.at(2, 1), 3.0F);
}

TEST(linear, storage_bytes_count_values_scales_and_zero_points) {
  const std::int64_t k = 256, n = 64;
  const auto w = normal(k * n, 5);
  EXPECT_EQ(linear_weight(weight_format::f32, k, n, w.data()).storage_bytes(), 4 * k * n);
  EXPECT_EQ(linear_weight(weight_format::bf16, k, n, w.data()).storage_bytes(), 2 * k * n);
  EXPECT_EQ(linear_weight(weight_format::int8, k, n, w.data()).storage_bytes(), k * n + 4 * n);
  EXPECT_EQ(linear_weight(weight_format::int4, k, n, w.data(), 128).storage_bytes(), k * n / 2 + 2 * 2 * 4 * n);
}

TEST(linear, rejects_a_group_size_that_is_not_a_multiple_of_16) {
  const auto w = normal(4, 6);
  EXPECT_THROW(linear_weight(weight_format::int4, 2, 2, w.data(), 24), std::invalid_argument);
}

// gemm_blocked's fusion hooks: LayerNorm while packing A and an epilogue per finished piece of C.
TEST(gemm_fusion, normalised_a_and_epilogue_match_doing_it_by_hand) {
  for (auto [m, n, k] : {std::tuple<std::int64_t, std::int64_t, std::int64_t>{3, 5, 7}, {70, 90, 300}}) {
    const auto a = normal(m * k, 7);
    const auto b = normal(k * n, 8);
    const auto gamma = normal(k, 9);
    const auto beta = normal(k, 10);
    std::vector<float> mean(static_cast<std::size_t>(m)), rstd(mean.size());
    gen::fill_uniform(mean, 11, -1.0F, 1.0F);
    gen::fill_uniform(rstd, 12, 0.5F, 2.0F);
    std::vector<float> an(a.size());
    for (std::int64_t i = 0; i < m; ++i) {
      for (std::int64_t p = 0; p < k; ++p) {
        const auto at = static_cast<std::size_t>(i * k + p);
        an[at] = (a[at] - mean[static_cast<std::size_t>(i)]) * rstd[static_cast<std::size_t>(i)] *
                     gamma[static_cast<std::size_t>(p)] +
                 beta[static_cast<std::size_t>(p)];
      }
    }
    std::vector<float> ref(static_cast<std::size_t>(m * n)), c(ref.size());
    gemm_reference(m, n, k, an.data(), b.data(), ref.data());
    for (std::int64_t i = 0; i < m; ++i) {
      for (std::int64_t j = 0; j < n; ++j) ref[static_cast<std::size_t>(i * n + j)] += static_cast<float>(i + 2 * j);
    }
    gemm_fusion f;
    f.row_mean = mean.data();
    f.row_rstd = rstd.data();
    f.gamma = gamma.data();
    f.beta = beta.data();
    std::atomic<std::int64_t> covered = 0;  // the epilogue runs on both threads
    f.epilogue = [&covered](const gemm_tile& t) {
      for (std::int64_t i = 0; i < t.rows; ++i) {
        for (std::int64_t j = 0; j < t.cols; ++j) t.row_ptr(i)[j] += static_cast<float>(t.row + i + 2 * (t.col + j));
      }
      covered += t.rows * t.cols;
    };
    gemm_blocked g(m, n, k, 2);
    g.run(a.data(), b.data(), c.data(), f);
    EXPECT_EQ(covered.load(), m * n) << "every element gets exactly one epilogue call";
    for (std::size_t i = 0; i < ref.size(); ++i) ASSERT_NEAR(c[i], ref[i], 2e-4 * (1.0 + std::fabs(ref[i]))) << i;
  }
}

}  // namespace
}  // namespace isobench::kernels
