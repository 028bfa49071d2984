#include "isobench/tensor.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

#include "isobench/error.hpp"

namespace isobench::detail {
namespace {

TEST(dtype, names_round_trip) {
  for (auto t : {dtype::f32, dtype::f64, dtype::f16, dtype::bf16, dtype::i8, dtype::u8, dtype::i32, dtype::i64}) {
    EXPECT_EQ(from_string<dtype>(to_string(t)), t);
    EXPECT_EQ(parse_safetensors_dtype(safetensors_name(t)), t);
  }
  EXPECT_EQ(from_string<dtype>("float32"), std::nullopt);
  EXPECT_EQ(size_bytes(dtype::bf16), 2u);
  EXPECT_EQ(size_bytes(dtype::i64), 8u);
  EXPECT_TRUE(is_floating(dtype::f16));
  EXPECT_FALSE(is_floating(dtype::i32));
}

TEST(half, known_encodings) {
  EXPECT_EQ(float_to_half(1.0F), 0x3c00);
  EXPECT_EQ(float_to_half(-2.0F), 0xc000);
  EXPECT_EQ(float_to_half(65504.0F), 0x7bff);               // largest finite half
  EXPECT_EQ(float_to_half(65520.0F), 0x7c00);               // rounds to infinity
  EXPECT_EQ(float_to_half(std::ldexp(1.0F, -24)), 0x0001);  // smallest subnormal
  EXPECT_EQ(float_to_half(std::ldexp(1.0F, -26)), 0x0000);  // underflows to zero
  EXPECT_EQ(float_to_half(2049.0F), 0x6800);                // tie rounds to even (2048)
  EXPECT_EQ(float_to_half(2051.0F), 0x6802);                // tie rounds to even (2052)
  EXPECT_EQ(float_to_half(std::numeric_limits<float>::infinity()), 0x7c00);
  EXPECT_TRUE(std::isnan(half_to_float(float_to_half(std::numeric_limits<float>::quiet_NaN()))));
  EXPECT_EQ(half_to_float(0x3555), 0.333251953125F);
  EXPECT_EQ(half_to_float(0x0001), std::ldexp(1.0F, -24));
  EXPECT_EQ(half_to_float(0x8000), -0.0F);
}

TEST(half, round_trips_every_finite_value) {
  for (std::uint32_t h = 0; h < 0x10000; ++h) {
    const auto bits = static_cast<std::uint16_t>(h);
    if ((bits & 0x7c00) == 0x7c00) continue;  // inf/nan
    ASSERT_EQ(float_to_half(half_to_float(bits)), bits) << std::hex << h;
  }
}

TEST(bf16, known_encodings) {
  EXPECT_EQ(float_to_bf16(1.0F), 0x3f80);
  EXPECT_EQ(bf16_to_float(0x3f80), 1.0F);
  EXPECT_EQ(float_to_bf16(1.00390625F), 0x3f80);  // exactly half an ulp: ties to even
  EXPECT_EQ(float_to_bf16(1.01171875F), 0x3f82);  // 1 + 3/256: tie rounds up to even
  EXPECT_TRUE(std::isnan(bf16_to_float(float_to_bf16(std::numeric_limits<float>::quiet_NaN()))));
}

TEST(tensor, zeroed_aligned_and_copyable) {
  tensor t(dtype::f32, {3, 5});
  EXPECT_EQ(t.numel(), 15u);
  EXPECT_EQ(t.size_bytes(), 60u);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.bytes().data()) % tensor::alignment_bytes, 0u);
  for (float x : t.as<float>()) EXPECT_EQ(x, 0.0F);
  t.as<float>()[7] = 2.5F;
  tensor copy = t;
  t.as<float>()[7] = 0.0F;
  EXPECT_EQ(copy.as<float>()[7], 2.5F);
  EXPECT_EQ(copy.element(7), 2.5);
  EXPECT_EQ(copy.shape(), (std::vector<std::int64_t>{3, 5}));
}

TEST(tensor, empty_and_mismatched_views) {
  tensor empty(dtype::f32, {0, 4});
  EXPECT_EQ(empty.numel(), 0u);
  EXPECT_TRUE(empty.as<float>().empty());
  tensor ints(dtype::i32, {2});
  EXPECT_THROW((void)ints.as<float>(), error);
  tensor halves(dtype::f16, {1});
  halves.as<std::uint16_t>()[0] = 0x3c00;
  EXPECT_EQ(halves.element(0), 1.0);
}

TEST(tensor, shape_text) {
  EXPECT_EQ(shape_to_string(std::vector<std::int64_t>{2, 3}), "[2, 3]");
}

TEST(tensor, sizes_are_overflow_checked) {
  const std::vector<std::int64_t> big = {std::int64_t{1} << 62, 4};
  EXPECT_FALSE(checked_numel(big));
  const std::vector<std::int64_t> zero = {std::int64_t{1} << 40, std::int64_t{1} << 40, 0};
  EXPECT_EQ(checked_numel(zero), 0u);  // an overflowing product times zero is empty
  const std::vector<std::int64_t> fits = {std::int64_t{1} << 31, std::int64_t{1} << 31};
  EXPECT_EQ(checked_numel(fits), std::size_t{1} << 62);
  EXPECT_FALSE(checked_size_bytes(dtype::f32, fits));  // 2^64 bytes
  try {
    tensor t(dtype::f32, {std::int64_t{1} << 31, std::int64_t{1} << 31});
    FAIL();
  } catch (const error& e) {
    EXPECT_EQ(e.code(), exit_code::out_of_memory);
  }
  EXPECT_THROW((void)checked_count({std::int64_t{1} << 40, std::int64_t{1} << 30}, 4, "w"), error);
  EXPECT_EQ(checked_count({3, 5}, 4, "w"), 15u);
}

}  // namespace
}  // namespace isobench::detail
