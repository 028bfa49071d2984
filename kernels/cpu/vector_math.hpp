#pragma once
// Elementary functions written without libm calls, so that loops over arrays vectorise (GCC only
// vectorises libm's exp and erf under -ffast-math). Accurate to ~1e-7, which is below the
// tolerance of every kernel that uses them; the test oracles use libm.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

namespace isobench::kernels {

// exp without libm calls, so activation loops vectorise: 2^n x p(r) with n = round(x / ln 2),
// r = x - n ln 2 (split constant), p the degree-6 Taylor polynomial (relative error ~2e-7 on
// |r| <= ln2 / 2). Inputs are clamped to the finite range.
inline float fast_exp(float x) noexcept {
  x = std::clamp(x, -87.0F, 88.0F);
  constexpr float round_magic = 12582912.0F;  // 1.5 x 2^23: adding it rounds to an integer
  const float n = (x * 1.44269504F + round_magic) - round_magic;
  const float r = (x - n * 0.693145752F) - n * 1.42860677e-6F;
  float p = 1.0F / 720.0F;
  p = p * r + 1.0F / 120.0F;
  p = p * r + 1.0F / 24.0F;
  p = p * r + 1.0F / 6.0F;
  p = p * r + 0.5F;
  p = p * r + 1.0F;
  p = p * r + 1.0F;
  const auto scale = std::bit_cast<float>(static_cast<std::int32_t>(n + 127.0F) << 23);
  return p * scale;
}

// erf by Abramowitz & Stegun 7.1.26 (absolute error <= 1.5e-7).
inline float fast_erf(float x) noexcept {
  const float a = std::fabs(x);
  const float t = 1.0F / (1.0F + 0.3275911F * a);
  const float poly =
      ((((1.061405429F * t - 1.453152027F) * t + 1.421413741F) * t - 0.284496736F) * t + 0.254829592F) * t;
  const float y = 1.0F - poly * fast_exp(-a * a);
  return std::copysign(y, x);
}

}  // namespace isobench::kernels
