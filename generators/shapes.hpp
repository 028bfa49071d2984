#pragma once
// Matrix shapes by name, with torchao's microbenchmark rules, for specs and suites:
//   custom         the literal [m, k, n] list given
//   llama          M = 16384: attn.wqkv [M, 8192, 1280], attn.w0 [M, 1024, 8192],
//                  ffn.w13 [M, 8192, 7168], ffn.w2 [M, 3584, 8192]
//   pow2           cubes 2^p for p in min..max (default 10..14), named pow2_<p>
//   pow2_extended  2^p and 2^p + 2^(p-1) cubes (default 10..14)
//   sweep          every M, K, N in 2^[min..max] (default 8..15)
//   small_sweep    the same with M <= K <= N (default 10..14)
// An unknown name is a config_error listing the known ones.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace isobench::detail {

struct matrix_shape {
  std::string name;
  std::int64_t m = 0, k = 0, n = 0;
  friend bool operator==(const matrix_shape&, const matrix_shape&) = default;
};

struct shape_options {
  std::optional<int> min_power, max_power;          // defaults depend on the generator
  std::vector<std::array<std::int64_t, 3>> custom;  // [m, k, n] each, for "custom"
};

std::vector<matrix_shape> generate_shapes(std::string_view generator, const shape_options& options = {});

// custom, llama, pow2, pow2_extended, sweep, small_sweep.
const std::vector<std::string>& shape_generators();

}  // namespace isobench::detail
