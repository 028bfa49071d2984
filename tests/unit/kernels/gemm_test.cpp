#include "cpu/gemm.hpp"

#include <cmath>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "isobench/random.hpp"
#include "isobench/registry.hpp"

namespace isobench::kernels {
namespace {

struct problem {
  std::int64_t m, n, k;
  std::vector<float> a, b, expected;
};

problem make_problem(std::int64_t m, std::int64_t n, std::int64_t k) {
  problem p{m, n, k, std::vector<float>(m * k), std::vector<float>(k * n), std::vector<float>(m * n)};
  gen::fill_uniform(p.a, 1);
  gen::fill_uniform(p.b, 2);
  gemm_reference(m, n, k, p.a.data(), p.b.data(), p.expected.data());
  return p;
}

// fp32 accumulation over k terms of |a b| <= 1: error grows ~ k * eps.
void expect_close(const problem& p, const std::vector<float>& c) {
  const double tol = 1e-6 * static_cast<double>(p.k) + 1e-6;
  for (std::size_t i = 0; i < c.size(); ++i) {
    ASSERT_NEAR(c[i], p.expected[i], tol) << "index " << i << " of " << p.m << "x" << p.n << "x" << p.k;
  }
}

class gemm_shapes : public ::testing::TestWithParam<std::tuple<std::int64_t, std::int64_t, std::int64_t>> {};

TEST_P(gemm_shapes, every_variant_matches_the_reference) {
  const auto [m, n, k] = GetParam();
  const auto p = make_problem(m, n, k);
  std::vector<float> c(m * n, 123.0F);  // garbage in C must not leak into the result
  gemm_naive(m, n, k, p.a.data(), p.b.data(), c.data());
  expect_close(p, c);

  for (int threads : {1, 2, 3}) {
    std::fill(c.begin(), c.end(), 123.0F);
    gemm_blocked g(m, n, k, threads);
    g.run(p.a.data(), p.b.data(), c.data());
    expect_close(p, c);
    g.run(p.a.data(), p.b.data(), c.data());  // idempotent
    expect_close(p, c);
  }

  std::fill(c.begin(), c.end(), 123.0F);
  set_openblas_threads(1);
  gemm_openblas(m, n, k, p.a.data(), p.b.data(), c.data());
  expect_close(p, c);
}

// Odd sizes straddle the register tile (8 x 32 or 8 x 16) and the cache blocks (144, 256).
INSTANTIATE_TEST_SUITE_P(small_and_odd, gemm_shapes,
                         ::testing::Values(std::tuple{1, 1, 1}, std::tuple{1, 37, 5}, std::tuple{7, 1, 300},
                                           std::tuple{8, 32, 16}, std::tuple{33, 65, 17}, std::tuple{127, 129, 131},
                                           std::tuple{150, 70, 260}, std::tuple{16, 1280, 64}, std::tuple{3, 5, 0}));

TEST(gemm_blocked, tiny_problems_skip_packing) {
  EXPECT_FALSE(gemm_blocked(4, 4, 4, 1).packed_path());
  EXPECT_TRUE(gemm_blocked(64, 64, 64, 1).packed_path());
  EXPECT_EQ(gemm_blocked(64, 64, 64, 4).threads(), 4);
  EXPECT_EQ(gemm_blocked(4, 64, 64, 4).threads(), 1);  // less than one register tile of rows (6 or 8)
}

TEST(gemm_blocked, empty_matrices_are_fine) {
  std::vector<float> none;
  gemm_blocked g(0, 5, 3, 2);
  g.run(none.data(), none.data(), none.data());
  std::vector<float> c(4, 1.0F);
  gemm_blocked z(2, 2, 0, 1);
  z.run(none.data(), none.data(), c.data());
  for (float x : c) EXPECT_EQ(x, 0.0F);
}

TEST(gemm_registry, registered_kernels_produce_the_reference_result) {
  params p;
  p.set("m", std::int64_t{33});
  p.set("n", std::int64_t{47});
  p.set("k", std::int64_t{65});
  p.set("threads", std::int64_t{2});
  std::vector<named_tensor> first;
  for (const char* name : {"gemm.naive", "gemm.blocked", "gemm.openblas"}) {
    const auto* info = registry::global().find(name, device_kind::cpu);
    ASSERT_NE(info, nullptr);
    auto k = info->factory();
    k->setup(setup_context{p, dtype::f32, 42, device_kind::cpu});
    k->run();
    auto out = k->outputs();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].name, "C");
    EXPECT_EQ(out[0].value.shape(), (std::vector<std::int64_t>{33, 47}));
    if (first.empty()) {
      first = std::move(out);
      continue;
    }
    for (std::size_t i = 0; i < out[0].value.numel(); ++i) {
      ASSERT_NEAR(out[0].value.element(i), first[0].value.element(i), 1e-4) << name;
    }
  }
  EXPECT_DOUBLE_EQ(registry::global().find("gemm.naive")->flops(p), 2.0 * 33 * 47 * 65);
}

}  // namespace
}  // namespace isobench::kernels
