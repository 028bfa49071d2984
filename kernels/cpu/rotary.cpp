#include "cpu/rotary.hpp"

#include <cmath>
#include <stdexcept>

#include "isobench/random.hpp"
#include "isobench/tensor.hpp"

namespace isobench::kernels {

float rotary_angle(std::int64_t pos, std::int64_t i, std::int64_t head_dim, float base) noexcept {
  const float inv_freq = 1.0F / std::pow(base, static_cast<float>(2 * i) / static_cast<float>(head_dim));
  return static_cast<float>(pos) * inv_freq;
}

void rotary_naive(const rotary_shape& s, const std::int32_t* pos, const float* x, float* out) {
  const std::int64_t half = s.head_dim / 2;
  std::vector<float> c(static_cast<std::size_t>(half)), sn(static_cast<std::size_t>(half));
  for (std::int64_t t = 0; t < s.tokens; ++t) {
    for (std::int64_t i = 0; i < half; ++i) {
      const float a = rotary_angle(pos[t], i, s.head_dim, s.base);
      c[static_cast<std::size_t>(i)] = std::cos(a);
      sn[static_cast<std::size_t>(i)] = std::sin(a);
    }
    for (std::int64_t h = 0; h < s.heads; ++h) {
      const float* v = x + (t * s.heads + h) * s.head_dim;
      float* o = out + (t * s.heads + h) * s.head_dim;
      for (std::int64_t i = 0; i < half; ++i) {
        const float a = v[i];
        const float b = v[i + half];
        o[i] = a * c[static_cast<std::size_t>(i)] - b * sn[static_cast<std::size_t>(i)];
        o[i + half] = b * c[static_cast<std::size_t>(i)] + a * sn[static_cast<std::size_t>(i)];
      }
    }
  }
}

rotary_cached::rotary_cached(std::int64_t max_pos, std::int64_t head_dim, float base)
    : m_max_pos(max_pos), m_half(head_dim / 2) {
  m_cos.resize(checked_count({max_pos, m_half}, sizeof(float), "rotary table"));
  m_sin.resize(m_cos.size());
  for (std::int64_t p = 0; p < max_pos; ++p) {
    for (std::int64_t i = 0; i < m_half; ++i) {
      const float a = rotary_angle(p, i, head_dim, base);
      m_cos[static_cast<std::size_t>(p * m_half + i)] = std::cos(a);
      m_sin[static_cast<std::size_t>(p * m_half + i)] = std::sin(a);
    }
  }
}

void rotary_cached::run(const rotary_shape& s, const std::int32_t* pos, const float* x, float* out) const {
  const std::int64_t half = m_half;
  for (std::int64_t t = 0; t < s.tokens; ++t) {
    if (pos[t] < 0 || pos[t] >= m_max_pos) throw std::out_of_range("rotary position outside the cos/sin cache");
    const float* __restrict c = m_cos.data() + pos[t] * half;
    const float* __restrict sn = m_sin.data() + pos[t] * half;
    for (std::int64_t h = 0; h < s.heads; ++h) {
      const float* __restrict lo = x + (t * s.heads + h) * s.head_dim;
      const float* __restrict hi = lo + half;
      float* __restrict out_lo = out + (t * s.heads + h) * s.head_dim;
      float* __restrict out_hi = out_lo + half;
      for (std::int64_t i = 0; i < half; ++i) {
        const float a = lo[i];
        const float b = hi[i];
        out_lo[i] = a * c[i] - b * sn[i];
        out_hi[i] = b * c[i] + a * sn[i];
      }
    }
  }
}

std::vector<std::int32_t> random_positions(std::int64_t tokens, std::int64_t max_pos, std::uint64_t seed) {
  gen::rng rng(seed);
  std::vector<std::int32_t> pos(static_cast<std::size_t>(tokens));
  for (auto& p : pos) p = static_cast<std::int32_t>(rng.next() % static_cast<std::uint64_t>(max_pos));
  return pos;
}

void rotary_reference(const rotary_shape& s, const std::int32_t* pos, const float* x, float* out) {
  const std::int64_t half = s.head_dim / 2;
  for (std::int64_t t = 0; t < s.tokens; ++t) {
    for (std::int64_t h = 0; h < s.heads; ++h) {
      const float* v = x + (t * s.heads + h) * s.head_dim;
      float* o = out + (t * s.heads + h) * s.head_dim;
      for (std::int64_t i = 0; i < half; ++i) {
        const double inv_freq =
            std::pow(static_cast<double>(s.base), -2.0 * static_cast<double>(i) / static_cast<double>(s.head_dim));
        const double ang = static_cast<double>(pos[t]) * inv_freq;
        const double a = v[i];
        const double b = v[i + half];
        o[i] = static_cast<float>(a * std::cos(ang) - b * std::sin(ang));
        o[i + half] = static_cast<float>(b * std::cos(ang) + a * std::sin(ang));
      }
    }
  }
}

}  // namespace isobench::kernels
