#pragma once
// ISOBENCH_PLACEMENT_LOG=FILE: a diagnostic line per kernel setup saying where its arena landed in
// physical memory, so a user can see which launches of a verdict shared a physical page (README
// "Layout: where a buffer lands", item 5).

#include <cstddef>
#include <cstdint>

namespace isobench::detail {

// The physical frame number of the 4 KiB page holding `address`, read from /proc/self/pagemap; 0
// when the page is not present or the process may not see frames (only root may, since Linux 4.2).
[[nodiscard]] std::uint64_t physical_frame(const void* address) noexcept;

// Appends "pid=… exe=… arena=0x… arena_frame=0x… text_frame=0x… used_bytes=…" to the file that
// ISOBENCH_PLACEMENT_LOG names; nothing when it is unset. Called once a setup's scope closes (the
// kernel has touched its buffers by then, so their pages are present).
void log_placement(const std::byte* arena, std::size_t used_bytes) noexcept;

}  // namespace isobench::detail
