#pragma once
// The arena behind isobench::placed_bytes (include/isobench/placement.hpp): who opens a kernel's
// placement scope, and which layout a run uses.

#include <cstddef>
#include <cstdint>

namespace isobench::detail {

// Every chunk starts on this boundary, so an address modulo 2 MiB (in-page offset and, when the
// kernel grants a transparent huge page, the physical bits below 21 too) is fixed by the layout.
inline constexpr std::size_t arena_chunk_bytes = std::size_t{2} << 20;

// Where chunks are mapped when that address range is free (it is in a fresh process): a fixed
// virtual address far from where the loader, the heap and mmap put things (which ASLR moves), so a
// buffer's whole address, not only its offset modulo 2 MiB, is the same in every process and build
// (some caches and TLBs key on address bits above 12). The canonical layout starts at the region's
// base; a launch layout at a chunk its seed picks. Elsewhere (the range taken) any 2 MiB boundary.
inline constexpr std::uintptr_t arena_region = std::uintptr_t{0x3e00} << 32;
inline constexpr std::uintptr_t arena_region_chunks = std::uintptr_t{1} << 16;  // 128 GiB

// The layout of this process's arenas: 0, the canonical one (the same in every run and build);
// any other value, a pseudo-random in-page offset per buffer (the launches of a verdict, README
// "Statistics"). Set before kernels are set up.
void set_layout_seed(std::uint64_t seed) noexcept;
[[nodiscard]] std::uint64_t layout_seed() noexcept;

// The in-page offset (a multiple of 64 below 4096) of the slot-th buffer of a setup. Canonical:
// slot x 1088 mod 4096, so the first buffers of a kernel (inputs, outputs, scratch) never share
// an offset and their loads and stores do not alias modulo 4 KiB.
[[nodiscard]] std::size_t slot_offset(std::uint64_t slot, std::uint64_t seed) noexcept;

// While one is alive on this thread's process, placed_bytes come from a fresh arena; scopes nest
// (the outer one wins). Not copyable.
class placement_scope {
public:
  placement_scope();
  ~placement_scope();
  placement_scope(const placement_scope&) = delete;
  placement_scope& operator=(const placement_scope&) = delete;
};

}  // namespace isobench::detail
