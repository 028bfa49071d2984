#include <chrono>

#include <gtest/gtest.h>

#include "isobench/error.hpp"
#include "isobench/registry.hpp"

namespace isobench::detail {
namespace {

std::int64_t run_spin(std::int64_t iterations, double duration_us, std::uint64_t seed) {
  params p;
  p.set("iterations", iterations);
  p.set("duration_us", duration_us);
  auto k = registry::global().find("spin.loop")->factory();
  k->setup(setup_context{p, dtype::i64, seed, device_kind::cpu});
  k->run();
  return k->outputs().at(0).value.as<std::int64_t>()[0];
}

TEST(spin, output_is_the_lcg_chain) {
  // x_{i+1} = x_i * 6364136223846793005 + 1442695040888963407 (mod 2^64), x_0 = seed.
  std::uint64_t x = 5;
  for (int i = 0; i < 3; ++i) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
  EXPECT_EQ(static_cast<std::uint64_t>(run_spin(3, 0.0, 5)), x);
  EXPECT_EQ(run_spin(0, 0.0, 9), 9);
  EXPECT_NE(run_spin(1000, 0.0, 1), run_spin(1001, 0.0, 1));
}

TEST(spin, scaled_wastes_work_but_keeps_the_output) {
  params p;
  p.set("iterations", std::int64_t{1000});
  p.set("duration_us", 0.0);
  p.set("scale", 1.05);
  auto k = registry::global().find("spin.scaled")->factory();
  k->setup(setup_context{p, dtype::i64, 4, device_kind::cpu});
  k->run();
  EXPECT_EQ(k->outputs().at(0).value.as<std::int64_t>()[0], run_spin(1000, 0.0, 4));
  p.set("scale", 0.5);
  EXPECT_THROW(k->setup(setup_context{p, dtype::i64, 4, device_kind::cpu}), config_error);
}

TEST(spin, rejects_both_parameters) {
  EXPECT_THROW((void)run_spin(10, 5.0, 1), config_error);
}

TEST(spin, duration_is_calibrated_to_the_right_order_of_magnitude) {
  params p;
  p.set("iterations", std::int64_t{0});
  p.set("duration_us", 2000.0);
  auto k = registry::global().find("spin.loop")->factory();
  k->setup(setup_context{p, dtype::i64, 1, device_kind::cpu});
  double best_s = 1e9;
  for (int i = 0; i < 5; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    k->run();
    best_s = std::min(best_s, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  // Loose on purpose: this checks the calibration's arithmetic, not the machine's quietness.
  EXPECT_GT(best_s, 0.2e-3);
  EXPECT_LT(best_s, 20e-3);
}

}  // namespace
}  // namespace isobench::detail
