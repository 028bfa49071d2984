// Registration of the fp32 GEMM implementations: gemm.naive, gemm.blocked, gemm.openblas.
#include <string>

#include "cpu/gemm.hpp"
#include "cpu/openblas_api.hpp"
#include "isobench/random.hpp"
#include "isobench/registry.hpp"
#include "op_metadata.hpp"

namespace isobench::kernels {

namespace {

// Shared setup: A (m x k) and B (k x n) uniform in [-1, 1) from the workload seed; C zeroed.
class gemm_base : public kernel {
public:
  void setup(const setup_context& ctx) override {
    m_m = ctx.values.get_int("m");
    m_n = ctx.values.get_int("n");
    m_k = ctx.values.get_int("k");
    m_a = tensor(dtype::f32, {m_m, m_k});
    m_b = tensor(dtype::f32, {m_k, m_n});
    m_c = tensor(dtype::f32, {m_m, m_n});
    gen::fill_uniform(m_a.as<float>(), gen::derive_seed(ctx.seed, "A"));
    gen::fill_uniform(m_b.as<float>(), gen::derive_seed(ctx.seed, "B"));
  }
  [[nodiscard]] std::vector<named_tensor> outputs() const override { return {{"C", m_c}}; }

protected:
  const float* a() const { return m_a.as<float>().data(); }
  const float* b() const { return m_b.as<float>().data(); }
  float* c() { return m_c.as<float>().data(); }
  std::int64_t m_m = 0, m_n = 0, m_k = 0;

private:
  tensor m_a, m_b, m_c;
};

class gemm_naive_kernel final : public gemm_base {
public:
  void run() override { gemm_naive(m_m, m_n, m_k, a(), b(), c()); }
};

class gemm_blocked_kernel final : public gemm_base {
public:
  void setup(const setup_context& ctx) override {
    gemm_base::setup(ctx);
    m_impl = std::make_unique<gemm_blocked>(m_m, m_n, m_k, static_cast<int>(ctx.values.get_int("threads")));
  }
  void run() override { m_impl->run(a(), b(), c()); }
  [[nodiscard]] bool opt_path_hit() const override { return m_impl->packed_path(); }

private:
  std::unique_ptr<gemm_blocked> m_impl;
};

class gemm_openblas_kernel final : public gemm_base {
public:
  void setup(const setup_context& ctx) override {
    gemm_base::setup(ctx);
    set_openblas_threads(static_cast<int>(ctx.values.get_int("threads")));
  }
  void run() override { gemm_openblas(m_m, m_n, m_k, a(), b(), c()); }
  [[nodiscard]] std::string isa() const override { return openblas_isa(); }
};

double gemm_flops(const params& p) {
  return 2.0 * static_cast<double>(p.get_int("m")) * static_cast<double>(p.get_int("n")) *
         static_cast<double>(p.get_int("k"));
}

double gemm_bytes(const params& p) {
  const auto m = static_cast<double>(p.get_int("m"));
  const auto n = static_cast<double>(p.get_int("n"));
  const auto k = static_cast<double>(p.get_int("k"));
  return 4.0 * (m * k + k * n + m * n);
}

}  // namespace

void gemm_common(kernel_builder& b) {
  b.keywords({"matmul", "mm", "sgemm", "gemm", "cublas", "cutlass", "scaled_mm"});
  b.category(category::kernel)
      .dtypes({dtype::f32})
      .int_param("m", "rows of A and C", std::nullopt, 0)
      .int_param("n", "columns of B and C", std::nullopt, 0)
      .int_param("k", "columns of A, rows of B", std::nullopt, 0)
      .flops(gemm_flops)
      .bytes(gemm_bytes);
}

ISOBENCH_REGISTER_KERNEL("gemm", "naive", gemm_naive_kernel)
    .sources({"kernels/cpu/gemm_kernels.cpp", "kernels/cpu/gemm.cpp"})
    .description("fp32 C = A B, textbook i-j-k triple loop")
    .with(gemm_common);

ISOBENCH_REGISTER_KERNEL("gemm", "blocked", gemm_blocked_kernel)
    .sources({"kernels/cpu/gemm_kernels.cpp", "kernels/cpu/gemm_blocked.cpp", "kernels/cpu/gemm.hpp"})
    .description("fp32 C = A B, packed cache blocking with a vector register-tile micro-kernel")
    .with(gemm_common)
    .int_param("threads", "worker threads", 1, 1);

ISOBENCH_REGISTER_KERNEL("gemm", "openblas", gemm_openblas_kernel)
    .sources({"kernels/cpu/gemm_kernels.cpp", "kernels/cpu/gemm.cpp", "kernels/cpu/openblas_api.*"})
    .description("fp32 C = A B, OpenBLAS cblas_sgemm")
    .with(gemm_common)
    .int_param("threads", "OpenBLAS threads", 1, 1);

}  // namespace isobench::kernels
