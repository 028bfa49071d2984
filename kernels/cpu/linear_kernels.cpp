// Registration of linear.{dense,bf16,int8wo,int4wo-128} and ln_linear_<act>.{unfused,fused}.
#include <cmath>

#include "cpu/linear.hpp"
#include "cpu/ln_linear.hpp"
#include "isobench/random.hpp"
#include "isobench/registry.hpp"
#include "op_metadata.hpp"

namespace isobench::kernels {

namespace {

// Weights ~ N(0, 1/k) so outputs are O(1) whatever k is; the dense fp32 result computed in setup is
// what the quantization error is measured against.
template <weight_format Format>
class linear_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    m_m = ctx.values.get_int("m");
    const std::int64_t k = ctx.values.get_int("k");
    const std::int64_t n = ctx.values.get_int("n");
    // Not value-initialised: the fill writes every element (a zeroing pass over a large weight
    // would cost as much as a quarter of the setup).
    const std::size_t count = checked_count({k, n}, sizeof(float), "linear weight");
    const std::unique_ptr<float[]> w_data(new float[count]);
    const std::span<float> w(w_data.get(), count);
    gen::fill_normal(w, gen::derive_seed(ctx.seed, "w"), 0.0F, k > 0 ? 1.0F / std::sqrt(static_cast<float>(k)) : 1.0F);
    m_x = tensor(dtype::f32, {m_m, k});
    m_y = tensor(dtype::f32, {m_m, n});
    gen::fill_normal(m_x.as<float>(), gen::derive_seed(ctx.seed, "x"));
    m_weight = std::make_unique<linear_weight>(Format, k, n, w.data(), 128);
    m_op = std::make_unique<linear_op>(m_m, *m_weight, static_cast<int>(ctx.values.get_int("threads")));
    if constexpr (Format != weight_format::f32) {
      const linear_weight dense(weight_format::f32, k, n, w.data());
      linear_op op(m_m, dense, static_cast<int>(ctx.values.get_int("threads")));
      m_dense_y.resize(m_y.numel());
      op.run(m_x.as<float>().data(), nullptr, m_dense_y.data());
    }
  }
  void run() override { m_op->run(m_x.as<float>().data(), nullptr, m_y.as<float>().data()); }
  [[nodiscard]] std::vector<named_tensor> outputs() const override { return {{"y", m_y}}; }
  [[nodiscard]] std::vector<counter> counters() const override {
    std::vector<counter> out{{"weight_bytes", static_cast<double>(m_weight->storage_bytes())}};
    if (!m_dense_y.empty()) {  // accuracy against the fp32 layer
      const auto e = quantization_error(m_y.as<float>(), m_dense_y);
      out.push_back({"quant_rel_err", e.rel_l2});
      out.push_back({"quant_max_abs_err", e.max_abs});
    }
    return out;
  }

private:
  std::int64_t m_m = 0;
  tensor m_x, m_y;
  std::unique_ptr<linear_weight> m_weight;
  std::unique_ptr<linear_op> m_op;
  scratch_vector<float> m_dense_y;
};

double mkn(const params& p) {
  return static_cast<double>(p.get_int("m")) * static_cast<double>(p.get_int("k")) *
         static_cast<double>(p.get_int("n"));
}

}  // namespace

void linear_common(kernel_builder& b, weight_format format) {
  b.keywords({"linear", "gemv", "weight_only", "weight-only", "woq", "w8a16", "w4a16", "int8wo", "int4wo", "dequant",
              "marlin", "gptq", "awq"});
  b.category(category::kernel)
      .dtypes({dtype::f32})
      .int_param("m", "tokens (rows of x)", std::nullopt, 0)
      .int_param("k", "in_features", std::nullopt, 1)
      .int_param("n", "out_features", std::nullopt, 1)
      .int_param("threads", "worker threads (batched path)", 1, 1)
      .flops([](const params& p) { return 2.0 * mkn(p); })
      .bytes([format](const params& p) {  // x and y in fp32 once, plus the weight as stored
        const auto m = static_cast<double>(p.get_int("m"));
        const auto k = static_cast<double>(p.get_int("k"));
        const auto n = static_cast<double>(p.get_int("n"));
        double weight = 4.0 * k * n;
        if (format == weight_format::bf16) weight = 2.0 * k * n;
        if (format == weight_format::int8) weight = k * n + 4.0 * n;
        if (format == weight_format::int4) weight = 0.5 * k * n + 8.0 * std::ceil(k / 128.0) * n;
        return 4.0 * m * (k + n) + weight;
      });
}

namespace {

template <activation Act, bool Fused>
class ln_linear_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    const std::int64_t m = ctx.values.get_int("m");
    const std::int64_t k = ctx.values.get_int("k");
    const std::int64_t n = ctx.values.get_int("n");
    std::vector<float> w(checked_count({k, n}, sizeof(float), "ln_linear weight")), bias(static_cast<std::size_t>(n)),
        gamma(static_cast<std::size_t>(k)), beta(static_cast<std::size_t>(k));
    gen::fill_normal(w, gen::derive_seed(ctx.seed, "w"), 0.0F, 1.0F / std::sqrt(static_cast<float>(k)));
    gen::fill_uniform(bias, gen::derive_seed(ctx.seed, "bias"), -0.5F, 0.5F);
    gen::fill_uniform(gamma, gen::derive_seed(ctx.seed, "gamma"), 0.5F, 1.5F);
    gen::fill_uniform(beta, gen::derive_seed(ctx.seed, "beta"), -0.5F, 0.5F);
    m_x = tensor(dtype::f32, {m, k});
    m_y = tensor(dtype::f32, {m, n});
    gen::fill_normal(m_x.as<float>(), gen::derive_seed(ctx.seed, "x"), 1.0F, 2.0F);  // off-centre, so the norm matters
    m_op = std::make_unique<ln_linear>(m, k, n, Act, w.data(), bias.data(), gamma.data(), beta.data(),
                                       static_cast<float>(ctx.values.get_double("eps")),
                                       static_cast<int>(ctx.values.get_int("threads")));
  }
  void run() override {
    if constexpr (Fused) {
      m_op->run_fused(m_x.as<float>().data(), m_y.as<float>().data());
    } else {
      m_op->run_unfused(m_x.as<float>().data(), m_y.as<float>().data());
    }
  }
  [[nodiscard]] std::vector<named_tensor> outputs() const override { return {{"y", m_y}}; }

