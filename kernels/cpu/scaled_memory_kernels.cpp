// Memory-bound kernels with a known injected slowdown, for `isobench selfcheck`'s kernel classes
// beyond spin: scaled.rmsnorm, scaled.silu_and_mul and scaled.softmax run the real fused kernel
// on `rows` x `dim`, then, when scale > 1, a dependent integer chain sized at setup to take
// (scale - 1) x the kernel's own time here. A second call of the kernel on the extra elements
// cannot inject 2% into a 300 ns kernel (its fixed cost alone is ~5%); the chain can, in steps of
// about a nanosecond. Scale 1 runs the same code with a chain of no steps: an A/A pair is the very
// same code.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#else
#include <atomic>
#endif

#include "cpu/elementwise.hpp"
#include "cpu/softmax.hpp"
#include "isobench/error.hpp"
#include "isobench/random.hpp"
#include "isobench/registry.hpp"

namespace isobench::kernels {

namespace {

enum class op { rmsnorm, silu_and_mul, softmax };

// Waits until every earlier instruction has completed before any later one starts (LFENCE
// dispatch-serialises on Intel and, with the kernel's speculation mitigations, on AMD).
inline void serialise() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_lfence();
#else
  std::atomic_thread_fence(std::memory_order_seq_cst);
#endif
}

template <op Op>
class scaled_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    m_rows = ctx.values.get_int("rows");
    m_dim = ctx.values.get_int("dim");
    const double scale = ctx.values.get_double("scale");
    if (!(scale >= 1.0) || scale > 2.0) throw config_error("'scale' must be in [1, 2]");
    // silu_and_mul reads 2 x dim per row (gate and up) and writes dim.
    const std::int64_t in_cols = Op == op::silu_and_mul ? 2 * m_dim : m_dim;
    m_x = tensor(dtype::f32, {m_rows, in_cols});
    m_w = tensor(dtype::f32, {m_dim});
    m_y = tensor(dtype::f32, {m_rows, m_dim});
    gen::fill_normal(m_x.as<float>(), gen::derive_seed(ctx.seed, "x"));
    gen::fill_uniform(m_w.as<float>(), gen::derive_seed(ctx.seed, "w"), 0.5F, 1.5F);
    if (scale > 1.0) calibrate(scale - 1.0);
  }
  void run() override {
    apply();
    // Fences on both sides of the chain, at every scale: an out-of-order core otherwise overlaps a
    // short chain with the kernel's tail and the next call (on Zen 3 a "+2%" chain injected 0% in
    // one process and 32% in the next). With them run() takes the kernel, two fences and exactly
    // the chain, and scale 1 runs the same fences without a chain.
    serialise();
    std::uint64_t z = m_steps;
    for (std::int64_t i = 0; i < m_steps; ++i) {
      z = z * 6364136223846793005ULL + 1442695040888963407ULL;
      asm volatile("" : "+r"(z));
    }
    serialise();
  }
  [[nodiscard]] std::vector<named_tensor> outputs() const override { return {{"y", m_y}}; }

