// Registration of transformer_block.{dense,int8wo,int4wo-128}.
#include <cmath>

#include "cpu/transformer_block.hpp"
#include "isobench/error.hpp"
#include "isobench/random.hpp"
#include "isobench/registry.hpp"

namespace isobench::kernels {

namespace {

template <weight_format Format>
class block_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    const block_shape s{ctx.values.get_int("tokens"), ctx.values.get_int("hidden"), ctx.values.get_int("heads"),
                        ctx.values.get_int("ffn")};
    if (s.hidden % s.heads != 0 || s.head_dim() % 2 != 0) {
      throw config_error("hidden / heads must be a whole, even head dimension");
    }
    // Every buffer the block allocates, overflow-checked before the first is.
    checked_count({3, s.hidden, s.hidden}, sizeof(float), "transformer_block QKV weight");
    checked_count({2, s.hidden, s.ffn}, sizeof(float), "transformer_block gate/up weight");
    checked_count({3, s.tokens, s.hidden}, sizeof(float), "transformer_block QKV activations");
    checked_count({2, s.tokens, s.ffn}, sizeof(float), "transformer_block gate/up activations");
    const auto weights = block_weights::random(s, gen::derive_seed(ctx.seed, "weights"));
    const int threads = static_cast<int>(ctx.values.get_int("threads"));
    m_x = tensor(dtype::f32, {s.tokens, s.hidden});
    m_y = tensor(dtype::f32, {s.tokens, s.hidden});
    gen::fill_normal(m_x.as<float>(), gen::derive_seed(ctx.seed, "x"));
    m_block = std::make_unique<transformer_block>(s, weights, Format, threads);
    if constexpr (Format != weight_format::f32) {
      transformer_block dense(s, weights, weight_format::f32, threads);
      m_dense_y.resize(m_y.numel());
      dense.run(m_x.as<float>().data(), m_dense_y.data());
    }
  }
  void run() override { m_block->run(m_x.as<float>().data(), m_y.as<float>().data()); }
  [[nodiscard]] std::vector<named_tensor> outputs() const override { return {{"y", m_y}}; }
  [[nodiscard]] std::vector<counter> counters() const override {
    std::vector<counter> out{{"weight_bytes", static_cast<double>(m_block->weight_bytes())}};
    if (!m_dense_y.empty()) out.push_back({"quant_rel_err", quantization_error(m_y.as<float>(), m_dense_y).rel_l2});
    return out;
  }

private:
  tensor m_x, m_y;
  std::unique_ptr<transformer_block> m_block;
  scratch_vector<float> m_dense_y;
};

double block_flops(const params& p) {
  const auto t = static_cast<double>(p.get_int("tokens"));
  const auto d = static_cast<double>(p.get_int("hidden"));
  const auto f = static_cast<double>(p.get_int("ffn"));
  const double projections = 2.0 * t * (3.0 * d * d + d * d + 2.0 * d * f + f * d);
  const double attention = 2.0 * d * t * t;  // causal: half of 4 x t^2 x d
  return projections + attention;
}

// Bytes a call must move at least: the four projections' weights as stored, x in and y out.
template <weight_format Format>
double block_bytes(const params& p) {
  const auto t = static_cast<double>(p.get_int("tokens"));
  const auto d = static_cast<double>(p.get_int("hidden"));
  const auto f = static_cast<double>(p.get_int("ffn"));
  const double weights = 4.0 * d * d + 3.0 * d * f;  // wqkv 3d^2, wo d^2, gate/up 2df, down fd
  double per_weight = 4.0;
  if (Format == weight_format::int8) per_weight = 1.0;
  if (Format == weight_format::int4) per_weight = 0.5 + 8.0 / 128.0;  // nibbles + scale/zero per 128
  return per_weight * weights + 8.0 * t * d;
}

template <weight_format Format>
void block_common(kernel_builder& b) {
  b.keywords({"transformer_block", "decoder_layer", "decoder layer", "llamalayer"});
  b.bytes(block_bytes<Format>);
  b.category(category::kernel)
      .dtypes({dtype::f32})
      .int_param("tokens", "tokens in the sequence (prefill)", std::nullopt, 1)
      .int_param("hidden", "model width", std::nullopt, 2)
      .int_param("heads", "attention heads", std::nullopt, 1)
      .int_param("ffn", "MLP width", std::nullopt, 1)
      .int_param("threads", "worker threads (batched projections)", 1, 1)
      .flops(block_flops);
}

}  // namespace

ISOBENCH_REGISTER_KERNEL("transformer_block", "dense", block_kernel<weight_format::f32>)
    .sources({"kernels/cpu/transformer_block_kernels.cpp", "kernels/cpu/transformer_block.*", "kernels/cpu/linear.*",
              "kernels/cpu/attention.*", "kernels/cpu/rotary.*"})
    .description("llama-style block, fp32 projection weights")
    .with(block_common<weight_format::f32>);
ISOBENCH_REGISTER_KERNEL("transformer_block", "int8wo", block_kernel<weight_format::int8>)
    .sources({"kernels/cpu/transformer_block_kernels.cpp", "kernels/cpu/transformer_block.*", "kernels/cpu/linear.*",
              "kernels/cpu/attention.*", "kernels/cpu/rotary.*"})
    .description("llama-style block, int8 weight-only projections")
    .with(block_common<weight_format::int8>);
ISOBENCH_REGISTER_KERNEL("transformer_block", "int4wo-128", block_kernel<weight_format::int4>)
    .sources({"kernels/cpu/transformer_block_kernels.cpp", "kernels/cpu/transformer_block.*", "kernels/cpu/linear.*",
              "kernels/cpu/attention.*", "kernels/cpu/rotary.*"})
    .description("llama-style block, int4 weight-only projections (groups of 128)")
    .with(block_common<weight_format::int4>);

}  // namespace isobench::kernels
