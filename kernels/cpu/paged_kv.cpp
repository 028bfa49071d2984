#include "cpu/paged_kv.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "isobench/random.hpp"

namespace isobench::kernels {

std::vector<std::int32_t> random_block_table(const paged_layout& l, std::int64_t spare_blocks, std::uint64_t seed) {
  const std::int64_t used = l.seqs * l.blocks_per_seq();
  std::vector<std::int32_t> pool(static_cast<std::size_t>(used + spare_blocks));
  std::iota(pool.begin(), pool.end(), 0);
  gen::rng rng(seed);
  for (std::size_t i = pool.size(); i > 1; --i) {  // Fisher-Yates with our portable generator
    const auto j = static_cast<std::size_t>(rng.next() % i);
    std::swap(pool[i - 1], pool[j]);
  }
  pool.resize(static_cast<std::size_t>(used));
  return pool;
}

void paged_gather_per_token(const paged_layout& l, const float* pool, const std::int32_t* table, float* out) {
  const auto row_bytes = static_cast<std::size_t>(l.width) * sizeof(float);
  const std::int64_t bps = l.blocks_per_seq();
  for (std::int64_t s = 0; s < l.seqs; ++s) {
    for (std::int64_t t = 0; t < l.seq_len; ++t) {
      const std::int64_t block = table[s * bps + t / l.block_size];
      const std::int64_t slot = block * l.block_size + t % l.block_size;
      std::memcpy(out + (s * l.seq_len + t) * l.width, pool + slot * l.width, row_bytes);
    }
  }
}

void paged_gather_per_block(const paged_layout& l, const float* pool, const std::int32_t* table, float* out) {
  const std::int64_t bps = l.blocks_per_seq();
  for (std::int64_t s = 0; s < l.seqs; ++s) {
    for (std::int64_t b = 0; b < bps; ++b) {
      const std::int64_t t0 = b * l.block_size;
      const std::int64_t tokens = std::min(l.block_size, l.seq_len - t0);
      std::memcpy(out + (s * l.seq_len + t0) * l.width, pool + table[s * bps + b] * l.block_size * l.width,
                  static_cast<std::size_t>(tokens * l.width) * sizeof(float));
    }
  }
}

}  // namespace isobench::kernels
