// The arena: inside a kernel's setup, where buffers land (modulo 2 MiB) depends only on the order
// of allocation and the layout seed, not on what the process allocated before.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/placement.hpp"
#include "core/placement_log.hpp"
#include "isobench/kernel.hpp"
#include "isobench/placement.hpp"
#include "isobench/tensor.hpp"

namespace isobench::detail {
namespace {

std::uintptr_t low_bits(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p) % detail::arena_chunk_bytes;
}

// A kernel-like setup: two inputs, an output and scratch, placed; their addresses modulo 2 MiB.
std::vector<std::uintptr_t> setup_layout() {
  const detail::placement_scope scope;
  tensor x(dtype::f32, {4, 1024});
  tensor w(dtype::f32, {1024});
  tensor y(dtype::f32, {4, 1024});
  scratch<float> tmp(333);
  EXPECT_TRUE(tmp.span().size() == 333u);
  return {low_bits(x.bytes().data()), low_bits(w.bytes().data()), low_bits(y.bytes().data()), low_bits(tmp.data())};
}

TEST(placement, does_not_depend_on_allocation_history) {
  detail::set_layout_seed(0);
  const auto first = setup_layout();
  // Disturb the heap and the address space in different ways, then set up again.
  for (int trial = 0; trial < 5; ++trial) {
    std::vector<std::unique_ptr<char[]>> junk;
    for (int i = 0; i <= trial * 7; ++i) junk.emplace_back(new char[static_cast<std::size_t>(24 + 1000 * i + trial)]);
    std::vector<tensor> unplaced;
    for (int i = 0; i < trial; ++i) unplaced.emplace_back(dtype::f32, std::vector<std::int64_t>{100 + i});
    EXPECT_EQ(setup_layout(), first) << "trial " << trial;
  }
}

TEST(placement, the_canonical_layout_is_the_same_whole_address_in_every_process) {
  detail::set_layout_seed(0);
  const detail::placement_scope scope;
  tensor x(dtype::f32, {2, 1024});
  tensor y(dtype::f32, {2, 1024});
  // The arena's fixed region is free in any process that has not mapped it: the addresses are
  // constants, not only their low bits.
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(x.bytes().data()), detail::arena_region + detail::slot_offset(0, 0));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(y.bytes().data()),
            detail::arena_region + 8192 + detail::slot_offset(1, 0));
}

namespace {
class member_kernel final : public kernel {
public:
  void setup(const setup_context& /*ctx*/) override {}
  void run() override { ++m_calls; }
  [[nodiscard]] std::vector<named_tensor> outputs() const override { return {}; }
  long m_calls = 0;
};
}  // namespace

TEST(placement, a_kernel_object_made_in_setup_is_placed_like_its_buffers) {
  detail::set_layout_seed(0);
  std::uintptr_t first = 0;
  for (int trial = 0; trial < 3; ++trial) {
    std::vector<std::unique_ptr<char[]>> junk;
    for (int i = 0; i < trial * 5; ++i) junk.emplace_back(new char[static_cast<std::size_t>(100 + 37 * i)]);
    const detail::placement_scope scope;
    std::unique_ptr<kernel> k = std::make_unique<member_kernel>();
    const auto at = reinterpret_cast<std::uintptr_t>(k.get());
    EXPECT_EQ(at % 64, 0u);
    if (trial == 0) first = at;
    EXPECT_EQ(at, first) << "trial " << trial;
  }
  // Outside a setup, a kernel object comes from the heap and is freed there.
  auto heap = std::make_unique<member_kernel>();
  heap->run();
  EXPECT_EQ(heap->m_calls, 1);
}

TEST(placement, buffers_never_share_an_offset_modulo_4k_in_the_canonical_layout) {
  detail::set_layout_seed(0);
  const auto layout = setup_layout();
  std::set<std::uintptr_t> offsets;
  for (auto a : layout) {
    EXPECT_EQ(a % 64, 0u);
    offsets.insert(a % 4096);
  }
  EXPECT_EQ(offsets.size(), layout.size());
  std::set<std::size_t> first_slots;
  for (std::uint64_t s = 0; s < 8; ++s) first_slots.insert(detail::slot_offset(s, 0));
  EXPECT_EQ(first_slots.size(), 8u);
}