private:
  void apply() {
    const float* x = m_x.as<float>().data();
    float* y = m_y.as<float>().data();
    if constexpr (Op == op::rmsnorm) {
      rmsnorm_fused(m_rows, m_dim, x, m_w.as<float>().data(), 1e-6F, y);
    } else if constexpr (Op == op::silu_and_mul) {
      silu_and_mul_fused(m_rows, m_dim, x, y);
    } else {
      softmax_online(m_rows, m_dim, x, y);
    }
  }
  // Chain steps that make run() take (1 + extra) x its time at scale 1. The fences make that time
  // linear in the steps: measure the chain where it is long enough to time well (at least a fifth of
  // the kernel), then scale the steps down to the extra wanted and correct once more there.
  void calibrate(double extra) {
    const double probe = std::max(extra, 0.2);
    m_steps = std::max<std::int64_t>(1, std::llround(probe * best_s([this] { apply(); }) / step_s()));
    correct(probe);
    m_steps = std::max<std::int64_t>(1, std::llround(static_cast<double>(m_steps) * extra / probe));
    if (probe != extra) correct(extra);
  }
  void correct(double extra) {
    for (int i = 0; i < 2; ++i) {
      const double got = chain_ratio() - 1.0;
      const double factor = got > 0.0 ? std::clamp(extra / got, 0.5, 2.0) : 2.0;
      m_steps = std::max<std::int64_t>(1, std::llround(static_cast<double>(m_steps) * factor));
    }
  }
  // run()'s time with the chain over its time without: the median ratio of adjacent batches (robust
  // to drift) over about 15 ms of pairs (9 to 41): a 2% chain in a 300 ns kernel is a few ns.
  double chain_ratio() {
    const std::int64_t steps = m_steps;
    std::vector<double> ratios;
    const auto start = std::chrono::steady_clock::now();
    while (ratios.size() < 41 && (ratios.size() < 9 || ratios.size() % 2 == 0 ||
                                  std::chrono::steady_clock::now() - start < std::chrono::milliseconds(15))) {
      m_steps = steps;
      const double with = best_s([this] { run(); }, 2, 5e-4);
      m_steps = 0;
      ratios.push_back(with / best_s([this] { run(); }, 2, 5e-4));
    }
    m_steps = steps;
    const auto mid = ratios.begin() + static_cast<std::ptrdiff_t>(ratios.size() / 2);
    std::nth_element(ratios.begin(), mid, ratios.end());
    return *mid;
  }
  // Seconds per call of f: the best of `batches` batches of about 2 ms each (after one untimed
  // batch), so a DRAM-size kernel calibrates in tens of milliseconds, not seconds.
  template <class F>
  static double best_s(F f, int batches = 7, double batch_s = 2e-3) {
    using clock = std::chrono::steady_clock;
    const auto t_first = clock::now();
    f();
    const double first = std::chrono::duration<double>(clock::now() - t_first).count();
    const int calls = static_cast<int>(std::clamp(batch_s / std::max(first, 1e-9), 1.0, 256.0));
    double best = 1e9;
    for (int b = 0; b <= batches; ++b) {
      const auto t0 = clock::now();
      for (int i = 0; i < calls; ++i) f();
      const double t = std::chrono::duration<double>(clock::now() - t0).count() / calls;
      if (b > 0) best = std::min(best, t);
    }
    return best;
  }
  // Seconds per step of the chain run() adds.
  static double step_s() {
    constexpr std::int64_t n = 1 << 16;
    return best_s([] {
             std::uint64_t z = 1;
             for (std::int64_t i = 0; i < n; ++i) {
               z = z * 6364136223846793005ULL + 1442695040888963407ULL;
               asm volatile("" : "+r"(z));
             }
           }) /
           static_cast<double>(n);
  }
  std::int64_t m_rows = 0, m_dim = 0, m_steps = 0;
  tensor m_x, m_w, m_y;
};

void scaled_common(kernel_builder& b) {
  b.category(category::kernel)
      .dtypes({dtype::f32})
      .int_param("rows", "rows (tokens)", std::nullopt, 1)
      .int_param("dim", "row length", std::nullopt, 1)
      .number_param("scale", "multiplier of the work in [1, 2]; the output does not change", 1.0)
      .bytes([](const params& p) { return 8.0 * static_cast<double>(p.get_int("rows") * p.get_int("dim")); });
}

}  // namespace

ISOBENCH_REGISTER_KERNEL("scaled", "rmsnorm", scaled_kernel<op::rmsnorm>)
    .sources({"kernels/cpu/scaled_memory_kernels.cpp"})
    .description("calibration: rmsnorm.fused plus (scale - 1) x its work (injects a memory-bound slowdown)")
    .with(scaled_common);
ISOBENCH_REGISTER_KERNEL("scaled", "silu_and_mul", scaled_kernel<op::silu_and_mul>)
    .sources({"kernels/cpu/scaled_memory_kernels.cpp"})
    .description("calibration: silu_and_mul.fused plus (scale - 1) x its work")
    .with(scaled_common);
ISOBENCH_REGISTER_KERNEL("scaled", "softmax", scaled_kernel<op::softmax>)
    .sources({"kernels/cpu/scaled_memory_kernels.cpp"})
    .description("calibration: softmax.online plus (scale - 1) x its work")
    .with(scaled_common);

}  // namespace isobench::kernels
