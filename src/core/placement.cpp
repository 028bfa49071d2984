#include "core/placement.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <string_view>

#include "core/placement_log.hpp"
#include "isobench/placement.hpp"

namespace isobench {

namespace detail {

namespace {

constexpr std::size_t page_bytes = 4096;
constexpr std::size_t heap_alignment = 64;

std::size_t round_up(std::size_t n, std::size_t to) noexcept {
  return (n + to - 1) / to * to;
}

// One 2 MiB-aligned mapping; freed when its last buffer is and no scope allocates from it.
struct chunk {
  std::byte* base = nullptr;
  std::size_t size = 0;
  std::size_t used = 0;   // bump pointer
  std::size_t live = 0;   // buffers still allocated
  std::size_t dirty = 0;  // bytes below this were handed out before (above, still the kernel's zeros)
  std::uint64_t first_slot = 0;
  bool current = false;  // the open scope allocates from it
};

struct arena {
  std::mutex mu;
  int depth = 0;
  chunk* current = nullptr;
  std::uint64_t slot = 0;
};

arena& the_arena() {
  static arena a;
  return a;
}

std::atomic<std::uint64_t> g_seed{0};

// ISOBENCH_PLACEMENT=heap turns the arena off (buffers from the heap, as before it existed): a
// diagnostic, to measure what placement control changes on a machine.
bool heap_only() {
  static const bool off = [] {
    const char* v = std::getenv("ISOBENCH_PLACEMENT");
    return v != nullptr && std::string_view(v) == "heap";
  }();
  return off;
}

std::byte* map_fixed(std::size_t size, std::uint64_t seed) {
  // The canonical layout starts at the region's base; a launch layout at a chunk picked by its
  // seed (so address bits 21-36 vary between launches as ASLR would vary them).
  std::uintptr_t index = seed == 0 ? 0 : (seed >> 7) % arena_region_chunks;
  for (int probe = 0; probe < 64; ++probe, index = (index + size / arena_chunk_bytes) % arena_region_chunks) {
    auto* want = reinterpret_cast<void*>(arena_region + index * arena_chunk_bytes);
    void* got = ::mmap(want, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (got == want) return static_cast<std::byte*>(got);
    if (got != MAP_FAILED) ::munmap(got, size);  // a kernel before 4.17 treats the flag as a hint
  }
  return nullptr;
}

// Anywhere on a 2 MiB boundary: map one extra chunk's worth and trim.
std::byte* map_aligned(std::size_t size) {
  const std::size_t span = size + arena_chunk_bytes;
  void* raw = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  auto* p = static_cast<std::byte*>(raw);
  const auto addr = reinterpret_cast<std::uintptr_t>(p);
  auto* base = p + (round_up(addr, arena_chunk_bytes) - addr);
  if (base > p) ::munmap(p, static_cast<std::size_t>(base - p));
  if (base + size < p + span) ::munmap(base + size, static_cast<std::size_t>(p + span - (base + size)));
  return base;
}

chunk* map_chunk(std::size_t at_least) {
  const std::size_t size = round_up(at_least, arena_chunk_bytes);
  if (size < at_least || size > SIZE_MAX - arena_chunk_bytes) throw std::bad_alloc();
  std::byte* base = map_fixed(size, layout_seed());
  if (base == nullptr) base = map_aligned(size);  // the region is taken (or the kernel lacks the flag)
  // Huge pages make the physical placement below 2 MiB as fixed as the virtual one (where the
  // kernel grants them: transparent_hugepage "madvise" or "always").
  (void)::madvise(base, size, MADV_HUGEPAGE);
  auto* c = new chunk;
  c->base = base;
  c->size = size;
  return c;
}

void unmap_chunk(chunk* c) noexcept {
  ::munmap(c->base, c->size);
  delete c;
}

}  // namespace

void set_layout_seed(std::uint64_t seed) noexcept {
  g_seed.store(seed, std::memory_order_relaxed);
}

std::uint64_t layout_seed() noexcept {
  return g_seed.load(std::memory_order_relaxed);
}

std::size_t slot_offset(std::uint64_t slot, std::uint64_t seed) noexcept {
  if (seed == 0) return static_cast<std::size_t>((slot * 1088) % page_bytes);
  // splitmix64 of (seed, slot): independent offsets per buffer and per layout.
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (slot + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<std::size_t>(z % (page_bytes / heap_alignment)) * heap_alignment;
}

placement_scope::placement_scope() {
  auto& a = the_arena();
  const std::lock_guard lock(a.mu);
  if (a.depth++ == 0) a.slot = 0;
}

placement_scope::~placement_scope() {
  auto& a = the_arena();
  const std::lock_guard lock(a.mu);
  if (--a.depth != 0) return;
  if (chunk* c = a.current) {
    log_placement(c->base, c->used);
    c->current = false;
    a.current = nullptr;
    if (c->live == 0) unmap_chunk(c);
  }
}

namespace {

// The arena's side of placed_bytes: where the next buffer of `bytes` goes, or nullptr outside a
// scope.
std::byte* place(std::size_t bytes, void*& chunk_out) {
  auto& a = the_arena();
  const std::lock_guard lock(a.mu);
  chunk_out = nullptr;
  if (a.depth == 0 || heap_only()) return nullptr;
  const std::size_t offset = slot_offset(a.slot, layout_seed());
  chunk* c = a.current;
  std::size_t at = c != nullptr ? round_up(c->used, page_bytes) + offset : 0;
  if (c == nullptr || at + bytes > c->size || at + bytes < at) {
    if (bytes > SIZE_MAX - arena_chunk_bytes) throw std::bad_alloc();
    chunk* fresh = map_chunk(offset + bytes);
    fresh->current = true;
    fresh->first_slot = a.slot;
    if (c != nullptr) {
      c->current = false;
      if (c->live == 0) unmap_chunk(c);
    }
    a.current = c = fresh;
    at = offset;
  }
  c->used = at + bytes;
  ++c->live;
  ++a.slot;
  chunk_out = c;
  std::byte* p = c->base + at;
  // A rolled-back region may hold old data; fresh pages are zero already (and touching them here
  // would cost a pass over a large weight before the kernel's own fill).
  if (at < c->dirty) std::memset(p, 0, std::min(bytes, c->dirty - at));
  c->dirty = std::max(c->dirty, at + bytes);
  return p;
}

void unplace(void* chunk_ptr) noexcept {
  auto& a = the_arena();
  const std::lock_guard lock(a.mu);
  auto* c = static_cast<chunk*>(chunk_ptr);
  if (--c->live != 0) return;
  if (c->current) {
    // Everything in the open scope's chunk was freed (e.g. a temporary made and dropped in
    // setup): start it over, so the next buffers are placed as if those had never existed.
    c->used = 0;
    a.slot = c->first_slot;
    return;
  }
  unmap_chunk(c);
}

}  // namespace

}  // namespace detail

namespace {
constexpr std::size_t header_bytes = 64;  // keeps the data 64-byte aligned
}  // namespace

void* placed_allocate(std::size_t bytes) {
  if (bytes > SIZE_MAX - header_bytes) throw std::bad_alloc();
  void* chunk = nullptr;
  std::byte* p = detail::place(bytes + header_bytes, chunk);
  if (p == nullptr) p = static_cast<std::byte*>(::operator new[](bytes + header_bytes, std::align_val_t{header_bytes}));
  std::memcpy(p, &chunk, sizeof chunk);
  return p + header_bytes;
}

void placed_deallocate(void* data) noexcept {
  if (data == nullptr) return;
  std::byte* p = static_cast<std::byte*>(data) - header_bytes;
  void* chunk = nullptr;
  std::memcpy(&chunk, p, sizeof chunk);
  if (chunk != nullptr) {
    detail::unplace(chunk);
  } else {
    ::operator delete[](p, std::align_val_t{header_bytes});
  }
}

placed_bytes::placed_bytes(std::size_t bytes) : m_size(bytes) {
  m_data = detail::place(bytes, m_chunk);
  if (m_data != nullptr) return;
  const std::size_t n = bytes == 0 ? 1 : bytes;
  m_data = static_cast<std::byte*>(::operator new[](n, std::align_val_t{detail::heap_alignment}));
  std::memset(m_data, 0, n);
}

placed_bytes::placed_bytes(placed_bytes&& other) noexcept
    : m_data(other.m_data), m_size(other.m_size), m_chunk(other.m_chunk) {
  other.m_data = nullptr;
  other.m_size = 0;
  other.m_chunk = nullptr;
}

placed_bytes& placed_bytes::operator=(placed_bytes&& other) noexcept {
  if (this != &other) {
    release();
    m_data = other.m_data;
    m_size = other.m_size;
    m_chunk = other.m_chunk;
    other.m_data = nullptr;
    other.m_size = 0;
    other.m_chunk = nullptr;
  }
  return *this;
}

placed_bytes::~placed_bytes() {
  release();
}

void placed_bytes::release() noexcept {
  if (m_data == nullptr) return;
  if (m_chunk != nullptr) {
    detail::unplace(m_chunk);
  } else {
    ::operator delete[](m_data, std::align_val_t{detail::heap_alignment});
  }
  m_data = nullptr;
  m_chunk = nullptr;
}

}  // namespace isobench
