// Registration of attention.{naive,flash} and kv_decode.{recompute,cached}.
#include <cmath>

#include "cpu/attention.hpp"
#include "isobench/error.hpp"
#include "isobench/random.hpp"
#include "isobench/registry.hpp"

namespace isobench::kernels {

namespace {

template <class Impl>
class attention_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    m_shape = attention_shape{ctx.values.get_int("heads"), ctx.values.get_int("seq_len"),
                              ctx.values.get_int("head_dim"), ctx.values.get_bool("causal")};
    const std::vector<std::int64_t> dims{m_shape.heads, m_shape.seq_len, m_shape.head_dim};
    for (auto* t : {&m_q, &m_k, &m_v, &m_o}) *t = tensor(dtype::f32, dims);
    gen::fill_normal(m_q.as<float>(), gen::derive_seed(ctx.seed, "q"));
    gen::fill_normal(m_k.as<float>(), gen::derive_seed(ctx.seed, "k"));
    gen::fill_normal(m_v.as<float>(), gen::derive_seed(ctx.seed, "v"));
    m_impl = std::make_unique<Impl>(m_shape);
  }
  void run() override {
    m_impl->run(m_q.as<float>().data(), m_k.as<float>().data(), m_v.as<float>().data(), m_o.as<float>().data());
  }
  [[nodiscard]] std::vector<named_tensor> outputs() const override { return {{"o", m_o}}; }

private:
  attention_shape m_shape;
  tensor m_q, m_k, m_v, m_o;
  std::unique_ptr<Impl> m_impl;
};

// Q K^T and P V: 2 x 2 x heads x seq^2 x head_dim, halved when causal (the useful work).
double attention_flops(const params& p) {
  const auto t = static_cast<double>(p.get_int("seq_len"));
  const double full =
      4.0 * static_cast<double>(p.get_int("heads")) * t * t * static_cast<double>(p.get_int("head_dim"));
  return p.get_bool("causal") ? full / 2.0 : full;
}

void attention_common(kernel_builder& b) {
  b.keywords({"attention", "flash_attn", "flash attention", "sdpa", "scaled_dot_product", "attn"});
  b.category(category::algorithm)
      .dtypes({dtype::f32})
      .int_param("heads", "batch x heads", std::nullopt, 1)
      .int_param("seq_len", "query and key length", std::nullopt, 0)
      .int_param("head_dim", "head dimension", std::nullopt, 1)
      .bool_param("causal", "mask keys after the query", false)
      .flops(attention_flops)
      .bytes([](const params& p) {  // Q, K, V read and O written once
        return 16.0 * static_cast<double>(p.get_int("heads") * p.get_int("seq_len") * p.get_int("head_dim"));
      });
}

template <bool Cached>
class kv_decode_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    const decode_shape s{ctx.values.get_int("tokens"), ctx.values.get_int("hidden"), ctx.values.get_int("heads")};
    if (s.hidden % s.heads != 0) throw config_error(fmt_error(s));
    const std::int64_t h = s.hidden;
    std::vector<float> wq(checked_count({h, h}, sizeof(float), "kv_decode projection weights")), wk(wq.size()),
        wv(wq.size());
    const float sd = 1.0F / std::sqrt(static_cast<float>(h));
    gen::fill_normal(wq, gen::derive_seed(ctx.seed, "wq"), 0.0F, sd);
    gen::fill_normal(wk, gen::derive_seed(ctx.seed, "wk"), 0.0F, sd);
    gen::fill_normal(wv, gen::derive_seed(ctx.seed, "wv"), 0.0F, sd);
    m_x = tensor(dtype::f32, {s.tokens, h});
    m_out = tensor(dtype::f32, {s.tokens, h});
    gen::fill_normal(m_x.as<float>(), gen::derive_seed(ctx.seed, "x"));
    m_impl = std::make_unique<kv_decode>(s, wq.data(), wk.data(), wv.data());
  }
  void run() override {
    if constexpr (Cached) {
      m_impl->run_cached(m_x.as<float>().data(), m_out.as<float>().data());
    } else {
      m_impl->run_recompute(m_x.as<float>().data(), m_out.as<float>().data());
    }
  }
  [[nodiscard]] std::vector<named_tensor> outputs() const override { return {{"out", m_out}}; }

private:
  static std::string fmt_error(const decode_shape& s) {
    return "hidden (" + std::to_string(s.hidden) + ") must be a multiple of heads (" + std::to_string(s.heads) + ")";
  }
  tensor m_x, m_out;
  std::unique_ptr<kv_decode> m_impl;
};

// FLOPs of the useful (cached) computation: 3 projections of one token per step plus attention.
double kv_decode_flops(const params& p) {
  const auto t = static_cast<double>(p.get_int("tokens"));
  const auto h = static_cast<double>(p.get_int("hidden"));
  return 3.0 * 2.0 * t * h * h + 4.0 * h * t * (t + 1.0) / 2.0;
}

void kv_decode_common(kernel_builder& b) {
  b.keywords({"kv cache", "kv_cache", "kvcache", "incremental decoding"});
  b.category(category::algorithm)
      .dtypes({dtype::f32})
      .int_param("tokens", "tokens generated (T)", std::nullopt, 0)
      .int_param("hidden", "model width", std::nullopt, 1)
      .int_param("heads", "attention heads (hidden / heads = head_dim)", std::nullopt, 1)
      .flops(kv_decode_flops)
      .bytes([](const params& p) {  // the three projection weights once, x in and the outputs out
        const auto t = static_cast<double>(p.get_int("tokens"));
        const auto h = static_cast<double>(p.get_int("hidden"));
        return 4.0 * (3.0 * h * h + 2.0 * t * h);
      });
}

}  // namespace

ISOBENCH_REGISTER_KERNEL("attention", "naive", attention_kernel<attention_naive>)
    .sources({"kernels/cpu/attention_kernels.cpp", "kernels/cpu/attention.*"})
    .description("materialised seq x seq scores (masked after the fact when causal), softmax, P V")
    .with(attention_common);
ISOBENCH_REGISTER_KERNEL("attention", "flash", attention_kernel<attention_flash>)
    .sources({"kernels/cpu/attention_kernels.cpp", "kernels/cpu/attention.*"})
    .description("tiled online softmax (32 x 64 tiles), causal blocks above the diagonal skipped")
    .with(attention_common);
ISOBENCH_REGISTER_KERNEL("kv_decode", "recompute", kv_decode_kernel<false>)
    .sources({"kernels/cpu/attention_kernels.cpp", "kernels/cpu/attention.*"})
    .description("no KV cache: every step re-projects K and V for the whole prefix, O(T^2)")
    .with(kv_decode_common);
ISOBENCH_REGISTER_KERNEL("kv_decode", "cached", kv_decode_kernel<true>)
    .sources({"kernels/cpu/attention_kernels.cpp", "kernels/cpu/attention.*"})
    .description("KV cache: every step projects the new token and appends, O(T)")
    .with(kv_decode_common);

}  // namespace isobench::kernels
