// Registration of rmsnorm.{naive,fused}, silu_and_mul.{naive,fused}, topk.{sort,partial}.
#include "cpu/elementwise.hpp"
#include "isobench/random.hpp"
#include "isobench/registry.hpp"
#include "op_metadata.hpp"

namespace isobench::kernels {

namespace {

template <bool Variant>  // fused when true
class rmsnorm_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    m_rows = ctx.values.get_int("rows");
    m_dim = ctx.values.get_int("dim");
    m_eps = static_cast<float>(ctx.values.get_double("eps"));
    m_x = tensor(dtype::f32, {m_rows, m_dim});
    m_w = tensor(dtype::f32, {m_dim});
    m_y = tensor(dtype::f32, {m_rows, m_dim});
    gen::fill_normal(m_x.as<float>(), gen::derive_seed(ctx.seed, "x"));
    gen::fill_uniform(m_w.as<float>(), gen::derive_seed(ctx.seed, "w"), 0.5F, 1.5F);
  }
  void run() override {
    const auto f = Variant ? rmsnorm_fused : rmsnorm_naive;
    f(m_rows, m_dim, m_x.as<float>().data(), m_w.as<float>().data(), m_eps, m_y.as<float>().data());
  }
  [[nodiscard]] std::vector<named_tensor> outputs() const override { return {{"y", m_y}}; }

private:
  std::int64_t m_rows = 0, m_dim = 0;
  float m_eps = 0.0F;
  tensor m_x, m_w, m_y;
};

template <bool Variant>  // fused when true
class silu_and_mul_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    m_tokens = ctx.values.get_int("tokens");
    m_d = ctx.values.get_int("d");
    m_x = tensor(dtype::f32, {m_tokens, 2 * m_d});
    m_out = tensor(dtype::f32, {m_tokens, m_d});
    if constexpr (!Variant) m_tmp = tensor(dtype::f32, {m_tokens, m_d});
    gen::fill_normal(m_x.as<float>(), gen::derive_seed(ctx.seed, "x"));
  }
  void run() override {
    if constexpr (Variant) {
      silu_and_mul_fused(m_tokens, m_d, m_x.as<float>().data(), m_out.as<float>().data());
    } else {
      silu_and_mul_naive(m_tokens, m_d, m_x.as<float>().data(), m_tmp.as<float>().data(), m_out.as<float>().data());
    }
  }
  [[nodiscard]] std::vector<named_tensor> outputs() const override { return {{"out", m_out}}; }

private:
  std::int64_t m_tokens = 0, m_d = 0;
  tensor m_x, m_tmp, m_out;
};

template <bool Variant>  // partial selection when true
class topk_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    m_rows = ctx.values.get_int("rows");
    m_vocab = ctx.values.get_int("vocab");
    m_k = std::min(ctx.values.get_int("k"), m_vocab);
    m_logits = tensor(dtype::f32, {m_rows, m_vocab});
    m_index = tensor(dtype::i64, {m_rows, m_k});
    m_value = tensor(dtype::f32, {m_rows, m_k});
    gen::fill_normal(m_logits.as<float>(), gen::derive_seed(ctx.seed, "logits"), 0.0F, 3.0F);
  }
  void run() override {
    const auto f = Variant ? topk_partial : topk_sort;
    f(m_rows, m_vocab, m_k, m_logits.as<float>().data(), m_index.as<std::int64_t>().data(), m_value.as<float>().data());
  }
  [[nodiscard]] std::vector<named_tensor> outputs() const override { return {{"index", m_index}, {"value", m_value}}; }

private:
  std::int64_t m_rows = 0, m_vocab = 0, m_k = 0;
  tensor m_logits, m_index, m_value;
};

using rmsnorm_naive_kernel = rmsnorm_kernel<false>;
using rmsnorm_fused_kernel = rmsnorm_kernel<true>;
using silu_naive_kernel = silu_and_mul_kernel<false>;
using silu_fused_kernel = silu_and_mul_kernel<true>;
using topk_sort_kernel = topk_kernel<false>;
using topk_partial_kernel = topk_kernel<true>;

}  // namespace

