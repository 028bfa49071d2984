// spin.loop: a calibration kernel whose cost is set by a parameter, so tests and the harness's
// self-checks can inject known durations and known slowdowns (iterations x 1.05 is a 5% slower
// "commit"). The work is a dependent integer chain: it cannot be vectorised or elided, and it
// feels the machine's real noise (frequency, interrupts, the other core) like real code does.
#include <chrono>
#include <cmath>

#include "isobench/error.hpp"
#include "isobench/registry.hpp"

namespace isobench::kernels {

namespace {

// Not inlined, so spin.loop and spin.scaled execute the very same machine code at the same address:
// an A/A comparison between them differs in nothing but the iteration count.
[[gnu::noinline]] std::uint64_t spin_chain(std::uint64_t x, std::int64_t iterations) {
  for (std::int64_t i = 0; i < iterations; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;  // PCG's LCG step: 1 mul + 1 add
    asm volatile("" : "+r"(x));                               // keep every step
  }
  return x;
}

class spin_kernel : public kernel {
public:
  explicit spin_kernel(bool scaled = false) : m_scaled(scaled) {}
  void setup(const setup_context& ctx) override {
    m_iterations = ctx.values.get_int("iterations");
    const double duration_us = ctx.values.get_double("duration_us");
    if (m_iterations > 0 && duration_us > 0.0) {
      throw config_error("give either 'iterations' or 'duration_us', not both");
    }
    if (m_iterations == 0 && duration_us > 0.0) m_iterations = calibrate(duration_us);
    if (m_scaled) {
      m_extra = std::llround(static_cast<double>(m_iterations) * ctx.values.get_double("scale")) - m_iterations;
      if (m_extra < 0) throw config_error("'scale' below 1 would do less work than the result needs");
    }
    m_seed = ctx.seed;
    m_out = tensor(dtype::i64, {1});
  }
  // spin.scaled computes the same result and then wastes `m_extra` more steps: a slower
  // implementation whose outputs stay equivalent, as an injected regression must.
  void run() override {
    m_result = spin_chain(m_seed, m_iterations);
    if (m_scaled) m_waste = spin_chain(m_result, m_extra);
  }
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

  bool m_scaled;
  std::int64_t m_iterations = 0;
  std::int64_t m_extra = 0;
  std::uint64_t m_waste = 0;
  std::uint64_t m_seed = 0;
  std::uint64_t m_result = 0;
  tensor m_out;
};

class spin_scaled_kernel final : public spin_kernel {
public:
  spin_scaled_kernel() : spin_kernel(true) {}
};

void spin_common(kernel_builder& b) {
  b.category(category::algorithm)
      .dtypes({dtype::f32, dtype::i64})  // the chain is integer work whatever the spec says
      .int_param("iterations", "chain length (0: use duration_us)", 0, 0)
      .number_param("duration_us", "target duration, calibrated once at setup", 0.0);
}

}  // namespace

ISOBENCH_REGISTER_KERNEL("spin", "loop", spin_kernel)
    .sources({"kernels/cpu/spin.cpp"})
    .description("calibration: a dependent integer chain of `iterations` steps (or ~duration_us)")
    .with(spin_common);

// The same chain plus (scale - 1) x iterations of wasted steps: scale 1.05 is a known 5% slowdown
// with the same output, scale 1 an A/A pair with spin.loop. The self-check injects effects with it.
ISOBENCH_REGISTER_KERNEL("spin", "scaled", spin_scaled_kernel)
    .sources({"kernels/cpu/spin.cpp"})
    .description("calibration: spin.loop with iterations x scale (injects a known slowdown)")
    .with(spin_common)
    .number_param("scale", "multiplier of the work (>= 1); the output does not change", 1.0);

}  // namespace isobench::kernels
