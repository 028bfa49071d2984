#pragma once
// Seeded, platform-independent input data. std::*_distribution is implementation-defined, so the
// same seed would give different inputs with libstdc++ and libc++; these generators give the same
// bits everywhere, which is what makes a stored reference portable.

#include <cstdint>
#include <span>
#include <string_view>

namespace isobench::gen {

// SplitMix64 step: a good 64-bit mixer for deriving seeds.
std::uint64_t splitmix64(std::uint64_t& state) noexcept;

// A stable seed for one input of one workload: mixes a base seed with a label (FNV-1a).
std::uint64_t derive_seed(std::uint64_t base, std::string_view label) noexcept;

// xoshiro256** (Blackman & Vigna): fast, 256-bit state, seeded through SplitMix64.
class rng {
public:
  explicit rng(std::uint64_t seed) noexcept;
  std::uint64_t next() noexcept;
  double uniform01() noexcept;  // [0, 1) with 53 random bits
  float uniform(float lo, float hi) noexcept;
  float normal() noexcept;  // Box-Muller, standard normal

private:
  std::uint64_t m_s[4];
};

void fill_uniform(std::span<float> out, std::uint64_t seed, float lo = -1.0F, float hi = 1.0F) noexcept;
void fill_normal(std::span<float> out, std::uint64_t seed, float mean = 0.0F, float stddev = 1.0F) noexcept;

}  // namespace isobench::gen
