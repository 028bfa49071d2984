// Registration of paged_kv_gather.{per_token,per_block} and rotary.{naive,cached}.
#include "cpu/paged_kv.hpp"
#include "cpu/rotary.hpp"
#include "isobench/error.hpp"
#include "isobench/placement.hpp"
#include "isobench/random.hpp"
#include "isobench/registry.hpp"
#include "op_metadata.hpp"

namespace isobench::kernels {

namespace {

template <bool PerBlock>
class paged_gather_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    m_layout = paged_layout{ctx.values.get_int("seqs"), ctx.values.get_int("seq_len"), ctx.values.get_int("block_size"),
                            ctx.values.get_int("width")};
    const std::int64_t spare = ctx.values.get_int("spare_blocks");
    const auto table = random_block_table(m_layout, spare, gen::derive_seed(ctx.seed, "table"));
    m_table.assign(table.begin(), table.end());
    const std::int64_t pool_blocks = m_layout.seqs * m_layout.blocks_per_seq() + spare;
    m_pool = tensor(dtype::f32, {pool_blocks, m_layout.block_size, m_layout.width});
    m_out = tensor(dtype::f32, {m_layout.seqs, m_layout.seq_len, m_layout.width});
    gen::fill_normal(m_pool.as<float>(), gen::derive_seed(ctx.seed, "pool"));
  }
  void run() override {
    const auto f = PerBlock ? paged_gather_per_block : paged_gather_per_token;
    f(m_layout, m_pool.as<float>().data(), m_table.data(), m_out.as<float>().data());
  }
  [[nodiscard]] std::vector<named_tensor> outputs() const override { return {{"out", m_out}}; }

private:
  paged_layout m_layout;
  scratch_vector<std::int32_t> m_table;
  tensor m_pool, m_out;
};

void paged_common(kernel_builder& b) {
  b.keywords(
      {"paged", "block_table", "kv_cache", "reshape_and_cache", "gather_cache", "copy_blocks", "paged_attention"});
  b.category(category::memory)
      .dtypes({dtype::f32})
      .int_param("seqs", "sequences in the batch", std::nullopt, 0)
      .int_param("seq_len", "tokens per sequence", std::nullopt, 0)
      .int_param("block_size", "tokens per cache block", 16, 1)
      .int_param("width", "floats per token (kv_heads x head_dim)", std::nullopt, 1)
      .int_param("spare_blocks", "free blocks in the pool besides the ones in use", 64, 0)
      .bytes([](const params& p) {  // read once, written once
        return 8.0 * static_cast<double>(p.get_int("seqs") * p.get_int("seq_len") * p.get_int("width"));
      });
}

template <bool Cached>
class rotary_kernel final : public kernel {
public:
  void setup(const setup_context& ctx) override {
    m_shape = rotary_shape{ctx.values.get_int("tokens"), ctx.values.get_int("heads"), ctx.values.get_int("head_dim"),
                           static_cast<float>(ctx.values.get_double("base"))};
    if (m_shape.head_dim % 2 != 0) throw config_error("head_dim must be even (rotary rotates pairs of halves)");
    const std::int64_t max_pos = ctx.values.get_int("max_pos");
    m_x = tensor(dtype::f32, {m_shape.tokens, m_shape.heads, m_shape.head_dim});
    m_out = tensor(dtype::f32, {m_shape.tokens, m_shape.heads, m_shape.head_dim});
    gen::fill_normal(m_x.as<float>(), gen::derive_seed(ctx.seed, "x"));
    const auto pos = random_positions(m_shape.tokens, max_pos, gen::derive_seed(ctx.seed, "pos"));
    m_pos.assign(pos.begin(), pos.end());
    if constexpr (Cached) m_cache = std::make_unique<rotary_cached>(max_pos, m_shape.head_dim, m_shape.base);
  }
  void run() override {
    if constexpr (Cached) {
      m_cache->run(m_shape, m_pos.data(), m_x.as<float>().data(), m_out.as<float>().data());
    } else {
      rotary_naive(m_shape, m_pos.data(), m_x.as<float>().data(), m_out.as<float>().data());
    }
  }
  [[nodiscard]] std::vector<named_tensor> outputs() const override { return {{"out", m_out}}; }

private:
  rotary_shape m_shape;
  scratch_vector<std::int32_t> m_pos;
  tensor m_x, m_out;
  std::unique_ptr<rotary_cached> m_cache;
};

}  // namespace

void rotary_common(kernel_builder& b) {
  b.keywords({"rotary", "rope", "rotary_embedding", "rotary_emb", "cos_sin_cache"});
  b.category(category::kernel)
      .dtypes({dtype::f32})
      .int_param("tokens", "tokens (each at a random position below max_pos)", std::nullopt, 0)
      .int_param("heads", "heads (q or k)", std::nullopt, 1)
      .int_param("head_dim", "head dimension (even)", std::nullopt, 2)
      .int_param("max_pos", "positions covered by the cos/sin cache", 8192, 1)
      .number_param("base", "RoPE base (theta)", 10000.0)
      .flops([](const params& p) {  // 6 per pair: 4 multiplies, 2 adds
        return 3.0 * static_cast<double>(p.get_int("tokens") * p.get_int("heads") * p.get_int("head_dim"));
      })
      .bytes([](const params& p) {
        return 8.0 * static_cast<double>(p.get_int("tokens") * p.get_int("heads") * p.get_int("head_dim"));
      });
}

ISOBENCH_REGISTER_KERNEL("paged_kv_gather", "per_token", paged_gather_kernel<false>)
    .sources({"kernels/cpu/memory_kernels.cpp", "kernels/cpu/paged_kv.*"})
    .description("block-table lookup and one memcpy per token")
    .with(paged_common);
ISOBENCH_REGISTER_KERNEL("paged_kv_gather", "per_block", paged_gather_kernel<true>)
    .sources({"kernels/cpu/memory_kernels.cpp", "kernels/cpu/paged_kv.*"})
    .description("one memcpy per block (a block's tokens are contiguous)")
    .with(paged_common);
ISOBENCH_REGISTER_KERNEL("rotary", "naive", rotary_kernel<false>)
    .sources({"kernels/cpu/memory_kernels.cpp", "kernels/cpu/rotary.*"})
    .description("cos/sin of every frequency computed per token, scalar loop")
    .with(rotary_common);
ISOBENCH_REGISTER_KERNEL("rotary", "cached", rotary_kernel<true>)
    .sources({"kernels/cpu/memory_kernels.cpp", "kernels/cpu/rotary.*"})
    .description("precomputed cos/sin cache (built with the model), vectorised halves")
    .with(rotary_common);

}  // namespace isobench::kernels
