// Device tests, labelled `gpu` (ctest -L gpu). Each skips cleanly, saying why, when no usable CUDA
// device is present; they then check every CUDA kernel against the CPU reference on the same
// seeded inputs, event timing against a sleep of known length, that the L2 flush slows a
// bandwidth-bound kernel, and that work escaping the timed stream is flagged.
#include <cmath>
#include <functional>
#include <vector>

#include <gtest/gtest.h>

#include "cpu/gemm.hpp"
#include "cpu/softmax.hpp"
#include "device/device.hpp"
#include "gpu_kernels.hpp"
#include "isobench/random.hpp"
#include "isobench/registry.hpp"

namespace isobench::detail {
namespace {

class gpu : public ::testing::Test {
protected:
  void SetUp() override {
    const auto status = probe_cuda();
    if (!status.available) GTEST_SKIP() << "no usable CUDA device: " << status.reason;
    m_ctx = make_cuda_context();
  }
  device_context& ctx() { return *m_ctx; }

  std::vector<named_tensor> run_kernel(const char* name, const params& p, dtype t) {
    const auto* info = registry::global().find(name, device_kind::cuda);
    EXPECT_NE(info, nullptr) << name;
    auto k = info->factory();
    k->setup(setup_context{p, t, 7, device_kind::cuda, m_ctx->stream()});
    k->run();
    m_ctx->synchronize();
    return k->outputs();
  }

private:
  std::unique_ptr<device_context> m_ctx;
};

// The CPU reference on the inputs the GPU saw: the seeded fp32 values rounded to the dtype.
std::vector<float> rounded(std::vector<float> x, dtype t) {
  for (auto& v : x) {
    if (t == dtype::f16) v = half_to_float(float_to_half(v));
    if (t == dtype::bf16) v = bf16_to_float(float_to_bf16(v));
  }
  return x;
}

TEST_F(gpu, every_gemm_matches_the_cpu_reference) {
  for (auto [m, n, k] :
       {std::tuple{1, 1, 1}, std::tuple{33, 65, 17}, std::tuple{127, 129, 131}, std::tuple{256, 256, 512}}) {
    params p;
    p.set("m", std::int64_t{m});
    p.set("n", std::int64_t{n});
    p.set("k", std::int64_t{k});
    std::vector<float> a(static_cast<std::size_t>(m) * k), b(static_cast<std::size_t>(k) * n), c(m * n);
    gen::fill_uniform(a, gen::derive_seed(7, "A"));
    gen::fill_uniform(b, gen::derive_seed(7, "B"));
    for (auto t : {dtype::f32, dtype::f16, dtype::bf16}) {
      const auto ra = rounded(a, t);
      const auto rb = rounded(b, t);
      kernels::gemm_reference(m, n, k, ra.data(), rb.data(), c.data());
      for (const char* name : {"gemm.naive", "gemm.tiled", "gemm.cublas"}) {
        const auto out = run_kernel(name, p, t);
        ASSERT_EQ(out.at(0).value.numel(), c.size());
        const auto got = out[0].value.as<float>();
        for (std::size_t i = 0; i < c.size(); ++i) {
          ASSERT_NEAR(got[i], c[i], 1e-5 * k + 1e-5) << name << " " << to_string(t) << " " << m << "x" << n << "x" << k;
        }
      }
    }
  }
}

TEST_F(gpu, softmax_matches_the_cpu_reference) {
  for (auto [rows, cols] : {std::pair{1, 1}, std::pair{3, 63}, std::pair{4, 1000}, std::pair{2, 4097}}) {
    params p;
    p.set("rows", std::int64_t{rows});
    p.set("cols", std::int64_t{cols});
    p.set("scale", 3.0);
    std::vector<float> x(static_cast<std::size_t>(rows) * cols), ref(x.size());
    gen::fill_normal(x, gen::derive_seed(7, "x"), 0.0F, 3.0F);
    kernels::softmax_reference(rows, cols, x.data(), ref.data());
    for (const char* name : {"softmax.three_pass", "softmax.online"}) {
      const auto got = run_kernel(name, p, dtype::f32).at(0).value.as<float>();
      for (std::size_t i = 0; i < ref.size(); ++i) ASSERT_NEAR(got[i], ref[i], 1e-6 + 1e-5 * ref[i]) << name;
    }
  }
}

// The CUDA versions of the transformer ops against their CPU implementations on the same seeded
// inputs (the CPU kernels are tested against double-precision references in the unit suite).
TEST_F(gpu, transformer_ops_match_their_cpu_implementations) {
  struct op_case {
    const char* name;
    std::vector<std::pair<const char*, params::value>> values;
    double tol;
  };
  const std::vector<op_case> cases{
      {"rmsnorm.naive", {{"rows", std::int64_t{33}}, {"dim", std::int64_t{4097}}, {"eps", 1e-6}}, 1e-5},
      {"rmsnorm.fused", {{"rows", std::int64_t{33}}, {"dim", std::int64_t{4097}}, {"eps", 1e-6}}, 1e-5},
      {"silu_and_mul.naive", {{"tokens", std::int64_t{7}}, {"d", std::int64_t{1001}}}, 1e-5},
      {"silu_and_mul.fused", {{"tokens", std::int64_t{7}}, {"d", std::int64_t{1001}}}, 1e-5},
      {"rotary.naive",
       {{"tokens", std::int64_t{37}}, {"heads", std::int64_t{5}}, {"head_dim", std::int64_t{80}}},
       2e-3},
      {"rotary.cached",
       {{"tokens", std::int64_t{37}}, {"heads", std::int64_t{5}}, {"head_dim", std::int64_t{80}}},
       1e-5},
      {"linear.dense", {{"m", std::int64_t{3}}, {"k", std::int64_t{1000}}, {"n", std::int64_t{260}}}, 1e-4},
      {"linear.int8wo", {{"m", std::int64_t{3}}, {"k", std::int64_t{1000}}, {"n", std::int64_t{260}}}, 1e-4},
  };
  for (const auto& c : cases) {
    std::vector<std::vector<named_tensor>> outs;
    for (auto device : {device_kind::cpu, device_kind::cuda}) {
      const auto* info = registry::global().find(c.name, device);
      ASSERT_NE(info, nullptr) << c.name;
      params given;
      for (const auto& [key, value] : c.values) given.set(key, value);
      const params p = info->with_defaults(given);
      auto k = info->factory();
      k->setup(setup_context{p, dtype::f32, 7, device, device == device_kind::cuda ? ctx().stream() : nullptr});
      k->run();
      ctx().synchronize();
      outs.push_back(k->outputs());
    }
    const auto& cpu = outs[0].at(0).value;
    const auto& dev = outs[1].at(0).value;
    ASSERT_EQ(cpu.numel(), dev.numel()) << c.name;
    for (std::size_t i = 0; i < cpu.numel(); ++i) {
      ASSERT_NEAR(dev.element(i), cpu.element(i), c.tol * (1.0 + std::fabs(cpu.element(i)))) << c.name << " at " << i;
    }
  }
}

TEST_F(gpu, event_timing_matches_a_known_sleep) {
  for (double target : {0.5e-3, 2e-3}) {
    const double t = ctx().timer().time_s([&] { testing::launch_sleep(ctx().stream(), target); });
    EXPECT_GT(t, 0.9 * target);
    EXPECT_LT(t, 1.5 * target + 50e-6);
  }
  const auto cc = ctx().take_cross_check();
  EXPECT_EQ(cc.samples, 2u);
  EXPECT_EQ(cc.escaped, 0u);
}

TEST_F(gpu, work_outside_the_timed_stream_is_flagged) {
  void* other = testing::new_stream();
  (void)ctx().take_cross_check();
  for (int i = 0; i < 5; ++i) ctx().timer().time_s([&] { testing::launch_sleep(other, 1e-3); });
  const auto cc = ctx().take_cross_check();
  testing::delete_stream(other);
  EXPECT_EQ(cc.escaped, 5u);
  EXPECT_GT(cc.host_median_s, 0.9e-3);
}

TEST_F(gpu, l2_flush_slows_a_bandwidth_bound_kernel) {
  const auto l2 = probe_cuda().gpu->l2_bytes;
  const std::size_t bytes = l2 / 4;  // in + out fit in L2 together
  void* in = testing::device_alloc(bytes);
  void* out = testing::device_alloc(bytes);
  auto time_median = [&](bool flush) {
    std::vector<double> t;
    for (int i = 0; i < 21; ++i) {
      if (flush) ctx().flush_cache();
      t.push_back(ctx().timer().time_s([&] { testing::launch_copy(ctx().stream(), in, out, bytes); }));
    }
    std::nth_element(t.begin(), t.begin() + 10, t.end());
    return t[10];
  };
  (void)time_median(false);  // warm up
  const double warm = time_median(false);
  const double cold = time_median(true);
  testing::device_free(in);
  testing::device_free(out);
  EXPECT_GT(cold, 1.1 * warm) << "warm " << warm << " s, cold " << cold << " s";
}

TEST_F(gpu, peak_memory_is_recorded) {
  ctx().reset_memory_watermark();
  void* p = testing::device_alloc(std::size_t{256} << 20);
  EXPECT_GE(ctx().peak_memory_bytes(), std::size_t{256} << 20);
  testing::device_free(p);
}

}  // namespace
}  // namespace isobench::detail
