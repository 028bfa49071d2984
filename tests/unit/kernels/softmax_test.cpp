#include "cpu/softmax.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "isobench/random.hpp"
#include "isobench/registry.hpp"

namespace isobench::kernels {
namespace {

using softmax_fn = void (*)(std::int64_t, std::int64_t, const float*, float*);

class softmax_variants : public ::testing::TestWithParam<softmax_fn> {};

void check(softmax_fn fn, std::int64_t rows, std::int64_t cols, float scale) {
  std::vector<float> x(rows * cols), y(rows * cols), ref(rows * cols);
  gen::fill_normal(x, 3, 0.0F, scale);
  softmax_reference(rows, cols, x.data(), ref.data());
  fn(rows, cols, x.data(), y.data());
  for (std::int64_t r = 0; r < rows; ++r) {
    double sum = 0.0;
    for (std::int64_t j = 0; j < cols; ++j) {
      const float v = y[r * cols + j];
      ASSERT_TRUE(std::isfinite(v));
      ASSERT_NEAR(v, ref[r * cols + j], 1e-6 + 1e-5 * ref[r * cols + j]) << "row " << r << " col " << j;
      sum += v;
    }
    ASSERT_NEAR(sum, 1.0, 1e-4);
  }
}

TEST_P(softmax_variants, match_the_reference_at_small_and_odd_sizes) {
  for (auto [rows, cols] : {std::pair{1, 1}, std::pair{1, 7}, std::pair{3, 63}, std::pair{5, 64}, std::pair{2, 65},
                            std::pair{4, 1000}, std::pair{0, 8}}) {
    check(GetParam(), rows, cols, 1.0F);
  }
}

TEST_P(softmax_variants, stay_finite_for_large_inputs) {
  check(GetParam(), 3, 129, 200.0F);  // exp(200) overflows fp32 unless the max is subtracted
}

TEST_P(softmax_variants, increasing_max_across_chunks) {
  std::vector<float> x(300), y(300), ref(300);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i) * 0.1F;  // max keeps growing
  softmax_reference(1, 300, x.data(), ref.data());
  GetParam()(1, 300, x.data(), y.data());
  for (std::size_t i = 0; i < x.size(); ++i) ASSERT_NEAR(y[i], ref[i], 1e-6 + 1e-5 * ref[i]);
}

INSTANTIATE_TEST_SUITE_P(both, softmax_variants, ::testing::Values(&softmax_three_pass, &softmax_online));

TEST(softmax_registry, both_registered_with_bytes_formula) {
  params p;
  p.set("rows", std::int64_t{4});
  p.set("cols", std::int64_t{10});
  p.set("scale", 1.0);
  for (const char* name : {"softmax.three_pass", "softmax.online"}) {
    const auto* info = registry::global().find(name, device_kind::cpu);
    ASSERT_NE(info, nullptr) << name;
    EXPECT_DOUBLE_EQ(info->bytes(p), 8.0 * 40);
    auto k = info->factory();
    k->setup(setup_context{p, dtype::f32, 1, device_kind::cpu});
    k->run();
    EXPECT_EQ(k->outputs().at(0).value.numel(), 40u);
  }
}

}  // namespace
}  // namespace isobench::kernels
