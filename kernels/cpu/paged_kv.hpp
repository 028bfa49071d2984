#pragma once
// Paged KV cache (vLLM's PagedAttention memory manager): each sequence's tokens live in fixed-size
// blocks scattered over a shared pool; a block table maps (sequence, logical block) to a physical
// block. gather() copies sequences out to contiguous [seqs x seq_len x width] storage.

#include <cstdint>
#include <vector>

namespace isobench::kernels {

struct paged_layout {
  std::int64_t seqs = 0;
  std::int64_t seq_len = 0;      // tokens per sequence
  std::int64_t block_size = 16;  // tokens per block
  std::int64_t width = 0;        // floats per token (kv heads x head_dim)
  [[nodiscard]] std::int64_t blocks_per_seq() const noexcept {
    return block_size > 0 ? (seq_len + block_size - 1) / block_size : 0;
  }
};

// A seeded random assignment of physical blocks (a permutation of a pool with `spare` extra blocks),
// as an allocator that has served other requests would leave it. Table is [seqs x blocks_per_seq].
std::vector<std::int32_t> random_block_table(const paged_layout& l, std::int64_t spare_blocks, std::uint64_t seed);

// One copy per token: look the block up and copy `width` floats (what a per-token kernel does).
void paged_gather_per_token(const paged_layout& l, const float* pool, const std::int32_t* table, float* out);
// One copy per block: a block's tokens are contiguous in the pool, so copy them in one run.
void paged_gather_per_block(const paged_layout& l, const float* pool, const std::int32_t* table, float* out);

}  // namespace isobench::kernels
