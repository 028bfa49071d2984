// Registration of row softmax: softmax.three_pass and softmax.online.
#include "cpu/softmax.hpp"
#include "isobench/random.hpp"
#include "isobench/registry.hpp"
#include "op_metadata.hpp"

namespace isobench::kernels {

namespace {

using softmax_fn = void (*)(std::int64_t, std::int64_t, const float*, float*);

// Inputs are normal with a configurable scale: large scales make the max matter (and expose
// overflow in a softmax that forgets to subtract it).
template <softmax_fn Fn>
class softmax_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    m_rows = ctx.values.get_int("rows");
    m_cols = ctx.values.get_int("cols");
    m_in = tensor(dtype::f32, {m_rows, m_cols});
    m_out = tensor(dtype::f32, {m_rows, m_cols});
    gen::fill_normal(m_in.as<float>(), gen::derive_seed(ctx.seed, "x"), 0.0F,
                     static_cast<float>(ctx.values.get_double("scale")));
  }
  void run() override { Fn(m_rows, m_cols, m_in.as<float>().data(), m_out.as<float>().data()); }
  [[nodiscard]] std::vector<named_tensor> outputs() const override { return {{"y", m_out}}; }

private:
  std::int64_t m_rows = 0, m_cols = 0;
  tensor m_in, m_out;
};

}  // namespace

void softmax_common(kernel_builder& b) {
  b.keywords({"softmax", "log_softmax", "online_softmax"});
  b.category(category::algorithm)
      .dtypes({dtype::f32})
      .int_param("rows", "independent rows", std::nullopt, 0)
      .int_param("cols", "row length", std::nullopt, 1)
      .number_param("scale", "standard deviation of the inputs", 1.0)
      .bytes([](const params& p) {
        return 8.0 * static_cast<double>(p.get_int("rows")) * static_cast<double>(p.get_int("cols"));
      });
}

ISOBENCH_REGISTER_KERNEL("softmax", "three_pass", softmax_kernel<softmax_three_pass>)
    .sources({"kernels/cpu/softmax_kernels.cpp", "kernels/cpu/softmax.*"})
    .description("row softmax: max, exp+sum, scale (three passes over the row)")
    .with(softmax_common);

ISOBENCH_REGISTER_KERNEL("softmax", "online", softmax_kernel<softmax_online>)
    .sources({"kernels/cpu/softmax_kernels.cpp", "kernels/cpu/softmax.*"})
    .description("row softmax: online max+normaliser in one pass, then one output pass")
    .with(softmax_common);

}  // namespace isobench::kernels
