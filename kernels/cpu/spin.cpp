// spin.loop: a calibration kernel whose cost is set by a parameter, so tests and the harness's
// self-checks can inject known durations and known slowdowns (iterations x 1.05 is a 5% slower
// "commit"). The work is a dependent integer chain: it cannot be vectorised or elided, and it
// feels the machine's real noise (frequency, interrupts, the other core) like real code does.
#include <chrono>

#include "isobench/error.hpp"
#include "isobench/registry.hpp"

namespace isobench::kernels {

namespace {

std::uint64_t spin_chain(std::uint64_t x, std::int64_t iterations) {
  for (std::int64_t i = 0; i < iterations; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;  // PCG's LCG step: 1 mul + 1 add
    asm volatile("" : "+r"(x));                               // keep every step
  }
  return x;
}

class spin_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    m_iterations = ctx.values.get_int("iterations");
    const double duration_us = ctx.values.get_double("duration_us");
    if (m_iterations > 0 && duration_us > 0.0) {
      throw config_error("give either 'iterations' or 'duration_us', not both");
    }
    if (m_iterations == 0 && duration_us > 0.0) m_iterations = calibrate(duration_us);
    m_seed = ctx.seed;
    m_out = tensor(dtype::i64, {1});
  }
  void run() override { m_result = spin_chain(m_seed, m_iterations); }
  [[nodiscard]] std::vector<named_tensor> outputs() const override {
    tensor out = m_out;
    out.as<std::int64_t>()[0] = static_cast<std::int64_t>(m_result);
    return {{"state", out}};
  }

private:
  // Iterations for `duration_us` on this machine now: time a fixed chain, scale linearly.
  static std::int64_t calibrate(double duration_us) {
    constexpr std::int64_t probe = 1 << 20;
    double best_s = 1e9;
    for (int i = 0; i < 5; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      volatile std::uint64_t sink = spin_chain(static_cast<std::uint64_t>(i), probe);
      (void)sink;
      best_s = std::min(best_s, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(duration_us * 1e-6 / best_s * probe));
  }

  std::int64_t m_iterations = 0;
  std::uint64_t m_seed = 0;
  std::uint64_t m_result = 0;
  tensor m_out;
};

}  // namespace

ISOBENCH_REGISTER_KERNEL("spin", "loop", spin_kernel)
    .description("calibration: a dependent integer chain of `iterations` steps (or ~duration_us)")
    .category(category::algorithm)
    .dtypes({dtype::f32, dtype::i64})  // the chain is integer work whatever the spec says
    .int_param("iterations", "chain length (0: use duration_us)", 0, 0)
    .number_param("duration_us", "target duration, calibrated once at setup", 0.0);

}  // namespace isobench::kernels
