#include "isobench/random.hpp"

#include <cmath>
#include <numbers>

namespace isobench::gen {

std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t derive_seed(std::uint64_t base, std::string_view label) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : label) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  std::uint64_t state = base ^ h;
  return splitmix64(state);
}

namespace {
constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
  return (x << k) | (x >> (64 - k));
}
}  // namespace

rng::rng(std::uint64_t seed) noexcept {
  for (auto& s : m_s) s = splitmix64(seed);
}

std::uint64_t rng::next() noexcept {
  const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
  const std::uint64_t t = m_s[1] << 17;
  m_s[2] ^= m_s[0];
  m_s[3] ^= m_s[1];
  m_s[1] ^= m_s[2];
  m_s[0] ^= m_s[3];
  m_s[2] ^= t;
  m_s[3] = rotl(m_s[3], 45);
  return result;
}

double rng::uniform01() noexcept {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

float rng::uniform(float lo, float hi) noexcept {
  return static_cast<float>(lo + (static_cast<double>(hi) - lo) * uniform01());
}

float rng::normal() noexcept {
  // 1 - u keeps the log argument in (0, 1].
  const double u1 = 1.0 - uniform01();
  const double u2 = uniform01();
  return static_cast<float>(std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2));
}

void fill_uniform(std::span<float> out, std::uint64_t seed, float lo, float hi) noexcept {
  rng r(seed);
  for (auto& x : out) x = r.uniform(lo, hi);
}

void fill_normal(std::span<float> out, std::uint64_t seed, float mean, float stddev) noexcept {
  rng r(seed);
  for (auto& x : out) x = mean + stddev * r.normal();
}

}  // namespace isobench::gen
