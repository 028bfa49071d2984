#pragma once
// Small fakes behind the kernel interface, for orchestration tests that must not depend on the
// real kernels' speed. Each writes a deterministic output derived from its parameters and seed.

#include "isobench/registry.hpp"

namespace isobench::detail::testing {

class fill_kernel : public kernel {
public:
  explicit fill_kernel(float offset = 0.0F) : m_offset(offset) {}
  void setup(const setup_context& ctx) override {
    m_out = tensor(dtype::f32, {ctx.values.get_int("n")});
    m_seed = ctx.seed;
  }
  void run() override {
    auto v = m_out.as<float>();
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>((m_seed + i) % 97) + m_offset;
  }
  [[nodiscard]] std::vector<named_tensor> outputs() const override { return {{"out", m_out}}; }

private:
  float m_offset;
  std::uint64_t m_seed = 0;
  tensor m_out;
};

// A registry with op "fill": fill.ref, fill.same (identical output), fill.off (offset by 1).
inline registry make_fake_registry() {
  registry r;
  auto common = [](kernel_builder& b) { b.int_param("n", "length", std::nullopt, 1).int_param("extra", "unused", 3); };
  r.add("fill", "ref", [] { return std::make_unique<fill_kernel>(); }).with(common);
  r.add("fill", "same", [] { return std::make_unique<fill_kernel>(); }).with(common);
  r.add("fill", "off", [] { return std::make_unique<fill_kernel>(1.0F); }).with(common);
  r.add("other", "only_fp16", [] { return std::make_unique<fill_kernel>(); }).dtypes({dtype::f16}).with(common);
  return r;
}

}  // namespace isobench::detail::testing
