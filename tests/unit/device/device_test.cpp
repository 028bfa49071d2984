#include "device/device.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "isobench/error.hpp"

namespace isobench::detail {
namespace {

gpu_info h100_sxm() {
  gpu_info g;
  g.name = "NVIDIA H100 80GB HBM3";
  g.cc_major = 9;
  g.cc_minor = 0;
  g.sm_count = 132;
  g.clock_khz = 1980000;
  return g;
}

TEST(device_peak, matches_the_data_sheet_arithmetic) {
  const auto g = h100_sxm();
  // 132 SMs x 1.98 GHz x 4096 dense fp16 FLOPs per SM per clock = 1070.4 TFLOP/s.
  EXPECT_NEAR(peak_tflops(g, dtype::f16), 132 * 1.98e9 * 4096 / 1e12, 1e-9);
  EXPECT_NEAR(peak_tflops(g, dtype::bf16), peak_tflops(g, dtype::f16), 1e-9);
  EXPECT_NEAR(peak_tflops(g, dtype::f32), 132 * 1.98e9 * 256 / 1e12, 1e-9);  // 66.9
  EXPECT_EQ(peak_tflops(g, dtype::i64), 0.0);
  gpu_info a100 = g;
  a100.cc_major = 8;
  a100.sm_count = 108;
  a100.clock_khz = 1410000;
  EXPECT_NEAR(peak_tflops(a100, dtype::f16), 311.9, 0.1);  // the A100's 312 TFLOP/s
  gpu_info v100 = g;
  v100.cc_major = 7;
  EXPECT_EQ(peak_tflops(v100, dtype::bf16), 0.0) << "Volta has no bf16 tensor cores";
  gpu_info unknown = g;
  unknown.cc_major = 6;
  EXPECT_EQ(peak_tflops(unknown, dtype::f32), 0.0);
}

TEST(device_mig, profile_comes_from_the_instance_name) {
  auto g = h100_sxm();
  EXPECT_FALSE(mig_profile(g).has_value());
  g.name = "NVIDIA A100-SXM4-40GB MIG 3g.20gb";
  EXPECT_EQ(mig_profile(g).value_or(""), "3g.20gb");
}

TEST(device_json, fingerprint_carries_peaks_and_mig_state) {
  cuda_status s;
  s.compiled = true;
  s.available = true;
  s.gpu = h100_sxm();
  const auto j = to_json(s);
  EXPECT_EQ(j["gpu"]["compute_capability"], "9.0");
  EXPECT_EQ(j["gpu"]["mig"], "off");
  EXPECT_GT(j["gpu"]["peak_fp16_tensor_tflops"].get<double>(), 1000.0);
  cuda_status none;
  none.reason = "no CUDA-capable device is detected";
  EXPECT_TRUE(to_json(none)["gpu"].is_null());
}

TEST(device_resolve, auto_falls_back_and_cuda_without_a_device_exits_2_saying_why) {
  cuda_status none;
  none.reason = "no driver";
  EXPECT_EQ(resolve_device(device_request::automatic, none), device_kind::cpu);
  EXPECT_EQ(resolve_device(device_request::cpu, none), device_kind::cpu);
  try {
    (void)resolve_device(device_request::cuda, none);
    FAIL() << "expected an error";
  } catch (const error& e) {
    EXPECT_EQ(e.code(), exit_code::unsupported);
    EXPECT_NE(std::string(e.what()).find("no driver"), std::string::npos);
  }
  cuda_status gpu;
  gpu.available = true;
  gpu.gpu = h100_sxm();
  EXPECT_EQ(resolve_device(device_request::automatic, gpu), device_kind::cuda);
}

}  // namespace
}  // namespace isobench::detail
