// A kernel from outside isobench's tree, using only the installed public headers.
#include <cstddef>
#include <vector>

#include "isobench/random.hpp"
#include "isobench/registry.hpp"

namespace {

template <bool Fused>
class axpy final : public isobench::kernel {
public:
  void setup(const isobench::setup_context& ctx) override {
    const auto n = ctx.values.get_int("n");
    m_x = isobench::tensor(isobench::dtype::f32, {n});
    m_y = isobench::tensor(isobench::dtype::f32, {n});
    m_tmp.resize(isobench::checked_count({n}, sizeof(float), "axpy temporary"));
    isobench::gen::fill_uniform(m_x.as<float>(), isobench::gen::derive_seed(ctx.seed, "x"), -1.0F, 1.0F);
  }
  void run() override {
    auto x = m_x.as<float>();
    auto y = m_y.as<float>();
    if constexpr (Fused) {
      for (std::size_t i = 0; i < x.size(); ++i) y[i] = 2.0F * x[i] + 1.0F;
    } else {  // two passes through a temporary
      for (std::size_t i = 0; i < x.size(); ++i) m_tmp[i] = 2.0F * x[i];
      for (std::size_t i = 0; i < x.size(); ++i) y[i] = m_tmp[i] + 1.0F;
    }
  }
  [[nodiscard]] std::vector<isobench::named_tensor> outputs() const override { return {{"y", m_y}}; }

private:
  isobench::tensor m_x, m_y;
  std::vector<float> m_tmp;
};

void axpy_common(isobench::kernel_builder& b) {
  b.category(isobench::category::memory)
      .dtypes({isobench::dtype::f32})
      .int_param("n", "vector length", std::nullopt, 1)
      .bytes([](const isobench::params& p) { return 8.0 * static_cast<double>(p.get_int("n")); });
}

}  // namespace

ISOBENCH_REGISTER_KERNEL("axpy", "two_pass", axpy<false>)
    .description("y = 2x + 1 through a temporary")
    .sources({"axpy.cpp"})
    .with(axpy_common);

ISOBENCH_REGISTER_KERNEL("axpy", "fused", axpy<true>)
    .description("y = 2x + 1 in one pass")
    .sources({"axpy.cpp"})
    .keywords({"saxpy", "scale_add"})
    .with(axpy_common);