// Shared with the CUDA implementations (op_metadata.hpp).
static double rows_dim(const params& p) {
  return static_cast<double>(p.get_int("rows")) * static_cast<double>(p.get_int("dim"));
}

void rmsnorm_common(kernel_builder& b) {
  b.keywords({"rms_norm", "rmsnorm", "fused_add_rms_norm", "rms"});
  b.category(category::kernel)
      .dtypes({dtype::f32})
      .int_param("rows", "tokens", std::nullopt, 0)
      .int_param("dim", "hidden size", std::nullopt, 1)
      .number_param("eps", "added to the mean square", 1e-6)
      .flops([](const params& p) { return 4.0 * rows_dim(p); })
      .bytes([](const params& p) { return 4.0 * (2.0 * rows_dim(p) + static_cast<double>(p.get_int("dim"))); });
}

void silu_common(kernel_builder& b) {
  b.keywords({"silu_and_mul", "act_and_mul", "swiglu", "silu", "gelu_and_mul"});
  b.category(category::kernel)
      .dtypes({dtype::f32})
      .int_param("tokens", "rows of the input", std::nullopt, 0)
      .int_param("d", "output width (the input is 2d wide)", std::nullopt, 1)
      .bytes([](const params& p) {
        return 12.0 * static_cast<double>(p.get_int("tokens")) * static_cast<double>(p.get_int("d"));
      });
}

namespace {

void topk_common(kernel_builder& b) {
  b.keywords({"topk", "top_k", "top-k", "sampler", "sampling", "top_p"});
  b.category(category::algorithm)
      .dtypes({dtype::f32})
      .int_param("rows", "sequences sampled at once", std::nullopt, 0)
      .int_param("vocab", "vocabulary size", std::nullopt, 1)
      .int_param("k", "candidates kept", std::nullopt, 1)
      .bytes([](const params& p) {
        return 4.0 * static_cast<double>(p.get_int("rows")) * static_cast<double>(p.get_int("vocab"));
      });
}

}  // namespace

ISOBENCH_REGISTER_KERNEL("rmsnorm", "naive", rmsnorm_naive_kernel)
    .sources({"kernels/cpu/elementwise_kernels.cpp", "kernels/cpu/elementwise.*"})
    .description("RMSNorm: one serial reduction, a division per element")
    .with(rmsnorm_common);
ISOBENCH_REGISTER_KERNEL("rmsnorm", "fused", rmsnorm_fused_kernel)
    .sources({"kernels/cpu/elementwise_kernels.cpp", "kernels/cpu/elementwise.*"})
    .description("RMSNorm: vectorisable reduction, one multiply pass by 1/rms")
    .with(rmsnorm_common);
ISOBENCH_REGISTER_KERNEL("silu_and_mul", "naive", silu_naive_kernel)
    .sources({"kernels/cpu/elementwise_kernels.cpp", "kernels/cpu/elementwise.*"})
    .description("SiLU(gate) into a temporary, then times up: two passes")
    .with(silu_common);
ISOBENCH_REGISTER_KERNEL("silu_and_mul", "fused", silu_fused_kernel)
    .sources({"kernels/cpu/elementwise_kernels.cpp", "kernels/cpu/elementwise.*"})
    .description("SiLU(gate) * up in one pass")
    .with(silu_common);
ISOBENCH_REGISTER_KERNEL("topk", "sort", topk_sort_kernel)
    .sources({"kernels/cpu/elementwise_kernels.cpp", "kernels/cpu/elementwise.*"})
    .description("top-k by sorting the whole row")
    .with(topk_common);
ISOBENCH_REGISTER_KERNEL("topk", "partial", topk_partial_kernel)
    .sources({"kernels/cpu/elementwise_kernels.cpp", "kernels/cpu/elementwise.*"})
    .description("top-k by nth_element, then sorting only k")
    .with(topk_common);

}  // namespace isobench::kernels
