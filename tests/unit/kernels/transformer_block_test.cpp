#include "cpu/transformer_block.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "isobench/random.hpp"
#include "isobench/registry.hpp"

namespace isobench::kernels {
namespace {

double rel_l2(const std::vector<float>& a, const std::vector<float>& b) {
  return quantization_error(a, b).rel_l2;
}

TEST(transformer_block, dense_matches_the_reference_composition_and_quantized_stays_close) {
  for (auto tokens : {1, 6, 40}) {  // GEMV path, batched path, several attention tiles
    const block_shape s{tokens, 64, 4, 96};
    const auto w = block_weights::random(s, 3);
    std::vector<float> x(static_cast<std::size_t>(tokens * s.hidden));
    gen::fill_normal(x, 4);
    std::vector<float> ref(x.size()), dense(x.size()), q8(x.size()), q4(x.size());
    transformer_block_reference(s, w, x.data(), ref.data());
    transformer_block(s, w, weight_format::f32).run(x.data(), dense.data());
    for (std::size_t i = 0; i < ref.size(); ++i) ASSERT_NEAR(dense[i], ref[i], 1e-3 * (1.0 + std::fabs(ref[i])));
    transformer_block b8(s, w, weight_format::int8);
    transformer_block b4(s, w, weight_format::int4);
    b8.run(x.data(), q8.data());
    b4.run(x.data(), q4.data());
    EXPECT_LT(rel_l2(q8, ref), 0.02) << tokens;
    EXPECT_LT(rel_l2(q4, ref), 0.2) << tokens;
    EXPECT_GT(rel_l2(q4, ref), rel_l2(q8, ref)) << "4 bits lose more than 8";
    EXPECT_LT(b8.weight_bytes() * 3, transformer_block(s, w, weight_format::f32).weight_bytes());
  }
}

// Every new op's registered pair, run through the kernel interface at small sizes, agrees.
TEST(ml_ops_registry, registered_pairs_agree_through_the_kernel_interface) {
  struct pair_case {
    const char* base;
    const char* head;
    std::vector<std::pair<const char*, params::value>> values;
    double tol;
  };
  const std::vector<pair_case> cases{
      {"linear.dense",
       "linear.bf16",
       {{"m", std::int64_t{3}}, {"k", std::int64_t{200}}, {"n", std::int64_t{70}}},
       0.05},
      {"linear.dense",
       "linear.int8wo",
       {{"m", std::int64_t{6}}, {"k", std::int64_t{200}}, {"n", std::int64_t{70}}},
       0.1},
      {"linear.dense",
       "linear.int4wo-128",
       {{"m", std::int64_t{1}}, {"k", std::int64_t{256}}, {"n", std::int64_t{64}}},
       0.6},
      {"ln_linear_gelu.unfused",
       "ln_linear_gelu.fused",
       {{"m", std::int64_t{9}}, {"k", std::int64_t{70}}, {"n", std::int64_t{33}}},
       1e-4},
      {"attention.naive",
       "attention.flash",
       {{"heads", std::int64_t{2}}, {"seq_len", std::int64_t{70}}, {"head_dim", std::int64_t{16}}, {"causal", true}},
       1e-4},
      {"kv_decode.recompute",
       "kv_decode.cached",
       {{"tokens", std::int64_t{7}}, {"hidden", std::int64_t{32}}, {"heads", std::int64_t{4}}},
       1e-4},
      {"paged_kv_gather.per_token",
       "paged_kv_gather.per_block",
       {{"seqs", std::int64_t{2}}, {"seq_len", std::int64_t{37}}, {"width", std::int64_t{8}}},
       0.0},
      {"rotary.naive",
       "rotary.cached",
       {{"tokens", std::int64_t{9}}, {"heads", std::int64_t{2}}, {"head_dim", std::int64_t{64}}},
       1e-5},
      {"transformer_block.dense",
       "transformer_block.int8wo",
       {{"tokens", std::int64_t{5}},
        {"hidden", std::int64_t{64}},
        {"heads", std::int64_t{4}},
        {"ffn", std::int64_t{96}}},
       0.1},
  };
  for (const auto& c : cases) {
    std::vector<std::vector<named_tensor>> outs;
    for (const char* name : {c.base, c.head}) {
      const kernel_info* info = registry::global().find(name, device_kind::cpu);
      ASSERT_NE(info, nullptr) << name;
      params given;
      for (const auto& [key, value] : c.values) given.set(key, value);
      const params p = info->with_defaults(given);
      auto k = info->factory();
      k->setup(setup_context{p, dtype::f32, 11, device_kind::cpu});
      k->run();
      k->run();  // idempotent
      outs.push_back(k->outputs());
    }
    ASSERT_EQ(outs[0].size(), outs[1].size());
    for (std::size_t t = 0; t < outs[0].size(); ++t) {
      for (std::size_t i = 0; i < outs[0][t].value.numel(); ++i) {
        ASSERT_NEAR(outs[0][t].value.element(i), outs[1][t].value.element(i), c.tol) << c.base << " vs " << c.head;
      }
    }
  }
}

}  // namespace
}  // namespace isobench::kernels