TEST(placement, a_layout_seed_moves_buffers_within_their_pages_reproducibly) {
  detail::set_layout_seed(0);
  const auto canonical = setup_layout();
  detail::set_layout_seed(12345);
  const auto a = setup_layout();
  const auto b = setup_layout();
  detail::set_layout_seed(999);
  const auto c = setup_layout();
  detail::set_layout_seed(0);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, canonical);
  EXPECT_NE(a, c);
  for (auto p : a) EXPECT_EQ(p % 64, 0u);
}

TEST(placement, outside_a_setup_memory_comes_from_the_heap_zeroed) {
  placed_bytes heap(100);
  EXPECT_FALSE(heap.placed());
  const detail::placement_scope scope;
  placed_bytes arena(100);
  EXPECT_TRUE(arena.placed());
  for (std::size_t i = 0; i < 100; ++i) EXPECT_EQ(arena.data()[i], std::byte{0});
  // Moving keeps the placement; the moved-from side owns nothing.
  placed_bytes moved = std::move(arena);
  EXPECT_TRUE(moved.placed());
  EXPECT_EQ(arena.data(), nullptr);  // NOLINT(bugprone-use-after-move)
}

TEST(placement, a_buffer_larger_than_a_chunk_gets_its_own) {
  const detail::placement_scope scope;
  tensor big(dtype::f32, {3, 1 << 20});  // 12 MiB
  tensor next(dtype::f32, {16});
  EXPECT_EQ(low_bits(big.bytes().data()), detail::slot_offset(0, detail::layout_seed()));
  big.as<float>()[(3u << 20) - 1] = 1.0F;  // the whole buffer is mapped
  EXPECT_EQ(next.as<float>()[0], 0.0F);
}

// ISOBENCH_PLACEMENT_LOG: one line per setup naming the arena and the physical frame under it.
TEST(placement, the_log_names_the_arena_and_its_physical_frame) {
  const auto dir = std::filesystem::temp_directory_path() / ("isobench_placement_log_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto log = dir / "placement.log";
  ::setenv("ISOBENCH_PLACEMENT_LOG", log.c_str(), 1);
  detail::set_layout_seed(0);
  std::optional<tensor> x;  // outlives the scope, as a kernel's buffers outlive its setup
  {
    const detail::placement_scope scope;
    x.emplace(dtype::f32, std::vector<std::int64_t>{2, 1024});
    x->bytes()[0] = std::byte{1};  // present, so pagemap has a frame for it
  }
  ::unsetenv("ISOBENCH_PLACEMENT_LOG");
  {
    const detail::placement_scope scope;  // unset: nothing more is written
    tensor y(dtype::f32, {2, 1024});
  }
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  const auto s = text.str();
  EXPECT_EQ(std::count(s.begin(), s.end(), '\n'), 1) << s;
  EXPECT_NE(s.find("arena=0x3e0000000000"), std::string::npos) << s;
  EXPECT_NE(s.find("used_bytes=8192"), std::string::npos) << s;
  // Frames are visible to root only (Linux 4.2 and later); others read 0.
  const bool frame_seen = s.find("arena_frame=0x0 ") == std::string::npos;
  EXPECT_EQ(frame_seen, ::geteuid() == 0) << s;
  std::filesystem::remove_all(dir);
}

TEST(placement, the_log_never_writes_into_a_fifo) {
  const auto dir = std::filesystem::temp_directory_path() / ("isobench_placement_fifo_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ::setenv("ISOBENCH_PLACEMENT_LOG", fifo.c_str(), 1);
  {
    const detail::placement_scope scope;  // would block forever on a FIFO without a reader
    tensor x(dtype::f32, {16});
  }
  ::unsetenv("ISOBENCH_PLACEMENT_LOG");
  EXPECT_TRUE(std::filesystem::is_fifo(fifo));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace isobench::detail