private:
  tensor m_x, m_y;
  std::unique_ptr<ln_linear> m_op;
};

template <bool Fused>
void ln_linear_common(kernel_builder& b) {
  b.keywords({"layernorm", "layer_norm", "ln_linear", "fused_layernorm", "norm_linear"});
  b.category(category::kernel)
      .dtypes({dtype::f32})
      .int_param("m", "rows (batch x tokens)", std::nullopt, 0)
      .int_param("k", "in_features (normalised dimension)", std::nullopt, 1)
      .int_param("n", "out_features", std::nullopt, 1)
      .int_param("threads", "worker threads (batched path)", 1, 1)
      .number_param("eps", "LayerNorm epsilon", 1e-5)
      .flops([](const params& p) { return 2.0 * mkn(p); })
      .bytes([](const params& p) {
        // fp32 x, W, y once; unfused also writes and rereads the normalised x and rereads/writes y.
        const auto m = static_cast<double>(p.get_int("m"));
        const auto k = static_cast<double>(p.get_int("k"));
        const auto n = static_cast<double>(p.get_int("n"));
        const double fused = 4.0 * (m * k + k * n + m * n);
        return Fused ? fused : fused + 4.0 * (2.0 * m * k + 2.0 * m * n);
      });
}

}  // namespace

ISOBENCH_REGISTER_KERNEL("linear", "dense", linear_kernel<weight_format::f32>)
    .sources({"kernels/cpu/linear_kernels.cpp", "kernels/cpu/linear.*", "kernels/cpu/gemm_blocked.cpp"})
    .description("y = x W, fp32 weights")
    .with([](kernel_builder& b) { linear_common(b, weight_format::f32); });
ISOBENCH_REGISTER_KERNEL("linear", "bf16", linear_kernel<weight_format::bf16>)
    .sources({"kernels/cpu/linear_kernels.cpp", "kernels/cpu/linear.*", "kernels/cpu/gemm_blocked.cpp"})
    .description("y = x W, bf16 weights widened in registers")
    .with([](kernel_builder& b) { linear_common(b, weight_format::bf16); });
ISOBENCH_REGISTER_KERNEL("linear", "int8wo", linear_kernel<weight_format::int8>)
    .sources({"kernels/cpu/linear_kernels.cpp", "kernels/cpu/linear.*", "kernels/cpu/gemm_blocked.cpp"})
    .description("y = x W, int8 weight-only, per-output-channel scales")
    .with([](kernel_builder& b) { linear_common(b, weight_format::int8); });
ISOBENCH_REGISTER_KERNEL("linear", "int4wo-128", linear_kernel<weight_format::int4>)
    .sources({"kernels/cpu/linear_kernels.cpp", "kernels/cpu/linear.*", "kernels/cpu/gemm_blocked.cpp"})
    .description("y = x W, int4 weight-only, groups of 128 with scale and zero point, two per byte")
    .with([](kernel_builder& b) { linear_common(b, weight_format::int4); });

// One op per activation, as in KernelBench: ln_linear_relu.fused etc.
#define ISOBENCH_LN_LINEAR(act)                                                                                \
  using ln_linear_##act##_unfused = ln_linear_kernel<activation::act, false>;                                  \
  using ln_linear_##act##_fused = ln_linear_kernel<activation::act, true>;                                     \
  ISOBENCH_REGISTER_KERNEL("ln_linear_" #act, "unfused", ln_linear_##act##_unfused)                            \
      .description("LayerNorm, Linear+bias, " #act ": three passes over memory")                               \
      .with(ln_linear_common<false>)                                                                           \
      .sources({"kernels/cpu/linear_kernels.cpp", "kernels/cpu/ln_linear.*", "kernels/cpu/gemm_blocked.cpp"}); \
  ISOBENCH_REGISTER_KERNEL("ln_linear_" #act, "fused", ln_linear_##act##_fused)                                \
      .description("LayerNorm applied while packing x, bias and " #act " applied in the GEMM epilogue")        \
      .with(ln_linear_common<true>)                                                                            \
      .sources({"kernels/cpu/linear_kernels.cpp", "kernels/cpu/ln_linear.*", "kernels/cpu/gemm_blocked.cpp"})

ISOBENCH_LN_LINEAR(sigmoid);
ISOBENCH_LN_LINEAR(relu);
ISOBENCH_LN_LINEAR(leakyrelu);
ISOBENCH_LN_LINEAR(relu6);
ISOBENCH_LN_LINEAR(gelu);
ISOBENCH_LN_LINEAR(silu);
ISOBENCH_LN_LINEAR(hardswish);

}  // namespace isobench::kernels
