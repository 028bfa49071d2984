#include "cpu/elementwise.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "isobench/random.hpp"
#include "isobench/registry.hpp"

namespace isobench::kernels {
namespace {

TEST(rmsnorm, both_variants_match_the_reference) {
  for (auto [rows, dim] : {std::pair{1, 1}, std::pair{3, 15}, std::pair{2, 16}, std::pair{5, 4097}, std::pair{0, 8}}) {
    std::vector<float> x(static_cast<std::size_t>(rows) * dim), w(dim), ref(x.size()), a(x.size()), b(x.size());
    gen::fill_normal(x, 1);
    gen::fill_uniform(w, 2, 0.5F, 1.5F);
    rmsnorm_reference(rows, dim, x.data(), w.data(), 1e-6F, ref.data());
    rmsnorm_naive(rows, dim, x.data(), w.data(), 1e-6F, a.data());
    rmsnorm_fused(rows, dim, x.data(), w.data(), 1e-6F, b.data());
    for (std::size_t i = 0; i < ref.size(); ++i) {
      ASSERT_NEAR(a[i], ref[i], 1e-5 * std::fabs(ref[i]) + 1e-6) << rows << "x" << dim;
      ASSERT_NEAR(b[i], ref[i], 1e-5 * std::fabs(ref[i]) + 1e-6) << rows << "x" << dim;
    }
  }
}

TEST(rmsnorm, hand_computed_row) {
  const float x[4] = {1, 2, 3, 4};  // mean square 7.5
  const float w[4] = {1, 1, 2, 1};
  float y[4];
  rmsnorm_fused(1, 4, x, w, 0.0F, y);
  const float inv = 1.0F / std::sqrt(7.5F);
  EXPECT_FLOAT_EQ(y[0], 1 * inv);
  EXPECT_FLOAT_EQ(y[2], 6 * inv);
}

TEST(silu_and_mul, both_variants_match_the_reference) {
  for (auto [tokens, d] : {std::pair{1, 1}, std::pair{7, 33}, std::pair{4, 11008}, std::pair{0, 4}}) {
    std::vector<float> x(static_cast<std::size_t>(tokens) * 2 * d), ref(static_cast<std::size_t>(tokens) * d),
        tmp(ref.size()), a(ref.size()), b(ref.size());
    gen::fill_normal(x, 3, 0.0F, 4.0F);
    silu_and_mul_reference(tokens, d, x.data(), ref.data());
    silu_and_mul_naive(tokens, d, x.data(), tmp.data(), a.data());
    silu_and_mul_fused(tokens, d, x.data(), b.data());
    for (std::size_t i = 0; i < ref.size(); ++i) {
      ASSERT_NEAR(a[i], ref[i], 1e-5 * std::fabs(ref[i]) + 1e-6);
      ASSERT_EQ(a[i], b[i]);  // same arithmetic, one pass instead of two
    }
  }
  const float x[2] = {0.0F, 5.0F};  // silu(0) = 0
  float out[1];
  silu_and_mul_fused(1, 1, x, out);
  EXPECT_EQ(out[0], 0.0F);
}

TEST(topk, partial_selection_equals_full_sort) {
  for (auto [rows, vocab, k] :
       {std::tuple{1, 1, 1}, std::tuple{3, 100, 7}, std::tuple{2, 32000, 50}, std::tuple{2, 5, 9}}) {
    std::vector<float> logits(static_cast<std::size_t>(rows) * vocab);
    gen::fill_normal(logits, 4);
    const auto kk = std::min(k, vocab);
    std::vector<std::int64_t> ia(rows * kk), ib(rows * kk);
    std::vector<float> va(rows * kk), vb(rows * kk);
    topk_sort(rows, vocab, k, logits.data(), ia.data(), va.data());
    topk_partial(rows, vocab, k, logits.data(), ib.data(), vb.data());
    EXPECT_EQ(ia, ib);
    EXPECT_EQ(va, vb);
    for (int r = 0; r < rows; ++r) {
      const float* row = logits.data() + static_cast<std::ptrdiff_t>(r) * vocab;
      EXPECT_EQ(va[r * kk], *std::max_element(row, row + vocab));
      for (int i = 1; i < kk; ++i) EXPECT_GE(va[r * kk + i - 1], va[r * kk + i]);
    }
  }
}

TEST(topk, ties_break_by_lower_index) {
  const float logits[6] = {1, 3, 3, 0, 3, 2};
  std::int64_t idx[3];
  float val[3];
  topk_partial(1, 6, 3, logits, idx, val);
  EXPECT_EQ(idx[0], 1);
  EXPECT_EQ(idx[1], 2);
  EXPECT_EQ(idx[2], 4);
}

TEST(elementwise_registry, registered_pairs_agree) {
  const auto run = [](const char* name, const params& p) {
    auto k = registry::global().find(name, device_kind::cpu)->factory();
    k->setup(setup_context{p, dtype::f32, 9, device_kind::cpu});
    k->run();
    return k->outputs();
  };
  params rms;
  rms.set("rows", std::int64_t{3});
  rms.set("dim", std::int64_t{100});
  rms.set("eps", 1e-6);
  const auto a = run("rmsnorm.naive", rms);
  const auto b = run("rmsnorm.fused", rms);
  for (std::size_t i = 0; i < a[0].value.numel(); ++i) ASSERT_NEAR(a[0].value.element(i), b[0].value.element(i), 1e-5);
  params tk;
  tk.set("rows", std::int64_t{2});
  tk.set("vocab", std::int64_t{1000});
  tk.set("k", std::int64_t{10});
  const auto s = run("topk.sort", tk);
  const auto q = run("topk.partial", tk);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].value.as<std::int64_t>()[0], q[0].value.as<std::int64_t>()[0]);
}

}  // namespace
}  // namespace isobench::kernels
