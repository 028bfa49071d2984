#include "shapes.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "isobench/error.hpp"

namespace isobench::detail {

namespace {

constexpr int k_max_power = 40;  // 2^40 per dimension: larger products would not fit in 64 bits

std::pair<int, int> powers(std::string_view generator, const shape_options& o, int min_default, int max_default) {
  const int lo = o.min_power.value_or(min_default);
  const int hi = o.max_power.value_or(max_default);
  if (lo < 0 || hi > k_max_power || lo > hi) {
    throw config_error(fmt::format("shape generator '{}': powers {}..{} must satisfy 0 <= min <= max <= {}", generator,
                                   lo, hi, k_max_power));
  }
  return {lo, hi};
}

std::int64_t pow2(int p) {
  return std::int64_t{1} << p;
}

}  // namespace

const std::vector<std::string>& shape_generators() {
  static const std::vector<std::string> names = {"custom", "llama", "pow2", "pow2_extended", "sweep", "small_sweep"};
  return names;
}

std::vector<matrix_shape> generate_shapes(std::string_view generator, const shape_options& o) {
  std::vector<matrix_shape> out;
  if (generator == "custom") {
    if (o.custom.empty()) throw config_error("shape generator 'custom': give at least one [m, k, n]");
    for (std::size_t i = 0; i < o.custom.size(); ++i) {
      const auto& [m, k, n] = o.custom[i];
      if (m < 0 || k < 0 || n < 0) {
        throw config_error(
            fmt::format("shape generator 'custom': shape {} [{}, {}, {}] has a negative dimension", i, m, k, n));
      }
      out.push_back({fmt::format("custom_{}", i), m, k, n});
    }
  } else if (generator == "llama") {
    constexpr std::int64_t m = 16384;
    out = {{"attn.wqkv", m, 8192, 1280},
           {"attn.w0", m, 1024, 8192},
           {"ffn.w13", m, 8192, 7168},
           {"ffn.w2", m, 3584, 8192}};
  } else if (generator == "pow2") {
    const auto [lo, hi] = powers(generator, o, 10, 14);
    for (int p = lo; p <= hi; ++p) out.push_back({fmt::format("pow2_{}", p), pow2(p), pow2(p), pow2(p)});
  } else if (generator == "pow2_extended") {
    const auto [lo, hi] = powers(generator, o, 10, 14);
    for (int p = lo; p <= hi; ++p) {
      out.push_back({fmt::format("pow2_extended_{}", p), pow2(p), pow2(p), pow2(p)});
      if (p > 0) {
        const auto v = pow2(p) + pow2(p - 1);
        out.push_back({fmt::format("pow2_extended_{}_plus_half", p), v, v, v});
      }
    }
  } else if (generator == "sweep" || generator == "small_sweep") {
    const bool small = generator == "small_sweep";
    const auto [lo, hi] = powers(generator, o, small ? 10 : 8, small ? 14 : 15);
    for (int pm = lo; pm <= hi; ++pm) {
      for (int pk = lo; pk <= hi; ++pk) {
        for (int pn = lo; pn <= hi; ++pn) {
          if (small && !(pm <= pk && pk <= pn)) continue;
          out.push_back(
              {fmt::format("{}_{}_{}_{}", generator, pow2(pm), pow2(pk), pow2(pn)), pow2(pm), pow2(pk), pow2(pn)});
        }
      }
    }
  } else {
    throw config_error(
        fmt::format("unknown shape generator '{}' (known: {})", generator, fmt::join(shape_generators(), ", ")));
  }
  return out;
}

}  // namespace isobench::detail
